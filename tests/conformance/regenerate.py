#!/usr/bin/env python3
"""Regenerate the conformance expectations from CPython 3.11, the oracle.

For every tests/conformance/<suite>/<name>.apy this runs

    python3 <name>.apy

with the working directory set to the suite folder (so tracebacks say
File "<name>.apy"), stdin from /dev/null, a timeout, and a clean environment
with PYTHONHASHSEED and PYTHONDONTWRITEBYTECODE=1. Each program runs once per
hash seed (0 and 1 by default); if the runs disagree the program is
nondeterministic, which is a bug in the case, and it is reported. The result
of the PYTHONHASHSEED=0 run is written to <name>.expected:

    status: <exit status>
    stderr-last-line: <last line of stderr, empty if stderr is empty>
    stdout:
    <stdout, byte for byte, to the end of the file>

Usage:
    regenerate.py [--check] [--runs N] [--jobs N] [--timeout S] [CASE ...]

CASE restricts the run: a suite name (`async`), a case name
(`int_floor_division`), `suite/name`, or a path to a .apy file.
--check compares with the committed .expected files without writing and
exits 1 listing every difference (also used to prove nothing changed).
--runs N runs each program N times (seeds alternate 0, 1, 0, ...; at least
2) to shake out timing-dependent cases.
"""

import argparse
import concurrent.futures
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = ("0", "1")


def require_cpython_311():
    impl = sys.implementation.name
    if impl != "cpython" or sys.version_info[:2] != (3, 11):
        version = ".".join(str(part) for part in sys.version_info[:3])
        sys.exit(
            f"regenerate.py: the oracle is CPython 3.11, this is {impl} {version}; "
            "run it with a CPython 3.11 python3"
        )


def find_cases():
    """All (suite, name) pairs, sorted, for every <suite>/<name>.apy."""
    cases = []
    for suite in sorted(os.listdir(HERE)):
        folder = os.path.join(HERE, suite)
        if not os.path.isdir(folder) or suite.startswith((".", "_")):
            continue
        for file_name in sorted(os.listdir(folder)):
            if file_name.endswith(".apy"):
                cases.append((suite, file_name[: -len(".apy")]))
    return cases


def select(cases, wanted):
    """Keep the cases that any of the CASE arguments names."""
    if not wanted:
        return cases, []
    chosen = []
    unknown = []
    for arg in wanted:
        path = os.path.abspath(arg)
        hits = []
        for suite, name in cases:
            case_path = os.path.join(HERE, suite, name + ".apy")
            if arg in (suite, name, f"{suite}/{name}", f"{suite}/{name}.apy", name + ".apy"):
                hits.append((suite, name))
            elif path in (case_path, case_path[: -len(".apy")]):
                hits.append((suite, name))
        if not hits:
            unknown.append(arg)
        for hit in hits:
            if hit not in chosen:
                chosen.append(hit)
    return sorted(chosen), unknown


def clean_env(seed):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONHASHSEED": seed,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return env


def run_once(suite, name, seed, timeout):
    """Run one case; return its expectation text as bytes, or raise."""
    import subprocess

    folder = os.path.join(HERE, suite)
    with open(os.devnull, "rb") as devnull:
        proc = subprocess.run(
            [sys.executable, name + ".apy"],
            cwd=folder,
            stdin=devnull,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=clean_env(seed),
            timeout=timeout,
        )
    # A death by signal N (an uncaught KeyboardInterrupt is SIGINT) is
    # status 128 + N, as a shell reports it and as apy exits.
    status = 128 - proc.returncode if proc.returncode < 0 else proc.returncode
    return render(status, proc.stderr, proc.stdout)


def last_line(stderr):
    text = stderr.decode("utf-8", errors="replace")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return ""
    return text.split("\n")[-1].rstrip("\r")


def render(status, stderr, stdout):
    head = f"status: {status}\nstderr-last-line: {last_line(stderr)}\nstdout:\n"
    return head.encode("utf-8") + stdout


def evaluate(suite, name, runs, timeout):
    """Run a case `runs` times; return (expected_bytes, problem or None)."""
    results = []
    try:
        for i in range(runs):
            seed = SEEDS[i % len(SEEDS)]
            results.append((seed, run_once(suite, name, seed, timeout)))
    except Exception as error:  # timeout or failure to start
        return None, f"could not run: {error!r}"
    first_seed, first = results[0]
    for seed, other in results[1:]:
        if other != first:
            return first, (
                f"NONDETERMINISTIC: run with PYTHONHASHSEED={seed} differs from "
                f"PYTHONHASHSEED={first_seed}:\n{describe_difference(first, other)}"
            )
    return first, None


def describe_difference(expected, actual):
    a = expected.decode("utf-8", errors="replace").split("\n")
    b = actual.decode("utf-8", errors="replace").split("\n")
    for i in range(max(len(a), len(b))):
        left = a[i] if i < len(a) else "<end of file>"
        right = b[i] if i < len(b) else "<end of file>"
        if left != right:
            return f"    line {i + 1}:\n      expected: {left!r}\n      got:      {right!r}"
    return "    (identical text)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", metavar="CASE")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--runs", type=int, default=2, help="runs per case (>= 2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    args = parser.parse_args()
    require_cpython_311()
    if args.runs < 2:
        parser.error("--runs must be at least 2: determinism is checked across runs")

    cases, unknown = select(find_cases(), args.cases)
    if unknown:
        sys.exit("regenerate.py: no such case or suite: " + ", ".join(unknown))

    problems = []
    written = 0
    unchanged = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {
            pool.submit(evaluate, suite, name, args.runs, args.timeout): (suite, name)
            for suite, name in cases
        }
        outcomes = {}
        for future in concurrent.futures.as_completed(futures):
            outcomes[futures[future]] = future.result()

    for suite, name in cases:
        expected, problem = outcomes[(suite, name)]
        label = f"{suite}/{name}"
        if problem is not None:
            problems.append(f"{label}: {problem}")
            continue
        path = os.path.join(HERE, suite, name + ".expected")
        old = None
        if os.path.exists(path):
            with open(path, "rb") as handle:
                old = handle.read()
        if old == expected:
            unchanged += 1
            continue
        if args.check:
            if old is None:
                problems.append(f"{label}: {name}.expected is missing")
            else:
                problems.append(f"{label}: differs:\n{describe_difference(old, expected)}")
            continue
        with open(path, "wb") as handle:
            handle.write(expected)
        written += 1
        print(f"wrote {label}.expected")

    if not args.cases:
        known = set(cases)
        for suite in sorted(os.listdir(HERE)):
            folder = os.path.join(HERE, suite)
            if not os.path.isdir(folder):
                continue
            for file_name in sorted(os.listdir(folder)):
                stem = file_name[: -len(".expected")]
                if file_name.endswith(".expected") and (suite, stem) not in known:
                    problems.append(f"{suite}/{file_name}: no {stem}.apy beside it (stale)")

    for problem in problems:
        print(problem)
    print(
        f"{len(cases)} cases: {unchanged} unchanged, {written} written, "
        f"{len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
