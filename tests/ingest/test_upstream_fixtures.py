"""The real upstream samples stay byte-for-byte what the public sources published (see their README)."""

from __future__ import annotations

import hashlib

import pytest

from tests.ingest.support import UPSTREAM

SHA256 = {
    "findtreatment_2019_page.json": "53d26932586f1322730580071a5498258aba5ae520d77061719d22b0dda17e95",
    "clinicaltrials_v2_page_a.json": "0a37a3af4109a82f8a45234db135d73a478f94b2d627daf35609b9457032723a",
    "clinicaltrials_v2_page_b.json": "9a161a3b79452973ec1e8a3945f423cf8c10d7dd324a9c2af3543ebf531db100",
    "hsds_3.0_datapackage.json": "06d063ec1a22f8797da3ee9cd1e2a9e519fa813d6f3e93140bbdd7814d36984b",
}
# The official HSDS 3.0 example publication, file by file.
EXAMPLE = "hsds_3.0_example_csv"
SHA256 |= {
    f"{EXAMPLE}/accessibility.csv": "693d7f712227cbecfd8c163ef1a791cdff5a37d9e325a67e87a5899f4830165a",
    f"{EXAMPLE}/addresses.csv": "9fc21daee01fae4be0d6eb5383a437b3c9d4fe9b644dab25b744dd2434ec30a0",
    f"{EXAMPLE}/attributes.csv": "57769a9c7549c252690fd65e61385a54a056dcd64690707c130887bb331757cc",
    f"{EXAMPLE}/contacts.csv": "9bf152f85fded27ee29b0a688b0b6c00689c6edeba3b544f0338acff939cdbdf",
    f"{EXAMPLE}/cost_options.csv": "b689cc27d2306735cc175134c05d7889e5f66d3725e1e47d8137ea7cde3aeb00",
    f"{EXAMPLE}/datapackage.json": "b94c67ab8f1853211f1f09af0129e1098a4e1aa3eeda528bb9cd01189ff1e119",
    f"{EXAMPLE}/funding.csv": "9b189d9664eed8d2ba8f4592dfb3f10a826e839524fe9d591ba914641a7eaa7e",
    f"{EXAMPLE}/languages.csv": "2324fb0d4558b7ae38439afc75938ad46eb6ebacc202916f74ada61936ea9d83",
    f"{EXAMPLE}/locations.csv": "9878fed61fbce76c01447a033a7c3b01f4752422d06a370005e2a485a6f44512",
    f"{EXAMPLE}/meta_table_descriptions.csv": "7891e200af72a1a2ddc12f7f6bc4c1d77cf0035f69de43ee6fbdbe93ddfb3132",
    f"{EXAMPLE}/metadata.csv": "d2f5a1b208047145c7d0c77634be7667d59f2657f507ddda5616f3e876a4f4a0",
    f"{EXAMPLE}/organization_identifiers.csv": "1d35918160a9e5c221d334a7e9b4f0b0cd8866ac034c1d9383d34edb8d73dd20",
    f"{EXAMPLE}/organizations.csv": "271ad478f70b484e2f6eb900160427a646d8a4f29faad262359be48a771a7a61",
    f"{EXAMPLE}/phones.csv": "a3210c5e6f2675f8a4353030b33c84bef2e0a1208cfa9acf19a829c2aa3c11af",
    f"{EXAMPLE}/programs.csv": "f8cc4f84a7a226d2e2ba180a1919cd099aeb8f710e4c88b6dc121419f8affa2b",
    f"{EXAMPLE}/required_documents.csv": "59ade55955215e24c55338d37aa011a923ccb5c5208d4e88111452c9c024f818",
    f"{EXAMPLE}/schedules.csv": "1c7e332a073a082b4272b960b9cb192c60bbd1cfdcd64e7c3f129f5324f31964",
    f"{EXAMPLE}/service_areas.csv": "bb768acaf7faddd900252fe75cfc4123c85a8d380b3c325ae7cb8098876e63d2",
    f"{EXAMPLE}/service_at_location.csv": "dd8e95793ca1a24d9f4c0c33820b4037cc00ce8e40d3d98b7eefb76858fc0bac",
    f"{EXAMPLE}/services.csv": "1128aeb860d3cbd0ba8d247671da232154a102444bdb1b15081f17f86b09c758",
    f"{EXAMPLE}/taxonomies.csv": "ca98f20be854cfc6aea6e2a2d59190df1e1d81c02b9c94fd12b8a51d67fca368",
    f"{EXAMPLE}/taxonomy_terms.csv": "a8ec52d1ca485f8a85ad0a4e54b201e8062468f0a4e414a2c826f114f4f2fb63",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_upstream_sample_is_unedited(name):
    assert hashlib.sha256((UPSTREAM / name).read_bytes()).hexdigest() == SHA256[name]


def test_every_upstream_sample_is_accounted_for():
    files = {str(p.relative_to(UPSTREAM)) for p in UPSTREAM.rglob("*") if p.is_file()}
    assert files == set(SHA256) | {"README.md"}
