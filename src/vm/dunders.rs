//! The special methods of user classes (`__repr__`, `__eq__`, `__len__`,
//! `__iter__`, ...), as the VM's operations and the built-ins use them.
//!
//! Each operation on values (`repr`, `==`, `len`, `for`, `x[i]`, ...) first
//! handles the built-in types natively; an instance of a user class falls
//! through to here, where the operation becomes a call of the class's
//! special method. The call goes through [`Vm::call`], the same way
//! `sorted(key=f)` calls back into Python: a special method runs to
//! completion before the operation goes on. (`__init__`, ordinary method
//! calls and `__call__` do not come here: they push frames like any call.)
//!
//! Comparisons follow CPython's rich-comparison protocol: the left
//! operand's method first (the right one's first if its class derives from
//! the left's), then the reflected method of the other operand; a method
//! may return `NotImplemented` to pass; `==` and `!=` fall back to
//! identity, the orderings to a `TypeError`.

use super::object::exception::{self, PyResult};
use super::object::instance::Instance;
use super::object::types::{builtin_types, type_of, BuiltinType, TypeKind, TypeObject};
use super::value::Value;
use super::Vm;
use crate::bytecode::op::{BinaryOpKind, CompareKind};
use crate::symbol::{intern, sym, Symbol};
use std::rc::Rc;

thread_local! {
    static NOT_IMPLEMENTED: Value = Value::Instance(Instance::new(TypeObject::new(
        "NotImplementedType",
        "builtins",
        TypeKind::Builtin(BuiltinType::Object),
        Some(builtin_types().object.clone()),
    )));
}

/// The `NotImplemented` singleton.
pub fn not_implemented() -> Value {
    NOT_IMPLEMENTED.with(|v| v.clone())
}

pub fn is_not_implemented(v: &Value) -> bool {
    NOT_IMPLEMENTED.with(|n| n.is(v))
}

/// Whether `v` is an object of a user class (an instance, or an instance of
/// a user exception class), whose operations go through its methods.
#[inline]
pub fn is_user_object(v: &Value) -> bool {
    match v {
        Value::Instance(_) => !is_not_implemented(v),
        Value::Exception(e) => e.class.is_main(),
        _ => false,
    }
}

/// The method for `<` and its reflection (`a < b` is `b > a`).
fn compare_method(kind: CompareKind) -> Symbol {
    match kind {
        CompareKind::Less => sym::__lt__,
        CompareKind::LessEqual => sym::__le__,
        CompareKind::Equal => sym::__eq__,
        CompareKind::NotEqual => sym::__ne__,
        CompareKind::Greater => sym::__gt__,
        CompareKind::GreaterEqual => sym::__ge__,
    }
}

/// `__add__` and `__radd__` for `+` (and `+=`, which has no `__iadd__`
/// support of its own: it computes `a + b`).
fn binary_methods(kind: BinaryOpKind) -> (&'static str, &'static str) {
    use BinaryOpKind::*;
    match kind.plain() {
        Add => ("__add__", "__radd__"),
        Subtract => ("__sub__", "__rsub__"),
        Multiply => ("__mul__", "__rmul__"),
        MatrixMultiply => ("__matmul__", "__rmatmul__"),
        TrueDivide => ("__truediv__", "__rtruediv__"),
        FloorDivide => ("__floordiv__", "__rfloordiv__"),
        Remainder => ("__mod__", "__rmod__"),
        Power => ("__pow__", "__rpow__"),
        LeftShift => ("__lshift__", "__rlshift__"),
        RightShift => ("__rshift__", "__rrshift__"),
        And => ("__and__", "__rand__"),
        Or => ("__or__", "__ror__"),
        Xor => ("__xor__", "__rxor__"),
        _ => ("", ""),
    }
}

impl Vm {
    /// The special method `name` as the class of `v` defines it (never one
    /// of `object`'s defaults).
    pub(crate) fn special_method(&self, v: &Value, name: Symbol) -> Option<Value> {
        match v {
            Value::Instance(i) => i.class.lookup(name),
            Value::Exception(e) if e.class.is_main() => e.class.lookup(name),
            _ => None,
        }
    }

    /// Call `v.name(*args)` if the class of `v` defines `name`.
    pub(crate) fn call_special(
        &mut self,
        v: &Value,
        name: Symbol,
        args: &[Value],
    ) -> PyResult<Option<Value>> {
        let Some(method) = self.special_method(v, name) else {
            return Ok(None);
        };
        let result = match &method {
            Value::Function(_) => {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(v.clone());
                all.extend_from_slice(args);
                self.call(&method, &all, &[])?
            }
            _ => {
                let bound = self.bind_class_attr(method, v, &type_of(v))?;
                self.call(&bound, args, &[])?
            }
        };
        Ok(Some(result))
    }

    /// `repr()` of a user object: its `__repr__`, or `object`'s.
    pub(crate) fn user_repr(&mut self, v: &Value) -> PyResult<String> {
        if is_not_implemented(v) {
            return Ok("NotImplemented".into());
        }
        if self.quiet_repr {
            return self.default_repr(v);
        }
        match self.call_special(v, sym::__repr__, &[])? {
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => Err(exception::type_error(format!(
                "__repr__ returned non-string (type {})",
                other.type_name()
            ))),
            None => self.default_repr(v),
        }
    }

    /// `str()` of a user object: its `__str__`, else its repr (an
    /// exception's message).
    pub(crate) fn user_str(&mut self, v: &Value) -> PyResult<String> {
        match self.call_special(v, sym::__str__, &[])? {
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => Err(exception::type_error(format!(
                "__str__ returned non-string (type {})",
                other.type_name()
            ))),
            None => match v {
                Value::Exception(e) => self.exception_str(e),
                // `object.__str__` calls the repr slot itself, so a bad
                // result is reported as `__str__`'s, as in CPython.
                _ if self.quiet_repr => self.default_repr(v),
                _ => match self.call_special(v, sym::__repr__, &[])? {
                    Some(Value::Str(s)) => Ok(s.as_str().to_string()),
                    Some(other) => Err(exception::type_error(format!(
                        "__str__ returned non-string (type {})",
                        other.type_name()
                    ))),
                    None => self.user_repr(v),
                },
            },
        }
    }

    /// `repr(v)` without running any Python code: user classes show
    /// `object`'s repr. For observers (the trace, the stepper).
    pub fn repr_quietly(&mut self, v: &Value) -> PyResult<String> {
        let was = std::mem::replace(&mut self.quiet_repr, true);
        let result = self.repr(v);
        self.quiet_repr = was;
        result
    }

    /// `left <op> right` when either side is a user object.
    pub(crate) fn rich_compare(
        &mut self,
        kind: CompareKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Value> {
        let method = compare_method(kind);
        let reflected = compare_method(kind.swapped());
        let (left_type, right_type) = (type_of(left), type_of(right));
        let right_first = !Rc::ptr_eq(&left_type, &right_type)
            && right_type.is_subclass_of(&left_type)
            && self.special_method(right, reflected).is_some();
        if right_first {
            if let Some(r) = self.try_special(right, reflected, left)? {
                return Ok(r);
            }
        }
        if let Some(r) = self.try_special(left, method, right)? {
            return Ok(r);
        }
        if !right_first {
            if let Some(r) = self.try_special(right, reflected, left)? {
                return Ok(r);
            }
        }
        match kind {
            // `object.__ne__` inverts `__eq__`.
            CompareKind::NotEqual => {
                if let Some(r) = self.try_special(left, sym::__eq__, right)? {
                    return Ok(Value::Bool(!self.is_true(&r)?));
                }
                if let Some(r) = self.try_special(right, sym::__eq__, left)? {
                    return Ok(Value::Bool(!self.is_true(&r)?));
                }
                Ok(Value::Bool(!left.is(right)))
            }
            CompareKind::Equal => Ok(Value::Bool(left.is(right))),
            _ => Err(exception::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                kind.symbol(),
                left.type_name(),
                right.type_name()
            ))),
        }
    }

    /// Call `v.name(other)`; `None` if there is no such method or it
    /// returned `NotImplemented`.
    fn try_special(&mut self, v: &Value, name: Symbol, other: &Value) -> PyResult<Option<Value>> {
        if !is_user_object(v) {
            return Ok(None);
        }
        match self.call_special(v, name, std::slice::from_ref(other))? {
            Some(r) if !is_not_implemented(&r) => Ok(Some(r)),
            _ => Ok(None),
        }
    }

    /// `left + right` (and the other arithmetic operators) when either
    /// side is a user object; `None` if neither side implements it.
    pub(crate) fn user_binary_op(
        &mut self,
        kind: BinaryOpKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Option<Value>> {
        let (method, reflected) = binary_methods(kind);
        if method.is_empty() {
            return Ok(None);
        }
        if kind.is_inplace() {
            // `a += b` tries `a.__iadd__(b)` first.
            let inplace = format!("__i{}", &method[2..]);
            if let Some(r) = self.try_special(left, intern(&inplace), right)? {
                return Ok(Some(r));
            }
        }
        if let Some(r) = self.try_special(left, intern(method), right)? {
            return Ok(Some(r));
        }
        if !Rc::ptr_eq(&type_of(left), &type_of(right)) {
            if let Some(r) = self.try_special(right, intern(reflected), left)? {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// `format(obj, spec)` through the class's `__format__`, if it has one.
    pub(crate) fn user_format(&mut self, v: &Value, spec: &str) -> PyResult<Option<String>> {
        match self.call_special(v, intern("__format__"), &[Value::str(spec)])? {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
            Some(other) => Err(exception::type_error(format!(
                "__format__ must return a str, not {}",
                other.type_name()
            ))),
        }
    }

    /// `hash(obj)`: its `__hash__`, unhashable if the class set it to None
    /// (by defining `__eq__` alone), else identity-based.
    pub(crate) fn user_hash(&mut self, v: &Value) -> PyResult<i64> {
        match self.special_method(v, sym::__hash__) {
            Some(Value::None) => Err(exception::type_error(format!(
                "unhashable type: '{}'",
                v.type_name()
            ))),
            Some(_) => match self.call_special(v, sym::__hash__, &[])? {
                Some(Value::Int(i)) => Ok(i),
                Some(Value::Bool(b)) => Ok(b as i64),
                Some(n @ Value::BigInt(_)) => self.hash(&n),
                _ => Err(exception::type_error(
                    "__hash__ method should return an integer",
                )),
            },
            None => Ok(super::object::hash::hash_pointer(v.identity())),
        }
    }

    /// `bool(obj)`: `__bool__`, else `__len__() != 0`, else true.
    pub(crate) fn user_truth(&mut self, v: &Value) -> PyResult<bool> {
        if let Some(r) = self.call_special(v, sym::__bool__, &[])? {
            return match r {
                Value::Bool(b) => Ok(b),
                other => Err(exception::type_error(format!(
                    "__bool__ should return bool, returned {}",
                    other.type_name()
                ))),
            };
        }
        if self.special_method(v, sym::__len__).is_some() {
            return Ok(self.user_len(v)? != 0);
        }
        Ok(true)
    }

    /// `len(obj)`: its `__len__`, which must return a non-negative int.
    pub(crate) fn user_len(&mut self, v: &Value) -> PyResult<usize> {
        match self.call_special(v, sym::__len__, &[])? {
            Some(Value::Int(n)) if n >= 0 => Ok(n as usize),
            Some(Value::Bool(b)) => Ok(b as usize),
            Some(Value::Int(_)) => Err(exception::value_error("__len__() should return >= 0")),
            Some(other) => Err(exception::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ))),
            None => Err(exception::type_error(format!(
                "object of type '{}' has no len()",
                v.type_name()
            ))),
        }
    }

    /// `iter(obj)`: its `__iter__`, or a sequence iterator over
    /// `__getitem__`.
    pub(crate) fn user_iter(&mut self, v: &Value) -> PyResult<Value> {
        if let Some(it) = self.call_special(v, sym::__iter__, &[])? {
            let not_iterator = match &it {
                Value::Instance(_) => self.special_method(&it, sym::__next__).is_none(),
                Value::None
                | Value::Bool(_)
                | Value::Int(_)
                | Value::BigInt(_)
                | Value::Float(_)
                | Value::Str(_)
                | Value::List(_)
                | Value::Tuple(_)
                | Value::Dict(_)
                | Value::Set(_)
                | Value::Range(_) => true,
                _ => false,
            };
            if not_iterator {
                return Err(exception::type_error(format!(
                    "iter() returned non-iterator of type '{}'",
                    it.type_name()
                )));
            }
            return Ok(it);
        }
        if self.special_method(v, sym::__getitem__).is_some() {
            return Ok(super::object::iterator::PyIterator::new_value(
                super::object::iterator::IterState::GetItem {
                    sequence: v.clone(),
                    index: 0,
                },
            ));
        }
        Err(exception::type_error(format!(
            "'{}' object is not iterable",
            v.type_name()
        )))
    }

    /// `next(obj)`: its `__next__`; `StopIteration` ends the iteration.
    pub(crate) fn user_next(&mut self, v: &Value) -> PyResult<Option<Value>> {
        if self.special_method(v, sym::__next__).is_none() {
            return Err(exception::type_error(format!(
                "'{}' object is not an iterator",
                v.type_name()
            )));
        }
        match self.call_special(v, sym::__next__, &[]) {
            Ok(r) => Ok(r),
            Err(e) if e.is_instance_of(&builtin_types().exceptions.stop_iteration) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The built-in `next(obj, default)`: the `StopIteration` that
    /// `__next__` raised goes on as it is (with its value) unless there is
    /// a default.
    pub(crate) fn user_next_builtin(
        &mut self,
        v: &Value,
        default: Option<&Value>,
    ) -> PyResult<Value> {
        if self.special_method(v, sym::__next__).is_none() {
            return Err(exception::type_error(format!(
                "'{}' object is not an iterator",
                v.type_name()
            )));
        }
        match self.call_special(v, sym::__next__, &[]) {
            Ok(r) => Ok(r.unwrap_or(Value::None)),
            Err(e) if e.is_instance_of(&builtin_types().exceptions.stop_iteration) => {
                default.cloned().ok_or(e)
            }
            Err(e) => Err(e),
        }
    }

    /// `obj[key]`.
    pub(crate) fn user_get_item(&mut self, v: &Value, key: &Value) -> PyResult<Value> {
        match self.call_special(v, sym::__getitem__, std::slice::from_ref(key))? {
            Some(r) => Ok(r),
            None => Err(exception::type_error(format!(
                "'{}' object is not subscriptable",
                v.type_name()
            ))),
        }
    }

    /// `obj[key] = value`.
    pub(crate) fn user_set_item(&mut self, v: &Value, key: Value, value: Value) -> PyResult<()> {
        match self.call_special(v, sym::__setitem__, &[key, value])? {
            Some(_) => Ok(()),
            None => Err(exception::type_error(format!(
                "'{}' object does not support item assignment",
                v.type_name()
            ))),
        }
    }

    /// `del obj[key]`.
    pub(crate) fn user_del_item(&mut self, v: &Value, key: &Value) -> PyResult<()> {
        match self.call_special(v, sym::__delitem__, std::slice::from_ref(key))? {
            Some(_) => Ok(()),
            None => Err(exception::type_error(format!(
                "'{}' object doesn't support item deletion",
                v.type_name()
            ))),
        }
    }

    /// `item in obj`: `__contains__`, else a search through `iter(obj)`.
    pub(crate) fn user_contains(&mut self, v: &Value, item: &Value) -> PyResult<bool> {
        if let Some(r) = self.call_special(v, sym::__contains__, std::slice::from_ref(item))? {
            return self.is_true(&r);
        }
        if self.special_method(v, sym::__iter__).is_none()
            && self.special_method(v, sym::__getitem__).is_none()
        {
            return Err(exception::type_error(format!(
                "argument of type '{}' is not iterable",
                v.type_name()
            )));
        }
        let it = self.user_iter(v)?;
        while let Some(x) = self.next(&it)? {
            if x.is(item) || self.eq(&x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
