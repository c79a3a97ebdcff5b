#!/usr/bin/env python3
"""Rewrite the first line of every error case with what CPython says.

Each case in parse/err/ (and each lex/err_*.apy) starts with a comment line
`# python3: <last stderr line>`
recording CPython 3.11's verdict on the same file (the comment itself does
not change it). The snapshot test checks that apy's last line is the same.
Cases apy refuses but python3 runs start with `# apy refuses` instead and are
left alone. Run from anywhere: `python3 tests/cases/refresh_python3_comments.py`.
"""
import pathlib
import subprocess
import sys

cases = pathlib.Path(__file__).parent
for case in sorted([*cases.glob("parse/err/*.apy"), *cases.glob("lex/err_*.apy")]):
    text = case.read_text()
    first, _, rest = text.partition("\n")
    if not first.startswith("# python3:"):
        continue
    result = subprocess.run([sys.executable, str(case)], capture_output=True, text=True)
    lines = result.stderr.strip().splitlines()
    last = lines[-1] if lines else "(no error)"
    case.write_text(f"# python3: {last}\n{rest}")
    print(f"{case.name}: {last}")
