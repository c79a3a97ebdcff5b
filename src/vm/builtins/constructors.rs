//! Calling a type: `int("42")`, `list(xs)`, `ValueError("bad")`, ...
//!
//! Each built-in type converts its argument as CPython's constructor does,
//! with the same errors (`invalid literal for int() with base 10: 'x'`).
//! Calling an exception class makes an exception object holding its
//! arguments.

use super::{as_index, expect_count, keyword, no_keywords};
use crate::vm::object::exception::{self, PyException, PyResult};
use crate::vm::object::float::{float_to_int, parse_float};
use crate::vm::object::function::Keywords;
use crate::vm::object::instance::{ClassMember, Super};
use crate::vm::object::int::{self as int_ops, parse_int, IntValue};
use crate::vm::object::range::PyRange;
use crate::vm::object::slice::PySlice;
use crate::vm::object::types::{type_of, BuiltinType, TypeKind, TypeObject};
use crate::vm::ops::{int_value_to_value, num_error};
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

impl Vm {
    pub(crate) fn construct(
        &mut self,
        t: &Rc<TypeObject>,
        args: &[Value],
        kwargs: Keywords,
    ) -> PyResult<Value> {
        match t.kind {
            TypeKind::Exception => {
                if !kwargs.is_empty() {
                    return Err(exception::type_error(format!(
                        "{}() takes no keyword arguments",
                        t.name
                    )));
                }
                if crate::vm::object::exception_group::is_group_class(t) {
                    let items = match args.get(1) {
                        Some(Value::List(l)) => Some(l.items.borrow().clone()),
                        Some(Value::Tuple(t)) => Some(t.items.to_vec()),
                        _ => None,
                    };
                    let group = crate::vm::object::exception_group::new_group(t, args, items)?;
                    return Ok(Value::Exception(group));
                }
                Ok(Value::Exception(PyException::new(t.clone(), args.to_vec())))
            }
            TypeKind::User => Err(exception::type_error(format!(
                "cannot create '{}' instances",
                t.name
            ))),
            TypeKind::Builtin(kind) => self.construct_builtin(kind, t, args, kwargs),
        }
    }

    fn construct_builtin(
        &mut self,
        kind: BuiltinType,
        t: &TypeObject,
        args: &[Value],
        kwargs: Keywords,
    ) -> PyResult<Value> {
        match kind {
            BuiltinType::Int => self.construct_int(args, kwargs),
            BuiltinType::Float => {
                no_keywords("float", kwargs)?;
                expect_count("float", args, 0, 1)?;
                match args.first() {
                    None => Ok(Value::Float(0.0)),
                    Some(v) => self.to_float(v).map(Value::Float),
                }
            }
            BuiltinType::Str => {
                let object = keyword("str", kwargs, "object", &["object", "encoding", "errors"])?;
                if args.len() > 1 || kwargs.len() > 1 || (object.is_none() && !kwargs.is_empty()) {
                    return Err(exception::not_implemented_error(
                        "str() with an encoding is not supported by apy (it has no bytes)",
                    ));
                }
                match args.first().or(object) {
                    None => Ok(Value::str("")),
                    Some(Value::Str(s)) => Ok(Value::Str(s.clone())),
                    Some(v) => Ok(Value::string(self.str_of(v)?)),
                }
            }
            BuiltinType::Bool => {
                no_keywords("bool", kwargs)?;
                expect_count("bool", args, 0, 1)?;
                match args.first() {
                    None => Ok(Value::Bool(false)),
                    Some(v) => self.is_true(v).map(Value::Bool),
                }
            }
            BuiltinType::List => {
                no_keywords("list", kwargs)?;
                expect_count("list", args, 0, 1)?;
                match args.first() {
                    None => Ok(Value::list(Vec::new())),
                    Some(v) => self.collect_iterable(v).map(Value::list),
                }
            }
            BuiltinType::Tuple => {
                no_keywords("tuple", kwargs)?;
                expect_count("tuple", args, 0, 1)?;
                match args.first() {
                    None => Ok(Value::tuple(Vec::new())),
                    Some(Value::Tuple(t)) => Ok(Value::Tuple(t.clone())),
                    Some(v) => self.collect_iterable(v).map(Value::tuple),
                }
            }
            BuiltinType::Set => {
                no_keywords("set", kwargs)?;
                expect_count("set", args, 0, 1)?;
                match args.first() {
                    None => self.new_set(Vec::new()),
                    Some(v) => self.set_from_iterable(v),
                }
            }
            BuiltinType::Dict => {
                expect_count("dict", args, 0, 1)?;
                let dict = crate::vm::object::dict::PyDict::new_value();
                if let Some(source) = args.first() {
                    self.dict_update_op(&dict, source, false)?;
                }
                if let Value::Dict(d) = &dict {
                    for (name, value) in kwargs {
                        self.dict_set(d, Value::str(&name.text()), value.clone())?;
                    }
                }
                Ok(dict)
            }
            BuiltinType::Range => {
                no_keywords("range", kwargs)?;
                expect_count("range", args, 1, 3)?;
                let ints: Vec<i64> = args.iter().map(as_index).collect::<PyResult<_>>()?;
                let (start, stop, step) = match ints.as_slice() {
                    [stop] => (0, *stop, 1),
                    [start, stop] => (*start, *stop, 1),
                    [start, stop, step] => (*start, *stop, *step),
                    _ => unreachable!("count checked"),
                };
                if step == 0 {
                    return Err(exception::value_error("range() arg 3 must not be zero"));
                }
                Ok(Value::Range(Rc::new(PyRange { start, stop, step })))
            }
            BuiltinType::Slice => {
                no_keywords("slice", kwargs)?;
                expect_count("slice", args, 1, 3)?;
                let (start, stop, step) = match args {
                    [stop] => (Value::None, stop.clone(), Value::None),
                    [start, stop] => (start.clone(), stop.clone(), Value::None),
                    [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
                    _ => unreachable!("count checked"),
                };
                Ok(Value::Slice(Rc::new(PySlice { start, stop, step })))
            }
            BuiltinType::Lock
            | BuiltinType::Event
            | BuiltinType::Condition
            | BuiltinType::Semaphore
            | BuiltinType::BoundedSemaphore
            | BuiltinType::Queue
            | BuiltinType::LifoQueue
            | BuiltinType::PriorityQueue
            | BuiltinType::TaskGroup
            | BuiltinType::Timeout => self.construct_primitive(kind, args, kwargs),
            BuiltinType::Future => {
                no_keywords("Future", kwargs)?;
                expect_count("Future", args, 0, 0)?;
                crate::event_loop::asyncio::new_future(self)
            }
            BuiltinType::Task => {
                let name = keyword("Task", kwargs, "name", &["name", "loop", "context"])?.cloned();
                expect_count("Task", args, 1, 1)?;
                let name = match name {
                    None | Some(Value::None) => None,
                    Some(v) => Some(std::rc::Rc::from(self.str_of(&v)?)),
                };
                self.create_task(args[0].clone(), name).map(Value::Task)
            }
            BuiltinType::Type => {
                no_keywords("type", kwargs)?;
                match args {
                    [v] => Ok(Value::Type(type_of(v))),
                    [_, _, _] => Err(exception::not_implemented_error(
                        "type() with three arguments (creating a class) is not supported by apy",
                    )),
                    _ => Err(exception::type_error("type() takes 1 or 3 arguments")),
                }
            }
            BuiltinType::StaticMethod | BuiltinType::ClassMethod => {
                no_keywords(&t.name, kwargs)?;
                expect_count(&t.name, args, 1, 1)?;
                let f = args[0].clone();
                Ok(Value::ClassMember(Rc::new(
                    if kind == BuiltinType::StaticMethod {
                        ClassMember::Static(f)
                    } else {
                        ClassMember::Class(f)
                    },
                )))
            }
            BuiltinType::Property => {
                let setter = keyword("property", kwargs, "fset", &["fget", "fset"])?.cloned();
                let getter = keyword("property", kwargs, "fget", &["fget", "fset"])?.cloned();
                if args.len() > 2 {
                    return Err(exception::type_error(
                        "property() with a deleter or a doc string is not supported by apy",
                    ));
                }
                let getter = args.first().cloned().or(getter).unwrap_or(Value::None);
                let setter = args.get(1).cloned().or(setter).filter(|s| !s.is_none());
                Ok(Value::ClassMember(Rc::new(ClassMember::Property {
                    getter,
                    setter,
                })))
            }
            BuiltinType::Super => {
                no_keywords("super", kwargs)?;
                match args {
                    [] => self.zero_argument_super(),
                    [Value::Type(class), receiver] => Ok(Value::Super(Rc::new(Super {
                        class: class.clone(),
                        receiver: receiver.clone(),
                    }))),
                    [_, _] => Err(exception::type_error("super() argument 1 must be a type")),
                    _ => Err(exception::not_implemented_error(
                        "super() takes no arguments or two in apy",
                    )),
                }
            }
            _ => Err(exception::type_error(format!(
                "cannot create '{}' instances",
                t.name
            ))),
        }
    }

    fn construct_int(&mut self, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
        let allowed = ["base"];
        let base_kw = keyword("int", kwargs, "base", &allowed)?;
        let (value, base) = match args {
            [] => {
                if base_kw.is_some() {
                    return Err(exception::type_error("int() missing string argument"));
                }
                return Ok(Value::Int(0));
            }
            [v] => (v, base_kw.cloned()),
            [v, b] => (v, Some(b.clone())),
            _ => {
                return Err(exception::type_error(format!(
                    "int() takes at most 2 arguments ({} given)",
                    args.len()
                )))
            }
        };
        if let Some(base) = base {
            let base = as_index(&base)?;
            let Value::Str(s) = value else {
                return Err(exception::type_error(
                    "int() can't convert non-string with explicit base",
                ));
            };
            if base != 0 && !(2..=36).contains(&base) {
                return Err(exception::value_error(
                    "int() base must be >= 2 and <= 36, or 0",
                ));
            }
            return parse_int(s.as_str(), base)
                .map(int_value_to_value)
                .map_err(num_error);
        }
        match value {
            Value::Int(_) | Value::BigInt(_) => Ok(value.clone()),
            Value::Bool(b) => Ok(Value::Int(*b as i64)),
            Value::Float(f) => float_to_int(*f).map(int_value_to_value).map_err(num_error),
            Value::Str(s) => parse_int(s.as_str(), 10)
                .map(int_value_to_value)
                .map_err(num_error),
            other => Err(exception::type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                other.type_name()
            ))),
        }
    }

    /// `float(v)`.
    pub fn to_float(&mut self, v: &Value) -> PyResult<f64> {
        match v {
            Value::Float(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            Value::Bool(b) => Ok(*b as i64 as f64),
            Value::BigInt(b) => {
                int_ops::int_to_f64(&IntValue::Big((**b).clone())).map_err(num_error)
            }
            Value::Str(s) => parse_float(s.as_str()).ok_or_else(|| {
                let shown = self.repr(v).unwrap_or_default();
                exception::value_error(format!("could not convert string to float: {shown}"))
            }),
            other => Err(exception::type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                other.type_name()
            ))),
        }
    }
}
