"""The documented examples of the six further kinds (issue 13), each at the severity decided.

The create bodies, PATCH bodies and receipts are those the Journey Optimizer "legacy" pages
(AJO) print, verbatim (spec 12-13 §2.1-§2.6, offer-library-kinds.md §3.1); the older
repository tutorial's forms (ENT) and aepctl's rule are the case files that transcribe them.
The ids an example names are placeholders for objects created first: each test creates them
in the fake and puts their ``@id`` in. docs/contract.md, "The object kinds", gives the
decision each outcome follows.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from contract_kit.api.request_check import check_request
from contract_kit.cli import main
from contract_kit.core.checks import violations
from contract_kit.core.object_kinds import object_kind
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary

HOST = "https://platform.adobe.io"
CASES = Path(__file__).parent / "cases"
OM = "https://ns.adobe.com/experience/offer-management/"
CREDENTIALS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123456789ABCDEF01234567@AdobeOrg"),
    ("x-sandbox-name", "prod"),
)
RECEIPT_ACCEPT = ("Accept", "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1")
HAL_ACCEPT = ("Accept", "application/vnd.adobe.platform.xcore.hal+json")

# The AJO create bodies, verbatim (whitespace aside). -------------------------------------------

PLACEMENT = {
    "xdm:name": "Sales Placement",
    "xdm:componentType": f"{OM}content-component-html",
    "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
    "xdm:description": "A test placement to contain offers",
}
TAG = {"xdm:name": "Holiday sales and promotions"}
RULE = {
    "xdm:name": "Sales rule",
    "description": "Decisioning rule for sales",
    "xdm:condition": {
        "xdm:type": "PQL",
        "xdm:format": "pql/text",
        "xdm:value": 'profile.person.name.firstName.equals("Joe", false)',
    },
    "xdm:definedOn": {
        "profile": {
            "xdm:schema": {
                "$ref": "https://ns.adobe.com/xdm/context/profile_union",
                "version": "1",
            },
            "xdm:referencePaths": ["person.name.firstName"],
        }
    },
}
PERSONALIZED = {
    "xdm:name": "Sale offer",
    "xdm:status": "draft",
    "xdm:representations": [
        {
            "xdm:components": [
                {
                    "dc:language": ["en"],
                    "@type": f"{OM}content-component-html",
                    "dc:format": "text/html",
                }
            ],
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
        }
    ],
    "xdm:selectionConstraint": {
        "xdm:startDate": "2023-10-01T16:00:00Z",
        "xdm:endDate": "2021-12-13T16:00:00Z",
        "xdm:eligibilityRule": "xcore:eligibility-rule:124e0faf5b8ee89b",
    },
    "xdm:rank": {"xdm:priority": 1},
    "xdm:cappingConstraint": {"xdm:globalCap": 150},
    "xdm:tags": ["xcore:tag:124e147572cd7866"],
}
COLLECTION = {
    "xdm:name": "Offer Collection 1",
    "xdm:filterType": "anyTags",
    "xdm:ids": ["xcore:tag:124e147572cd7866"],
}
#: The decision page sends the HAL envelope with the schema-instance Content-Type.
DECISION = {
    "_instance": {
        "xdm:name": "Test API",
        "xdm:startDate": "2022-01-20T16:00:00Z",
        "xdm:endDate": "2022-01-27T16:00:00Z",
        "xdm:status": "live",
        "xdm:criteria": [
            {
                "xdm:placements": ["xcore:offer-placement:1457f9322f005194"],
                "xdm:optionSelection": {"xdm:filter": "xcore:offer-filter:1457f93227d0b6f0"},
            }
        ],
        "xdm:fallback": "xcore:fallback-offer:13c259399d8bf013",
    },
    "_links": {},
}
#: The seed page's fallback offer, which the decision needs (issue 12's documented body).
FALLBACK = json.loads((CASES / "fallback-offer/valid/seed-create-body.json").read_text("utf-8"))

OFFER_PLACEMENT = "xcore:offer-placement:124e0be5699743d3"
DECISION_PLACEMENT = "xcore:offer-placement:1457f9322f005194"
#: The placeholder ids each example names, by the kind of the object they stand for.
PLACEHOLDERS = {
    "xcore:offer-placement:124e0be5699743d3": "offer-placement",
    "xcore:tag:124e147572cd7866": "tag",
    "xcore:eligibility-rule:124e0faf5b8ee89b": "eligibility-rule",
    "xcore:offer-filter:1457f93227d0b6f0": "offer-filter",
    "xcore:fallback-offer:13c259399d8bf013": "fallback-offer",
}

#: Each AJO create body and what the contract finds in it, every finding a warning.
DOCUMENTED_CREATES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    ("offer-placement", PLACEMENT, []),
    ("tag", TAG, []),
    ("eligibility-rule", RULE, []),
    (
        "personalized-offer",
        PERSONALIZED,
        [
            # No channel in the representation (spec §2.7 row 4), and the page's end date
            # comes before its start date: the docs' own example, so at most warnings.
            ("/xdm:representations/0/xdm:channel", "recommended"),
            ("/xdm:selectionConstraint/xdm:endDate", "date-range"),
        ],
    ),
    ("offer-filter", COLLECTION, []),
    ("fallback-offer", FALLBACK, []),
    ("offer-activity", DECISION, []),
]

#: The AJO PATCH of each kind, and ENT's patches of a personalized offer (placeholders kept).
DOCUMENTED_PATCHES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "offer-placement",
        "ajo-placement",
        [
            {
                "op": "replace",
                "path": "/_instance/xdm:name",
                "value": "Sales and Promotions Placement",
            },
            {
                "op": "replace",
                "path": "/_instance/xdm:description",
                "value": "A test placement to contain offers of sales and discounts",
            },
        ],
    ),
    (
        "tag",
        "ajo-tag",
        [
            {
                "op": "replace",
                "path": "/_instance/xdm:name",
                "value": "Sales and promotions for the holidays",
            }
        ],
    ),
    (
        "eligibility-rule",
        "ajo-decision-rule",
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "Sales and discounts rule"}],
    ),
    (
        "offer-filter",
        "ajo-collection",
        [
            {"op": "add", "path": "/_instance/xdm:filterType", "value": "anyTags"},
            {"op": "add", "path": "/_instance/xdm:ids", "value": ["xcore:tag:124e147572cd7866"]},
        ],
    ),
    (
        "offer-activity",
        "ajo-decision",
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "Example Activity Name"}],
    ),
    (
        "personalized-offer",
        "ent-selection-constraint",
        [
            {
                "op": "replace",
                "path": "/_instance/xdm:selectionConstraint",
                "value": {
                    "xdm:startDate": "2019-06-13T00:00:00.000Z",
                    "xdm:endDate": "2019-07-13T00:00:00.000Z",
                },
            }
        ],
    ),
    (
        "personalized-offer",
        "ent-capping-constraint",
        [
            {
                "op": "add",
                "path": "/_instance/xdm:cappingConstraint",
                "value": {"xdm:globalCap": 1000000, "xdm:profileCap": 5},
            }
        ],
    ),
    (
        "personalized-offer",
        "ent-eligibility-rule",
        [
            {
                "op": "replace",
                "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
                "value": "xcore:eligibility-rule:f84c6b33cc63c65",
            }
        ],
    ),
    (
        "personalized-offer",
        "ent-priority",
        [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 0}],
    ),
    (
        "personalized-offer",
        "ent-add-tag",
        [{"op": "add", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:f66f677ad3c0ba7"}],
    ),
]
#: ENT's patches name a rule and a tag of their own: more placeholders.
PATCH_PLACEHOLDERS = {
    "xcore:eligibility-rule:f84c6b33cc63c65": "eligibility-rule",
    "xcore:tag:f66f677ad3c0ba7": "tag",
}

#: AJO's personalized-offer PATCH: it adds a text representation on the same placement.
PERSONALIZED_PATCH = [
    {
        "op": "add",
        "path": "/_instance/xdm:representations/-",
        "value": {
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
            "xdm:components": [
                {
                    "@type": f"{OM}content-component-text",
                    "dc:format": "text/plain",
                    "dc:language": ["en"],
                    "xdm:content": "Here is your first sale offer!",
                }
            ],
        },
    }
]

#: The receipt ``@id`` each AJO create page prints.
RECEIPT_IDS = {
    "personalized-offer": "xcore:personalized-offer:124e181c8b0d7878",
    "offer-placement": "xcore:offer-placement:124e0be5699743d3",
    "offer-filter": "xcore:offer-filter:124e3594ce8b4930",
    "eligibility-rule": "xcore:eligibility-rule:124e0faf5b8ee89b",
    "tag": "xcore:tag:124e147572cd7866",
    "offer-activity": "xcore:offer-activity:124b79dc3ce2d720",
}


def _create_type(kind: str, spaces: str = "  ") -> str:
    """The AJO pages' create Content-Type: two spaces after ``version=1;`` (the tag page, one)."""
    entry = object_kind(kind)
    schema = f"{entry.schema_id};version={entry.request_version}"
    return f'application/schema-instance+json; version=1;{spaces}schema="{schema}"'


def _patch_type(kind: str) -> str:
    entry = object_kind(kind)
    schema = f"{entry.schema_id};version={entry.request_version}"
    return f'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{schema}"'


def _filled(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with every placeholder id replaced by the id of the object made for it."""
    text = json.dumps(value)
    for placeholder, made in ids.items():
        text = text.replace(f'"{placeholder}"', f'"{made}"')
    return json.loads(text)


def _pairs(found: list[Any]) -> list[tuple[str, str]]:
    return sorted((v.pointer, v.rule) for v in found)


class Library:
    """A fake Offer Library driven over its HTTP surface, as a client would drive it."""

    def __init__(self) -> None:
        self.fake = OfferLibrary()
        self.ids: dict[str, str] = {}

    def send(
        self, method: str, path: str, headers: tuple[tuple[str, str], ...], body: object = None
    ) -> tuple[FakeResponse, list[tuple[str, str]]]:
        """The answer to one call and the sorted (pointer, rule) pairs recorded for it."""
        data = b"" if body is None else json.dumps(body).encode()
        url = f"{HOST}/data/core/xcore/{self.fake.container_id}{path}"
        response = self.fake.handle(FakeRequest(method, url, (*CREDENTIALS, *headers), data))
        return response, _pairs(list(self.fake.calls[-1].violations))

    def create(self, kind: str, body: object) -> tuple[FakeResponse, list[tuple[str, str]]]:
        """POST ``body`` (placeholders filled) as the AJO page does."""
        content_type = ("Content-Type", _create_type(kind))
        return self.send("POST", "/instances", (RECEIPT_ACCEPT, content_type), self.fill(body))

    def made(self, kind: str, body: object) -> dict[str, Any]:
        """Create ``body`` and return its receipt; the creation must succeed."""
        response, _ = self.create(kind, body)
        assert response.status == 201, response.body
        receipt: dict[str, Any] = response.json()
        return receipt

    def fill(self, value: object) -> Any:
        """``value`` with the placeholders stood in for so far filled."""
        return _filled(value, self.ids)

    def stand_in(self, placeholders: dict[str, str]) -> None:
        """Create an object of the right kind for each placeholder not yet stood in for."""
        stand_ins = {
            "offer-placement": PLACEMENT,
            "tag": TAG,
            "eligibility-rule": RULE,
            "offer-filter": COLLECTION,
            "fallback-offer": FALLBACK,
        }
        for placeholder, kind in placeholders.items():
            if placeholder in self.ids:
                continue
            body = copy.deepcopy(stand_ins[kind])
            # Tag names are unique and a reused offer name warns: each stand-in has its own.
            body["xdm:name"] = f"{body['xdm:name']} ({placeholder[-4:]})"
            self.ids[placeholder] = self.made(kind, body)["@id"]


@pytest.fixture
def library() -> Library:
    """A fake holding the objects the documented examples name, placeholders mapped to them."""
    made = Library()
    made.stand_in(PLACEHOLDERS)
    # The decision's placement is the fallback's, so the fallback can render in it.
    made.ids[DECISION_PLACEMENT] = made.ids[OFFER_PLACEMENT]
    return made


# The create bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "expected"), DOCUMENTED_CREATES, ids=[k for k, _, _ in DOCUMENTED_CREATES]
)
def test_documented_create_body_keeps_the_contract(
    library: Library, kind: str, body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """Each AJO create body, its ids filled, breaks no rule, or only the warnings decided."""
    found = violations(kind, library.fill(body))
    assert _pairs(found) == expected
    assert all(v.severity == "warning" for v in found)


@pytest.mark.parametrize(
    ("kind", "body", "expected"), DOCUMENTED_CREATES, ids=[k for k, _, _ in DOCUMENTED_CREATES]
)
def test_documented_create_call_keeps_the_contract(
    library: Library, kind: str, body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """The whole create call as the page prints it (headers, body) passes check_request."""
    headers = {
        **dict(CREDENTIALS),
        "Accept": RECEIPT_ACCEPT[1],
        "Content-Type": _create_type(kind, " " if kind == "tag" else "  "),
    }
    url = f"{HOST}/data/core/xcore/{library.fake.container_id}/instances"
    found = check_request("POST", url, headers, library.fill(body))
    prefix = "/body/_instance" if "_instance" in body else "/body"
    assert _pairs(found) == [(prefix + pointer, rule) for pointer, rule in expected]


@pytest.mark.parametrize(
    ("kind", "body", "expected"), DOCUMENTED_CREATES, ids=[k for k, _, _ in DOCUMENTED_CREATES]
)
def test_the_fake_creates_each_documented_body(
    library: Library, kind: str, body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """The fake answers 201 with a receipt of the kind and records the decided warnings."""
    response, recorded = library.create(kind, body)
    assert response.status == 201, response.body
    prefix = "/body/_instance" if "_instance" in body else "/body"
    assert recorded == [(prefix + pointer, rule) for pointer, rule in expected]
    receipt = response.json()
    assert receipt["@id"].startswith(object_kind(kind).id_prefix)
    assert _pairs(violations("receipt", receipt)) == []
    read, _ = library.send("GET", f"/instances/{receipt['instanceId']}", (HAL_ACCEPT,))
    assert read.json()["_instance"]["xdm:name"] == body.get("_instance", body)["xdm:name"]
    assert _pairs(violations(f"{kind}-instance", read.json())) == [
        ("/_instance" + pointer, rule) for pointer, rule in expected
    ]


def test_the_documented_examples_build_one_library_in_order() -> None:
    """Placement, tag, rule, offer, collection, fallback, decision: each names the ones before."""
    library = Library()
    placement = library.made("offer-placement", PLACEMENT)["@id"]
    library.ids[OFFER_PLACEMENT] = placement
    library.ids[DECISION_PLACEMENT] = placement
    library.ids["xcore:tag:124e147572cd7866"] = library.made("tag", TAG)["@id"]
    library.ids["xcore:eligibility-rule:124e0faf5b8ee89b"] = library.made("eligibility-rule", RULE)[
        "@id"
    ]
    offer = library.made("personalized-offer", PERSONALIZED)
    library.ids["xcore:offer-filter:1457f93227d0b6f0"] = library.made("offer-filter", COLLECTION)[
        "@id"
    ]
    library.ids["xcore:fallback-offer:13c259399d8bf013"] = library.made("fallback-offer", FALLBACK)[
        "@id"
    ]
    response, recorded = library.create("offer-activity", DECISION)
    assert (response.status, recorded) == (201, [])
    stored = library.fake.instances_of("personalized-offer")[offer["instanceId"]]["_instance"]
    assert stored["xdm:representations"][0]["xdm:placement"] == placement


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("tag", "tag/valid/ent-credit-card.json"),
        ("eligibility-rule", "eligibility-rule/valid/ent-free-flight-upgrade.json"),
    ],
    ids=["ent-tag", "ent-rule-fixed"],
)
def test_ents_valid_forms(kind: str, path: str) -> None:
    """ENT's tag, and its multi-line rule with the raw newlines escaped, break no rule."""
    assert violations(kind, json.loads((CASES / path).read_text("utf-8"))) == []


@pytest.mark.parametrize(
    ("kind", "path", "expected"),
    [
        (
            "offer-placement",
            "offer-placement/valid/ent-kiosk-placement.json",
            [("/xdm:channel", "legacy-form")],
        ),
        ("offer-filter", "offer-filter/valid/ent-all-tags.json", [("/ids", "legacy-form")]),
        ("offer-filter", "offer-filter/valid/ent-offers.json", [("/ids", "legacy-form")]),
        (
            "offer-activity",
            "offer-activity/valid/ent-flat-form.json",
            [("/xdm:filter", "legacy-form"), ("/xdm:placement", "legacy-form")],
        ),
        (
            "eligibility-rule",
            "eligibility-rule/invalid/unprefixed-condition.json",
            [("/condition", "legacy-form")],
        ),
    ],
    ids=["ent-kiosk-placement", "ent-all-tags", "ent-offers", "ent-flat-decision", "aepctl-rule"],
)
def test_older_documented_forms_are_legacy_form_warnings(
    kind: str, path: str, expected: list[tuple[str, str]]
) -> None:
    """ENT's older channel, `ids` and flat decision, and aepctl's unprefixed rule: warnings."""
    loaded = json.loads((CASES / path).read_text("utf-8"))
    found = violations(kind, loaded.get("instance", loaded) if "violations" in loaded else loaded)
    assert _pairs(found) == expected
    assert all(v.severity == "warning" for v in found)


def test_ents_rule_as_printed_is_not_json() -> None:
    """ENT prints its PQL over several lines inside the string: as printed, `json` (error)."""
    fixed = json.loads((CASES / "eligibility-rule/valid/ent-free-flight-upgrade.json").read_text())
    printed = json.dumps(fixed, indent=2).replace("\\n", "\n")
    headers = {**dict(CREDENTIALS), "Accept": RECEIPT_ACCEPT[1]}
    headers["Content-Type"] = _create_type("eligibility-rule")
    url = f"{HOST}/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
    assert _pairs(check_request("POST", url, headers, printed.encode())) == [("/body", "json")]


def test_the_decision_pages_header_table_content_type_is_refused() -> None:
    """The decision page's header table says application/json: no schema, so `content-type`."""
    headers = {**dict(CREDENTIALS), "Accept": RECEIPT_ACCEPT[1], "Content-Type": "application/json"}
    url = f"{HOST}/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
    found = check_request("POST", url, headers, DECISION)
    assert _pairs(found) == [("/headers/content-type", "content-type")]
    assert all(v.is_error for v in found)


# The PATCH bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "patch"),
    [(kind, patch) for kind, _, patch in DOCUMENTED_PATCHES],
    ids=[name for _, name, _ in DOCUMENTED_PATCHES],
)
def test_documented_patch_call_keeps_the_contract(
    library: Library, kind: str, patch: list[dict[str, Any]]
) -> None:
    """Each documented PATCH, sent with the patch.hal type and version=1, breaks no rule."""
    headers = {**dict(CREDENTIALS), "Accept": RECEIPT_ACCEPT[1], "Content-Type": _patch_type(kind)}
    url = f"{HOST}/data/core/xcore/{library.fake.container_id}/instances/b3966680-13ec-11eb-9c20-8323709cfc65"
    assert check_request("PATCH", url, headers, library.fill(patch)) == []


@pytest.mark.parametrize(
    ("kind", "patch"),
    [(kind, patch) for kind, _, patch in DOCUMENTED_PATCHES],
    ids=[name for _, name, _ in DOCUMENTED_PATCHES],
)
def test_the_fake_applies_each_documented_patch(
    library: Library, kind: str, patch: list[dict[str, Any]]
) -> None:
    """Applied to its kind's documented create, each PATCH answers 200 and the etag moves to 2."""
    library.stand_in(PATCH_PLACEHOLDERS)
    body = next(b for k, b, _ in DOCUMENTED_CREATES if k == kind)
    if kind == "personalized-offer":  # mended: the page's end date comes before its start
        body = _filled(body, {"2021-12-13T16:00:00Z": "2024-12-13T16:00:00Z"})
    created = library.made(kind, body)
    headers = (RECEIPT_ACCEPT, ("Content-Type", _patch_type(kind)))
    path = f"/instances/{created['instanceId']}"
    response, recorded = library.send("PATCH", path, headers, library.fill(patch))
    assert response.status == 200, response.body
    assert response.json()["repo:etag"] == 2
    assert not [pair for pair in recorded if not pair[0].startswith("/patched")]


def test_the_personalized_patch_pages_content_type_repeats_its_name() -> None:
    """The page writes "Content-Type: Content-Type: ..." as the value: `content-type` (error)."""
    value = f"Content-Type: {_patch_type('personalized-offer')}"
    headers = {**dict(CREDENTIALS), "Accept": RECEIPT_ACCEPT[1], "Content-Type": value}
    url = f"{HOST}/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances/b3966680-13ec-11eb-9c20-8323709cfc65"
    assert _pairs(check_request("PATCH", url, headers, PERSONALIZED_PATCH)) == [
        ("/headers/content-type", "content-type")
    ]
    headers["Content-Type"] = _patch_type("personalized-offer")
    assert check_request("PATCH", url, headers, PERSONALIZED_PATCH) == []


def test_the_personalized_patch_on_the_create_example_repeats_a_placement(
    library: Library,
) -> None:
    """The docs' create and PATCH combined give two representations on one placement: 400."""
    created = library.made("personalized-offer", PERSONALIZED)
    headers = (RECEIPT_ACCEPT, ("Content-Type", _patch_type("personalized-offer")))
    path = f"/instances/{created['instanceId']}"
    response, _ = library.send("PATCH", path, headers, library.fill(PERSONALIZED_PATCH))
    assert response.status == 400
    refused = [(v["pointer"], v["rule"]) for v in response.json()["report"]["violations"]]
    assert refused == [("/_instance/xdm:representations/1/xdm:placement", "duplicate-placement")]
    stored = library.fake.instances_of("personalized-offer")[created["instanceId"]]
    assert (len(stored["_instance"]["xdm:representations"]), stored["repo:etag"]) == (1, 1)


# The receipts ---------------------------------------------------------------------------------


def _receipt(at_id: str) -> dict[str, Any]:
    """A create receipt as the AJO pages print it: the nine members, ``@id`` as shown."""
    return {
        "instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65",
        "@id": at_id,
        "repo:etag": 1,
        "repo:createdDate": "2023-10-21T22:28:11.111732Z",
        "repo:lastModifiedDate": "2023-10-21T22:28:11.111732Z",
        "repo:createdBy": "{CREATED_BY}",
        "repo:lastModifiedBy": "{MODIFIED_BY}",
        "repo:createdByClientId": "{CREATED_CLIENT_ID}",
        "repo:lastModifiedByClientId": "{MODIFIED_CLIENT_ID}",
    }


@pytest.mark.parametrize(("kind", "at_id"), RECEIPT_IDS.items(), ids=list(RECEIPT_IDS))
def test_documented_receipt_of_each_kind_is_valid(kind: str, at_id: str) -> None:
    """The receipt of every kind's create page passes: the receipt takes any kind's `@id`."""
    assert at_id.startswith(object_kind(kind).id_prefix)
    assert violations("receipt", _receipt(at_id)) == []


def test_the_collection_pages_receipt_lacks_its_instance_id() -> None:
    """The collection page prints its receipt without instanceId: a `required` error (doc defect)."""
    receipt = _receipt(RECEIPT_IDS["offer-filter"])
    del receipt["instanceId"]
    found = violations("receipt", receipt)
    assert _pairs(found) == [("/instanceId", "required")]
    assert all(v.is_error for v in found)


# Lint, with the kind told from the content -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "expected"), DOCUMENTED_CREATES, ids=[k for k, _, _ in DOCUMENTED_CREATES]
)
def test_lint_tells_each_documented_body_apart_and_reports_the_same(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    body: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    """Lint with no --kind infers each body's kind and reports what violations() does; exit 0."""
    (folder / f"{kind}.json").write_text(json.dumps(body, indent=2), "utf-8")
    exit_code = main(["lint", "--format", "json", f"{kind}.json"])
    findings = json.loads(capsys.readouterr().out)
    prefix = "/_instance" if "_instance" in body else ""
    assert (exit_code, sorted((f["pointer"], f["rule"], f["level"]) for f in findings)) == (
        0,
        [(prefix + pointer, rule, "warning") for pointer, rule in expected],
    )
