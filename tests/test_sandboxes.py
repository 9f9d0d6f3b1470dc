"""Sandboxes: x-sandbox-name picks one, each has its own container, a mismatch is a warning."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from typing import Any

import pytest
from fake_calls import CREATE_TYPE, CREDENTIALS, DEV, HAL, RECEIPT, ROOT, SCHEMA

from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary, OfferLibraryOptions
from contract_kit.fake.server import serve
from contract_kit.fake.store import DEFAULT_CONTAINER, new_container_id

IN_DEV = ("x-sandbox-name", "dev")
MISMATCH = (
    "x-sandbox-name names prod (absent means prod), but container "
    f"{DEV} belongs to sandbox dev; the service resolved such calls by container in a recorded "
    "client, other Platform APIs would not: send x-sandbox-name: dev"
)


def _send(
    fake: OfferLibrary, method: str, url: str, *headers: tuple[str, str], body: object = None
) -> FakeResponse:
    data = b"" if body is None else json.dumps(body).encode()
    return fake.handle(FakeRequest(method, url, (*CREDENTIALS, *headers), data))


def _create(
    fake: OfferLibrary, container: str, body: dict[str, Any], *headers: tuple[str, str]
) -> str:
    url = f"{ROOT}/{container}/instances"
    response = _send(fake, "POST", url, RECEIPT, CREATE_TYPE, *headers, body=body)
    assert response.status == 201, response.body
    return str(response.json()["instanceId"])


def _lookup(fake: OfferLibrary, container: str, *headers: tuple[str, str]) -> FakeResponse:
    return _send(fake, "GET", f"{ROOT}/{container}/instances?schema={SCHEMA}", HAL, *headers)


def _found(fake: OfferLibrary) -> list[tuple[str, str, str]]:
    return [(v.pointer, v.rule, v.message) for _, v in fake.violations]


def _two() -> OfferLibrary:
    return OfferLibrary(OfferLibraryOptions(sandboxes={"prod": DEFAULT_CONTAINER, "dev": DEV}))


def test_stored_instances_show_the_sandbox_of_their_container(seed_body: dict[str, Any]) -> None:
    """A create in dev with x-sandbox-name dev reads back dev; one in prod without a header, prod."""
    fake = _two()
    in_dev = _create(fake, DEV, seed_body, IN_DEV)
    in_prod = _create(fake, DEFAULT_CONTAINER, seed_body)
    dev_page = _lookup(fake, DEV, IN_DEV).json()["_embedded"]["results"]
    assert [(r["instanceId"], r["sandboxName"]) for r in dev_page] == [(in_dev, "dev")]
    prod_page = _lookup(fake, DEFAULT_CONTAINER).json()["_embedded"]["results"]
    assert [(r["instanceId"], r["sandboxName"]) for r in prod_page] == [(in_prod, "prod")]
    assert list(fake.instances) == [in_prod]  # instances shows prod's container
    assert _found(fake) == []


def test_a_call_to_another_sandboxes_container_is_answered_with_a_warning(
    seed_body: dict[str, Any],
) -> None:
    """The previewer's calls send no x-sandbox-name to sandbox1's container: 200, recorded."""
    fake = _two()
    stored = _create(fake, DEV, seed_body, IN_DEV)
    response = _lookup(fake, DEV)
    assert response.status == 200
    assert [r["instanceId"] for r in response.json()["_embedded"]["results"]] == [stored]
    assert _found(fake) == [("/headers/x-sandbox-name", "sandbox-mismatch", MISMATCH)]
    assert fake.violations[0][1].severity == "warning"


def test_a_sandbox_the_fake_does_not_hold_is_a_mismatch_too() -> None:
    """x-sandbox-name stage names no sandbox here: the container answers, with the warning."""
    fake = _two()
    assert _lookup(fake, DEFAULT_CONTAINER, ("x-sandbox-name", "stage")).status == 200
    [(_, found)] = fake.violations
    assert found.message.startswith("x-sandbox-name names stage (absent means prod), but ")


def test_strict_sandbox_isolation_answers_404() -> None:
    """sandbox_isolation="strict" refuses a call to another sandbox's container, as other APIs."""
    fake = OfferLibrary(OfferLibraryOptions(sandboxes={"dev": DEV}, sandbox_isolation="strict"))
    response = _lookup(fake, DEV)
    assert response.status == 404
    assert response.json()["detail"] == f"container {DEV} is not in sandbox prod"
    assert _lookup(fake, DEV, IN_DEV).status == 200


def test_each_container_has_its_own_instances(seed_body: dict[str, Any]) -> None:
    """An instance of dev's container is not found through prod's, and one @id may be reused."""
    fake = _two()
    stored = _create(fake, DEV, {**seed_body, "@id": "xcore:fallback-offer:1234"}, IN_DEV)
    url = f"{ROOT}/{DEFAULT_CONTAINER}/instances/{stored}"
    assert _send(fake, "GET", url, HAL).status == 404
    _create(fake, DEFAULT_CONTAINER, {**seed_body, "@id": "xcore:fallback-offer:1234"})  # 201


def test_add_sandbox_and_container_of(seed_body: dict[str, Any]) -> None:
    """add_sandbox gives a container (a stable id by default); container_of finds it by name."""
    fake = OfferLibrary()
    assert fake.add_sandbox("dev") == new_container_id("dev") == fake.container_of("dev")
    assert fake.add_sandbox("qa", DEV.upper()) == DEV
    assert fake.container_of("prod") == DEFAULT_CONTAINER
    _create(fake, DEV, seed_body, ("x-sandbox-name", "qa"))  # the default placement is there
    fake.reset()
    with pytest.raises(KeyError, match=r"the fake holds no sandbox 'qa'; it holds prod \(see"):
        fake.container_of("qa")


@pytest.mark.parametrize(
    ("name", "container_id", "message"),
    [
        ("prod", None, f"sandbox 'prod' exists already, with container {DEFAULT_CONTAINER}"),
        (
            "dev",
            DEFAULT_CONTAINER,
            (
                f"container {DEFAULT_CONTAINER} belongs to sandbox 'prod' already; a container "
                "belongs to one sandbox: give another id, or none for a new one"
            ),
        ),
        (
            "Dev",
            None,
            (
                "sandbox name 'Dev': expected a name as x-sandbox-name sends it, in lower case "
                'with digits and inner dashes, such as "prod" or "dev-1"'
            ),
        ),
        (
            "dev",
            "C",
            (
                "container id 'C' of sandbox 'dev': expected a UUID such as "
                f"'{DEFAULT_CONTAINER}', or none for a new one"
            ),
        ),
    ],
)
def test_add_sandbox_refuses_what_cannot_be(
    name: str, container_id: str | None, message: str
) -> None:
    """A sandbox twice, a container of two sandboxes, a bad name or id: ValueError, saying so."""
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the whole message is pinned below
        OfferLibrary().add_sandbox(name, container_id)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"container_id": DEV, "sandboxes": {"prod": DEFAULT_CONTAINER}},
            (
                f"offer_library options container_id='{DEV}' and sandboxes['prod']="
                f"'{DEFAULT_CONTAINER}' disagree; give prod's container once"
            ),
        ),
        (
            {"sandboxes": {"dev": DEFAULT_CONTAINER}},
            (
                "offer_library option sandboxes: two sandboxes name the same container; a "
                "container belongs to one sandbox"
            ),
        ),
        (
            {"sandbox_isolation": "none"},
            "offer_library option sandbox_isolation='none': expected one of 'warn', 'strict'",
        ),
    ],
)
def test_sandbox_options_that_disagree_are_refused(options: dict[str, Any], message: str) -> None:
    """Options naming prod's container twice, or one container twice, fail loudly."""
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the whole message is pinned below
        OfferLibraryOptions(**options)
    assert str(caught.value) == message


def test_the_marker_names_the_sandboxes(pytester: pytest.Pytester) -> None:
    """@pytest.mark.offer_library(sandboxes=...) gives the fixture those sandboxes."""
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.offer_library(sandboxes={{"prod": "{DEFAULT_CONTAINER}", "dev": "{DEV}"}})
        def test_sandboxes(offer_library):
            assert offer_library.container_of("dev") == "{DEV}"
            assert offer_library.container_id == "{DEFAULT_CONTAINER}"
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_serve_refuses_a_sandbox_given_twice(capsys: pytest.CaptureFixture[str]) -> None:
    """The server names the repeated --sandbox and exits 2 before listening."""
    assert serve(sandboxes=[("dev", None), ("dev", DEV)]) == 2
    assert capsys.readouterr().err == (
        "contract-kit serve: error: --sandbox dev is given twice; give each sandbox once\n"
    )


def test_a_bad_sandbox_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--sandbox with an upper-case name is refused by the parser, saying what a name is."""
    from contract_kit.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["serve", "--sandbox", "Dev=x"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "contract-kit serve: error: argument --sandbox: sandbox name 'Dev': expected a name as "
        'x-sandbox-name sends it, in lower case with digits and inner dashes, such as "prod" or '
        '"dev-1"'
    )


def test_the_command_serves_the_sandboxes_it_is_given() -> None:
    """`contract-kit serve --sandbox dev=ID` lists prod's and dev's containers over HTTP."""
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", "0", "--sandbox"]
    with subprocess.Popen(
        [*command, f"dev={DEV}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as server:
        try:
            assert server.stdout is not None
            base = server.stdout.readline().strip().removeprefix("http://")
            connection = http.client.HTTPConnection(base, timeout=30)
            headers = dict((*CREDENTIALS, ("Accept", "*/*")))
            query = "/data/core/xcore/?property=_instance.parentName==dev"
            connection.request("GET", query, headers=headers)
            listed = json.loads(connection.getresponse().read())
            connection.close()
        finally:
            server.terminate()
    [container] = listed["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    assert (container["instanceId"], container["_instance"]["parentName"]) == (DEV, "dev")
