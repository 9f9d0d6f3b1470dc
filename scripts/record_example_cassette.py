"""Record examples/cassettes/lifecycle.yaml: the example client's lifecycle against the fake.

    python scripts/record_example_cassette.py

It starts ``contract-kit serve`` on loopback (a real HTTP server), runs the example client
through discovery, create, read, patch, search and delete with ``requests``, and records the
exchanges as if made against https://platform.adobe.io, secrets replaced.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

from offer_client import Credentials, OfferLibraryClient  # noqa: E402

from contract_kit import record_cassette  # noqa: E402
from contract_kit.core.examples import fallback_offer_body  # noqa: E402

CASSETTE = ROOT / "examples" / "cassettes" / "lifecycle.yaml"
# Realistic-looking credentials; the recording must not keep them.
AUTH = Credentials(
    "eyJhbGciOiJSUzI1NiJ9.ZXhhbXBsZS10b2tlbg.c2lnbmF0dXJl",
    "3f6a9c2e7b1d4f8a",
    "9C1E3A5B7D2F4A6C8E0B1D3F@AdobeOrg",
    "prod",
)


def main() -> int:
    """Record the cassette; return the exit code."""
    server = subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        with (
            record_cassette(CASSETTE, served_at=base_url, recorded_as="https://platform.adobe.io"),
            requests.Session() as http,
        ):
            client = OfferLibraryClient(http, AUTH, base_url=base_url)
            container = client.decisioning_container()
            receipt = client.create_fallback_offer(container, fallback_offer_body())
            stored = client.get_offer(container, receipt["instanceId"])
            client.set_status(container, receipt["instanceId"], "draft", etag=stored["repo:etag"])
            client.search(container, "_instance.xdm:status==draft")
            client.delete_offer(container, receipt["instanceId"])
            client.get_offer_or_none(container, receipt["instanceId"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    print(f"recorded {CASSETTE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
