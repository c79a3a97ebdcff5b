"""Generate src/vm/object/unicode_tables.rs from CPython's own answers.

Run with CPython 3.11 (Unicode 14.0):
    python3 tests/runtime_vectors/gen_unicode_tables.py > src/vm/object/unicode_tables.rs

Every table is read off the str methods of the running interpreter, so apy's
predicates and case mappings agree with CPython 3.11 character for character
(Rust's own char methods follow a newer Unicode and other definitions).
"""
import sys
import unicodedata

assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"

ALL = [chr(c) for c in range(0x110000)]


def ranges(pred):
    out = []
    start = None
    for c in range(0x110000):
        if pred(ALL[c]):
            if start is None:
                start = c
        elif start is not None:
            out.append((start, c - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def emit_ranges(name, doc, table):
    print(f"/// {doc}")
    print(f"pub(crate) static {name}: &[(u32, u32)] = &[")
    line = "   "
    for a, b in table:
        item = f" (0x{a:X}, 0x{b:X}),"
        if len(line) + len(item) > 99:
            print(line)
            line = "   "
        line += item
    if line.strip():
        print(line)
    print("];")
    print()


def sigma_is_final(text):
    return text.lower()[1] == "\u03c2"


def case_ignorable(c):
    # CPython's lower() turns a capital sigma into a final sigma only when no
    # cased letter follows it, skipping case-ignorable characters. Asking
    # lower() about 'AΣ' + c (+ 'A') reveals whether c is case-ignorable.
    return sigma_is_final("A\u03a3" + c) and not sigma_is_final("A\u03a3" + c + "A")


def cased(c):
    return c.islower() or c.isupper() or unicodedata.category(c) == "Lt"


def run_encode(pairs):
    """Compress (code, mapped_code) pairs into runs (first, last, stride, delta)."""
    runs = []
    i = 0
    while i < len(pairs):
        c, m = pairs[i]
        delta = m - c
        if i + 1 < len(pairs) and pairs[i + 1][1] - pairs[i + 1][0] == delta:
            stride = pairs[i + 1][0] - c
        else:
            stride = 1
        last = c
        j = i + 1
        while j < len(pairs) and pairs[j][0] == last + stride and pairs[j][1] - pairs[j][0] == delta:
            last = pairs[j][0]
            j += 1
        runs.append((c, last, stride, delta))
        i = j
    return runs


def emit_case(name, doc, mapping, include=None):
    """`include(c)` picks the characters listed (default: those the mapping
    changes); a mapping to the character itself is listed when included."""
    singles = []
    multis = []
    for c in range(0x110000):
        if c < 128:
            continue  # ASCII is handled by fast paths
        m = mapping(ALL[c])
        if not (include(ALL[c]) if include else m != ALL[c]):
            continue
        if len(m) == 1:
            singles.append((c, ord(m)))
        else:
            multis.append((c, m))
    runs = run_encode(singles)
    print(f"/// {doc}: runs `(first, last, stride, delta)` of one-character mappings.")
    print(f"pub(crate) static {name}_RUNS: &[(u32, u32, u32, i32)] = &[")
    line = "   "
    for r in runs:
        item = f" (0x{r[0]:X}, 0x{r[1]:X}, {r[2]}, {r[3]}),"
        if len(line) + len(item) > 99:
            print(line)
            line = "   "
        line += item
    if line.strip():
        print(line)
    print("];")
    print(f"/// {doc}: characters that map to more than one character.")
    print(f"pub(crate) static {name}_MULTI: &[(u32, &str)] = &[")
    for c, m in multis:
        esc = "".join(f"\\u{{{ord(x):X}}}" for x in m)
        print(f'    (0x{c:X}, "{esc}"),')
    print("];")
    print()


print("//! Unicode tables for the str methods, generated from CPython 3.11 itself")
print("//! (Unicode 14.0) by `tests/runtime_vectors/gen_unicode_tables.py`.")
print("//! Do not edit by hand: change the script and regenerate.")
print("//!")
print("//! Range tables are sorted, inclusive `(first, last)` pairs searched by")
print("//! binary search; the lookup functions live in `unicode.rs`.")
print()

emit_ranges("WHITESPACE", "`c.isspace()` (also what `split()` and `strip()` remove).", ranges(str.isspace))
emit_ranges("PRINTABLE", "`c.isprintable()`: what `repr` shows unescaped.", ranges(str.isprintable))
emit_ranges("ALPHA", "`c.isalpha()`: general categories Lu, Ll, Lt, Lm, Lo.", ranges(str.isalpha))
emit_ranges("DIGIT", "`c.isdigit()`.", ranges(str.isdigit))
emit_ranges("NUMERIC", "`c.isnumeric()`.", ranges(str.isnumeric))
emit_ranges("LOWER", "`c.islower()` for one character: the Lowercase property.", ranges(str.islower))
emit_ranges("UPPER", "`c.isupper()` for one character: the Uppercase property.", ranges(str.isupper))
emit_ranges("TITLE", "General category Lt (titlecase letters such as U+01C5).",
            ranges(lambda c: unicodedata.category(c) == "Lt"))
emit_ranges("CASED", "The Cased property (lowercase, uppercase or titlecase).", ranges(cased))
emit_ranges("CASE_IGNORABLE", "The Case_Ignorable property (used by `lower()` for final sigma).",
            ranges(case_ignorable))
emit_ranges("IDENTIFIER_START", "May start an identifier: XID_Start or `_`.", ranges(str.isidentifier))
emit_ranges("IDENTIFIER_CONTINUE", "May continue an identifier: XID_Continue.",
            ranges(lambda c: ("a" + c).isidentifier()))

zeros = []
for c in range(0x110000):
    ch = ALL[c]
    if ch.isdecimal():
        v = unicodedata.decimal(ch)
        if v == 0:
            zeros.append(c)
        else:
            assert c - v in zeros, hex(c)
print("/// The digit zero of every decimal-digit run: each run is ten consecutive")
print("/// code points with values 0 to 9 (`c.isdecimal()`).")
print("pub(crate) static DECIMAL_ZEROS: &[u32] = &[")
line = "   "
for z in zeros:
    item = f" 0x{z:X},"
    if len(line) + len(item) > 99:
        print(line)
        line = "   "
    line += item
print(line)
print("];")
print()

emit_case("UPPER_MAP", "`c.upper()`", str.upper)
emit_case("LOWER_MAP", "`c.lower()`", str.lower)
emit_case("TITLE_DIFF_MAP", "`c.title()` where it differs from `c.upper()`",
          str.title, lambda c: c.title() != c.upper())
emit_case("FOLD_DIFF_MAP", "`c.casefold()` where it differs from `c.lower()`",
          str.casefold, lambda c: c.casefold() != c.lower())
