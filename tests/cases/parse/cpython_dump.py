#!/usr/bin/env python3
"""Dump CPython's own AST of a file in the layout of `apy::parser::dump`.

The parse-ok snapshots hold apy's AST; this script prints what CPython 3.11's
`ast` module makes of the same file, in the same layout, so the two can be
compared line by line (structure, operators, and positions):

    python3 tests/cases/parse/cpython_dump.py tests/cases/parse/ok/calls.apy

With `--check`, it compares every case in ok/ with its snapshot and lists the
lines that differ. Known, deliberate differences: apy does not record
`ctx`, prints the position of a `def`'s name (CPython has none), and CPython
3.11 places a tuple in an f-string field (`f"{a, b}"`) from `{` to `}`,
because it parses the field as `(a, b)`.
"""
import ast
import pathlib
import sys
import unicodedata

OPS = {
    ast.Add: "Add", ast.Sub: "Sub", ast.Mult: "Mult", ast.MatMult: "MatMult",
    ast.Div: "Div", ast.FloorDiv: "FloorDiv", ast.Mod: "Mod", ast.Pow: "Pow",
    ast.LShift: "LShift", ast.RShift: "RShift", ast.BitOr: "BitOr",
    ast.BitXor: "BitXor", ast.BitAnd: "BitAnd", ast.Not: "Not", ast.USub: "USub",
    ast.UAdd: "UAdd", ast.Invert: "Invert", ast.And: "And", ast.Or: "Or",
    ast.Eq: "Eq", ast.NotEq: "NotEq", ast.Lt: "Lt", ast.LtE: "LtE", ast.Gt: "Gt",
    ast.GtE: "GtE", ast.Is: "Is", ast.IsNot: "IsNot", ast.In: "In",
    ast.NotIn: "NotIn",
}


def rust_debug(s):
    """A string as Rust's `{:?}` prints it."""
    out = '"'
    for c in s:
        if c == '"':
            out += '\\"'
        elif c == "\\":
            out += "\\\\"
        elif c == "\n":
            out += "\\n"
        elif c == "\t":
            out += "\\t"
        elif c == "\r":
            out += "\\r"
        elif c == "\0":
            out += "\\0"
        elif unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Mn", "Me") or (
            unicodedata.category(c) in ("Zs", "Zl", "Zp") and c != " "
        ):
            out += "\\u{%x}" % ord(c)
        else:
            out += c
    return out + '"'


def rust_float(f):
    r = repr(f)
    if "e" in r:
        mantissa, exp = r.split("e")
        return f"{mantissa}e{int(exp)}"
    return r


class Dumper:
    def __init__(self, lines):
        self.lines = lines
        self.out = []
        self.depth = 0

    def col(self, line, byte_col):
        text = self.lines[line - 1].encode()[:byte_col]
        return len(text.decode(errors="replace"))

    def pos(self, n):
        l1, c1 = n.lineno, self.col(n.lineno, n.col_offset)
        l2, c2 = n.end_lineno, self.col(n.end_lineno, n.end_col_offset)
        return f"@{l1}:{c1}-{c2}" if l1 == l2 else f"@{l1}:{c1}-{l2}:{c2}"

    def line(self, text):
        self.out.append("  " * self.depth + text)

    def nested(self, f, *args):
        self.depth += 1
        f(*args)
        self.depth -= 1

    def block(self, label, body):
        if body:
            self.line(f"{label}:")
            self.depth += 1
            for s in body:
                self.stmt(s)
            self.depth -= 1

    def stmt(self, s):
        lines = f"[{s.lineno}]" if s.lineno == s.end_lineno else f"[{s.lineno}-{s.end_lineno}]"
        head = lambda name: self.line(f"{lines} {name}")
        d = self.depth
        if isinstance(s, ast.Expr):
            head("Expr"); self.depth += 1; self.expr(None, s.value)
        elif isinstance(s, ast.Assign):
            head("Assign"); self.depth += 1
            for t in s.targets:
                self.expr("target", t)
            self.expr("value", s.value)
        elif isinstance(s, ast.AugAssign):
            head(f"AugAssign {OPS[type(s.op)]}"); self.depth += 1
            self.expr("target", s.target); self.expr("value", s.value)
        elif isinstance(s, ast.AnnAssign):
            head("AnnAssign"); self.depth += 1
            self.expr("target", s.target); self.expr("annotation", s.annotation)
            if s.value:
                self.expr("value", s.value)
        elif isinstance(s, (ast.If, ast.While)):
            head(type(s).__name__); self.depth += 1
            self.expr("test", s.test); self.block("body", s.body); self.block("orelse", s.orelse)
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            head(type(s).__name__); self.depth += 1
            self.expr("target", s.target); self.expr("iter", s.iter)
            self.block("body", s.body); self.block("orelse", s.orelse)
        elif isinstance(s, (ast.Break, ast.Continue, ast.Pass)):
            head(type(s).__name__)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            head(f"{type(s).__name__} {s.name} @?"); self.depth += 1
            for dec in s.decorator_list:
                self.expr("decorator", dec)
            self.params(s.args)
            if s.returns:
                self.expr("returns", s.returns)
            self.block("body", s.body)
        elif isinstance(s, ast.ClassDef):
            head(f"ClassDef {s.name}"); self.depth += 1
            for dec in s.decorator_list:
                self.expr("decorator", dec)
            for b in s.bases:
                self.expr("base", b)
            for k in s.keywords:
                self.keyword(k)
            self.block("body", s.body)
        elif isinstance(s, ast.Return):
            head("Return")
            if s.value:
                self.depth += 1; self.expr(None, s.value)
        elif isinstance(s, ast.Global):
            head("Global " + ", ".join(s.names))
        elif isinstance(s, ast.Nonlocal):
            head("Nonlocal " + ", ".join(s.names))
        elif isinstance(s, ast.Try):
            head("Try"); self.depth += 1
            self.block("body", s.body)
            for h in s.handlers:
                name = f" as {h.name}" if h.name else ""
                self.line(f"[{h.lineno}] ExceptHandler{name}")
                self.depth += 1
                if h.type:
                    self.expr("type", h.type)
                self.block("body", h.body)
                self.depth -= 1
            self.block("orelse", s.orelse); self.block("finalbody", s.finalbody)
        elif isinstance(s, ast.Raise):
            head("Raise"); self.depth += 1
            if s.exc:
                self.expr("exc", s.exc)
            if s.cause:
                self.expr("cause", s.cause)
        elif isinstance(s, ast.Assert):
            head("Assert"); self.depth += 1
            self.expr("test", s.test)
            if s.msg:
                self.expr("msg", s.msg)
        elif isinstance(s, ast.Delete):
            head("Delete"); self.depth += 1
            for t in s.targets:
                self.expr(None, t)
        elif isinstance(s, ast.Import):
            head("Import " + aliases(s.names))
        elif isinstance(s, ast.ImportFrom):
            head(f"ImportFrom {s.module}: " + aliases(s.names))
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            head(type(s).__name__); self.depth += 1
            for item in s.items:
                self.expr("item", item.context_expr)
                if item.optional_vars:
                    self.expr("as", item.optional_vars)
            self.block("body", s.body)
        else:
            head(f"?{type(s).__name__}")
        self.depth = d

    def params(self, a):
        def one(label, arg, default=None):
            self.line(f"{label}: {arg.arg} {self.pos(arg)}")
            self.depth += 1
            if arg.annotation:
                self.expr("annotation", arg.annotation)
            if default:
                self.expr("default", default)
            self.depth -= 1
        defaults = [None] * (len(a.args) - len(a.defaults)) + a.defaults
        for arg, default in zip(a.args, defaults):
            one("arg", arg, default)
        if a.vararg:
            one("vararg", a.vararg)
        for arg, default in zip(a.kwonlyargs, a.kw_defaults):
            one("kwonly", arg, default)
        if a.kwarg:
            one("kwarg", a.kwarg)

    def keyword(self, k):
        self.line(f"keyword {k.arg or '**'} {self.pos(k)}")
        self.depth += 1; self.expr(None, k.value); self.depth -= 1

    def expr(self, label, e):
        at = self.pos(e)
        prefix = f"{label}: " if label else ""
        head = lambda text: self.line(f"{prefix}{text} {at}")
        d = self.depth
        if isinstance(e, ast.Name):
            head(f"Name {e.id}")
        elif isinstance(e, ast.Constant):
            head(f"Constant {constant(e.value)}")
        elif isinstance(e, ast.JoinedStr):
            head("FString"); self.depth += 1; self.fstring(e.values)
        elif isinstance(e, (ast.Tuple, ast.List, ast.Set)):
            head(type(e).__name__); self.depth += 1
            for x in e.elts:
                self.expr(None, x)
        elif isinstance(e, ast.Dict):
            head("Dict"); self.depth += 1
            for k, v in zip(e.keys, e.values):
                if k is None:
                    self.line("key: **")
                else:
                    self.expr("key", k)
                self.depth += 1; self.expr("value", v); self.depth -= 1
        elif isinstance(e, ast.Starred):
            head("Starred"); self.depth += 1; self.expr(None, e.value)
        elif isinstance(e, ast.Attribute):
            head(f"Attribute .{e.attr}"); self.depth += 1; self.expr(None, e.value)
        elif isinstance(e, ast.Subscript):
            head("Subscript"); self.depth += 1
            self.expr("value", e.value); self.expr("index", e.slice)
        elif isinstance(e, ast.Slice):
            head("Slice"); self.depth += 1
            for name in ("lower", "upper", "step"):
                part = getattr(e, name)
                if part:
                    self.expr(name, part)
        elif isinstance(e, ast.Call):
            head("Call"); self.depth += 1
            self.expr("func", e.func)
            for a in e.args:
                self.expr("arg", a)
            for k in e.keywords:
                self.keyword(k)
        elif isinstance(e, ast.BinOp):
            head(f"BinOp {OPS[type(e.op)]}"); self.depth += 1
            self.expr(None, e.left); self.expr(None, e.right)
        elif isinstance(e, ast.UnaryOp):
            head(f"UnaryOp {OPS[type(e.op)]}"); self.depth += 1; self.expr(None, e.operand)
        elif isinstance(e, ast.BoolOp):
            head(f"BoolOp {OPS[type(e.op)]}"); self.depth += 1
            for v in e.values:
                self.expr(None, v)
        elif isinstance(e, ast.Compare):
            head("Compare"); self.depth += 1
            self.expr(None, e.left)
            for op, right in zip(e.ops, e.comparators):
                self.expr(OPS[type(op)], right)
        elif isinstance(e, ast.IfExp):
            head("IfExp"); self.depth += 1
            self.expr("test", e.test); self.expr("body", e.body); self.expr("orelse", e.orelse)
        elif isinstance(e, ast.Lambda):
            head("Lambda"); self.depth += 1
            self.params(e.args); self.expr("body", e.body)
        elif isinstance(e, ast.Await):
            head("Await"); self.depth += 1; self.expr(None, e.value)
        elif isinstance(e, ast.Yield):
            head("Yield")
            if e.value:
                self.depth += 1; self.expr(None, e.value)
        elif isinstance(e, ast.YieldFrom):
            head("YieldFrom"); self.depth += 1; self.expr(None, e.value)
        elif isinstance(e, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            head(type(e).__name__.replace("GeneratorExp", "GeneratorExp")); self.depth += 1
            self.expr("elt", e.elt); self.generators(e.generators)
        elif isinstance(e, ast.DictComp):
            head("DictComp"); self.depth += 1
            self.expr("key", e.key); self.expr("value", e.value); self.generators(e.generators)
        else:
            head(f"?{type(e).__name__}")
        self.depth = d

    def generators(self, gens):
        for g in gens:
            self.line("async for:" if g.is_async else "for:")
            self.depth += 1
            self.expr("target", g.target); self.expr("iter", g.iter)
            for c in g.ifs:
                self.expr("if", c)
            self.depth -= 1

    def fstring(self, values):
        for v in values:
            if isinstance(v, ast.Constant):
                self.line(f"Literal {rust_debug(v.value)}")
            else:
                conv = f" !{chr(v.conversion)}" if v.conversion != -1 else ""
                self.line(f"Field{conv}")
                self.depth += 1
                self.expr(None, v.value)
                if v.format_spec:
                    self.line("spec:")
                    self.depth += 1; self.fstring(v.format_spec.values); self.depth -= 1
                self.depth -= 1


def constant(v):
    if v is None or v is True or v is False:
        return str(v)
    if v is ...:
        return "Ellipsis"
    if isinstance(v, float):
        return rust_float(v)
    if isinstance(v, str):
        return rust_debug(v)
    if isinstance(v, bytes):
        return "b'" + "".join(
            chr(b) if 32 <= b < 127 and b not in (39, 34, 92) else
            {9: "\\t", 10: "\\n", 13: "\\r", 39: "\\'", 34: '\\"', 92: "\\\\"}.get(b, "\\x%02x" % b)
            for b in v) + "'"
    return str(v)


def aliases(names):
    return ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in names)


def dump(path):
    source = pathlib.Path(path).read_text()
    # Lines as Python's tokenizer counts them: `str.splitlines` would also
    # split at form feeds and other separators.
    d = Dumper(source.replace("\r\n", "\n").split("\n"))
    for s in ast.parse(source).body:
        d.stmt(s)
    return "\n".join(d.out) + ("\n" if d.out else "")


def check():
    here = pathlib.Path(__file__).parent
    snapshots = here.parent.parent / "snapshots"
    differing = 0
    for case in sorted((here / "ok").glob("*.apy")):
        snap = snapshots / f"parse_snapshots__parse_ok_cases@{case.name}.snap"
        apy = snap.read_text().split("---\n", 2)[2].splitlines()
        cpython = dump(case).splitlines()
        strip = lambda ls: [l.split(" @")[0] + " @?" if "FunctionDef" in l else l for l in ls]
        apy, cpython = strip(apy), strip(cpython)
        while apy and not apy[-1]:
            apy.pop()
        if apy != cpython:
            differing += 1
            print(f"== {case.name}")
            import difflib
            for l in difflib.unified_diff(cpython, apy, "cpython", "apy", n=1, lineterm=""):
                print(l)
    print(f"{differing} cases differ")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
    else:
        print(dump(sys.argv[1]), end="")
