"""Generate float.tsv and int.tsv: CPython 3.11's answers for the number
algorithms in src/vm/object/{float,int}.rs.   Run: python3 gen_numbers.py"""
import math
import os
import random
import struct
import sys

from vectors_common import enc, err, fbits, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240611)


def rand_float():
    kind = rng.randrange(6)
    if kind == 0:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if kind == 1:
        return rng.uniform(-1000, 1000)
    if kind == 2:
        return rng.randint(-10**6, 10**6) / rng.choice([1, 2, 3, 7, 10, 100, 1000, 3.5])
    if kind == 3:
        return float(rng.randint(-100, 100)) * 10.0 ** rng.randint(-30, 30)
    if kind == 4:
        return rng.choice([1, -1]) * 10.0 ** rng.randint(-325, 308)
    return round(rng.uniform(-100, 100), rng.randint(0, 4))


SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -0.5, -1.5, 0.1, 0.2, 0.3, 1/3, 2/3,
           1e16, 1e15, 1e-5, 1e-4, 0.0001, 1.5e-7, 123456789012345.6, 1.2345678901234567e+16,
           9999999999999998.0, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
           1.7976931348623157e308, -1.7976931348623157e308, math.inf, -math.inf, math.nan,
           2.675, 0.125, 0.375, 1e300, 1e-300, 2.0**53, 2.0**63, -2.0**63, 2.0**64, 1e100,
           3.0, 7.0, -7.0, 1234.5, 0.015, 0.025, 2.5e-5, 12345678.9, 100.0, 1e-7, 4.35]

floats = SPECIAL + [rand_float() for _ in range(700)]
rows = []
for x in floats:
    rows.append(("repr", fbits(x), repr(x)))
    try:
        rows.append(("int", fbits(x), int(x)))
    except Exception as e:
        rows.append(("int", fbits(x), err(e)))
    try:
        rows.append(("round0", fbits(x), round(x)))
    except Exception as e:
        rows.append(("round0", fbits(x), err(e)))
    for nd in [0, 1, 2, 3, -1, -2, 5, 10, 17, 300, 400, -300, -400, rng.randint(-20, 20)]:
        try:
            rows.append(("round", fbits(x), nd, fbits(round(x, nd))))
        except Exception as e:
            rows.append(("round", fbits(x), nd, err(e)))
    rows.append(("is_integer", fbits(x), x.is_integer()))

pairs = [(a, b) for a in SPECIAL[:40] for b in SPECIAL[:40]]
pairs += [(rand_float(), rand_float()) for _ in range(1500)]
pairs += [(float(rng.randint(-20, 20)), float(rng.randint(-5, 5))) for _ in range(500)]
pairs += [(rng.uniform(-5, 5), float(rng.randint(-6, 6)) / 2) for _ in range(500)]
for a, b in pairs:
    for op, fn in [("floordiv", lambda a, b: a // b), ("mod", lambda a, b: a % b),
                   ("truediv", lambda a, b: a / b)]:
        try:
            rows.append((op, fbits(a), fbits(b), fbits(fn(a, b))))
        except Exception as e:
            rows.append((op, fbits(a), fbits(b), err(e)))
    try:
        q, r = divmod(a, b)
        rows.append(("divmod", fbits(a), fbits(b), fbits(q) + "," + fbits(r)))
    except Exception as e:
        rows.append(("divmod", fbits(a), fbits(b), err(e)))
    try:
        p = a ** b
        rows.append(("pow", fbits(a), fbits(b), "COMPLEX" if isinstance(p, complex) else fbits(p)))
    except Exception as e:
        rows.append(("pow", fbits(a), fbits(b), err(e)))

PARSE = ["1.5", " 1.5 ", "\t-2e10\n", "1_000.5", "1__0", "_1", "1_", "1_.5", "1._5", "1e1_0",
         "inf", "-inf", "+Infinity", "iNF", "nan", "-NaN", "infinit", "in_f", ".5", "5.", ".",
         "e5", "1e", "1e+", "1e-5", "0x10", "", " ", "1 2", "١٢٣", "١.٥", "\u3000 7 \u2028",
         "1.5j", "--1", "+-1", "0001.000", "1e400", "-1e400", "1e-400", "2.5E-3",
         "123456789012345678901234567890", "0.1e0_1", "1_0e1", "1\u00a0", "nan(1)", "+.5e-0",
         "1e0001", "12_34_56", "9" * 400, "0." + "0" * 400 + "1"]
for s in PARSE:
    try:
        rows.append(("parse", enc(s), fbits(float(s))))
    except ValueError as e:
        rows.append(("parse", enc(s), "ERR"))
for _ in range(500):
    x = rand_float()
    s = repr(x) if rng.random() < 0.5 else ("%." + str(rng.randint(0, 25)) + rng.choice("efg") + "") % x
    rows.append(("parse", enc(s), fbits(float(s))))

write(os.path.join(HERE, "float.tsv"), rows)

# ---------------------------------------------------------------- ints
def rand_int():
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randint(-100, 100)
    if kind == 1:
        return rng.randint(-2**63, 2**63 - 1)
    if kind == 2:
        return rng.choice([1, -1]) * rng.getrandbits(rng.randint(60, 300))
    if kind == 3:
        return rng.choice([2**63, -2**63, 2**63 - 1, -2**63 + 1, 2**64, 2**53, 2**53 + 1, 0, 1, -1])
    return rng.choice([1, -1]) * rng.getrandbits(rng.randint(1, 400))


irows = []
ints = [0, 1, -1, 2, -2, 7, -7, 2**63 - 1, -2**63, 2**63, 2**64 - 1, 10**20, -10**20,
        2**1023, 2**1024, 2**1024 - 1, 2**1024 - 2**970, 2**1024 - 2**971, 2**53 + 1,
        2**54 + 3, -(2**60 + 1)] + [rand_int() for _ in range(600)]
for a in ints:
    try:
        irows.append(("float", a, fbits(float(a))))
    except Exception as e:
        irows.append(("float", a, err(e)))
    irows.append(("bin", a, bin(a)))
    irows.append(("oct", a, oct(a)))
    irows.append(("hex", a, hex(a)))
    irows.append(("bit_length", a, a.bit_length()))
    irows.append(("invert", a, ~a))

ipairs = [(a, b) for a in ints[:21] for b in ints[:21]]
ipairs += [(rand_int(), rand_int()) for _ in range(700)]
ipairs += [(rand_int(), rng.randint(-50, 50)) for _ in range(500)]
ipairs += [(rng.randint(-2**80, 2**80), rng.randint(-2**80, 2**80) or 1) for _ in range(500)]
ipairs += [(rng.randint(-10**400, 10**400), rng.randint(-10**380, 10**380)) for _ in range(40)]
ipairs += [(2**1100 + rng.getrandbits(1000), 2**77 - rng.getrandbits(60)) for _ in range(30)]
ipairs += [(rng.getrandbits(60), 2**1100 + rng.getrandbits(1000)) for _ in range(30)]
for a, b in ipairs:
    for op, fn in [("floordiv", lambda a, b: a // b), ("mod", lambda a, b: a % b),
                   ("truediv", lambda a, b: a / b), ("and", lambda a, b: a & b),
                   ("or", lambda a, b: a | b), ("xor", lambda a, b: a ^ b)]:
        try:
            r = fn(a, b)
            irows.append((op, a, b, fbits(r) if isinstance(r, float) else r))
        except Exception as e:
            irows.append((op, a, b, err(e)))
    try:
        q, r = divmod(a, b)
        irows.append(("divmod", a, b, "%d,%d" % (q, r)))
    except Exception as e:
        irows.append(("divmod", a, b, err(e)))

for _ in range(800):
    a = rand_int() if rng.random() < 0.3 else rng.randint(-1000, 1000)
    b = rng.randint(-70, 70)
    try:
        irows.append(("shl", a, b, a << b))
    except Exception as e:
        irows.append(("shl", a, b, err(e)))
    try:
        irows.append(("shr", a, b, a >> b))
    except Exception as e:
        irows.append(("shr", a, b, err(e)))
for a, b in [(1, 10**30), (-1, 10**30), (0, 10**30), (5, -(10**30))]:
    try:
        irows.append(("shr", a, b, a >> b))
    except Exception as e:
        irows.append(("shr", a, b, err(e)))

pow_pairs = [(a, b) for a in [0, 1, -1, 2, -2, 3, 10, -10, 7, 2**40, -(2**70)]
             for b in [0, 1, 2, 3, 5, 10, 62, 63, 64, 100, -1, -2, -3, -10, -1075, -2000]]
pow_pairs += [(rng.randint(-1000, 1000), rng.randint(-30, 60)) for _ in range(500)]
pow_pairs += [(rng.choice([-1, 1]) * rng.getrandbits(200), rng.randint(-6, 6)) for _ in range(30)]
for a, b in pow_pairs:
    try:
        r = a ** b
        irows.append(("pow", a, b, fbits(r) if isinstance(r, float) else r))
    except Exception as e:
        irows.append(("pow", a, b, err(e)))
for _ in range(800):
    a = rand_int() if rng.random() < 0.5 else rng.randint(-100, 100)
    b = rng.randint(-20, 200) if rng.random() < 0.8 else rand_int()
    m = rng.choice([rng.randint(-100, 100), rand_int(), 1, -1, 0, 2**61 - 1])
    try:
        irows.append(("powmod", a, b, m, pow(a, b, m)))
    except Exception as e:
        irows.append(("powmod", a, b, m, err(e)))

PARSE_INT = [("0", 10), ("-0", 10), (" 12 ", 10), ("1_000", 10), ("1__0", 10), ("_1", 10),
             ("1_", 10), ("- 1", 10), ("", 10), ("abc", 10), ("abc", 16), ("0x1f", 16),
             ("0X1F", 0), ("-0x_1f", 0), ("0_x1", 0), ("0x", 16), ("0b101", 0), ("0b102", 0),
             ("0o17", 0), ("0o17", 8), ("017", 0), ("00", 0), ("0_0", 0), ("010", 10),
             ("0b1", 16), ("z", 36), ("Z", 36), ("1", 37), ("1", 1), ("1", -2), ("٣٤", 10),
             ("١٢x", 10), ("1 \u3000", 10), ("\u3000-5", 10), ("+7", 0), ("9223372036854775807", 10),
             ("9223372036854775808", 10), ("-9223372036854775808", 10), ("-9223372036854775809", 10),
             ("1" * 100, 10), ("1_" * 2500 + "1", 10), ("9" * 4300, 10), ("9" * 4301, 10),
             ("f" * 5000, 16), ("1" * 5000, 3), ("0" * 5000, 10), ("x" * 300, 10),
             ("1\n", 10), ("\t\n1", 0), ("0b_1", 0), ("0b__1", 0), ("0x1_", 0), ("1e5", 10),
             ("12.0", 10), ("It's", 10), ("é", 10), ("0B1", 2), ("0O7", 8), ("0o8", 8),
             ("0x1", 10), ("zz", 35), ("-", 10), ("+", 10), ("0 0", 10)]
def to_base(n, base):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = ""
    while True:
        out = digits[n % base] + out
        n //= base
        if n == 0:
            return sign + out


for _ in range(400):
    base = rng.choice([2, 8, 10, 16, 36, 0, 3, 7])
    n = rand_int() if rng.random() < 0.5 else rng.randint(-10**25, 10**25)
    if base == 0:
        s = rng.choice([str(n), hex(n), oct(n), bin(n)])
    else:
        s = to_base(n, base)
        if rng.random() < 0.3 and len(s) > 3:
            i = rng.randint(2, len(s) - 1)
            s = s[:i] + "_" + s[i:]
        if rng.random() < 0.3:
            s = s.upper()
    PARSE_INT.append((s, base))
for s, base in PARSE_INT:
    try:
        r = int(s, base)
        irows.append(("parse", enc(s), base, r if abs(r) < 10**4000 else "BIG:%d" % (r % 10**9)))
    except Exception as e:
        irows.append(("parse", enc(s), base, err(e)))
for n in [10**4299, 10**4300 - 1, 10**4300, -10**4299, -(10**4300 - 1), 2**14284, 2**14290, 10**5000, 2**100]:
    try:
        irows.append(("str", hex(n), len(str(n))))
    except Exception as e:
        irows.append(("str", hex(n), err(e)))

for a in ints[:200]:
    for nd in [-1, -2, -3, -5, -19, -20, -40, 0, 3, -(10**6)]:
        irows.append(("round", a, nd, round(a, nd)))
for n in [5, 15, 25, -5, -15, 1250, 1350, -1250, 10**30 + 5 * 10**9]:
    for nd in [-1, -2, -10]:
        irows.append(("round", n, nd, round(n, nd)))
cmp_floats = [0.0, -0.0, 0.5, -0.5, 1.0, 2.0**53, 2.0**53 + 2, 2.0**63, -2.0**63, 1e308,
              -1e308, float("inf"), float("-inf"), float("nan"), 3.5, -3.5, 1e20, 2.0**64]
cmp_ints = [0, 1, -1, 3, -3, 4, -4, 2**53, 2**53 + 1, 2**63, -2**63, 2**63 - 1, 10**20,
            2**64, 10**400, -10**400]
for a in cmp_ints:
    for x in cmp_floats:
        irows.append(("cmp", a, fbits(x), "lt" if a < x else "gt" if a > x else "eq" if a == x else "none"))

write(os.path.join(HERE, "int.tsv"), irows)
