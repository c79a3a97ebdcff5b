"""Shared helpers for the runtime test-vector generators.

Each generator writes a .tsv file next to this one: one case a line, fields
separated by tabs. Text fields are escaped so that tabs, newlines and
unprintable characters survive: backslash, \\t, \\n and \\u{HEX}.
The Rust side decodes them in src/vm/object/test_vectors.rs.
"""
import struct


def enc(s):
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == "\t":
            out.append("\\t")
        elif c == "\n":
            out.append("\\n")
        elif not c.isprintable():
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def fbits(x):
    """A float as the hex of its bits, or 'nan' (NaN signs are not observable)."""
    if x != x:
        return "nan"
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def err(e):
    return "ERR:%s:%s" % (type(e).__name__, enc(str(e)))


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
