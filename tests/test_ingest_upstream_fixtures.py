"""The real upstream samples stay byte-for-byte what the public sources published (see their README)."""

from __future__ import annotations

import hashlib

import pytest

from tests.test_ingest_support import UPSTREAM

SHA256 = {
    "findtreatment_2019_page.json": "53d26932586f1322730580071a5498258aba5ae520d77061719d22b0dda17e95",
    "clinicaltrials_v2_page_a.json": "0a37a3af4109a82f8a45234db135d73a478f94b2d627daf35609b9457032723a",
    "clinicaltrials_v2_page_b.json": "9a161a3b79452973ec1e8a3945f423cf8c10d7dd324a9c2af3543ebf531db100",
    "hsds_3.0_datapackage.json": "06d063ec1a22f8797da3ee9cd1e2a9e519fa813d6f3e93140bbdd7814d36984b",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_upstream_sample_is_unedited(name):
    assert hashlib.sha256((UPSTREAM / name).read_bytes()).hexdigest() == SHA256[name]


def test_every_upstream_sample_is_accounted_for():
    assert {p.name for p in UPSTREAM.iterdir()} == set(SHA256) | {"README.md"}
