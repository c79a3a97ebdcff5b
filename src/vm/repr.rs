//! `repr()` and `str()` of every value, exactly as CPython prints them.
//!
//! Containers print their items' `repr`s; a container that contains itself
//! prints `[...]` (or `{...}`) at the point of recursion, as CPython does.
//! Objects without a literal form print as `<function f at 0x7f3a...>`; the
//! address is the object's real address, so (as in CPython) it differs from
//! run to run.

use super::globals::Globals;
use super::object::exception::{PyException, PyResult};
use super::object::float::write_float_repr;
use super::object::function::MethodKind;
use super::object::instance::ClassMember;
use super::object::int::int_to_decimal_string;
use super::object::str_repr::write_str_repr;
use super::ops::num_error;
use super::value::Value;
use super::Vm;
use crate::symbol::intern;

impl Vm {
    /// Python's `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        let mut out = String::with_capacity(16);
        self.write_repr(&mut out, v)?;
        Ok(out)
    }

    /// Python's `str(v)`.
    pub fn str_of(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(s.as_str().to_string()),
            Value::Exception(e) if e.class.is_main() => self.user_str(v),
            Value::Exception(e) => self.exception_str(e),
            Value::Sync(p) if matches!(**p, crate::event_loop::sync::Primitive::Queue(_)) => {
                self.queue_str(p)
            }
            Value::Instance(_) => self.user_str(v),
            _ => self.repr(v),
        }
    }

    /// `str(exception)`: its one argument, or the tuple of them, or `''`.
    pub fn exception_str(&mut self, e: &PyException) -> PyResult<String> {
        let args = e.args();
        if super::object::exception_group::is_group_class(&e.class) {
            let message = self.str_of(&super::object::exception_group::message(e))?;
            return Ok(super::object::exception_group::group_str(e, &message));
        }
        let is_key_error = e.class.name.as_ref() == "KeyError";
        match args.items.len() {
            0 => Ok(String::new()),
            1 if is_key_error => self.repr(&args.items[0]),
            1 => self.str_of(&args.items[0]),
            _ => self.repr(&Value::Tuple(args)),
        }
    }

    pub(crate) fn write_repr(&mut self, out: &mut String, v: &Value) -> PyResult<()> {
        match v {
            Value::Undefined => out.push_str("<undefined>"),
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => crate::vm::format_spec::push_i64(out, *i),
            Value::BigInt(b) => out.push_str(&int_to_decimal_string(b).map_err(num_error)?),
            Value::Float(f) => write_float_repr(out, *f),
            Value::Str(s) => write_str_repr(out, s.as_str()),
            Value::Ellipsis => out.push_str("Ellipsis"),
            Value::List(list) => {
                if !self.enter_repr(v) {
                    out.push_str("[...]");
                    return Ok(());
                }
                let items = list.items.borrow().clone();
                out.push('[');
                let result = self.write_items(out, &items);
                out.push(']');
                self.leave_repr();
                result?;
            }
            Value::Tuple(t) => {
                out.push('(');
                self.write_items(out, &t.items)?;
                if t.items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::Dict(d) => {
                if !self.enter_repr(v) {
                    out.push_str("{...}");
                    return Ok(());
                }
                out.push('{');
                let result = (|| -> PyResult<()> {
                    for (i, (key, value)) in d.items().iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        self.write_repr(out, key)?;
                        out.push_str(": ");
                        self.write_repr(out, value)?;
                    }
                    Ok(())
                })();
                out.push('}');
                self.leave_repr();
                result?;
            }
            Value::DictView(view) => {
                out.push_str(view.type_name());
                out.push('(');
                let items = self.collect_iterable(v)?;
                self.write_repr(out, &Value::list(items))?;
                out.push(')');
            }
            Value::Set(s) => {
                let items = s.items();
                if items.is_empty() {
                    out.push_str("set()");
                    return Ok(());
                }
                if !self.enter_repr(v) {
                    out.push_str("set(...)");
                    return Ok(());
                }
                out.push('{');
                let result = self.write_items(out, &items);
                out.push('}');
                self.leave_repr();
                result?;
            }
            Value::Range(r) => out.push_str(&r.repr()),
            Value::Slice(s) => {
                out.push_str("slice(");
                self.write_repr(out, &s.start)?;
                out.push_str(", ");
                self.write_repr(out, &s.stop)?;
                out.push_str(", ");
                self.write_repr(out, &s.step)?;
                out.push(')');
            }
            Value::Function(f) => {
                out.push_str(&format!("<function {} at {}>", f.qualname(), address(v)));
            }
            Value::Builtin(b) => out.push_str(&format!("<built-in function {}>", b.name)),
            Value::BoundMethod(m) => match &m.method {
                MethodKind::Python(f) => {
                    out.push_str(&format!("<bound method {} of ", f.qualname()));
                    self.write_repr(out, &m.receiver)?;
                    out.push('>');
                }
                MethodKind::Descriptor(name) => out.push_str(&format!(
                    "<method '{name}' of '{}' objects>",
                    match &m.receiver {
                        Value::Type(t) => t.name.to_string(),
                        other => other.type_name().to_string(),
                    }
                )),
                MethodKind::Builtin(name) => out.push_str(&format!(
                    "<built-in method {} of {} object at {}>",
                    name,
                    m.receiver.type_name(),
                    address(&m.receiver)
                )),
            },
            Value::Type(t) => out.push_str(&t.repr()),
            Value::Exception(e) if e.class.is_main() => out.push_str(&self.user_repr(v)?),
            Value::Instance(_) => out.push_str(&self.user_repr(v)?),
            Value::ClassMember(m) => match &**m {
                ClassMember::Static(f) | ClassMember::Class(f) => {
                    out.push_str(&format!("<{}(", m.type_name()));
                    self.write_repr(out, f)?;
                    out.push_str(")>");
                }
                ClassMember::Property { .. } => {
                    out.push_str(&format!("<property object at {}>", address(v)))
                }
            },
            Value::Super(s) => {
                out.push_str(&format!("<super: {}, ", s.class.repr()));
                let receiver = s.receiver.clone();
                if let Value::Type(_) = receiver {
                    self.write_repr(out, &receiver)?;
                } else {
                    out.push_str(&format!("<{} object>", receiver.type_name()));
                }
                out.push('>');
            }
            Value::Exception(e) => {
                out.push_str(&e.class.name);
                let args = e.args();
                if args.items.len() == 1 {
                    out.push('(');
                    self.write_repr(out, &args.items[0])?;
                    out.push(')');
                } else {
                    self.write_repr(out, &Value::Tuple(args))?;
                }
            }
            Value::Module(m) => out.push_str(&format!("<module '{}' (built-in)>", m.name)),
            Value::Iterator(it) => {
                out.push_str(&format!("<{} object at {}>", it.type_name(), address(v)))
            }
            Value::Coroutine(c) => out.push_str(&format!(
                "<coroutine object {} at {}>",
                c.qualname(),
                address(v)
            )),
            Value::Generator(g) => out.push_str(&format!(
                "<{} object {} at {}>",
                v.static_type_name(),
                g.qualname(),
                address(v)
            )),
            Value::AsyncGenStep(step) => {
                out.push_str(&format!("<{} object at {}>", step.type_name(), address(v)))
            }
            Value::NativeCoroutine(c) => out.push_str(&format!(
                "<coroutine object {} at {}>",
                c.name(),
                address(v)
            )),
            Value::Future(_) | Value::Task(_) | Value::Loop(_) | Value::Handle(_) => {
                out.push_str(&self.asyncio_repr(v)?)
            }
            Value::Sync(p) => {
                let text = self.sync_repr(p, &address(v))?;
                out.push_str(&text)
            }
            Value::Cell(_) => out.push_str(&format!("<cell at {}>", address(v))),
            Value::Code(c) => out.push_str(&format!(
                "<code object {} at {}, file \"{}\", line {}>",
                c.name,
                address(v),
                c.source.name,
                c.first_line
            )),
        }
        Ok(())
    }

    fn write_items(&mut self, out: &mut String, items: &[Value]) -> PyResult<()> {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write_repr(out, item)?;
        }
        Ok(())
    }

    /// Start printing a container; false if it is already being printed
    /// further out (a container that contains itself).
    fn enter_repr(&mut self, v: &Value) -> bool {
        let id = v.identity();
        if self.repr_in_progress.contains(&id) {
            return false;
        }
        self.repr_in_progress.push(id);
        true
    }

    fn leave_repr(&mut self) {
        self.repr_in_progress.pop();
    }

    /// `PRINT_EXPR` (the REPL): echo a value that is not `None`, and keep it
    /// as `_`.
    pub(crate) fn print_expr(&mut self, v: Value, globals: &Globals) -> PyResult<()> {
        if v.is_none() {
            return Ok(());
        }
        let text = self.repr(&v)?;
        self.output.write_stdout(&text);
        self.output.write_stdout("\n");
        globals.set(globals.slot_of(intern("_")), v);
        Ok(())
    }
}

/// An object's address as CPython prints it: `0x7f5c2a3b1c40`.
pub fn address(v: &Value) -> String {
    format!("{:#x}", v.identity())
}
