"""Generate format_percent.tsv: printf-style `template % args` results from
CPython 3.11 for src/vm/format_percent.rs.   Run: python3 gen_format_percent.py

Row: template, argument mode (tuple, single or dict), the arguments
(i:<int>, f:<float bits>, s:<text>, b:<bool>; dict items as key=<arg>),
then the result or ERR:<type>:<message>."""
import os
import random
import sys

from vectors_common import enc, err, fbits, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(13)


def token(v):
    if isinstance(v, bool):
        return "b:%s" % v
    if isinstance(v, int):
        return "i:%d" % v
    if isinstance(v, float):
        return "f:" + fbits(v)
    return "s:" + enc(v)


rows = []


def add(template, args):
    try:
        result = enc(template % args)
    except Exception as e:
        result = err(e)
    if isinstance(args, tuple):
        fields = ["tuple"] + [token(a) for a in args]
    elif isinstance(args, dict):
        fields = ["dict"] + ["%s=%s" % (k, token(v)) for k, v in args.items()]
    else:
        fields = ["single", token(args)]
    rows.append((enc(template), *fields, result))


VALUES = [0, 1, -1, 5, -5, 42, 255, -255, 65, 2**70, -(2**70), 3.7, -3.7, 0.0, -0.0, 2.5, 1e20,
          1e-5, 123.456, float("inf"), float("nan"), True, False, "a", "ab", "é", "hello",
          "it's", 0x1F600, 0x110000, 10**400]
TYPES = list("diuoxXeEfFgGcsra") + ["z", "%"]


def rand_conversion():
    out = "%"
    for flag in "-+ #0":
        if rng.random() < 0.15:
            out += flag
    r = rng.random()
    if r < 0.4:
        out += str(rng.choice([1, 3, 5, 8, 12]))
    elif r < 0.45:
        out += "*"
    r = rng.random()
    if r < 0.35:
        out += "." + str(rng.choice([0, 1, 2, 3, 6, 10]))
    elif r < 0.4:
        out += ".*"
    elif r < 0.42:
        out += "."
    if rng.random() < 0.05:
        out += rng.choice("hlL")
    return out + rng.choice(TYPES)


FIXED = [("%5%", ()), ("%5%", (1,)), ("%-05d", (-5,)), ("%+s", ("ab",)), ("%05s", ("ab",)),
         ("%#x", (255,)), ("%#08X", (255,)), ("%#8o", (8,)), ("%+.3d", (5,)), ("%.3x", (-5,)),
         ("% d", (5,)), ("%d", (3.7,)), ("%x", (3.7,)), ("%d", ("a",)), ("%c", ("ab",)),
         ("%c", (65,)), ("%c", (-1,)), ("%c", (65.0,)), ("%z", (1,)), ("%", ()), ("%(a)s", (1,)),
         ("%(a", {"a": 1}), ("%(a)s %(b)r", {"a": 1, "b": "x"}), ("%s %s", (1,)), ("%s", (1, 2)),
         ("%*d", (5, 3)), ("%-*d|", (-5, 3)), ("%.*f", (2, 3.14159)), ("%*.*f", (8, 2, 3.14159)),
         ("%ld %hi %Lf", (1, 2, 3.0)), ("%10.3s|", ("abcdef",)), ("%.0f", (2.5,)),
         ("%#.0f", (2.5,)), ("%g", (1e20,)), ("%F", (float("inf"),)), ("%e", (0,)),
         ("%d%%", (50,)), ("%r", ("é",)), ("%a", ("é",)), ("%i %u", (1, 2)), ("%s", "abc"),
         ("%d", (True,)), ("%x", (True,)), ("%s", (True,)), ("%5c|", ("x",)), ("%-5c|", (65,)),
         ("%d", (float("inf"),)), ("%.2147483648f", (1.0,)), ("abc", ()), ("abc", (1,)),
         ("abc", {"a": 1}), ("%c", (0x110000,)), ("%5.1f%%", (99.5,)), ("%+05d", (5,)),
         ("%+-5d|", (5,)), ("% 05.1f", (2.25,)), ("%#5x", (-255,)), ("%#05x", (-255,)),
         ("%0#5o", (8,)), ("%s", 5), ("%d", 5.5), ("%s %s", 5), ("%(a)d|%(b)5s", {"a": 2, "b": "x"}),
         ("%((a))s", {"(a)": 1}), ("%.3s", ("é日本語",)), ("%x", (2**70,)), ("%#o", (0,)),
         ("%.0e", (12345.0,)), ("%#g", (1.0,)), ("%10.4G", (1e-10,)), ("%-+8.2f|", (3.14159,)),
         ("%e", ("x",)), ("%f", (10**400,)), ("%s%", (1,)), ("%\x80", (1,)), ("%é", (1,))]
for template, args in FIXED:
    add(template, args)
for _ in range(4000):
    n = rng.randint(1, 3)
    template = "".join(rng.choice(["", "x", " ", "|"]) + rand_conversion() for _ in range(n))
    args = tuple(rng.choice(VALUES) for _ in range(n + rng.choice([0, 0, 0, 0, 0, 1, -1])))
    if "*" in template:
        # Counts stay small: a width of 0x110000 would make megabyte rows.
        small_values = [v for v in VALUES if not (isinstance(v, int) and abs(v) > 1000)]
        args = tuple(rng.choice([rng.randint(-12, 12), rng.choice(small_values)]) for _ in range(n * 2))
    add(template, args)
# Conversions given values of a fitting type, so most of these succeed.
FITTING = {"d": [0, 7, -42, 2**70, 3.7, True], "o": [0, 8, -8, 2**40], "x": [255, -255, 2**70],
           "e": [0.0, -2.5, 1e20, 123.456, 7, float("nan")], "c": [65, "x", 0x1F600],
           "s": ["ab", "é", 5, 2.5, None], "r": ["it's", 1.5], "a": ["é😀"]}
for _ in range(2500):
    conversion = rand_conversion()
    kind = conversion[-1]
    group = {"i": "d", "u": "d", "X": "x", "E": "e", "f": "e", "F": "e", "g": "e", "G": "e"}.get(kind, kind)
    if group not in FITTING or "*" in conversion:
        continue
    value = rng.choice(FITTING[group])
    if value is None:
        continue
    add("<" + conversion + ">", (value,))
write(os.path.join(HERE, "format_percent.tsv"), rows)
