"""Generate format_string.tsv: str.format results from CPython 3.11 for
src/vm/format_string.rs.   Run: python3 gen_format_string.py

Arguments are recorders: R('0'), R('1'), R('2') positionally and a, b, x,
name as keywords. A recorder formats as <path|spec>, so the output shows
which argument, accessors and spec each field resolved to; !r gives
R(path), !s gives S(path)."""
import os
import random
import sys

from vectors_common import enc, err, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(3)


class R:
    def __init__(self, path):
        self.path = path

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return R(self.path + "." + name)

    def __getitem__(self, key):
        return R(self.path + "[" + repr(key) + "]")

    def __format__(self, spec):
        return "<" + self.path + "|" + spec + ">"

    def __repr__(self):
        return "R(" + self.path + ")"

    def __str__(self):
        return "S(" + self.path + ")"


ARGS = (R("0"), R("1"), R("2"))
KWARGS = {k: R(k) for k in ["a", "b", "x", "name"]}

FIXED = ["", "abc", "{}", "{} {}", "{0} {1} {0}", "{a} {b}", "{0!r}", "{0!r", "{0!}", "{!r:}",
         "{0!x}", "{0!rr}", "{", "}", "a}b", "{0", "{0:", "{0[}", "{0[1]x}", "{0.}", "{0..a}",
         "{0[]}", "{:{:{}}}", "{0:{a{}}}", "{{}}", "{0:}}", "{a{}", "{0]}", "{0[1]]}", "{0!\x80}",
         "{0!é}", "{} {0}", "{0} {}", "{:{0}}", "{٣}", "{99999999999999999999}",
         "{0[99999999999999999999]}", "{0!r:{1!r}}", "{0:{1:{2}}}", "{0:{}}", "{x[0].y!r:>{b}} {{",
         "a {0} {name} {x[0].y!r:>{1}} {{", "{5}", "{zz}", "{0.a.b[c][0].d}", "{0[a b]}",
         "{0[{]}", "{0:{{}}}", "{:>{}}", "{:>{}} {}", "{0:{1}{2}}", "{!s:>8}", "{!a}", "{0[é]!a}",
         "{}}", "{{{}}}", "}}{{", "{ }", "{0 }", "{a.b c}", "{!}", "{:}", "{0:{a}:x}",
         "{name[0]!s:^{1}.{2}}", "{0:{1}}}", "{0}{", "x{0!r:}y", "{0[0]x}", "{0[0].}"]

PIECES = ["a", " ", "{{", "}}", "{", "}", "{}", "{0}", "{1}", "{2}", "{3}", "{a}", "{zz}",
          "{0.x}", "{0[1]}", "{0[k]}", "{x.y[2]}", "{!r}", "{0!s}", "{1!a}", "{0!q}",
          "{:>5}", "{0:^{1}}", "{0:{}}", "{:{}}", "{a:{b}}", "{0:{x.y}}", ":", "!", "[", "]",
          ".", "0", "{0:{1:{2}}}", "{0[}", "{name!r:>{1}}"]

rows = []


def add(template):
    try:
        result = template.format(*ARGS, **KWARGS)
    except Exception as e:
        result = err(e)
    rows.append(("fmt", enc(template), result if result.startswith("ERR:") else enc(result)))


for t in FIXED:
    add(t)
for _ in range(3000):
    add("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))))
write(os.path.join(HERE, "format_string.tsv"), rows)
