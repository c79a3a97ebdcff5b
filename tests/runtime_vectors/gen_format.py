"""Generate format.tsv: format(value, spec) answers from CPython 3.11 for
src/vm/format_spec.rs.   Run: python3 gen_format.py"""
import os
import random
import sys

from vectors_common import enc, err, fbits, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(11)

INTS = [0, 1, -1, 7, -7, 42, 255, -255, 1234, -1234, 65, 10**6, 1234567, -9876543210,
        2**63 - 1, -2**63, 2**64, -(2**70), 10**30 + 7, 0x1F600, 0x110000]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1234.5, -1234.5, 0.1, 1/3, 2/3,
          1e16, 1e-5, 1.5e-7, 123456789.125, 1e100, 1e-100, 5e-324, 1.7976931348623157e308,
          float("inf"), float("-inf"), float("nan"), 0.0001, 0.00001234, 99.995, 9.9999, 0.05, 1e22,
          12345.678, -0.001, 100.0, 1e15, 999999.5, 0.5e-4]
STRS = ["", "a", "ab", "hello", "é", "日本語", "x y", "\t"]

FILLS = ["", "", "", "*", "0", "x", " ", "é", "<", "{"]
ALIGNS = ["", "", "<", ">", "^", "="]
SIGNS = ["", "", "+", "-", " "]
TYPES_INT = ["", "d", "b", "o", "x", "X", "n", "c", "e", "f", "g", "%", "E", "G", "F"]
TYPES_FLOAT = ["", "e", "E", "f", "F", "g", "G", "n", "%"]


def rand_spec(types):
    parts = []
    align = rng.choice(ALIGNS)
    if align:
        parts.append(rng.choice(FILLS) + align)
    parts.append(rng.choice(SIGNS))
    if rng.random() < 0.1:
        parts.append("z")
    if rng.random() < 0.2:
        parts.append("#")
    if rng.random() < 0.25:
        parts.append("0")
    if rng.random() < 0.6:
        parts.append(str(rng.choice([1, 2, 3, 5, 8, 10, 12, 15, 20, 25])))
    g = rng.random()
    if g < 0.15:
        parts.append(",")
    elif g < 0.25:
        parts.append("_")
    if rng.random() < 0.4:
        parts.append("." + str(rng.choice([0, 1, 2, 3, 4, 6, 10, 17, 20])))
    parts.append(rng.choice(types))
    return "".join(parts)


rows = []


def add(kind, value, spec):
    try:
        result = format(value, spec)
    except Exception as e:
        result = err(e)
    if kind == "int":
        shown = str(value)
    elif kind == "float":
        shown = fbits(value)
    else:
        shown = enc(value)
    rows.append((kind, shown, enc(spec), enc(result) if not result.startswith("ERR:") else result))


FIXED = ["", "d", "5", "<5", ">5", "^5", "=5", "05", "010,", "0=10_", "012,", "#010x", "#X",
         "#_b", ",d", ",", "_", "+", " ", "-", ".2", "z", "+c", "#c", ",_", "_,", ",b", "_b", "_x",
         "_n", ",n", ",s", "abc", ".", "99999999999999999999", "s", "c", "%", ".0", ".3", "#",
         "#.0f", "#.0e", "#g", "#.3g", ".2f", ".0f", "10.2f", "+.3e", "-^12,.2f", "0>8", "*<8",
         "\x00<5", "\x80", "x<0", "=", "0", "00", "010", ">010", "<010", "^010", ".2%", "z.2f",
         "z.1f", "z.0f", "zg", ".20f", ".17g", ".16", ".17", "#.17", "n", ".3n", "12n", "_g",
         ",.2f", ",.0f", ",e", "_%", ".2147483648f", ",.2%", "0=+12,.3f", "G", "F", "E", "#o",
         "#b", "+#x", " #X", "c<", "x=+8", "=+08", "=^8", "^^8", "0^8", ".1200f", ".1200e", ".1200g",
         "#.1200g", ".1100f"]
for v in INTS:
    for s in FIXED:
        add("int", v, s)
for v in FLOATS:
    for s in FIXED:
        add("float", v, s)
for v in STRS:
    for s in FIXED + ["<10", ">10", "^10", "^11", ".1", ".0", "10.3", "*^9.2", "é>4"]:
        add("str", v, s)
for _ in range(3000):
    add("int", rng.choice(INTS + [rng.randint(-10**8, 10**8), rng.randint(-10**25, 10**25)]),
        rand_spec(TYPES_INT))
for _ in range(4000):
    v = rng.choice(FLOATS + [rng.uniform(-1e6, 1e6), rng.uniform(-1, 1), rng.randint(-999, 999) / 8,
                              10.0 ** rng.randint(-20, 25) * rng.choice([1, -1, 1.5, 9.99])])
    add("float", v, rand_spec(TYPES_FLOAT))
for _ in range(800):
    add("str", rng.choice(STRS), rand_spec(["", "s", "d"]))
write(os.path.join(HERE, "format.tsv"), rows)
