"""Generate str.tsv: CPython 3.11's answers for the str algorithms in
src/vm/object/{str_methods,str_case,str_repr,unicode}.rs.   Run: python3 gen_str.py

Rows: method, the string, encoded arguments (N = None, i:<int>, s:<text>,
b:<bool>), then repr() of the result or ERR:<type>:<message>."""
import os
import random
import sys

from vectors_common import enc, err, write

assert sys.version_info[:2] == (3, 11)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(5)

TEXTS = ["", "a", "abc", "hello world", "  hello  world  ", "a,b,,c", ",a,", "aaa", "abcabcabc",
         "\t x\n y \r\n z\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000end",
         "line1\nline2\r\nline3\rline4\n", "\n\n", "ΣΑΣ ΟΔΟΣ. ΣΑΣ", "ὈΔΥΣΣΕΎΣ", "İstanbul",
         "straße ﬁne ﬂ", "ǅemal ǈ ǋ", "they're bill's friends", "hello_World 123", "١٢٣", "²³½",
         "Ⅷ 〇", "日本語テキスト", "emoji 😀 ok", "a\u0301e\u0301", "MiXeD CaSe", "ABC", "Abc Def",
         "ABC def", "_id3", "3id", "x" * 30, "tab\there\tx", "-42", "+7", "42", "é", "ß", "ŉ",
         "Σ", "aΣ", "aΣb", "aΣ.", "a.Σ", "'Σ'", "ﬃ", "\x00\x7f", "quote's \"dq\"", "back\\slash",
         "\u0345", "ΐ", "ᾳ", "ᾼ", "\ud7ff\ue000\U0010ffff", "\u200b\u200d", "a b\tc  d"]
SUBS = ["", "a", "b", "ab", "bc", "abc", " ", ",", "Σ", "l", "o", "xx", "\n", "é", "😀", "in"]


def rand_index():
    return rng.choice([None, None, 0, 1, 2, 3, -1, -2, -3, 5, 10, 100, -100])


def arg(v):
    if v is None:
        return "N"
    if isinstance(v, bool):
        return "b:%s" % v
    if isinstance(v, int):
        return "i:%d" % v
    return "s:" + enc(v)


rows = []


def add(method, text, *args):
    try:
        if method == "slice":
            result = text[slice(*args)]
        elif method == "repr":
            result = repr(text)
            result = result  # compared as text, not repr'd again
        elif method == "ascii":
            result = ascii(text)
        elif method == "len":
            result = len(text)
        else:
            call_args = list(args)
            while call_args and call_args[-1] is None and method in (
                    "find", "rfind", "index", "rindex", "count", "startswith", "endswith"):
                call_args.pop()
            result = getattr(text, method)(*call_args)
        shown = result if method in ("repr", "ascii") else repr(result)
        rows.append((method, enc(text)) + tuple(arg(a) for a in args) + (enc(shown),))
    except Exception as e:
        rows.append((method, enc(text)) + tuple(arg(a) for a in args) + (err(e),))


for text in TEXTS:
    for method in ["upper", "lower", "casefold", "title", "capitalize", "swapcase", "isdigit",
                   "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace", "isprintable",
                   "isascii", "islower", "isupper", "istitle", "isidentifier", "strip", "lstrip",
                   "rstrip", "splitlines", "repr", "ascii", "len"]:
        if method in ("strip", "lstrip", "rstrip"):
            add(method, text, None)
            add(method, text, rng.choice(["a", "ab", " x", "Σ", "", "hd", "\n "]))
        elif method == "splitlines":
            add(method, text, False)
            add(method, text, True)
        else:
            add(method, text)
    for _ in range(12):
        method = rng.choice(["find", "rfind", "index", "rindex", "count", "startswith", "endswith"])
        add(method, text, rng.choice(SUBS + [text[1:3], text[-2:]]), rand_index(), rand_index())
    for sep in [None, " ", ",", "", "ab", "Σ", "\n"]:
        for maxsplit in [-1, 0, 1, 2]:
            add("split", text, sep, maxsplit)
            add("rsplit", text, sep, maxsplit)
    for _ in range(4):
        add("replace", text, rng.choice(SUBS), rng.choice(["", "-", "XY", "é"]),
            rng.choice([-1, 0, 1, 2, 5]))
    for sep in ["", " ", "a", ",", "Σ", "zz"]:
        add("partition", text, sep)
        add("rpartition", text, sep)
    for width in [-1, 0, 3, 4, 5, 10, 11]:
        fill = rng.choice([" ", "*", "é"])
        add("center", text, width, fill)
        add("ljust", text, width, fill)
        add("rjust", text, width, fill)
        add("zfill", text, width)
    for tab in [-1, 0, 1, 4, 8]:
        add("expandtabs", text, tab)
    for _ in range(6):
        step = rng.choice([None, 1, 2, 3, -1, -2, -3])
        add("slice", text, rand_index(), rand_index(), step)

# Every property and mapping of a sample of single characters.
codes = list(range(0x80, 0x800)) + [rng.randrange(0x800, 0x30000) for _ in range(6000)]
codes += [rng.randrange(0x30000, 0x110000) for _ in range(300)]
for code in codes:
    if 0xD800 <= code <= 0xDFFF:
        continue
    c = chr(code)
    flags = "".join("1" if getattr(c, m)() else "0" for m in
                    ["isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace",
                     "isprintable", "islower", "isupper", "istitle", "isidentifier"])
    rows.append(("char", "%x" % code, flags, enc(c.upper()), enc(c.lower()), enc(c.title()),
                 enc(c.casefold()), enc(repr(c))))
write(os.path.join(HERE, "str.tsv"), rows)
