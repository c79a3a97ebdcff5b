#!/usr/bin/env python3
"""Check that conformance cases stay inside apy's subset, tier by tier.

Every case must be something apy will eventually run. In `tier1/` and
`async/`, a construct from tier 2 or beyond (class, lambda, comprehensions,
conditional expressions, yield, with, decorators, match, walrus,
%-formatting of strings, imports other than asyncio/time, ...) is a bug in
the corpus; in `tier2/`, the tier-2 constructs are allowed and the rest is
still checked. This script parses each
.apy file with CPython's ast module and reports such constructs with their
line. Files whose name starts with `syntax_` are skipped (they are meant not
to parse).

Usage: lint_subset.py [--attributes] [FILE_OR_SUITE ...]
--attributes also lists every attribute name used, with counts, for review
against LANGUAGE.md (methods are not machine-checkable: the subset names
"the methods tutorials use").
"""

import ast
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

BUILTIN_FUNCTIONS = {
    "print", "len", "range", "str", "int", "float", "bool", "list", "tuple",
    "dict", "set", "repr", "abs", "min", "max", "sum", "sorted", "reversed",
    "enumerate", "zip", "map", "filter", "any", "all", "isinstance", "type",
    "round", "divmod", "hash", "id", "iter", "next", "ord", "chr",
    # Beyond LANGUAGE.md's list but implied by tier 1: they are the functions
    # behind f-strings' `!a` conversion and format specs.
    "ascii", "format",
}
BUILTIN_EXCEPTIONS = {
    "BaseException", "Exception", "ArithmeticError", "ZeroDivisionError",
    "ValueError", "TypeError", "NameError", "UnboundLocalError", "KeyError",
    "IndexError", "AttributeError", "RuntimeError", "RecursionError",
    "StopIteration", "AssertionError", "NotImplementedError",
    "KeyboardInterrupt", "TimeoutError",
    # Not in LANGUAGE.md's exception list but implied by it: the import rule
    # names ModuleNotFoundError, and LookupError is the base of KeyError and
    # IndexError that hierarchy-catching lessons use.
    "ModuleNotFoundError", "LookupError",
}
ALLOWED_MODULES = {"asyncio", "time"}
# `input` is tier 1 but reads stdin, which is /dev/null here; `open` is tier 3.
FORBIDDEN_NAMES = {"input", "open", "exec", "eval", "compile", "globals", "locals",
                   "vars", "dir", "getattr", "setattr", "hasattr", "callable",
                   "super", "object", "property", "staticmethod", "classmethod",
                   "frozenset", "bytes", "bytearray", "complex", "pow", "hex",
                   "oct", "bin", "slice", "issubclass",
                   "memoryview", "help", "exit", "quit", "__import__"}

# Names and syntax that LANGUAGE.md adds in tier 2 (allowed in tier2/ only).
TIER2_NAMES = {"super", "object", "property", "staticmethod", "classmethod",
               "issubclass", "ExceptionGroup", "BaseExceptionGroup",
               "StopAsyncIteration", "GeneratorExit",
               # the rich-comparison and arithmetic protocols of classes
               "NotImplemented"}
TIER2_NODES = {ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
               ast.GeneratorExp, ast.IfExp, ast.Yield, ast.YieldFrom, ast.With,
               ast.AsyncWith, ast.AsyncFor}

FORBIDDEN_NODES = {
    ast.ClassDef: "class",
    ast.Lambda: "lambda",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
    ast.IfExp: "conditional expression",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.With: "with",
    ast.AsyncWith: "async with",
    ast.AsyncFor: "async for",
    ast.Match: "match",
    ast.NamedExpr: "walrus :=",
    ast.TryStar: "except*",
}


def module_exists_outside_subset(name):
    """True for a real module other than asyncio/time: importing it is outside
    the subset. A module that does not exist is fine (it checks
    ModuleNotFoundError, which apy must raise too)."""
    top = name.split(".")[0]
    if not top or top in ALLOWED_MODULES:
        return False
    return importlib.util.find_spec(top) is not None


def is_tier2(path):
    return os.path.basename(os.path.dirname(os.path.abspath(path))) == "tier2"


def lint_source(path, source):
    problems = []
    tier2 = is_tier2(path)
    tree = ast.parse(source, filename=path)
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defined.add(node.name)
            for arg in node.args.args + node.args.kwonlyargs + node.args.posonlyargs:
                defined.add(arg.arg)
            if node.args.vararg:
                defined.add(node.args.vararg.arg)
            if node.args.kwarg:
                defined.add(node.args.kwarg.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            defined.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
        elif isinstance(node, ast.alias):
            defined.add((node.asname or node.name).split(".")[0])
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        for kind, label in FORBIDDEN_NODES.items():
            if isinstance(node, kind) and not (tier2 and kind in TIER2_NODES):
                problems.append((line, label))
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.decorator_list
            and not tier2
        ):
            problems.append((line, "decorator"))
        if isinstance(node, ast.FunctionDef) and node.args.posonlyargs:
            problems.append((line, "positional-only parameters"))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    problems.append((line, "import ... as"))
                if module_exists_outside_subset(alias.name):
                    problems.append((line, f"import of {alias.name!r}: only asyncio and time"))
        if isinstance(node, ast.ImportFrom):
            if module_exists_outside_subset(node.module or ""):
                problems.append((line, f"import from {node.module!r}: only asyncio"))
            if node.module == "time":
                problems.append((line, "from time import ...: only `import time` is tier 1"))
            if node.module == "asyncio":
                for alias in node.names:
                    if alias.name == "*" or alias.asname:
                        problems.append((line, "from asyncio import * / as"))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            if isinstance(node.left, (ast.Constant, ast.JoinedStr)) and isinstance(
                getattr(node.left, "value", ""), str
            ):
                problems.append((line, "%-formatting of a string"))
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (bytes, complex)):
                problems.append((line, type(node.value).__name__ + " literal"))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            name = node.id
            if tier2 and name in TIER2_NAMES:
                pass
            elif name in FORBIDDEN_NAMES and name not in defined:
                problems.append((line, f"builtin {name!r} is outside tier 1"))
            elif (
                name not in defined
                and name not in BUILTIN_FUNCTIONS
                and name not in BUILTIN_EXCEPTIONS
                and name not in ("True", "False", "None")
                and hasattr(__builtins__, name)
            ):
                problems.append((line, f"builtin {name!r} is not in LANGUAGE.md's tier-1 list"))
    return problems


def attribute_names(source):
    tree = ast.parse(source)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
    return names


def collect_files(args):
    files = []
    targets = args or [
        os.path.join(HERE, d) for d in sorted(os.listdir(HERE)) if os.path.isdir(os.path.join(HERE, d))
    ]
    for target in targets:
        if os.path.isdir(target):
            for name in sorted(os.listdir(target)):
                if name.endswith(".apy"):
                    files.append(os.path.join(target, name))
        elif os.path.isdir(os.path.join(HERE, target)):
            folder = os.path.join(HERE, target)
            for name in sorted(os.listdir(folder)):
                if name.endswith(".apy"):
                    files.append(os.path.join(folder, name))
        else:
            files.append(target)
    return files


def main():
    args = sys.argv[1:]
    show_attributes = "--attributes" in args
    args = [a for a in args if a != "--attributes"]
    total = 0
    attribute_counts = {}
    for path in collect_files(args):
        if os.path.basename(path).startswith("syntax_"):
            continue
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        first = source.split("\n", 1)[0]
        if not first.startswith("# "):
            print(f"{path}:1: first line must be a '# ' comment saying what the case checks")
            total += 1
        try:
            problems = lint_source(path, source)
        except SyntaxError as error:
            print(f"{path}:{error.lineno}: does not parse (name it syntax_*.apy if intended)")
            total += 1
            continue
        for line, label in sorted(problems, key=lambda p: (str(p[0]).zfill(6), p[1])):
            print(f"{path}:{line}: {label}")
            total += 1
        for name in attribute_names(source):
            attribute_counts[name] = attribute_counts.get(name, 0) + 1
    if show_attributes:
        for name in sorted(attribute_counts):
            print(f"{attribute_counts[name]:5} .{name}")
    print(f"{total} problems")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
