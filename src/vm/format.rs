//! f-string fields and `format()`: conversions (`!r`, `!s`, `!a`) and the
//! format-spec mini-language (`{x:>8.2f}`), applied as CPython applies them.

use super::format_spec;
use super::format_string::{
    parse_format_template, Accessor, Conversion as TemplateConversion, FieldName, FormatTemplate,
    Piece, SpecTemplate,
};
use super::object::exception::{self, PyResult};
use super::object::str_repr::escape_non_ascii;
use super::ops::num_error;
use super::value::Value;
use super::Vm;
use crate::bytecode::op::Conversion;
use crate::symbol::{intern, Symbol};

impl Vm {
    /// `FORMAT_VALUE`: convert, then format with the spec (if any).
    pub(crate) fn format_value(
        &mut self,
        v: Value,
        conversion: Option<Conversion>,
        spec: Option<Value>,
    ) -> PyResult<Value> {
        let v = match conversion {
            None => v,
            Some(Conversion::Str) => Value::string(self.str_of(&v)?),
            Some(Conversion::Repr) => Value::string(self.repr(&v)?),
            Some(Conversion::Ascii) => {
                let repr = self.repr(&v)?;
                Value::string(escape_non_ascii(&repr))
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

    /// `format(v, spec)`: ints, floats and strings understand the
    /// format-spec mini-language; other objects accept only an empty spec.
    pub fn format_with_spec(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if spec.is_empty() {
            return self.str_of(v);
        }
        let result = match v {
            Value::Int(i) => format_spec::format_i64(*i, spec),
            Value::Bool(b) => format_spec::format_i64(*b as i64, spec),
            Value::BigInt(b) => format_spec::format_bigint(b, spec),
            Value::Float(f) => format_spec::format_f64(*f, spec),
            Value::Str(s) => format_spec::format_str(s.as_str(), spec),
            other => {
                return Err(exception::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    other.type_name()
                )))
            }
        };
        result.map_err(num_error)
    }

    /// `template.format(*args, **kwargs)`.
    pub(crate) fn str_format(
        &mut self,
        template: &str,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<String> {
        let parsed = parse_format_template(template);
        self.render_template(&parsed, args, kwargs)
    }

    fn render_template(
        &mut self,
        template: &FormatTemplate,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<String> {
        let mut out = String::new();
        for piece in &template.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Field(field) => {
                    let mut value = match &field.name {
                        FieldName::Index(i) => args.get(*i).cloned().ok_or_else(|| {
                            exception::index_error(format!(
                                "Replacement index {i} out of range for positional args tuple"
                            ))
                        })?,
                        FieldName::Keyword(name) => kwargs
                            .iter()
                            .find(|(k, _)| *k.text() == **name)
                            .map(|(_, v)| v.clone())
                            .ok_or_else(|| exception::key_error(Value::str(name)))?,
                    };
                    for accessor in &field.accessors {
                        value = match accessor {
                            Accessor::Attribute(name) => self.get_attr(&value, intern(name))?,
                            Accessor::Index(i) => self.get_item(&value, &Value::Int(*i as i64))?,
                            Accessor::Key(key) => self.get_item(&value, &Value::str(key))?,
                        };
                    }
                    if let Some(e) = &field.error_after_lookup {
                        return Err(num_error(e.clone()));
                    }
                    let value = match field.conversion {
                        None => value,
                        Some(TemplateConversion::Str) => Value::string(self.str_of(&value)?),
                        Some(TemplateConversion::Repr) => Value::string(self.repr(&value)?),
                        Some(TemplateConversion::Ascii) => {
                            let repr = self.repr(&value)?;
                            Value::string(escape_non_ascii(&repr))
                        }
                    };
                    let spec = match &field.spec {
                        SpecTemplate::Text(text) => text.clone(),
                        SpecTemplate::Template(inner) => {
                            self.render_template(inner, args, kwargs)?
                        }
                    };
                    out.push_str(&self.format_with_spec(&value, &spec)?);
                }
            }
        }
        if let Some(e) = &template.error {
            return Err(num_error(e.clone()));
        }
        Ok(out)
    }
}
