//! f-string fields and `format()`: conversions (`!r`, `!s`, `!a`) and the
//! format-spec mini-language (`{x:>8.2f}`), applied as CPython applies them.

use super::object::exception::{self, PyResult};
use super::object::str_repr::str_ascii;
use super::value::Value;
use super::Vm;
use crate::bytecode::op::Conversion;

impl Vm {
    /// `FORMAT_VALUE`: convert, then format with the spec (if any).
    pub(crate) fn format_value(&mut self, v: Value, conversion: Option<Conversion>, spec: Option<Value>) -> PyResult<Value> {
        let v = match conversion {
            None => v,
            Some(Conversion::Str) => Value::string(self.str_of(&v)?),
            Some(Conversion::Repr) => Value::string(self.repr(&v)?),
            Some(Conversion::Ascii) => {
                let repr = self.repr(&v)?;
                Value::string(str_ascii_of_repr(&repr))
            }
        };
        let spec = match &spec {
            Some(Value::Str(s)) => s.as_str(),
            _ => "",
        };
        if spec.is_empty() {
            if let Value::Str(_) = v {
                return Ok(v);
            }
        }
        self.format_with_spec(&v, spec).map(Value::string)
    }

    /// `format(v, spec)`.
    pub fn format_with_spec(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if spec.is_empty() {
            return self.str_of(v);
        }
        Err(exception::not_implemented_error(format!(
            "format spec '{spec}' is not implemented yet"
        )))
    }
}

/// `ascii(x)` is `repr(x)` with non-ASCII characters escaped.
fn str_ascii_of_repr(repr: &str) -> String {
    if repr.is_ascii() {
        return repr.to_string();
    }
    // Escape each non-ASCII character the way `ascii()` does.
    let quoted = str_ascii(repr);
    quoted[1..quoted.len() - 1].to_string()
}
