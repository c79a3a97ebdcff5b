//! Renders printf-style templates with the argument recipe described in
//! the module doc and compares with CPython 3.11
//! (`tests/runtime_vectors/format_percent.tsv`, made by `gen_format_percent.py`).

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::*;
use crate::vm::object::float::{float_repr, float_to_int};
use crate::vm::object::int::bigint_to_f64;
use crate::vm::object::str_repr::{str_ascii, str_repr};
use crate::vm::object::test_vectors::{float_from_field, rows};

const VECTORS: &str = include_str!("../../tests/runtime_vectors/format_percent.tsv");

#[derive(Debug, Clone)]
enum Value {
    Int(BigInt),
    Float(f64),
    Text(String),
    Bool(bool),
    Dict(Vec<(String, Value)>),
}

fn parse_value(token: &str) -> Value {
    let (kind, body) = token.split_at(2);
    match kind {
        "i:" => Value::Int(body.parse().unwrap()),
        "f:" => Value::Float(float_from_field(body)),
        "b:" => Value::Bool(body == "True"),
        "s:" => Value::Text(body.to_string()),
        _ => panic!("bad token {token}"),
    }
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Text(_) => "str",
            Value::Bool(_) => "bool",
            Value::Dict(_) => "dict",
        }
    }
    fn str(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Float(x) => float_repr(*x),
            Value::Text(t) => t.clone(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Dict(items) => {
                let shown: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", str_repr(k), v.repr()))
                    .collect();
                format!("{{{}}}", shown.join(", "))
            }
        }
    }
    fn repr(&self) -> String {
        match self {
            Value::Text(t) => str_repr(t),
            other => other.str(),
        }
    }
    fn as_int(&self) -> Option<BigInt> {
        match self {
            Value::Int(n) => Some(n.clone()),
            Value::Bool(b) => Some(BigInt::from(*b as i64)),
            _ => None,
        }
    }
}

fn type_error(message: &str) -> String {
    format!("ERR:TypeError:{message}")
}

fn num_error(error: NumError) -> String {
    format!("ERR:{}:{}", error.exception_name(), error.message())
}

fn render(template: &PercentTemplate, mode: &str, arguments: Vec<Value>) -> Result<String, String> {
    let mapping = (mode == "dict").then(|| match &arguments[0] {
        Value::Dict(items) => items.clone(),
        _ => unreachable!(),
    });
    // The current argument source: a tuple's items, or one value.
    let mut source: Vec<Value> = arguments;
    let mut next_index = 0usize;
    let mut is_tuple = mode == "tuple";
    let mut out = String::new();
    for piece in &template.pieces {
        let conversion = match piece {
            PercentPiece::Literal(text) => {
                out.push_str(text);
                continue;
            }
            PercentPiece::Conversion(conversion) => conversion,
        };
        if let Some(key) = &conversion.key {
            let Some(items) = &mapping else {
                return Err(type_error("format requires a mapping"));
            };
            let value = items
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| format!("ERR:KeyError:{}", str_repr(key)))?;
            source = vec![value];
            next_index = 0;
            is_tuple = false;
        }
        let mut next = || {
            let available = if is_tuple { source.len() } else { 1 };
            if next_index < available {
                next_index += 1;
                Ok(source[next_index - 1].clone())
            } else {
                Err(type_error(NOT_ENOUGH_ARGUMENTS))
            }
        };
        // `*` takes an int: a C ssize_t for the width, a C int for the precision.
        let mut count_argument =
            |count: Option<Count>, c_type: &str| -> Result<Option<i64>, String> {
                if count != Some(Count::FromArguments) {
                    return Ok(None);
                }
                let n = next()?.as_int().ok_or_else(|| type_error("* wants int"))?;
                let fits = if c_type == "int" {
                    n.to_i32().map(i64::from)
                } else {
                    n.to_i64()
                };
                fits.map(Some).ok_or_else(|| {
                    format!("ERR:OverflowError:Python int too large to convert to C {c_type}")
                })
            };
        let width = count_argument(conversion.width, "ssize_t")?;
        let precision = count_argument(conversion.precision, "int")?;
        let field = conversion.resolve(width, precision);
        let value = next()?;
        if !conversion.is_supported() {
            return Err(num_error(unsupported_character(conversion)));
        }
        match conversion.kind {
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let integer = match (&value, conversion.kind) {
                    (Value::Float(x), 'd' | 'i' | 'u') => {
                        float_to_int(*x).map_err(num_error)?.to_bigint()
                    }
                    _ => value.as_int().ok_or_else(|| {
                        type_error(&int_type_error(conversion.kind, value.type_name()))
                    })?,
                };
                write_percent_int(&mut out, IntArg::Big(&integer), &field).map_err(num_error)?;
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = match &value {
                    Value::Float(x) => *x,
                    Value::Text(_) | Value::Dict(_) => {
                        return Err(type_error(&format!(
                            "must be real number, not {}",
                            value.type_name()
                        )))
                    }
                    other => bigint_to_f64(&other.as_int().unwrap()).map_err(num_error)?,
                };
                write_percent_float(&mut out, x, &field).map_err(num_error)?;
            }
            'c' => {
                let c = match &value {
                    Value::Text(t) if t.chars().count() == 1 => t.chars().next().unwrap(),
                    Value::Int(_) | Value::Bool(_) => {
                        let code = value.as_int().unwrap();
                        code.to_u32()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("ERR:OverflowError:{CHAR_RANGE_ERROR}"))?
                    }
                    _ => return Err(type_error(CHAR_TYPE_ERROR)),
                };
                write_percent_text(&mut out, &c.to_string(), &field).map_err(num_error)?;
            }
            's' => write_percent_text(&mut out, &value.str(), &field).map_err(num_error)?,
            'r' => write_percent_text(&mut out, &value.repr(), &field).map_err(num_error)?,
            'a' => {
                let text = match &value {
                    Value::Text(t) => str_ascii(t),
                    other => other.repr(),
                };
                write_percent_text(&mut out, &text, &field).map_err(num_error)?;
            }
            _ => unreachable!(),
        }
    }
    if let Some(error) = &template.error {
        return Err(num_error(error.clone()));
    }
    let available = if is_tuple { source.len() } else { 1 };
    if next_index < available && mapping.is_none() {
        return Err(type_error(NOT_ALL_CONVERTED));
    }
    Ok(out)
}

#[test]
fn percent_formatting_matches_cpython() {
    let mut failures = Vec::new();
    let all = rows(VECTORS);
    for row in &all {
        let mode = row[1].as_str();
        let fields = &row[2..row.len() - 1];
        let arguments: Vec<Value> = if mode == "dict" {
            let items = fields
                .iter()
                .map(|f| {
                    let (key, token) = f.split_once('=').unwrap();
                    (key.to_string(), parse_value(token))
                })
                .collect();
            vec![Value::Dict(items)]
        } else {
            fields.iter().map(|f| parse_value(f)).collect()
        };
        let parsed = parse_percent_template(&row[0]);
        let got = render(&parsed, mode, arguments).unwrap_or_else(|e| e);
        if &got != row.last().unwrap() {
            failures.push(format!("{:?}: got {:?}", row, got));
        }
    }
    assert!(all.len() > 1000);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        all.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}
