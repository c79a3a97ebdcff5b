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
        // Format into a buffer the VM keeps, then copy the text into the
        // new string: short results (most of them) then need no heap
        // buffer of their own, only the string object.
        let mut out = std::mem::take(&mut self.format_buffer);
        out.clear();
        let result = self.format_with_spec_into(&mut out, &v, spec);
        let formatted = result.map(|()| Value::str(&out));
        self.format_buffer = out;
        formatted
    }

    /// `format(v, spec)`: ints, floats and strings understand the
    /// format-spec mini-language; other objects accept only an empty spec.
    pub fn format_with_spec(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        let mut out = String::new();
        self.format_with_spec_into(&mut out, v, spec)?;
        Ok(out)
    }

    /// `format(v, spec)`, appended to `out`.
    pub fn format_with_spec_into(
        &mut self,
        out: &mut String,
        v: &Value,
        spec: &str,
    ) -> PyResult<()> {
        use format_spec::{FormatSpec, IntArg};
        if let Value::Instance(_) = v {
            if let Some(text) = self.user_format(v, spec)? {
                out.push_str(&text);
                return Ok(());
            }
        }
        if spec.is_empty() {
            match v {
                Value::Int(i) => format_spec::push_i64(out, *i),
                Value::Str(s) => out.push_str(s.as_str()),
                other => out.push_str(&self.str_of(other)?),
            }
            return Ok(());
        }
        let type_name = match v {
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Bool(_) => "bool",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            other => {
                return Err(exception::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    other.type_name()
                )))
            }
        };
        let parsed =
            FormatSpec::parse(spec).map_err(|e| num_error(e.into_error(spec, type_name)))?;
        let result = match v {
            Value::Int(i) => {
                format_spec::format_int_into(out, IntArg::Small(*i), &parsed, type_name)
            }
            Value::Bool(b) => {
                format_spec::format_int_into(out, IntArg::Small(*b as i64), &parsed, type_name)
            }
            Value::BigInt(b) => {
                format_spec::format_int_into(out, IntArg::Big(b), &parsed, type_name)
            }
            Value::Float(f) => format_spec::format_float_into(out, *f, &parsed),
            Value::Str(s) => format_spec::format_str_into(out, s.as_str(), &parsed),
            _ => unreachable!("every other type was refused above"),
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
