//! Attribute access: `obj.name`, `obj.name = v`, `del obj.name`.
//!
//! Built-in values have a fixed set of attributes: their methods (looked up
//! by name and returned as bound methods), and a few data attributes
//! (`range.start`, `e.args`, `f.__name__`). Modules have a namespace that
//! `import` fills.

use super::methods::{has_method, methods_of};
use super::object::exception::{self, PyResult};
use super::object::function::{BoundMethod, MethodKind};
use super::object::instance::ClassMember;
use super::object::types::type_of;
use super::object::types::{BuiltinType, TypeKind};
use super::value::Value;
use super::Vm;
use crate::symbol::{intern, sym, Symbol};
use std::rc::Rc;

impl Vm {
    pub fn get_attr(&mut self, obj: &Value, name: Symbol) -> PyResult<Value> {
        if let Some(v) = self.lookup_attr(obj, name)? {
            return Ok(v);
        }
        Err(self.no_attribute(obj, name))
    }

    /// The attribute, or `None` when the object has no such attribute.
    pub fn lookup_attr(&mut self, obj: &Value, name: Symbol) -> PyResult<Option<Value>> {
        // Attributes every object has.
        if name == sym::__class__ {
            return Ok(Some(Value::Type(type_of(obj))));
        }
        let found = match obj {
            Value::Instance(instance) => return self.instance_attr(obj, instance, name),
            Value::Super(s) => return self.super_attr(s, name),
            Value::ClassMember(m) => match (&**m, &*name.text()) {
                (ClassMember::Property { .. }, "setter") => {
                    Some(Value::BoundMethod(Rc::new(BoundMethod {
                        receiver: obj.clone(),
                        method: MethodKind::Builtin(name),
                    })))
                }
                (ClassMember::Property { getter, .. }, "fget") => Some(getter.clone()),
                (ClassMember::Static(f) | ClassMember::Class(f), "__func__") => Some(f.clone()),
                _ => None,
            },
            Value::Module(m) => m.get(name),
            Value::Exception(e) => match name {
                sym::args => Some(Value::Tuple(e.args())),
                sym::__cause__ => Some(
                    e.cause
                        .borrow()
                        .clone()
                        .map_or(Value::None, Value::Exception),
                ),
                sym::__context__ => Some(
                    e.context
                        .borrow()
                        .clone()
                        .map_or(Value::None, Value::Exception),
                ),
                sym::__suppress_context__ => Some(Value::Bool(e.suppress_context.get())),
                sym::__traceback__ => Some(Value::None),
                sym::message | sym::exceptions
                    if super::object::exception_group::is_group_class(&e.class) =>
                {
                    use super::object::exception_group as group;
                    Some(if name == sym::message {
                        group::message(e)
                    } else {
                        Value::tuple(
                            group::exceptions(e)
                                .into_iter()
                                .map(Value::Exception)
                                .collect(),
                        )
                    })
                }
                // What a generator returned travels in its StopIteration.
                sym::value
                    if e.get_attr(name).is_none()
                        && e.is_instance_of(
                            &exception::exception_types().exceptions.stop_iteration,
                        ) =>
                {
                    Some(e.args().items.first().cloned().unwrap_or(Value::None))
                }
                // `SystemExit.code`: what the program exits with.
                sym::code
                    if e.get_attr(name).is_none()
                        && e.is_instance_of(
                            &exception::exception_types().exceptions.system_exit,
                        ) =>
                {
                    Some(e.exit_code())
                }
                _ => match e.get_attr(name) {
                    Some(v) => Some(v),
                    None if e.class.is_main() => {
                        let class = e.class.clone();
                        return self.class_attr_for(obj, &class, name);
                    }
                    None => None,
                },
            },
            Value::Type(t) => match name {
                sym::__qualname__ if t.is_main() => t.attrs.borrow().get(&name).cloned(),
                sym::__name__ | sym::__qualname__ => Some(Value::str(&t.name)),
                sym::__module__ => Some(Value::str(&t.module)),
                _ if name == intern("__base__") => {
                    Some(t.base.clone().map_or(Value::None, Value::Type))
                }
                _ if name == intern("__mro__") => {
                    Some(Value::tuple(t.mro().into_iter().map(Value::Type).collect()))
                }
                _ if t.is_main() => self.user_class_attr(t, name),
                _ => match t.kind {
                    TypeKind::Builtin(kind) if methods_of(kind).contains(&name) => {
                        Some(Value::BoundMethod(Rc::new(BoundMethod {
                            receiver: obj.clone(),
                            method: MethodKind::Descriptor(name),
                        })))
                    }
                    // `Exception.__init__(self, msg)`, `object.__repr__(self)`
                    // called explicitly from a subclass.
                    TypeKind::Exception | TypeKind::Builtin(BuiltinType::Object)
                        if super::classes::is_object_method(name) =>
                    {
                        Some(Value::BoundMethod(Rc::new(BoundMethod {
                            receiver: obj.clone(),
                            method: MethodKind::Descriptor(name),
                        })))
                    }
                    _ => t.attrs.borrow().get(&name).cloned(),
                },
            },
            Value::Function(f) => match name {
                sym::__name__ => Some(Value::str(f.name())),
                sym::__qualname__ => Some(Value::str(f.qualname())),
                sym::__module__ => Some(Value::str("__main__")),
                sym::__doc__ => Some(Value::None),
                _ => None,
            },
            Value::Builtin(b) => match name {
                sym::__name__ | sym::__qualname__ => Some(Value::str(b.name)),
                sym::__module__ => Some(Value::str(b.module.unwrap_or("builtins"))),
                _ => None,
            },
            Value::Coroutine(c) | Value::Generator(c) => match name {
                sym::__name__ => Some(Value::str(c.function.name())),
                sym::__qualname__ => Some(Value::str(c.qualname())),
                _ => None,
            },
            Value::Range(r) => match name {
                sym::start => Some(Value::Int(r.start)),
                sym::stop => Some(Value::Int(r.stop)),
                sym::step => Some(Value::Int(r.step)),
                _ => None,
            },
            Value::Slice(s) => match name {
                sym::start => Some(s.start.clone()),
                sym::stop => Some(s.stop.clone()),
                sym::step => Some(s.step.clone()),
                _ => None,
            },
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => match name {
                sym::real | sym::numerator => Some(self.unary_positive(obj.clone())?),
                sym::imag => Some(Value::Int(0)),
                sym::denominator => Some(Value::Int(1)),
                _ => None,
            },
            Value::Float(f) => match name {
                sym::real => Some(Value::Float(*f)),
                sym::imag => Some(Value::Float(0.0)),
                _ => None,
            },
            Value::Sync(p) => match (&**p, name) {
                (crate::event_loop::sync::Primitive::Queue(q), sym::maxsize) => {
                    Some(q.maxsize.clone())
                }
                _ => None,
            },
            _ => None,
        };
        if found.is_some() {
            return Ok(found);
        }
        if has_method(obj, name) {
            return Ok(Some(Value::BoundMethod(Rc::new(BoundMethod {
                receiver: obj.clone(),
                method: MethodKind::Builtin(name),
            }))));
        }
        Ok(None)
    }

    pub fn set_attr(&mut self, obj: &Value, name: Symbol, value: Value) -> PyResult<()> {
        match obj {
            Value::Instance(instance) if !super::dunders::is_not_implemented(obj) => {
                self.set_instance_attr(obj, instance, name, value)
            }
            Value::Type(class) if class.is_main() => {
                if super::classes::is_attribute_hook(name, &value) {
                    class.mark_has_properties();
                }
                class.attrs_mut().insert(name, value);
                Ok(())
            }
            Value::Module(m) => {
                m.set(name, value);
                Ok(())
            }
            Value::Exception(e) => {
                if name == sym::__cause__ {
                    *e.cause.borrow_mut() = match value {
                        Value::Exception(c) => Some(c),
                        _ => None,
                    };
                    e.suppress_context.set(true);
                } else if name == sym::__context__ {
                    *e.context.borrow_mut() = match value {
                        Value::Exception(c) => Some(c),
                        _ => None,
                    };
                } else if name == sym::args {
                    let items = self.collect_iterable(&value)?;
                    *e.args.borrow_mut() = Rc::new(super::value::PyTuple::new(items));
                } else {
                    e.set_attr(name, value);
                }
                Ok(())
            }
            _ => {
                if self.lookup_attr(obj, name)?.is_some() {
                    Err(exception::attribute_error(format!(
                        "'{}' object attribute '{name}' is read-only",
                        obj.type_name()
                    )))
                } else {
                    Err(self.no_attribute(obj, name))
                }
            }
        }
    }

    pub fn del_attr(&mut self, obj: &Value, name: Symbol) -> PyResult<()> {
        match obj {
            Value::Module(m) if m.attrs.borrow_mut().remove(&name).is_some() => Ok(()),
            Value::Instance(i) if i.attrs.borrow_mut().shift_remove(&name).is_some() => Ok(()),
            Value::Type(t) if t.is_main() && t.attrs_mut().remove(&name).is_some() => Ok(()),
            _ => Err(self.no_attribute(obj, name)),
        }
    }

    /// The attribute names of `obj`, sorted, as `dir()` lists them (without
    /// the dunder names of built-in types).
    pub fn dir_names(&self, obj: &Value) -> Vec<String> {
        let mut names: Vec<String> = match obj {
            Value::Module(m) => m.names().iter().map(|n| n.to_string()).collect(),
            Value::Type(t) => match t.kind {
                TypeKind::Builtin(kind) => methods_of(kind)
                    .iter()
                    .map(|s| s.text().to_string())
                    .collect(),
                _ => t
                    .attrs
                    .borrow()
                    .keys()
                    .map(|s| s.text().to_string())
                    .collect(),
            },
            Value::Exception(e) => {
                let mut n: Vec<String> =
                    vec!["args".into(), "with_traceback".into(), "add_note".into()];
                n.extend(e.attrs.borrow().iter().map(|(k, _)| k.text().to_string()));
                n
            }
            _ => {
                let kind = match super::object::types::type_of(obj).kind {
                    TypeKind::Builtin(kind) => kind,
                    _ => return Vec::new(),
                };
                let mut n: Vec<String> = methods_of(kind)
                    .iter()
                    .map(|s| s.text().to_string())
                    .collect();
                let data: &[&str] = match obj {
                    Value::Range(_) | Value::Slice(_) => &["start", "stop", "step"],
                    Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => {
                        &["real", "imag", "numerator", "denominator"]
                    }
                    Value::Float(_) => &["real", "imag"],
                    _ => &[],
                };
                n.extend(data.iter().map(|s| s.to_string()));
                n
            }
        };
        names.sort();
        names
    }

    /// `AttributeError: 'list' object has no attribute 'push'`.
    pub(crate) fn no_attribute(&self, obj: &Value, name: Symbol) -> exception::PyErr {
        let error = self.no_attribute_message(obj, name);
        error.set_attr(sym::name, Value::str(&name.text()));
        error.set_attr(sym::obj, obj.clone());
        error
    }

    fn no_attribute_message(&self, obj: &Value, name: Symbol) -> exception::PyErr {
        match obj {
            Value::Module(m) => {
                exception::attribute_error(format!("module '{}' has no attribute '{name}'", m.name))
            }
            Value::Type(t) => exception::attribute_error(format!(
                "type object '{}' has no attribute '{name}'",
                t.name
            )),
            _ => exception::attribute_error(format!(
                "'{}' object has no attribute '{name}'",
                obj.type_name()
            )),
        }
    }
}
