"""How many hypothesis draws a property test makes: a quick count in the suite, a long one apart.

A test parametrized with :func:`quick_and_long` runs twice: at its quick count in the suite
(``scripts/test``, which must stay within three minutes on two cores), and at its long count in
the long property runs (``-m properties``, a step of its own in CI). So CI draws each property at
least as often as before the split, and the suite keeps every property, at fewer draws.
"""

from __future__ import annotations

from typing import Any

import pytest


def quick_and_long(quick: int, long: int) -> list[Any]:
    """The ``draws`` parameters: ``quick`` in the suite, ``long`` marked ``properties``."""
    return [
        pytest.param(quick, id=f"{quick}-draws"),
        pytest.param(long, id=f"{long}-draws", marks=pytest.mark.properties),
    ]
