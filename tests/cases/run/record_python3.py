#!/usr/bin/env python3
"""Record what CPython 3.11 does with each run case, for tests/run_snapshots.rs.

For every `tests/cases/run/*.apy` except the `refused_*` ones (which CPython
runs and apy refuses, by design), runs `python3 <name>.apy` in this folder
with stdin from /dev/null and a fixed hash seed, and writes `<name>.python3`:
the exit status, stdout and stderr, laid out exactly as the snapshot test
renders apy's own run, with two edits to stderr: this folder's absolute path
is removed (CPython prints `File "/abs/path/name.apy"`, apy prints the name
it was given), and traceback entries of CPython's own library files (asyncio's
runners.py, base_events.py, ...; any other absolute path) are left out, since
apy's asyncio is built in and has no Python frames.

Usage: python3 tests/cases/run/record_python3.py [names...]
Then read the diff (`git diff tests/cases/run`) before committing it.
"""
import os
import pathlib
import subprocess
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit(f"record_python3.py needs CPython 3.11, this is {sys.version.split()[0]}")

here = pathlib.Path(__file__).resolve().parent


def shell_status(returncode):
    """The exit status as a shell reports it: CPython dies of an uncaught
    KeyboardInterrupt by SIGINT (returncode -2), which is status 130, the
    one apy exits with."""
    return 128 - returncode if returncode < 0 else returncode


def section(text):
    """A section body as the Rust test renders it."""
    if not text:
        return ""
    if text.endswith("\n"):
        return text
    return text + "\n\\ no newline at end\n"


def render(status, stdout, stderr):
    return f"status: {status}\n--- stdout\n{section(stdout)}--- stderr\n{section(stderr)}"


def without_library_frames(stderr):
    """Drop each `  File "/abs/..."` traceback entry with its source lines."""
    kept = []
    skipping = False
    for line in stderr.split("\n"):
        if line.startswith('  File "/'):
            skipping = True
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept)


def main():
    wanted = sys.argv[1:]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "LC_ALL": "C.UTF-8",
    }
    for case in sorted(here.glob("*.apy")):
        if case.name.startswith("refused_"):
            continue
        if wanted and not any(w in case.name for w in wanted):
            continue
        result = subprocess.run(
            [sys.executable, case.name],
            cwd=here,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
        stdout = result.stdout.decode()
        stderr = without_library_frames(result.stderr.decode().replace(f"{here}/", ""))
        status = shell_status(result.returncode)
        case.with_suffix(".python3").write_text(render(status, stdout, stderr))
        print(f"{case.name}: status {status}")


main()
