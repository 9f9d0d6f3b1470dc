"""The errors contract_kit raises for mistakes in how it is called or packaged."""

from __future__ import annotations

__all__ = ["SchemaBundleError", "UnknownKindError"]


class UnknownKindError(ValueError):
    """The kind named is not one of the bundled kinds; the message lists those that are."""

    def __init__(self, kind: object, known: tuple[str, ...]) -> None:
        from contract_kit.core.messages import did_you_mean

        self.kind = kind
        self.known = known
        hint = did_you_mean(str(kind), known, aside=True)
        listed = ", ".join(f'"{k}"' for k in known)
        super().__init__(f"unknown kind {kind!r}{hint}; the bundled kinds are {listed}")


class SchemaBundleError(RuntimeError):
    """A bundled schema cannot be used as it is.

    A reference outside the bundle, or a format or pattern the engine cannot check: a bug in
    contract_kit's packaging, never a property of the data being checked.
    """
