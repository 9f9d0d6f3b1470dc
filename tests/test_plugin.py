"""The pytest plugin as a user meets it: fixtures, marker, options and failure messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLIENT = """
import requests

BASE = "https://platform.adobe.io/data/core/xcore"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
HEADERS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
}


def create(offer, **headers):
    sent = {
        **HEADERS,
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
        **headers,
    }
    sent = {k: v for k, v in sent.items() if v is not None}
    return requests.post(f"{BASE}/{CONTAINER}/instances", json=offer, headers=sent, timeout=5)
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's project: a small client module next to the tests."""
    pytester.makepyfile(client=CLIENT)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester


def test_a_passing_client_test(suite: pytest.Pytester) -> None:
    """A client that keeps the contract passes; the fake stored what it sent."""
    suite.makepyfile(
        test_client="""
        from client import create

        def test_create(offer_library, fallback_offer):
            response = create(fallback_offer)
            assert response.status_code == 201
            receipt = response.json()
            stored = offer_library.instances[receipt["instanceId"]]
            assert stored["_instance"]["xdm:name"] == "Fallback for sales"
            assert [c.operation for c in offer_library.calls] == ["create"]
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_client_that_forgets_the_api_key(suite: pytest.Pytester) -> None:
    """The client gets the gateway's 403, and the test fails naming the request and header."""
    suite.makepyfile(
        test_client="""
        from client import create

        def test_create(offer_library, fallback_offer):
            response = create(fallback_offer, **{"x-api-key": None})
            assert response.status_code == 403
            assert response.json() == {"error_code": "403000", "message": "Api Key is required"}
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the client broke the Offer Library contract in 1 request:",
            "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
            '  - /headers/x-api-key: required header "x-api-key" is missing [required]',
            "",
            (
                "Hint: fix the client code that sends these requests. A test that sends them on "
                "purpose opts out with @pytest.mark.offer_library(allow_violations=True) or "
                "offer_library.allow_violations()."
            ),
        ],
        consecutive=True,
    )


def test_a_bad_placement_and_a_wrong_schema_version(suite: pytest.Pytester) -> None:
    """Body and header violations of one request are listed under it, each with its pointer."""
    suite.makepyfile(
        test_client="""
        from client import create, SCHEMA

        def test_create(offer_library, fallback_offer):
            fallback_offer["xdm:representations"][0]["xdm:placement"] = "xcore:offer-placement:NOT-HEX"
            wrong = SCHEMA.replace("version=0.1", "version=9.9")
            content_type = f'application/schema-instance+json; version=1; schema="{wrong}"'
            response = create(fallback_offer, **{"Content-Type": content_type})
            assert response.status_code == 400
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the client broke the Offer Library contract in 1 request:",
            "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
            (
                "  - /body/xdm:representations/0/xdm:placement: "
                '"xcore:offer-placement:NOT-HEX" is not an offer-placement id: '
                '"xcore:offer-placement:" and 1 to 16 lowercase hex digits [xcore-id]'
            ),
            (
                "  - /headers/content-type: the Content-Type schema parameter names version 9.9 "
                "of the fallback-offer schema; the API documents 0.1 or 0.5 [content-type]"
            ),
        ],
        consecutive=True,
    )


def test_opting_out_with_the_marker_or_the_method(suite: pytest.Pytester) -> None:
    """A test that sends bad requests on purpose passes with either opt-out."""
    suite.makepyfile(
        test_client="""
        import pytest
        from client import create

        @pytest.mark.offer_library(allow_violations=True)
        def test_marker(offer_library, fallback_offer):
            assert create(fallback_offer, Authorization=None).status_code == 403

        def test_method(offer_library, fallback_offer):
            offer_library.allow_violations()
            response = create(fallback_offer, Authorization="Bearer")
            assert response.status_code == 401
            assert response.json()["error_code"] == "401013"
            assert [v.rule for _, v in offer_library.violations] == ["authorization"]
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=2)


def test_the_option_and_ini_allow_violations(suite: pytest.Pytester) -> None:
    """--offer-library-allow-violations (or its ini) lets every test through."""
    suite.makepyfile(
        test_client="""
        from client import create

        def test_create(offer_library, fallback_offer):
            assert create(fallback_offer, Authorization=None).status_code == 403
        """
    )
    suite.runpytest_subprocess("--offer-library-allow-violations").assert_outcomes(passed=1)
    suite.runpytest_subprocess("-o", "offer_library_allow_violations=true").assert_outcomes(
        passed=1
    )
    suite.runpytest_subprocess().assert_outcomes(failed=1)


def test_an_unexpected_host(suite: pytest.Pytester) -> None:
    """A request elsewhere raises ConnectionError naming it; the user's own stubs still work."""
    suite.makepyfile(
        test_client="""
        import pytest
        import requests
        import responses

        IMS = "https://ims-na1.adobelogin.com/ims/token/v3"

        def test_other_host(offer_library):
            with pytest.raises(requests.ConnectionError) as caught:
                requests.post(IMS, timeout=5)
            assert str(caught.value) == (
                "contract_kit refused POST https://ims-na1.adobelogin.com/ims/token/v3: the "
                "offer_library fake serves https://platform.adobe.io/data/core/xcore/ and the "
                "decision calls only, and no "
                "stub registered with responses matches this request. Register one for it (an IMS "
                "token call, say) with responses.add(...); tests never reach the network."
            )

        def test_own_stub(offer_library):
            responses.add(responses.POST, IMS, json={"access_token": "t"})
            assert requests.post(IMS, timeout=5).json() == {"access_token": "t"}

        @responses.activate
        def test_inside_responses_activate(offer_library, fallback_offer):
            responses.add(responses.POST, IMS, json={"access_token": "t"})
            from client import create
            assert requests.post(IMS, timeout=5).status_code == 200
            assert create(fallback_offer).status_code == 201
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=3)


def test_the_users_own_requests_mock_and_the_fake_work_side_by_side(
    suite: pytest.Pytester,
) -> None:
    """A RequestsMock the test starts, before or after the fixture, keeps its stubs and the fake."""
    suite.makepyfile(
        test_client="""
        import pytest
        import requests
        import responses
        from client import create

        IMS = "https://ims-na1.adobelogin.com/ims/token/v3"

        @pytest.fixture
        def rsps():
            with responses.RequestsMock() as mock:  # asserts every stub of its own was used
                mock.add(responses.POST, IMS, json={"access_token": "t"})
                yield mock

        def test_started_inside_the_test(offer_library, fallback_offer):
            with responses.RequestsMock() as mock:
                mock.add(responses.POST, IMS, json={"access_token": "t"})
                assert requests.post(IMS, timeout=5).json() == {"access_token": "t"}
                assert create(fallback_offer).status_code == 201
            assert create({**fallback_offer, "xdm:name": "another"}).status_code == 201
            assert len(offer_library.calls) == 2

        def test_started_before_the_fixture(rsps, offer_library, fallback_offer):
            assert requests.post(IMS, timeout=5).status_code == 200
            assert create(fallback_offer).status_code == 201
            assert len(rsps.calls) == 2

        def test_started_after_the_fixture(offer_library, rsps, fallback_offer):
            assert requests.post(IMS, timeout=5).status_code == 200
            assert create(fallback_offer).status_code == 201

        def test_a_reset_keeps_the_fake(offer_library, fallback_offer):
            responses.add(responses.POST, IMS, json={})
            responses.reset()
            assert create(fallback_offer).status_code == 201
            with pytest.raises(requests.ConnectionError, match="no stub registered"):
                requests.post(IMS, timeout=5)
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=4)


def test_a_users_stub_on_the_apis_url_answers_instead_of_the_fake(suite: pytest.Pytester) -> None:
    """The test's own stub wins, every time it matches; the fake serves the other calls."""
    suite.makepyfile(
        test_client="""
        import requests
        import responses
        from client import BASE, CONTAINER, create

        def test_stubbed_search(offer_library, fallback_offer):
            search = f"{BASE}/{CONTAINER}/queries/core/search"
            responses.add(responses.GET, search, json={"stubbed": True}, status=503)
            for _ in range(3):
                answer = requests.get(search, timeout=5)
                assert (answer.status_code, answer.json()) == (503, {"stubbed": True})
            assert create(fallback_offer).status_code == 201
            assert [c.operation for c in offer_library.calls] == ["create"]
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_deeply_nested_body_fails_the_test_with_the_contract_report(
    suite: pytest.Pytester,
) -> None:
    """A 100,000-deep body gets a 400 and the contract report, not a RecursionError."""
    suite.makepyfile(
        test_client="""
        import requests
        from client import BASE, CONTAINER, HEADERS, SCHEMA

        def test_deep(offer_library):
            headers = {
                **HEADERS,
                "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
                "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
            }
            deep = "[" * 100_000 + "]" * 100_000
            answer = requests.post(f"{BASE}/{CONTAINER}/instances", data=deep, headers=headers, timeout=5)
            assert answer.status_code == 400
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the client broke the Offer Library contract in 1 request:",
            "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
            "  - /body: *256*",
        ],
        consecutive=True,
    )
    assert "RecursionError" not in result.stdout.str()


def test_seeding_and_a_forced_503(suite: pytest.Pytester) -> None:
    """A test seeds offers, then forces a 503 with Retry-After on the next read."""
    suite.makepyfile(
        test_client="""
        import pytest
        import requests
        from client import BASE, CONTAINER, HEADERS

        HAL = {"Accept": "application/vnd.adobe.platform.xcore.hal+json", **HEADERS}

        def test_read(offer_library, fallback_offer):
            instance_id = offer_library.add_fallback_offer(fallback_offer)
            url = f"{BASE}/{CONTAINER}/instances/{instance_id}"
            offer_library.fail_next(503, method="GET", retry_after=2)
            first = requests.get(url, headers=HAL, timeout=5)
            assert (first.status_code, first.headers["Retry-After"]) == (503, "2")
            second = requests.get(url, headers=HAL, timeout=5)
            assert second.json()["_instance"]["xdm:name"] == "Fallback for sales"

        def test_dropped_connection(offer_library):
            offer_library.disconnect_next()
            home = {**HEADERS, "Accept": "application/vnd.adobe.platform.xcore.home.hal+json"}
            with pytest.raises(requests.ConnectionError, match="dropped the connection"):
                requests.get(f"{BASE}/", headers=home, timeout=5)
        """
    )
    suite.runpytest_subprocess().assert_outcomes(passed=2)


def test_a_misspelt_marker_option_fails_loudly(suite: pytest.Pytester) -> None:
    """An unknown marker keyword is one setup error, printed once, naming the options."""
    suite.makepyfile(
        test_client="""
        import pytest

        @pytest.mark.offer_library(create_stauts=200)
        def test_create(offer_library):
            pass
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "@pytest.mark.offer_library: unknown offer_library option 'create_stauts'; the options are "
                "allow_violations, base_url, call_log_size, check_references, container_id, create_status, "
                "delete_body, delete_integrity, delete_pending_polls, delete_status, page_size, "
                "sandbox_isolation, sandboxes, strict"
            )
        ]
    )
    headed = "@pytest.mark.offer_library: unknown offer_library option 'create_stauts'*"
    result.stdout.fnmatch_lines(["*_ ERROR at setup of test_create _*", headed], consecutive=True)
    output = result.stdout.str()
    # One error, once: no copy chained to it through "During handling of the above exception".
    assert output.count("unknown offer_library option 'create_stauts'") == 1
    assert "During handling" not in output


def test_help_fixtures_and_markers_are_registered(suite: pytest.Pytester) -> None:
    """The options group, the fixtures' docs and the marker show where pytest lists them."""
    suite.runpytest_subprocess("--help").stdout.fnmatch_lines(
        ["contract_kit: the Offer Library contract:", "  --offer-library-allow-violations*"]
    )
    suite.runpytest_subprocess("--fixtures").stdout.fnmatch_lines(
        [
            "fallback_offer -- *",
            "    A fresh, valid fallback-offer create body (the seed document's), yours to change.",
            "offer_library -- *",
            "    A fake Offer Library serving requests to https://platform.adobe.io/data/core/xcore/.",
        ]
    )
    suite.runpytest_subprocess("--markers").stdout.fnmatch_lines(
        ["@pytest.mark.offer_library(**options)*"]
    )


def test_disabled_cleanly(suite: pytest.Pytester) -> None:
    """-p no:contract_kit removes the fixtures and leaves the rest of pytest working."""
    suite.makepyfile(test_client="def test_plain():\n    pass\n")
    suite.runpytest_subprocess("-p", "no:contract_kit").assert_outcomes(passed=1)
    result = suite.runpytest_subprocess("-p", "no:contract_kit", "--fixtures")
    assert "offer_library" not in result.stdout.str()


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    """The plugin module loads without requests, responses, jsonschema, hypothesis or schemas."""
    code = (
        "import sys, contract_kit.pytest_plugin\n"
        "heavy = {'requests', 'responses', 'jsonschema', 'referencing', 'hypothesis', 'httpx'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_example_project_as_a_user_runs_it(pytester: pytest.Pytester) -> None:
    """The examples/ client and its tests pass as a project of their own, serially and on 2 workers."""
    examples = Path(__file__).parent.parent / "examples"
    files = [
        *examples.glob("*.py"),
        *examples.glob("payloads/*.json"),
        *examples.glob("cassettes/*"),
    ]
    for source in files:
        target = pytester.path / source.relative_to(examples)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(source.read_bytes())
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=19, xfailed=1)
    pytester.runpytest_subprocess("-n", "2").assert_outcomes(passed=19, xfailed=1)
    shown = pytester.runpytest_subprocess("--runxfail", "-k", "forgotten_api_key")
    shown.assert_outcomes(failed=1)
    shown.stdout.fnmatch_lines(
        [
            "the client broke the Offer Library contract in 1 request:",
            "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
            (
                "  - /headers/x-api-key: a value of 0 characters (hidden) is not an API key (the "
                "client id of the integration: letters, digits, '.', '_' or '-') [api-key]"
            ),
            "",
            "Hint: fix the client code that sends these requests.*",
            "",
            "The test then failed with this error, most likely because of the broken contract above:",
        ],
        consecutive=True,
    )
    shown.stdout.fnmatch_lines(["E*httpx.HTTPStatusError: Client error '403 Forbidden'*"])


def test_the_lifecycle_with_httpx(pytester: pytest.Pytester) -> None:
    """A user's httpx client runs the lifecycle on the fixture's transport."""
    examples = Path(__file__).parent.parent / "examples"
    pytester.makepyfile(offer_client=(examples / "offer_client.py").read_text("utf-8"))
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(
        test_httpx_client="""
        import httpx
        from offer_client import Credentials, OfferLibraryClient

        AUTH = Credentials("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")

        def test_lifecycle(offer_library, fallback_offer):
            with httpx.Client(transport=offer_library.httpx_transport()) as http:
                client = OfferLibraryClient(http, AUTH)
                container = client.decisioning_container()
                receipt = client.create_fallback_offer(container, fallback_offer)
                stored = client.get_offer(container, receipt["instanceId"])
                client.set_status(container, receipt["instanceId"], "draft", etag=stored["repo:etag"])
                assert len(client.search(container, "_instance.xdm:status==draft")) == 1
                client.delete_offer(container, receipt["instanceId"])
                assert client.get_offer_or_none(container, receipt["instanceId"]) is None
            assert [c.response.status for c in offer_library.calls] == [200, 201, 200, 200, 200, 202, 404]
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
