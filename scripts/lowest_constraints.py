"""Print pip constraints pinning every runtime and test dependency to its range's lowest version.

CI installs contract_kit with these (``pip install -c``) in a venv of its own and runs the
suite, so the lower bound of each range in pyproject.toml is a tested claim; the ordinary
install tests the highest. A range without a lower bound is an error: it cannot be tested.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)")
_LOWER = re.compile(r">=\s*([0-9][^,\s]*)")


def lowest(requirements: list[str]) -> list[str]:
    """``name==lower`` for each requirement; a requirement without ``>=`` raises SystemExit."""
    pins = []
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match is None:
            raise SystemExit(f"cannot read requirement {requirement!r}")
        name, spec = match.groups()
        if name.replace("_", "-").lower() == "contract-kit":
            continue
        bound = _LOWER.search(spec)
        if bound is None:
            raise SystemExit(f"{requirement!r} has no lower bound (>=) to test")
        pins.append(f"{name}=={bound.group(1)}")
    return pins


def main() -> None:
    """Read pyproject.toml next to this folder; print the runtime and ``test`` extra pins."""
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    extras = project["project"]["optional-dependencies"]
    requirements = [*project["project"]["dependencies"], *extras["test"], *extras["httpx"]]
    sys.stdout.write("".join(f"{pin}\n" for pin in dict.fromkeys(lowest(requirements))))


if __name__ == "__main__":
    main()
