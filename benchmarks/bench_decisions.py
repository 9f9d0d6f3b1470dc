"""The cost of a decision: 1,000 decisions over a library of 500 offers, in process.

    python benchmarks/bench_decisions.py [--decisions 1000] [--offers 500] [--runs 3]

The library: 500 approved offers in one collection, priorities drawn from 0-49 (so with
ties), a third of them with an eligibility rule (false for half the profiles), two live
activities over two placements. Each decision checks its headers and body
(``check_decision_request``), then chooses (``propose``, which holds its answer to the
response contract); requests alternate itemCount 1 and 3, both activities, and 20 profiles.
Caps are counted (no offer has one) and the trace is kept, as the fake would; the rankings
are kept between decisions (``Rankings``), as the fake keeps them until its store changes.

Prints the best run's total, decisions per second and per-decision percentiles. The issue's
goal is 1,000 decisions in one second or less. Not run in CI: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from decisioning_library import (
    ACTIVITY,
    OTHER_ACTIVITY,
    OTHER_PLACEMENT,
    PLACEMENT,
    RULE,
    library,
    offer,
)

from contract_kit.api.decision_request import (
    REQUEST_SCHEMA,
    RESPONSE_SCHEMA,
    check_decision_request,
)
from contract_kit.decisioning.selection import Caps, Rankings, propose

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
HEADERS = {
    "accept": f'application/vnd.adobe.xdm+json; schema="{RESPONSE_SCHEMA}"',
    "content-type": f'application/vnd.adobe.xdm+json; schema="{REQUEST_SCHEMA}"',
    "authorization": "Bearer eyJhbGciOi.token",
    "x-api-key": "bench",
    "x-gw-ims-org-id": "ABCDEF123456789012345678@AdobeOrg",
}


def _library(size: int, rng: random.Random) -> dict[str, Any]:
    constraint = {"xdm:startDate": "2026-01-01T00:00:00Z", "xdm:endDate": "2026-12-31T00:00:00Z"}
    offers = []
    for index in range(size):
        members: dict[str, Any] = {}
        if index % 3 == 0:
            members["xdm:selectionConstraint"] = {**constraint, "xdm:eligibilityRule": RULE}
        offers.append(offer(f"{index:04x}", rng.randrange(50), **members))
    return library(*offers, rule='person.tier = "gold" and person.age >= 18')


def _requests(count: int) -> list[dict[str, Any]]:
    found = []
    for index in range(count):
        pair = (ACTIVITY, PLACEMENT) if index % 2 else (OTHER_ACTIVITY, OTHER_PLACEMENT)
        found.append(
            {
                "xdm:propositionRequests": [
                    {
                        "xdm:activityId": pair[0],
                        "xdm:placementId": pair[1],
                        "xdm:itemCount": 1 + 2 * (index % 2),
                    }
                ],
                "xdm:profiles": [
                    {"xdm:identityMap": {"Email": [{"xdm:id": f"user{index % 20}@example.com"}]}}
                ],
                "xdm:responseFormat": {"xdm:includeContent": True},
            }
        )
    return found


def main() -> None:
    """Run the decisions ``--runs`` times and print the best run's figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--offers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-rankings", action="store_true", help="rank afresh per decision")
    options = parser.parse_args()
    rng = random.Random(16)  # noqa: S311 - drawn priorities, the same each run
    lib = _library(options.offers, rng)
    profiles = {
        ("Email", f"user{n}@example.com"): {
            "person": {"tier": "gold" if n % 2 else "silver", "age": 30}
        }
        for n in range(20)
    }
    bodies = _requests(options.decisions)
    best: list[float] = []
    for _ in range(options.runs):
        caps, times = Caps(), []
        rankings = None if options.no_rankings else Rankings()
        for index, body in enumerate(bodies):
            start = time.perf_counter()
            headers = {**HEADERS, "x-request-id": f"bench-{index}"}
            problems = check_decision_request(headers, body)
            assert not problems, problems
            propose(lib, body, profiles, caps, now=NOW, rankings=rankings)
            times.append(time.perf_counter() - start)
        if not best or sum(times) < sum(best):
            best = times
    total = sum(best)
    cuts = statistics.quantiles(best, n=100)
    kept = "ranked afresh each time" if options.no_rankings else "rankings kept"
    print(f"{len(best)} decisions over {options.offers} offers ({kept}): {total:.3f} s")
    print("  goal: 1 s or less")
    print(f"  {len(best) / total:,.0f} decisions/s")
    shown = ", ".join(f"p{n} {cuts[n - 1] * 1e3:.3f} ms" for n in (50, 95, 99))
    print(f"  per decision: {shown}")


if __name__ == "__main__":
    main()
