//! Renders parsed templates with recorder arguments, as described in
//! `tests/runtime_vectors/gen_format_string.py`, and compares with what
//! CPython 3.11's `str.format` produced.

use super::*;
use crate::vm::format_spec::format_str;
use crate::vm::object::str_repr::str_repr;
use crate::vm::object::test_vectors::rows;

const VECTORS: &str = include_str!("../../tests/runtime_vectors/format_string.tsv");
const KEYWORDS: [&str; 4] = ["a", "b", "x", "name"];

fn error_text(error: &NumError) -> String {
    format!("ERR:{}:{}", error.exception_name(), error.message())
}

fn ascii_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            code @ 0x80..=0xff => out.push_str(&format!("\\x{code:02x}")),
            code @ 0x100..=0xffff => out.push_str(&format!("\\u{code:04x}")),
            code => out.push_str(&format!("\\U{code:08x}")),
        }
    }
    out
}

fn render(template: &FormatTemplate) -> Result<String, String> {
    let mut out = String::new();
    for piece in &template.pieces {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Field(field) => {
                let mut path = match &field.name {
                    FieldName::Index(index) if *index < 3 => index.to_string(),
                    FieldName::Index(index) => {
                        return Err(format!(
                            "ERR:IndexError:Replacement index {index} out of range for positional args tuple"
                        ))
                    }
                    FieldName::Keyword(name) if KEYWORDS.contains(&name.as_str()) => name.clone(),
                    FieldName::Keyword(name) => return Err(format!("ERR:KeyError:{}", str_repr(name))),
                };
                for accessor in &field.accessors {
                    match accessor {
                        Accessor::Attribute(name) => path = format!("{path}.{name}"),
                        Accessor::Index(index) => path = format!("{path}[{index}]"),
                        Accessor::Key(key) => path = format!("{path}[{}]", str_repr(key)),
                    }
                }
                if let Some(error) = &field.error_after_lookup {
                    return Err(error_text(error));
                }
                let converted = field.conversion.map(|conversion| match conversion {
                    Conversion::Repr => format!("R({path})"),
                    Conversion::Str => format!("S({path})"),
                    Conversion::Ascii => ascii_escape(&format!("R({path})")),
                });
                let spec = match &field.spec {
                    SpecTemplate::Text(text) => text.clone(),
                    SpecTemplate::Template(inner) => render(inner)?,
                };
                match converted {
                    Some(text) => {
                        out.push_str(&format_str(&text, &spec).map_err(|e| error_text(&e))?)
                    }
                    None => out.push_str(&format!("<{path}|{spec}>")),
                }
            }
        }
    }
    match &template.error {
        Some(error) => Err(error_text(error)),
        None => Ok(out),
    }
}

#[test]
fn templates_match_cpython() {
    let mut failures = Vec::new();
    let all = rows(VECTORS);
    for row in &all {
        let parsed = parse_format_template(&row[1]);
        let got = render(&parsed).unwrap_or_else(|e| e);
        if got != row[2] {
            failures.push(format!("{:?}: got {:?}\n   {:?}", row, got, parsed));
        }
    }
    assert!(all.len() > 1000);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        all.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

#[test]
fn structure_of_a_typical_template() {
    let parsed = parse_format_template("a {0} {name} {x[0].y!r:>{w}} {{");
    assert_eq!(parsed.error, None);
    assert_eq!(parsed.pieces.len(), 7);
    let Piece::Field(field) = &parsed.pieces[5] else {
        panic!("expected a field");
    };
    assert_eq!(field.name, FieldName::Keyword("x".into()));
    assert_eq!(
        field.accessors,
        [Accessor::Index(0), Accessor::Attribute("y".into())]
    );
    assert_eq!(field.conversion, Some(Conversion::Repr));
    assert!(matches!(&field.spec, SpecTemplate::Template(t) if t.pieces.len() == 2));
    assert_eq!(parsed.pieces[6], Piece::Literal(" {".into()));
}
