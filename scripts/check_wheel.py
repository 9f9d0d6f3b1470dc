"""Check an installed contract_kit from outside the repository: every schema loads and works.

CI runs this in a clean venv holding only the built wheel, so a schema left out of the wheel,
or a package-data mistake, fails here rather than in a user's environment.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from importlib.metadata import entry_points
from pathlib import Path

import contract_kit
from contract_kit.core.examples import fallback_offer_body
from contract_kit.core.schema_check import validator_for

#: Modules a user brings when they use the part of contract_kit that needs them.
OPTIONAL = frozenset({"httpx"})


def main() -> int:
    """Fail (exit 1) unless the installed package is complete and works.

    The first argument is the repository's schemas/ folder: every file there must be in the wheel.
    """
    location = Path(contract_kit.__file__).resolve()
    if "site-packages" not in location.parts:
        print(f"contract_kit was imported from {location}, not from an installed wheel")
        return 1
    repository = Path(sys.argv[1]).parent / "contract_kit"
    wanted = {
        ".".join(("contract_kit", *p.relative_to(repository).with_suffix("").parts))
        for p in repository.rglob("*.py")
    }
    shipped = {"contract_kit"} | {
        module.name for module in pkgutil.walk_packages(contract_kit.__path__, "contract_kit.")
    }
    wanted = {name.removesuffix(".__init__") for name in wanted}
    missing = sorted(wanted - shipped)
    if missing:
        print(f"modules of the repository missing from the wheel: {', '.join(missing)}")
        return 1
    # Every module imports with the wheel's dependencies alone, or needs only httpx (a client
    # library users bring; the fake's httpx transport is for them). __main__ would run the CLI.
    for name in sorted(shipped - {"contract_kit.__main__"}):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name not in OPTIONAL:
                print(f"{name} does not import from the wheel: {error}")
                return 1
    expected = tuple(
        sorted(p.name.removesuffix(".schema.json") for p in Path(sys.argv[1]).glob("*.schema.json"))
    )
    if contract_kit.kinds() != expected:
        print(f"the wheel holds kinds {contract_kit.kinds()}, the repository {expected}")
        return 1
    plugins = [e.value for e in entry_points(group="pytest11") if e.name == "contract_kit"]
    if plugins != ["contract_kit.pytest_plugin"]:
        print(f"the pytest11 entry point is {plugins}, expected contract_kit.pytest_plugin")
        return 1
    for kind in contract_kit.kinds():
        validator_for(kind)
        print(f"{kind}: schema {contract_kit.load_schema(kind)['$id']} loads")
    seed = fallback_offer_body()
    contract_kit.assert_valid("fallback-offer", seed)
    broken = dict(seed, **{"xdm:status": "live"})
    if [v.rule for v in contract_kit.violations("fallback-offer", broken)] != ["status"]:
        print("a broken payload was not reported")
        return 1
    print(f"the documented example validates with contract_kit from {location.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
