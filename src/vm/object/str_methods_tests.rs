//! Checks the str algorithms against `tests/runtime_vectors/str.tsv`
//! (CPython 3.11's answers, made by `gen_str.py`).

use super::*;
use crate::vm::object::str_case::*;
use crate::vm::object::str_repr::{str_ascii, str_repr};
use crate::vm::object::test_vectors::rows;

const VECTORS: &str = include_str!("../../../tests/runtime_vectors/str.tsv");

enum Arg {
    None,
    Int(i64),
    Text(String),
    Bool(bool),
}

fn parse_arg(field: &str) -> Arg {
    if field == "N" {
        Arg::None
    } else if let Some(n) = field.strip_prefix("i:") {
        Arg::Int(n.parse().unwrap())
    } else if let Some(b) = field.strip_prefix("b:") {
        Arg::Bool(b == "True")
    } else {
        Arg::Text(field.strip_prefix("s:").expect("bad argument").to_string())
    }
}

impl Arg {
    fn int(&self) -> Option<i64> {
        match self {
            Arg::Int(n) => Some(*n),
            Arg::None => None,
            _ => panic!("expected an int"),
        }
    }
    fn text(&self) -> Option<&str> {
        match self {
            Arg::Text(t) => Some(t),
            Arg::None => None,
            _ => panic!("expected a str"),
        }
    }
    fn boolean(&self) -> bool {
        matches!(self, Arg::Bool(true))
    }
}

fn py_bool(b: bool) -> String {
    if b { "True" } else { "False" }.to_string()
}

fn py_list(items: &[&str]) -> String {
    let shown: Vec<String> = items.iter().map(|s| str_repr(s)).collect();
    format!("[{}]", shown.join(", "))
}

fn py_tuple(items: (&str, &str, &str)) -> String {
    format!(
        "({}, {}, {})",
        str_repr(items.0),
        str_repr(items.1),
        str_repr(items.2)
    )
}

fn py_error(error: StrError) -> String {
    format!("ERR:ValueError:{}", error.message())
}

fn call(method: &str, text: &str, args: &[Arg]) -> String {
    let a = |i: usize| &args[i];
    match method {
        "find" => find(text, a(0).text().unwrap(), a(1).int(), a(2).int()).to_string(),
        "rfind" => rfind(text, a(0).text().unwrap(), a(1).int(), a(2).int()).to_string(),
        "index" => index(text, a(0).text().unwrap(), a(1).int(), a(2).int())
            .map_or_else(py_error, |i| i.to_string()),
        "rindex" => rindex(text, a(0).text().unwrap(), a(1).int(), a(2).int())
            .map_or_else(py_error, |i| i.to_string()),
        "count" => count(text, a(0).text().unwrap(), a(1).int(), a(2).int()).to_string(),
        "startswith" => py_bool(startswith(
            text,
            a(0).text().unwrap(),
            a(1).int(),
            a(2).int(),
        )),
        "endswith" => py_bool(endswith(text, a(0).text().unwrap(), a(1).int(), a(2).int())),
        "split" => {
            split(text, a(0).text(), a(1).int().unwrap()).map_or_else(py_error, |v| py_list(&v))
        }
        "rsplit" => {
            rsplit(text, a(0).text(), a(1).int().unwrap()).map_or_else(py_error, |v| py_list(&v))
        }
        "splitlines" => py_list(&splitlines(text, a(0).boolean())),
        "strip" => str_repr(strip(text, a(0).text())),
        "lstrip" => str_repr(lstrip(text, a(0).text())),
        "rstrip" => str_repr(rstrip(text, a(0).text())),
        "replace" => str_repr(&replace(
            text,
            a(0).text().unwrap(),
            a(1).text().unwrap(),
            a(2).int().unwrap(),
        )),
        "partition" => partition(text, a(0).text().unwrap()).map_or_else(py_error, py_tuple),
        "rpartition" => rpartition(text, a(0).text().unwrap()).map_or_else(py_error, py_tuple),
        "center" | "ljust" | "rjust" => {
            let width = a(0).int().unwrap();
            let fill = a(1).text().unwrap().chars().next().unwrap();
            let result = match method {
                "center" => center(text, width, fill),
                "ljust" => ljust(text, width, fill),
                _ => rjust(text, width, fill),
            }
            .unwrap();
            str_repr(&result)
        }
        "zfill" => str_repr(&zfill(text, a(0).int().unwrap()).unwrap()),
        "expandtabs" => str_repr(&expandtabs(text, a(0).int().unwrap()).unwrap()),
        "slice" => str_repr(&slice(
            text,
            a(0).int(),
            a(1).int(),
            a(2).int().unwrap_or(1),
        )),
        "repr" => str_repr(text),
        "ascii" => str_ascii(text),
        "len" => char_len(text).to_string(),
        "upper" => str_repr(&upper(text)),
        "lower" => str_repr(&lower(text)),
        "casefold" => str_repr(&casefold(text)),
        "title" => str_repr(&title(text)),
        "capitalize" => str_repr(&capitalize(text)),
        "swapcase" => str_repr(&swapcase(text)),
        "isdigit" => py_bool(isdigit(text)),
        "isdecimal" => py_bool(isdecimal(text)),
        "isnumeric" => py_bool(isnumeric(text)),
        "isalpha" => py_bool(isalpha(text)),
        "isalnum" => py_bool(isalnum(text)),
        "isspace" => py_bool(isspace(text)),
        "isprintable" => py_bool(isprintable(text)),
        "isascii" => py_bool(isascii(text)),
        "islower" => py_bool(islower(text)),
        "isupper" => py_bool(isupper(text)),
        "istitle" => py_bool(istitle(text)),
        "isidentifier" => py_bool(isidentifier(text)),
        _ => panic!("unknown method {method}"),
    }
}

fn check_char(row: &[String]) -> Option<String> {
    let c = char::from_u32(u32::from_str_radix(&row[1], 16).unwrap()).unwrap();
    let text = c.to_string();
    let predicates = [
        isdigit,
        isdecimal,
        isnumeric,
        isalpha,
        isalnum,
        isspace,
        isprintable,
        islower,
        isupper,
        istitle,
        isidentifier,
    ];
    let flags: String = predicates
        .iter()
        .map(|p| if p(&text) { '1' } else { '0' })
        .collect();
    let got = [
        flags,
        upper(&text),
        lower(&text),
        title(&text),
        casefold(&text),
        str_repr(&text),
    ];
    let expected = &row[2..8];
    (got.iter().zip(expected).any(|(g, e)| g != e)).then(|| {
        format!(
            "char {:?} U+{:04X}: got {:?} expected {:?}",
            c, c as u32, got, expected
        )
    })
}

#[test]
fn str_methods_match_cpython() {
    let mut failures = Vec::new();
    let all = rows(VECTORS);
    for row in &all {
        if row[0] == "char" {
            failures.extend(check_char(row));
            continue;
        }
        let args: Vec<Arg> = row[2..row.len() - 1].iter().map(|f| parse_arg(f)).collect();
        let got = call(&row[0], &row[1], &args);
        let expected = row.last().unwrap();
        if &got != expected {
            failures.push(format!("{:?}: got {:?}", row, got));
        }
    }
    assert!(all.len() > 10_000);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        all.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

#[test]
fn ascii_fast_paths_agree_with_the_tables() {
    use crate::vm::object::unicode::*;
    use crate::vm::object::unicode_tables as tables;
    let in_table = |table: &[(u32, u32)], c: char| {
        table
            .iter()
            .any(|&(first, last)| first <= c as u32 && c as u32 <= last)
    };
    for code in 0u8..128 {
        let c = code as char;
        assert_eq!(
            is_python_whitespace(c),
            in_table(tables::WHITESPACE, c),
            "{c:?}"
        );
        assert_eq!(is_printable(c), in_table(tables::PRINTABLE, c), "{c:?}");
        assert_eq!(is_alpha(c), in_table(tables::ALPHA, c), "{c:?}");
        assert_eq!(is_lowercase(c), in_table(tables::LOWER, c), "{c:?}");
        assert_eq!(is_uppercase(c), in_table(tables::UPPER, c), "{c:?}");
        assert_eq!(is_cased(c), in_table(tables::CASED, c), "{c:?}");
        assert_eq!(
            is_case_ignorable(c),
            in_table(tables::CASE_IGNORABLE, c),
            "{c:?}"
        );
        assert_eq!(
            is_identifier_start(c),
            in_table(tables::IDENTIFIER_START, c),
            "{c:?}"
        );
        assert_eq!(
            is_identifier_continue(c),
            in_table(tables::IDENTIFIER_CONTINUE, c),
            "{c:?}"
        );
        assert_eq!(is_digit(c), in_table(tables::DIGIT, c), "{c:?}");
        assert_eq!(is_numeric(c), in_table(tables::NUMERIC, c), "{c:?}");
    }
}

#[test]
fn indexing_helpers() {
    let text = "aé😀b";
    assert_eq!(char_len(text), 4);
    assert_eq!(char_to_byte_offset(text, false, 2), 3);
    assert_eq!(char_to_byte_offset(text, false, 4), text.len());
    assert_eq!(byte_to_char_offset(text, false, 7), 3);
    assert_eq!(char_at(text, false, 2), Some('😀'));
    assert_eq!(char_at("abc", true, 1), Some('b'));
    assert_eq!(slice(text, None, None, -1), "b😀éa");
    assert_eq!(join(", ", &["a", "b"]), "a, b");
    assert_eq!(repeat("ab", 3).unwrap(), "ababab");
    assert_eq!(repeat("ab", -1).unwrap(), "");
    assert_eq!(repeat("a", 1 << 62), Err(StrError::TooLarge));
    assert_eq!(center("a", 1 << 62, ' '), Err(StrError::TooLarge));
    assert_eq!(slice("abc", None, None, i64::MIN), "c");
}

/// Every code point, run by hand: write the `char` rows of `gen_str.py`
/// for all of 0..0x110000 to a file and point `APY_ALL_CHARS_FILE` at it.
#[test]
#[ignore]
fn every_character_matches_an_external_sweep() {
    let Ok(path) = std::env::var("APY_ALL_CHARS_FILE") else {
        return;
    };
    let data = std::fs::read_to_string(path).unwrap();
    let failures: Vec<String> = rows(&data)
        .iter()
        .filter_map(|row| check_char(row))
        .collect();
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(20)].join("\n")
    );
}
