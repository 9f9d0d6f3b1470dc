"""The OpenAPI document has the decision call, in both path forms, and stays valid OpenAPI."""

from __future__ import annotations

from openapi_spec_validator import validate

from contract_kit.lint.examples import example
from contract_kit.openapi.document import openapi_document
from contract_kit.openapi.served import served_document

REQUEST = "https://ns.adobe.com/experience/offer-management/decision-request;version=1.0"
PATHS = ("/data/core/ode/{CONTAINER_ID}/decisions", "/data/core/ods/decisions")


def test_both_decision_paths_are_operations_of_their_own_tag() -> None:
    """The decide and decide-ods operations are POSTs tagged decisioning, sending the decision request."""
    document = openapi_document(example)
    for path, name in zip(PATHS, ("decide", "decide-ods"), strict=True):
        operation = document["paths"][path]["post"]
        assert (operation["operationId"], operation["tags"]) == (name, ["decisioning"])
        assert list(operation["requestBody"]["content"]) == [
            f'application/vnd.adobe.xdm+json; schema="{REQUEST}"',
            "application/json",
        ]
        answer = operation["responses"]["200"]["content"]
        assert answer["application/vnd.adobe.xdm+json"]["schema"] == {
            "$ref": "#/components/schemas/decision-response"
        }


def test_the_document_with_the_decision_call_is_valid_openapi() -> None:
    """With and without examples, and as serve publishes it with the control plane."""
    validate(openapi_document(example))
    validate(openapi_document())
    served = served_document(example)(
        "http://127.0.0.1:8080",
        "e0bd8463-0913-4ca1-bd84-6309134ca1f6",
        ["xcore:offer-placement:124e0be5699743d3"],
    )
    validate(served)
    assert {
        "/_contract-kit/profiles/{namespace}/{id}",
        "/_contract-kit/decisions/{propositionId}",
    } <= set(served["paths"])
