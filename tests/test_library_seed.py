"""offer_library.seed(path): folders of JSON and YAML payloads, kinds told from their content."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from fake_calls import bare

from contract_kit.core.object_kinds import documented_body, kind_of_instance
from contract_kit.fake import OfferLibrary
from contract_kit.fake.errors import SeedError

if TYPE_CHECKING:
    from pathlib import Path

IDS = {
    "offer-placement": "xcore:offer-placement:1457f9322f005194",
    "tag": "xcore:tag:124e147572cd7866",
    "fallback-offer": "xcore:fallback-offer:13c259399d8bf013",
    "offer-filter": "xcore:offer-filter:1457f93227d0b6f0",
}


def _named(kind: str) -> dict[str, Any]:
    return {**bare(documented_body(kind)), "@id": IDS[kind]}


def _yaml(value: dict[str, Any]) -> str:
    """A flat YAML mapping (JSON is YAML: values are written as JSON)."""
    return "".join(f"{json.dumps(key)}: {json.dumps(item)}\n" for key, item in value.items())


def _folder(tmp_path: Path) -> Path:
    """The documented decision and what it names, decision first in file order."""
    (tmp_path / "a-decision.json").write_text(json.dumps(documented_body("offer-activity")))
    (tmp_path / "b-fallback.json").write_text(json.dumps(_named("fallback-offer")))
    (tmp_path / "c-filter.json").write_text(json.dumps(_named("offer-filter")))
    nested = tmp_path / "d-more"
    nested.mkdir()
    (nested / "placement.yaml").write_text(_yaml(_named("offer-placement")))
    (nested / "tag.yml").write_text(_yaml(_named("tag")))
    (tmp_path / "notes.txt").write_text("not a payload")
    return tmp_path


def test_a_folder_is_seeded_in_reference_order(tmp_path: Path) -> None:
    """Every file's kind is told from its content; what is named is stored before its referrer."""
    fake = OfferLibrary()
    ids = fake.seed(_folder(tmp_path))
    kinds = [str(getattr(kind_of_instance(fake.all_instances[i]), "name", "")) for i in ids]
    assert kinds == ["offer-activity", "fallback-offer", "offer-filter", "offer-placement", "tag"]
    dates = {i: fake.all_instances[i]["repo:createdDate"] for i in ids}
    assert sorted(ids, key=dates.__getitem__) == [ids[3], ids[4], ids[1], ids[2], ids[0]]


def test_a_dangling_reference_in_a_file_seeds_nothing(tmp_path: Path) -> None:
    """The SeedError places the reference at file:line:column; the fake is as it was."""
    (tmp_path / "filter.yaml").write_text(
        'xdm:name: "Offer Collection 1"\nxdm:filterType: anyTags\nxdm:ids:\n  - xcore:tag:abc\n'
    )
    (tmp_path / "placement.json").write_text(json.dumps(_named("offer-placement")))
    fake = OfferLibrary()
    with pytest.raises(SeedError) as caught:
        fake.seed(tmp_path)
    where = tmp_path / "filter.yaml"
    assert str(caught.value).splitlines() == [
        f"offer_library.seed({str(tmp_path)!r}): nothing was seeded (1 problem):",
        (
            f"- {where}:4:5: /xdm:ids/0: /xdm:ids/0 names xcore:tag:abc, which is not a tag in "
            "container e0bd8463-0913-4ca1-bd84-6309134ca1f6; create it first (in tests: "
            "offer_library.add(...)) [reference]"
        ),
        "",
        (
            "Hint: fix each file at the place given (contract-kit lint shows the same); nothing was "
            "seeded, so the fake is as it was."
        ),
    ]
    assert len(fake.all_instances) == 1  # the default placement only


def test_unreadable_and_unknown_files_are_placed(tmp_path: Path) -> None:
    """Broken JSON, a body of no kind and a schema error each get their line."""
    (tmp_path / "broken.json").write_text('{"xdm:name": }')
    (tmp_path / "nothing.json").write_text('{"title": "no kind"}')
    (tmp_path / "tag.json").write_text('{\n  "xdm:name": 5\n}')
    with pytest.raises(SeedError) as caught:
        OfferLibrary().seed(tmp_path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"offer_library.seed({str(tmp_path)!r}): nothing was seeded (2 problems):"
    assert lines[1].startswith(f"- {tmp_path / 'broken.json'}:1:")
    assert lines[1].endswith("[json]")
    assert lines[2] == (
        f"- {tmp_path / 'nothing.json'}:1:1: (root): no kind of object has these members; the "
        "kinds are offer-placement, tag, eligibility-rule, personalized-offer, fallback-offer, "
        "offer-filter, offer-activity [kind]"
    )
    (tmp_path / "broken.json").unlink()
    (tmp_path / "nothing.json").unlink()
    with pytest.raises(SeedError, match=r"tag\.json:2:15: /xdm:name: .* \[type\]"):
        OfferLibrary().seed(tmp_path)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    """Seeding nothing is a mistake of the test, said as one."""
    with pytest.raises(SeedError, match=r"no \.json, \.yaml or \.yml file there \[file\]"):
        OfferLibrary().seed(tmp_path)
