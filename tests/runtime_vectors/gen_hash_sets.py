"""Generate hash.tsv and set.tsv from CPython 3.11.   Run: python3 gen_hash_sets.py

set.tsv holds scenarios in a tiny step language that set_table.rs's test
replays; the expected field is the iteration order CPython produced.
Steps (space separated):
  A=add:k,k,...     A = set() then A.add(k) for each k (also set(list), {x, y})
  A=merge:k,k,...   A = set(); A |= frozenset(built by adds): what a display of
                    3+ constants compiles to in 3.11 (BUILD_SET, SET_UPDATE)
  A=dict:k,k,...    A = set(dict.fromkeys(ks))  (the dict path of set_update)
  A.add:k,..  A.discard:k,..  A.pop:n  A.clear  C=A.copy
  A.update:k,..  A.difference_update:k,..  A.intersection_update:k,..
                    the same methods called with a list (the iterable paths)
  C=A|B  C=A&B  C=A-B  C=A^B  A|=B  A&=B  A-=B  A^=B
Expected: 'A:[..];B:[..];C:[..];popped:[..]' for the sets the scenario names.
"""
import os
import random
import sys

from vectors_common import fbits, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)

# ---------------------------------------------------------------- hashes
rows = []
ints = [0, 1, -1, -2, 2**61 - 2, 2**61 - 1, 2**61, -(2**61 - 1), -(2**61), 2**63 - 1, -2**63,
        2**64, 10**20, -10**20, 2**122 - 2, 2**122 - 1, 2**200 + 12345, -(2**61 * 3 + 1)]
ints += [rng.randint(-2**70, 2**70) for _ in range(400)]
ints += [rng.choice([1, -1]) * rng.getrandbits(rng.randint(1, 500)) for _ in range(300)]
for n in ints:
    rows.append(("int", n, hash(n)))
import struct
floats = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, 1e100, -1e-100, 5e-324, 1.7976931348623157e308,
          float("inf"), float("-inf"), 2.0**61, 2.0**62, 2.0**-61, 0.1, 123.456, 9e15, 1e16]
floats += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(600)]
floats += [rng.uniform(-1e6, 1e6) for _ in range(200)]
for x in floats:
    if x == x:
        rows.append(("float", fbits(x), hash(x)))
for _ in range(200):
    items = [rng.choice([rng.randint(-5, 5), rng.getrandbits(80), -1]) for _ in range(rng.randint(0, 6))]
    rows.append(("tuple", ",".join(map(str, items)), hash(tuple(items))))
    rows.append(("frozenset", ",".join(map(str, set(items))), hash(frozenset(items))))
write(os.path.join(HERE, "hash.tsv"), rows)

# ---------------------------------------------------------------- sets
def rand_key():
    k = rng.randrange(10)
    if k < 5:
        return rng.randint(-5, 60)
    if k < 7:
        return rng.randint(-10**6, 10**6)
    if k < 8:
        return rng.choice([-1, -2, 2**61 - 1, 2**61, 2**61 + 5, 10**20, -(10**20), 2**64 + 8])
    if k < 9:
        return rng.randint(0, 8) * 8 + rng.choice([0, 32, 64, 1024, 2**20])
    return rng.getrandbits(64) - 2**63


def keys(n):
    return [rand_key() for _ in range(n)]


def fmt(xs):
    return "[" + ",".join(map(str, xs)) + "]"


def build(kind, ks):
    s = set()
    if kind == "add":
        for k in ks:
            s.add(k)
    elif kind == "dict":
        s = set(dict.fromkeys(ks))
    else:
        f = frozenset(ks)  # frozenset(list) adds one by one
        s |= f
    return s


def scenario():
    steps = []
    env = {}
    popped = []
    for name in "AB":
        kind = rng.choice(["add", "add", "merge", "dict"])
        ks = keys(rng.choice([0, 1, 3, 5, 8, 12, 20, 40, 100, 200]))
        steps.append("%s=%s:%s" % (name, kind, ",".join(map(str, ks))))
        env[name] = build(kind, ks)
    for _ in range(rng.randint(0, 4)):
        op = rng.choice(["add", "discard", "pop", "clear", "copy", "|", "&", "-", "^",
                         "|=", "&=", "-=", "^=", "discard", "pop", "-", "&", "update",
                         "difference_update", "intersection_update"])
        target = rng.choice("AB")
        other = "B" if target == "A" else "A"
        if op in ("update", "difference_update", "intersection_update"):
            pool = list(env[target]) + keys(8)
            ks = [rng.choice(pool) for _ in range(rng.randint(0, 40))]
            steps.append("%s.%s:%s" % (target, op, ",".join(map(str, ks))))
            getattr(env[target], op)(ks)
        elif op in ("add", "discard"):
            pool = list(env[target]) + keys(5)
            ks = [rng.choice(pool) for _ in range(rng.randint(1, 30))]
            steps.append("%s.%s:%s" % (target, op, ",".join(map(str, ks))))
            for k in ks:
                getattr(env[target], op)(k)
        elif op == "pop":
            n = rng.randint(1, 5)
            steps.append("%s.pop:%d" % (target, n))
            for _ in range(n):
                if env[target]:
                    popped.append(env[target].pop())
        elif op == "clear":
            steps.append("%s.clear" % target)
            env[target].clear()
        elif op == "copy":
            steps.append("C=%s.copy" % target)
            env["C"] = env[target].copy()
        elif op.endswith("="):
            steps.append("%s%s%s" % (target, op, other))
            a, b = env[target], env[other]
            if op == "|=":
                a |= b
            elif op == "&=":
                a &= b
            elif op == "-=":
                a -= b
            else:
                a ^= b
        else:
            steps.append("C=%s%s%s" % (target, op, other))
            a, b = env[target], env[other]
            env["C"] = {"|": a | b, "&": a & b, "-": a - b, "^": a ^ b}[op]
    out = ";".join("%s:%s" % (n, fmt(list(env[n]))) for n in sorted(env))
    return " ".join(steps), out + ";popped:" + fmt(popped)


srows = []
fixed = [
    ("A=add:3,1,2", None), ("A=merge:3,1,2", None),
    ("A=add:" + ",".join(map(str, range(20))) + " A.discard:5", None),
    ("A=add:-1,100000000000000000000,7", None), ("A=merge:-1,100000000000000000000,7", None),
    ("A=add:" + ",".join(map(str, range(20))) + " B=add:5 C=A-B", None),
]
for steps, _ in fixed:
    # Replay the fixed steps with the same interpreter as random ones.
    env = {}
    popped = []
    for step in steps.split():
        name, rest = step.split("=", 1) if "=" in step and ":" in step and step.index("=") < step.index(":") else (None, step)
        if name and rest.startswith(("add:", "merge:")):
            kind, ks = rest.split(":")
            env[name] = build(kind, [int(k) for k in ks.split(",")])
        elif step.startswith(("A.discard", "B.discard")):
            for k in step.split(":")[1].split(","):
                env[step[0]].discard(int(k))
        elif step == "C=A-B":
            env["C"] = env["A"] - env["B"]
    out = ";".join("%s:%s" % (n, fmt(list(env[n]))) for n in sorted(env))
    srows.append(("set", steps, out + ";popped:" + fmt(popped)))
for _ in range(900):
    srows.append(("set",) + scenario())
write(os.path.join(HERE, "set.tsv"), srows)
