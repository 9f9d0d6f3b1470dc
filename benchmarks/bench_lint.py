"""contract-kit lint against check-jsonschema on 10,000 payload files, in one run.

    python benchmarks/bench_lint.py [--files 10000] [--runs 5] [--one-file-runs 20] [--mixed-only]

It generates the payloads (10% invalid, each breaking one rule both tools check: a pattern,
an enum, a required member, a type, a minimum length or size, an unknown member), then:

1. lints them all with ``contract-kit lint DIR`` and with ``check-jsonschema --schemafile``
   given ``contract-kit schema fallback-offer``, and prints files/s, the ratio and whether both
   flagged the same files (goal: at least 10 times check-jsonschema, same verdicts);
2. times linting one file with each, hyperfine-style (a warm-up, then the runs alternating,
   median, min and max), next to ``python -c pass`` and ``import contract_kit`` (goal:
   contract-kit at most a third of check-jsonschema);
3. times ``--jobs 1`` against ``--jobs 2`` on growing numbers of files, which is how the
   runner's threshold for starting worker processes was chosen;
4. times parsing one payload with the standard library (with the duplicate-member hook) and
   with orjson, the reason the linter parses with the former;
5. lints as many files of mixed kinds (every stored kind's body and stored instance, in equal
   shares, 10% invalid, each kind inferred from its content) and prints their files/s against
   check-jsonschema's on the same files (goal: at least 20 times; check-jsonschema is run once
   per kind, on that kind's files with its exported schema, the times added up), and next to
   the fallback offers' of 1. (goal: mixed at least as many files/s), checking that each
   invalid file, and only those, is flagged by both, by contract-kit as the kind it was made
   as; the fallback offers are also linted by the contract-kit of ``--today`` (a revision,
   default main), installed the same way. The ratio is also taken run by run (each run's
   two tools run one after the other), with a 95% interval of its median: the goal is
   called met only when the whole interval is above it. ``--mixed-only`` runs this one
   alone.

Each tool runs from a virtual environment of its own, made on first use and git-ignored:
check-jsonschema from benchmarks/.venv-cj, contract-kit from benchmarks/.venv-ck, where this
checkout is installed as a wheel (reinstalled on every run), so that neither pays for what the
interpreter running this script has in its site-packages. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _intervals import median_interval, verdict

HERE = Path(__file__).resolve().parent
CJ_VENV = HERE / ".venv-cj"
CK_VENV = HERE / ".venv-ck"
CJ_VERSION = "0.39.0"
COMPONENT = "https://ns.adobe.com/experience/offer-management/content-component-"
CHANNEL = "https://ns.adobe.com/xdm/channel-types/"


def _check_jsonschema() -> Path:
    executable = CJ_VENV / "bin" / "check-jsonschema"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(CJ_VENV)], check=True)
        pip = [str(CJ_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, f"check-jsonschema=={CJ_VERSION}"], check=True)
    return executable


def _contract_kit(work: Path, revision: str | None = None) -> Path:
    """contract-kit installed as a wheel in a virtual environment of its own.

    From this checkout, or, given a ``revision``, from that commit of the repository (the
    contract-kit of "today" that 5. compares against).
    """
    venv = CK_VENV if revision is None else CK_VENV.with_name(f"{CK_VENV.name}-{revision}")
    executable = venv / "bin" / "contract-kit"
    fresh = not executable.exists()
    if fresh:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    source = work / f"contract-kit-source-{revision or 'checkout'}"
    source.mkdir()
    names = ("contract_kit", "schemas", "pyproject.toml", "README.md")
    if revision is None:
        for name in names[:2]:
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(HERE.parent / name, source / name, ignore=ignore)
        for name in names[2:]:
            shutil.copy(HERE.parent / name, source / name)
    else:
        archive = subprocess.run(
            ["git", "-C", str(HERE.parent), "archive", revision, *names],  # noqa: S607
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)  # noqa: S607
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(
        [*pip, *([] if fresh else ["--no-deps", "--force-reinstall"]), str(source)], check=True
    )
    return executable


def _hex(rng: random.Random, digits: int = 16) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(digits))


def _payload(rng: random.Random) -> dict[str, Any]:
    representations = []
    for _ in range(rng.randint(1, 3)):
        components = [
            {
                "@type": COMPONENT + rng.choice(["text", "html", "imagelink", "json"]),
                "dc:format": rng.choice(["text/html", "text/plain", "image/png"]),
                "dc:language": rng.sample(["en", "fr", "de", "en-us"], rng.randint(1, 2)),
                "xdm:content": "<p>" + "Fallback " * rng.randint(1, 20) + "</p>",
            }
            for _ in range(rng.randint(1, 3))
        ]
        representations.append(
            {
                "xdm:components": components,
                "xdm:channel": CHANNEL + rng.choice(["web", "email", "mobile"]),
                "xdm:placement": "xcore:offer-placement:" + _hex(rng),
            }
        )
    payload: dict[str, Any] = {
        "xdm:status": rng.choice(["draft", "approved", "archived"]),
        "xdm:name": f"Fallback {rng.randint(1, 10**6)}",
        "xdm:representations": representations,
    }
    if rng.random() < 0.4:
        payload["xdm:tags"] = ["xcore:tag:" + _hex(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        payload["xdm:characteristics"] = {"team": "sales", "season": "winter"}
    return payload


def _break(payload: dict[str, Any], which: int) -> None:
    """Break one rule that both tools check (no format-only or code-only rule)."""
    first = payload["xdm:representations"][0]
    mutations = [
        lambda: first.update({"xdm:placement": "xcore:offer-placement:NOT-HEX"}),
        lambda: payload.pop("xdm:name"),
        lambda: payload.update({"xdm:status": "live"}),
        lambda: payload.update({"xdm:representations": {}}),
        lambda: payload.update({"xdm:stauts": "draft"}),
        lambda: first["xdm:components"][0].update({"@type": COMPONENT + "video"}),
        lambda: first["xdm:components"][0].pop("dc:format"),
        lambda: payload.update({"xdm:tags": ["xcore:tag:XYZ"]}),
        lambda: payload.update({"xdm:characteristics": {"team": 7}}),
        lambda: payload.update({"xdm:name": ""}),
    ]
    mutations[which % len(mutations)]()


def generate(folder: Path, count: int) -> set[str]:
    """Write ``count`` payload files into ``folder``; return the names of the invalid ones."""
    rng = random.Random(6)  # noqa: S311 - reproducible test data, not security
    invalid = set()
    for number in range(count):
        payload = _payload(rng)
        name = f"offer-{number:05d}.json"
        if number % 10 == 9:
            _break(payload, number // 10)
            invalid.add(name)
        (folder / name).write_text(json.dumps(payload, indent=2), "utf-8")
    return invalid


def _timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def _cpu_timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user and system, workers included) and standard output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, done = _timed(command, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done.stdout


def _median_run(
    command: list[str], cwd: Path, runs: int
) -> tuple[float, subprocess.CompletedProcess[str]]:
    _timed(command, cwd)  # warm-up: page cache, bytecode
    results = [_timed(command, cwd) for _ in range(runs)]
    return statistics.median(t for t, _ in results), results[-1][1]


def _flagged_by_contract_kit(output: str) -> set[str]:
    return {Path(finding["file"]).name for finding in json.loads(output)}


def _flagged_by_check_jsonschema(output: str) -> set[str]:
    report = json.loads(output)
    return {Path(error["filename"]).name for error in report.get("errors", [])}


def _row(name: str, seconds: float, count: int, done: subprocess.CompletedProcess[str]) -> str:
    rate = count / seconds
    return f"   {name:18} {seconds:6.2f} s {rate:9,.0f} files/s  exit {done.returncode}"


def bench_many(python: str, folder: Path, schema: Path, runs: int, expected: set[str]) -> None:
    """Both tools over every file, in one call each."""
    names = sorted(path.name for path in folder.glob("offer-*.json"))
    ck = [python, "-m", "contract_kit", "lint", "--format", "json", "."]
    cj = [str(_check_jsonschema()), "-o", "json", "--schemafile", str(schema), *names]
    ck_time, ck_done = _median_run(ck, folder, runs)
    cj_time, cj_done = _median_run(cj, folder, runs)
    ck_flagged = _flagged_by_contract_kit(ck_done.stdout)
    cj_flagged = _flagged_by_check_jsonschema(cj_done.stdout)
    count = len(names)
    print(f"\n1. {count:,} files, one call each, median of {runs} runs")
    print(_row("contract-kit lint", ck_time, count, ck_done) + f"  flagged {len(ck_flagged):,}")
    print(_row("check-jsonschema", cj_time, count, cj_done) + f"  flagged {len(cj_flagged):,}")
    print(f"   ratio              {cj_time / ck_time:6.1f} x  (goal: at least 10 x)")
    same = ck_flagged == cj_flagged == expected
    verdict = "yes" if same else "NO"
    print(
        f"   same verdicts      {verdict}: both flagged exactly the {len(expected):,} invalid files"
    )
    if not same:
        print(f"   only contract-kit: {sorted(ck_flagged - cj_flagged)[:5]}")
        print(f"   only check-jsonschema: {sorted(cj_flagged - ck_flagged)[:5]}")
    # Where the time goes: the same run without the invalid files, which are the only ones
    # python-jsonschema explains (through contract_kit.violations).
    valid = [name for name in names if name not in expected]
    ck_valid = [python, "-m", "contract_kit", "lint", "--format", "json", *valid]
    cj_valid = [*cj[: cj.index(str(schema)) + 1], *valid]
    ck_valid_time, _ = _median_run(ck_valid, folder, runs)
    cj_valid_time, _ = _median_run(cj_valid, folder, runs)
    print(f"   the {len(valid):,} valid files alone (nothing to explain):")
    print(
        f"   contract-kit lint  {ck_valid_time:6.2f} s {len(valid) / ck_valid_time:9,.0f} files/s"
    )
    print(
        f"   check-jsonschema   {cj_valid_time:6.2f} s {len(valid) / cj_valid_time:9,.0f} files/s"
    )
    print(f"   ratio              {cj_valid_time / ck_valid_time:6.1f} x")


def bench_one_file(python: str, folder: Path, schema: Path, runs: int) -> None:
    """Wall time of one file, as pre-commit runs it, hyperfine-style."""
    one = "offer-00000.json"
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import contract_kit'": [python, "-c", "import contract_kit"],
        "contract-kit lint (one file)": [python, "-m", "contract_kit", "lint", one],
        "check-jsonschema (one file)": [str(_check_jsonschema()), "--schemafile", str(schema), one],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        _timed(command, folder)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_timed(command, folder)[0])
    print(f"\n2. one file, {runs} runs each, alternating (median, min..max)")
    for name, measured in times.items():
        low, middle, high = (1000 * f(measured) for f in (min, statistics.median, max))
        print(f"   {name:34} {middle:6.0f} ms  ({low:.0f}..{high:.0f})")
    ck = statistics.median(times["contract-kit lint (one file)"])
    cj = statistics.median(times["check-jsonschema (one file)"])
    print(f"   contract-kit / check-jsonschema: {ck / cj:.2f} (goal: at most 0.33)")


_WITH_THRESHOLD = (
    "import sys, contract_kit.lint.runner as runner\n"
    "runner.POOL_THRESHOLD = 1\n"
    "from contract_kit.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def bench_threshold(python: str, folder: Path, runs: int) -> None:
    """--jobs 1 against --jobs 2 on few files, to place the threshold for worker processes."""
    print(f"\n3. one process or two, median of {runs} runs (the runner forks from 3,000 files)")
    names = sorted(path.name for path in folder.glob("offer-*.json"))
    for count in (1024, 2048, 3000, 4096, 8192):
        row = []
        for jobs in (1, 2):
            command = [python, "-c", _WITH_THRESHOLD, "lint", f"--jobs={jobs}"]
            row.append(_median_run([*command, *names[:count]], folder, runs)[0] * 1000)
        print(f"   {count:5} files   --jobs 1 {row[0]:6.0f} ms   --jobs 2 {row[1]:6.0f} ms")


_PARSERS = """
import json, sys, timeit
import orjson
from contract_kit.documents.json_source import parse_json
data = open(sys.argv[1], "rb").read()
rows = {
    "json + duplicate check (the linter)": lambda: parse_json(data),
    "json.loads (no duplicate check)": lambda: json.loads(data),
    "orjson.loads (no duplicate check)": lambda: orjson.loads(data),
}
print(f"\\n4. parsing one {len(data):,}-byte payload (best of 5)")
for name, parse in rows.items():
    best = min(timeit.repeat(parse, number=20000, repeat=5)) / 20000
    print(f"   {name:38} {best * 1e6:6.2f} µs")
"""


def bench_parsers(python: str, folder: Path) -> None:
    """Parsing one payload: the linter's strict standard-library parse, and orjson's."""
    found = subprocess.run([python, "-c", "import orjson"], capture_output=True, check=False)
    if found.returncode != 0:
        pip = [python, "-m", "pip", "install", "--quiet", "orjson>=3.10,<4"]
        subprocess.run(pip, check=True)  # for this comparison only: the linter does not use it
    subprocess.run([python, "-c", _PARSERS, str(folder / "offer-00000.json")], check=True)


_EXAMPLES = """
import json
from contract_kit.core.object_kinds import object_kinds
from contract_kit.lint.examples import example
made = {}
for kind in object_kinds():
    made[kind.body_kind] = [kind.id_prefix, example(kind.body_kind)]
    made[kind.instance_kind] = [kind.id_prefix, example(kind.instance_kind)]
print(json.dumps(made))
"""


def _members(document: dict[str, Any]) -> dict[str, Any]:
    """The kind's own members: the body, or what its envelope holds."""
    inner = document.get("_instance")
    return inner if isinstance(inner, dict) else document


def _mixed_document(
    rng: random.Random, prefix: str, example: dict[str, Any], broken: int | None
) -> dict[str, Any]:
    """The kind's example made unique (name, ids), or broken in one way every kind shares."""
    document: dict[str, Any] = json.loads(json.dumps(example))
    members = _members(document)
    members["xdm:name"] = f"{members.get('xdm:name', 'Object')} {rng.randint(1, 10**6)}"
    if "@id" in members:
        members["@id"] = prefix + _hex(rng)
    if "instanceId" in document:
        document["instanceId"] = (
            f"{_hex(rng, 8)}-{_hex(rng, 4)}-11eb-{_hex(rng, 4)}-{_hex(rng, 12)}"
        )
    if broken is not None:
        mutations = [
            lambda: members.update({"xdm:name": rng.randint(1, 99)}),  # type
            lambda: members.update({"@id": prefix + "NOT-HEX"}),  # xcore-id
            lambda: members.update({"xdm:name": ""}),  # min-length (a warning)
        ]
        mutations[broken % len(mutations)]()
    return document


def generate_mixed(python: str, folder: Path, count: int) -> tuple[dict[str, str], set[str]]:
    """Write ``count`` files of every stored kind, in turn; each file's kind, the invalid ones."""
    # Run from the corpus folder: from the checkout, -c would import its source, not the wheel.
    shown = subprocess.run(
        [python, "-c", _EXAMPLES], cwd=folder, capture_output=True, text=True, check=True
    )
    examples: dict[str, list[Any]] = json.loads(shown.stdout)
    kinds = sorted(examples)
    rng = random.Random(13)  # noqa: S311 - reproducible test data, not security
    kind_of = {}
    invalid = set()
    for number in range(count):
        # Shifted every ten files, so that the invalid tenth falls on every kind alike.
        kind = kinds[(number + number // 10) % len(kinds)]
        prefix, example = examples[kind]
        broken = number // 10 if number % 10 == 9 else None
        name = f"mixed-{number:05d}.json"
        document = _mixed_document(rng, prefix, example, broken)
        kind_of[name] = kind
        if broken is not None:
            invalid.add(name)
        (folder / name).write_text(json.dumps(document, indent=2), "utf-8")
    return kind_of, invalid


def _per_kind_check_jsonschema(python: str, work: Path, kind_of: dict[str, str]) -> list[list[str]]:
    """One check-jsonschema command per kind: its files, against its exported schema."""
    names_of: dict[str, list[str]] = {}
    for name, kind in sorted(kind_of.items()):
        names_of.setdefault(kind, []).append(name)
    commands = []
    for kind, names in names_of.items():
        schema = work / f"{kind}.schema.json"
        export = [python, "-m", "contract_kit", "schema", kind]
        exported = subprocess.run(export, cwd=work, capture_output=True, text=True, check=True)
        schema.write_text(exported.stdout, "utf-8")
        commands.append(
            [str(_check_jsonschema()), "-o", "json", "--schemafile", str(schema), *names]
        )
    return commands


def _sum_timed(commands: list[list[str]], cwd: Path) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds of the commands run one after the other, and their outputs."""
    wall = cpu = 0.0
    outputs = []
    for command in commands:
        seconds, cpu_seconds, stdout = _cpu_timed(command, cwd)
        wall, cpu = wall + seconds, cpu + cpu_seconds
        outputs.append(stdout)
    return wall, cpu, outputs


def bench_mixed(
    pythons: tuple[str, str], work: Path, fallback: Path, runs: int, today: str
) -> None:
    """Files of every stored kind: against check-jsonschema, and against fallback offers only.

    ``pythons``: this checkout's contract-kit, and that of ``today`` (the revision compared).
    check-jsonschema takes one schema per call, so it is run once per kind, on that kind's
    files with that kind's exported schema (14 calls; their times add up): the fairest use of
    it, as a team would set it up (one pre-commit hook per folder of a kind), and it is told
    each file's kind, which contract-kit infers from the content.
    """
    python, python_today = pythons
    mixed = work / "mixed"
    mixed.mkdir()
    count = len(list(fallback.glob("offer-*.json")))
    kind_of, invalid = generate_mixed(python, mixed, count)
    kinds = len(set(kind_of.values()))
    command = ["-m", "contract_kit", "lint", "--format", "json", "."]
    # Alternated, so that a machine busy at one moment slows each alike; CPU seconds too,
    # which another process on the machine disturbs much less than the wall clock.
    runs_of = {
        "mixed kinds": ([[python, *command]], mixed),
        "check-jsonschema": (_per_kind_check_jsonschema(python, work, kind_of), mixed),
        "fallback offers": ([[python, *command]], fallback),
        f"fallback, {today}"[:18]: ([[python_today, *command]], fallback),
    }
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name in runs_of}
    outputs: dict[str, list[str]] = {}
    for commands, folder in runs_of.values():
        _sum_timed(commands, folder)  # warm-up: page cache, bytecode
    for _ in range(runs):
        for name, (commands, folder) in runs_of.items():
            seconds, cpu, outputs[name] = _sum_timed(commands, folder)
            measured[name].append((seconds, cpu))
    flagged = {
        Path(finding["file"]).name: finding["kind"]
        for finding in json.loads(outputs["mixed kinds"][0])
    }
    cj_flagged = set().union(*map(_flagged_by_check_jsonschema, outputs["check-jsonschema"]))
    print(
        f"\n5. {count:,} files of {kinds} kinds, and {count:,} fallback offers, alternating, "
        f"median of {runs} runs (wall clock, and CPU time of the process and its workers; "
        f"check-jsonschema: one call per kind, {kinds} calls added up)"
    )
    rates: dict[str, tuple[float, float]] = {}
    for name, pairs in measured.items():
        wall = statistics.median(seconds for seconds, _ in pairs)
        cpu = statistics.median(cpu for _, cpu in pairs)
        rates[name] = (count / wall, count / cpu)
        print(
            f"   {name:18} {wall:6.2f} s {count / wall:9,.0f} files/s   "
            f"CPU {cpu:6.2f} s {count / cpu:9,.0f} files/CPU-s"
        )
    mixed_rate, cj_rate, now_rate, today_rate = rates.values()
    print(
        f"   mixed / check-js.  {mixed_rate[0] / cj_rate[0]:6.1f} x wall  "
        f"{mixed_rate[1] / cj_rate[1]:6.1f} x CPU  (goal: at least 20 x check-jsonschema's files/s)"
    )
    # Each run's two tools ran one after the other: their ratio, run by run, and how sure
    # the median of those is.
    per_run = [
        cj / ck
        for (ck, _), (cj, _) in zip(
            measured["mixed kinds"], measured["check-jsonschema"], strict=True
        )
    ]
    low, high = median_interval(per_run)
    print(
        f"   run by run         {statistics.median(per_run):6.1f} x wall  (median of {runs} runs' "
        f"ratios, 95% interval {low:.1f}-{high:.1f} x; {verdict(low, high, 20, '{:.0f} x')})"
    )
    print(
        f"   mixed / fallback   {mixed_rate[0] / now_rate[0]:6.2f} wall  "
        f"{mixed_rate[1] / now_rate[1]:6.2f} CPU  (the same contract-kit)"
    )
    print(
        f"   mixed / {today[:10]:10} {mixed_rate[0] / today_rate[0]:6.2f} wall  "
        f"{mixed_rate[1] / today_rate[1]:6.2f} CPU  (goal: at least 1.00, against the "
        f"fallback offers' files/s with {today})"
    )
    expected = {name: kind_of[name] for name in invalid}
    same = flagged == expected and cj_flagged == invalid
    print(
        f"   same verdicts      {'yes' if same else 'NO'}: both flagged exactly the "
        f"{len(invalid):,} invalid files, contract-kit each as the kind it was made as"
    )
    if not same:
        wrong = sorted(set(flagged.items()) ^ set(expected.items()))[:5]
        print(f"   differences: {wrong}")
        print(f"   check-jsonschema only or missed: {sorted(cj_flagged ^ invalid)[:5]}")


def main() -> None:
    """Run the benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-file-runs", type=int, default=20)
    parser.add_argument("--mixed-only", action="store_true", help="run 5. alone")
    parser.add_argument(
        "--today",
        default="main",
        help="the revision whose fallback-offer files/s 5. compares against (default: main)",
    )
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    try:
        folder = work / "files"
        folder.mkdir()
        expected = generate(folder, arguments.files)
        python = str(_contract_kit(work).with_name("python"))
        pythons = (python, str(_contract_kit(work, arguments.today).with_name("python")))
        mixed = (pythons, work, folder, arguments.runs, arguments.today)
        if arguments.mixed_only:
            print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; corpus in {work}")
            bench_mixed(*mixed)
            return
        _check_jsonschema()
        schema = work / "fallback-offer.schema.json"
        export = [python, "-m", "contract_kit", "schema", "fallback-offer"]
        exported = subprocess.run(export, cwd=work, capture_output=True, text=True, check=True)
        schema.write_text(exported.stdout, "utf-8")
        print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; corpus in {folder}")
        bench_many(python, folder, schema, arguments.runs, expected)
        bench_one_file(python, folder, schema, arguments.one_file_runs)
        bench_threshold(python, folder, max(3, arguments.runs))
        bench_parsers(python, folder)
        bench_mixed(*mixed)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
