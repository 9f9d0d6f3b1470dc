"""serve --seed: a body or stored instance of every stored kind, checked as lint and as a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from contract_kit.cli import _serve_seeds
from contract_kit.lint.examples import example

if TYPE_CHECKING:
    import pytest

CASES = Path(__file__).parent / "lint_cases"


def test_a_body_and_a_stored_instance_are_seeded_as_their_kind(tmp_path: Path) -> None:
    """A tag's body and a placement's stored instance become seeds of their kinds."""
    (tmp_path / "a-tag.json").write_text(json.dumps(example("tag")), "utf-8")
    placement = example("offer-placement-instance")
    (tmp_path / "b-placement.json").write_text(json.dumps(placement), "utf-8")
    seeds = _serve_seeds([str(tmp_path)])
    assert seeds is not None
    assert [(seed.kind, seed.body) for seed in seeds] == [
        ("tag", example("tag")),
        ("offer-placement", placement),
    ]


def test_a_name_twice_in_the_batch_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two tags of one name, one as a body and one stored, cannot be seeded together."""
    (tmp_path / "a-tag.json").write_text(json.dumps(example("tag")), "utf-8")
    (tmp_path / "b-tag.json").write_text(json.dumps(example("tag-instance")), "utf-8")
    assert _serve_seeds([str(tmp_path)]) is None
    assert capsys.readouterr().err.splitlines()[0] == (
        f"contract-kit serve: error: {tmp_path / 'b-tag.json'}:1:506: a tag named "
        '"Holiday sales and promotions" exists already; tag names are unique [unique-name]'
    )


def test_a_dangling_reference_is_placed_and_nothing_is_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A decision whose placement, collection and fallback are not seeded too is refused."""
    shutil.copy(CASES / "offer-activity" / "valid" / "bare-body.yaml", tmp_path / "decision.yaml")
    assert _serve_seeds([str(tmp_path)]) is None
    lines = capsys.readouterr().err.splitlines()
    where = f"contract-kit serve: error: {tmp_path / 'decision.yaml'}"
    assert [line.split(" names ", 1)[0] for line in lines[:-1]] == [
        f"{where}:7:22: /xdm:criteria/0/xdm:placements/0",
        f"{where}:9:19: /xdm:criteria/0/xdm:optionSelection/xdm:filter",
        f"{where}:10:15: /xdm:fallback",
    ]
    assert all(line.endswith("[reference]") for line in lines[:-1])
    assert lines[-1] == (
        "contract-kit serve: nothing was served: fix the --seed files above (they are checked "
        "together, as one batch: what an object names must be seeded too)"
    )


def test_a_patch_is_no_object_to_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file of a kind the Offer Library does not store is refused by name."""
    patch = tmp_path / "patch.json"
    patch.write_text('[{"op": "replace", "path": "/_instance/xdm:name", "value": "n"}]\n')
    assert _serve_seeds([str(patch)]) is None
    assert capsys.readouterr().err.splitlines()[0] == (
        f"contract-kit serve: error: {patch}:1:1: a fallback-offer-patch cannot be seeded: "
        "serve seeds the bodies and stored instances of the kinds the Offer Library stores [kind]"
    )
