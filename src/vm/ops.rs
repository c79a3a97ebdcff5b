//! Operators: arithmetic, comparison, truth, equality and hashing, with
//! Python's semantics.
//!
//! Numbers: `bool` is an `int`; an `int` op `int` stays exact (promoting
//! from `i64` to a big int on overflow); mixing with a `float` converts the
//! int first. The number algorithms themselves (floor division, true
//! division of big ints, powers, float modulo) are in `object::int` and
//! `object::float`; this module chooses which to apply and turns their
//! errors into exceptions. Sequences: `+` concatenates and `*` repeats
//! `str`, `list` and `tuple`. Sets: `| & - ^`. Everything else is
//! CPython's `TypeError: unsupported operand type(s)`.

use super::object::exception::{self, PyErr, PyResult};
use super::object::float::{float_div, float_floor_div, float_mod, float_pow};
use super::object::int::{self as int_ops, IntValue, PowResult};
use super::object::num_error::NumError;
use super::object::str::PyStr;
use super::object::types::builtin_types;
use super::value::Value;
use super::Vm;
use crate::bytecode::op::{BinaryOpKind, CompareKind};
use num_bigint::BigInt;
use num_traits::{FromPrimitive, Signed, Zero};
use std::cmp::Ordering;
use std::rc::Rc;

/// A number, seen for arithmetic.
enum Num<'a> {
    Int(i64),
    Big(&'a BigInt),
    Float(f64),
}

fn as_num(v: &Value) -> Option<Num<'_>> {
    match v {
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Bool(b) => Some(Num::Int(*b as i64)),
        Value::BigInt(b) => Some(Num::Big(b)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

/// Turn a number algorithm's error into the exception CPython raises.
pub fn num_error(e: NumError) -> PyErr {
    let types = builtin_types();
    let class = match e {
        NumError::ZeroDivision(_) => types.exceptions.zero_division_error.clone(),
        NumError::Overflow(_) => types.exceptions.overflow_error.clone(),
        NumError::Value(_) | NumError::ComplexResult => types.exceptions.value_error.clone(),
        NumError::Memory => {
            return exception::exception_without_args(types.exceptions.memory_error.clone())
        }
    };
    exception::PyException::with_message(class, e.message().to_string())
}

pub fn int_value_to_value(v: IntValue) -> Value {
    match v {
        IntValue::Small(i) => Value::Int(i),
        IntValue::Big(b) => Value::BigInt(Rc::new(b)),
    }
}

fn to_int_value(n: &Num) -> Option<IntValue> {
    match n {
        Num::Int(i) => Some(IntValue::Small(*i)),
        Num::Big(b) => Some(IntValue::Big((*b).clone())),
        Num::Float(_) => None,
    }
}

fn to_bigint(n: &Num) -> BigInt {
    match n {
        Num::Int(i) => BigInt::from(*i),
        Num::Big(b) => (*b).clone(),
        Num::Float(_) => BigInt::zero(),
    }
}

fn to_f64(n: &Num) -> PyResult<f64> {
    match n {
        Num::Int(i) => Ok(*i as f64),
        Num::Big(b) => int_ops::bigint_to_f64(b).map_err(num_error),
        Num::Float(f) => Ok(*f),
    }
}

impl Vm {
    /// `left <op> right` for every binary operator.
    pub(crate) fn binary_op(
        &mut self,
        kind: BinaryOpKind,
        left: Value,
        right: Value,
    ) -> PyResult<Value> {
        if let (Value::Bool(a), Value::Bool(b)) = (&left, &right) {
            match kind.plain() {
                BinaryOpKind::And => return Ok(Value::Bool(a & b)),
                BinaryOpKind::Or => return Ok(Value::Bool(a | b)),
                BinaryOpKind::Xor => return Ok(Value::Bool(a ^ b)),
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (as_num(&left), as_num(&right)) {
            if let Some(result) = numeric_op(kind.plain(), &a, &b) {
                return result;
            }
        }
        if kind.is_inplace() {
            if let Some(result) = self.inplace_op(kind, &left, &right) {
                return result;
            }
        }
        if let Some(result) = self.sequence_op(kind.plain(), &left, &right) {
            return result;
        }
        if super::dunders::is_user_object(&left) || super::dunders::is_user_object(&right) {
            if let Some(result) = self.user_binary_op(kind, &left, &right)? {
                return Ok(result);
            }
        }
        Err(unsupported_operands(kind, &left, &right))
    }

    /// Operators that update their left operand in place: `xs += ys`
    /// extends the list itself (other names for it see the change).
    fn inplace_op(
        &mut self,
        kind: BinaryOpKind,
        left: &Value,
        right: &Value,
    ) -> Option<PyResult<Value>> {
        match (kind, left) {
            (BinaryOpKind::InplaceAdd, Value::List(list)) => {
                Some(self.collect_iterable(right).map(|items| {
                    list.items.borrow_mut().extend(items);
                    left.clone()
                }))
            }
            (BinaryOpKind::InplaceMultiply, Value::List(list)) => {
                let count = match right {
                    Value::Int(n) => *n,
                    Value::Bool(b) => *b as i64,
                    _ => return None,
                };
                let mut items = list.items.borrow_mut();
                let original = std::mem::take(&mut *items);
                *items = repeat(&original, count);
                Some(Ok(left.clone()))
            }
            (
                BinaryOpKind::InplaceOr
                | BinaryOpKind::InplaceAnd
                | BinaryOpKind::InplaceSubtract
                | BinaryOpKind::InplaceXor,
                Value::Set(_),
            ) if matches!(right, Value::Set(_)) => {
                Some(self.set_inplace_op(kind.plain(), left, right))
            }
            (BinaryOpKind::InplaceOr, Value::Dict(d)) if matches!(right, Value::Dict(_)) => {
                Some(self.dict_update_op(left, right, false).map(|_| {
                    let _ = d;
                    left.clone()
                }))
            }
            _ => None,
        }
    }

    /// `+` and `*` on sequences, set operators, and dict `|`.
    fn sequence_op(
        &mut self,
        kind: BinaryOpKind,
        left: &Value,
        right: &Value,
    ) -> Option<PyResult<Value>> {
        use BinaryOpKind::*;
        match (kind, left, right) {
            // As CPython, adding an empty string gives the other string
            // itself.
            (Add, Value::Str(a), Value::Str(b)) if b.is_empty() => Some(Ok(Value::Str(a.clone()))),
            (Add, Value::Str(a), Value::Str(b)) if a.is_empty() => Some(Ok(Value::Str(b.clone()))),
            (Add, Value::Str(a), Value::Str(b)) => {
                let (a, b) = (a.as_str(), b.as_str());
                Some(Ok(Value::Str(PyStr::concat_rc(a.len() + b.len(), [a, b]))))
            }
            (Add, Value::List(a), Value::List(b)) => {
                let mut items = a.items.borrow().clone();
                items.extend(b.items.borrow().iter().cloned());
                Some(Ok(Value::list(items)))
            }
            (Add, Value::Tuple(a), Value::Tuple(b)) => {
                let items: Vec<Value> = a.items.iter().chain(b.items.iter()).cloned().collect();
                Some(Ok(Value::tuple(items)))
            }
            (Add, Value::Str(_) | Value::List(_) | Value::Tuple(_), _) => {
                Some(Err(exception::type_error(format!(
                    "can only concatenate {} (not \"{}\") to {}",
                    left.type_name(),
                    right.type_name(),
                    left.type_name()
                ))))
            }
            (Multiply, Value::Str(_) | Value::List(_) | Value::Tuple(_), _) => {
                Some(self.repeat_sequence(left, right))
            }
            (Multiply, _, Value::Str(_) | Value::List(_) | Value::Tuple(_)) => {
                Some(self.repeat_sequence(right, left))
            }
            (Or | And | Subtract | Xor, Value::Set(_), Value::Set(_)) => {
                Some(self.set_binary_op(kind, left, right))
            }
            (Or, Value::Dict(a), Value::Dict(_)) => {
                let merged = super::object::dict::PyDict::new_value();
                let result = self
                    .dict_update_op(&merged, &Value::Dict(a.clone()), false)
                    .and_then(|_| self.dict_update_op(&merged, right, false))
                    .map(|_| merged);
                Some(result)
            }
            (Remainder, Value::Str(_), _) => Some(Err(exception::not_implemented_error(
                "printf-style string formatting ('%' on a str) is not supported by apy; use an f-string or str.format()",
            ))),
            _ => None,
        }
    }

    /// `seq * n`.
    fn repeat_sequence(&mut self, seq: &Value, count: &Value) -> PyResult<Value> {
        let n = match count {
            Value::Int(n) => *n,
            Value::Bool(b) => *b as i64,
            Value::BigInt(b) => {
                if b.is_negative() {
                    0
                } else {
                    return Err(exception::overflow_error(
                        "cannot fit 'int' into an index-sized integer",
                    ));
                }
            }
            other => {
                return Err(exception::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    other.type_name()
                )))
            }
        };
        let n = n.max(0);
        let too_big = |len: usize| (len as u128) * (n as u128) > (1u128 << 34);
        match seq {
            Value::Str(s) => {
                if too_big(s.as_str().len()) {
                    return Err(exception::memory_error(""));
                }
                Ok(Value::string(s.as_str().repeat(n as usize)))
            }
            Value::List(l) => {
                let items = l.items.borrow();
                if too_big(items.len()) {
                    return Err(exception::memory_error(""));
                }
                Ok(Value::list(repeat(&items, n)))
            }
            Value::Tuple(t) => {
                if too_big(t.items.len()) {
                    return Err(exception::memory_error(""));
                }
                Ok(Value::tuple(repeat(&t.items, n)))
            }
            _ => unreachable!("repeat_sequence is called with a sequence"),
        }
    }

    pub(crate) fn unary_negative(&mut self, v: Value) -> PyResult<Value> {
        match v {
            Value::Int(i) => Ok(match i.checked_neg() {
                Some(n) => Value::Int(n),
                None => Value::from_bigint(-BigInt::from(i)),
            }),
            Value::Bool(b) => Ok(Value::Int(-(b as i64))),
            Value::BigInt(b) => Ok(Value::from_bigint(-(*b).clone())),
            Value::Float(f) => Ok(Value::Float(-f)),
            Value::Instance(_)
                if self
                    .special_method(&v, crate::symbol::intern("__neg__"))
                    .is_some() =>
            {
                self.call_special(&v, crate::symbol::intern("__neg__"), &[])
                    .map(|r| r.unwrap_or(Value::None))
            }
            other => Err(exception::type_error(format!(
                "bad operand type for unary -: '{}'",
                other.type_name()
            ))),
        }
    }

    pub(crate) fn unary_positive(&mut self, v: Value) -> PyResult<Value> {
        match v {
            Value::Bool(b) => Ok(Value::Int(b as i64)),
            Value::Int(_) | Value::BigInt(_) | Value::Float(_) => Ok(v),
            Value::Instance(_)
                if self
                    .special_method(&v, crate::symbol::intern("__pos__"))
                    .is_some() =>
            {
                self.call_special(&v, crate::symbol::intern("__pos__"), &[])
                    .map(|r| r.unwrap_or(Value::None))
            }
            other => Err(exception::type_error(format!(
                "bad operand type for unary +: '{}'",
                other.type_name()
            ))),
        }
    }

    pub(crate) fn unary_invert(&mut self, v: Value) -> PyResult<Value> {
        match v {
            Value::Int(i) => Ok(Value::Int(!i)),
            Value::Bool(b) => Ok(Value::Int(!(b as i64))),
            Value::BigInt(b) => Ok(Value::from_bigint(int_ops::invert_bigint(&b))),
            Value::Instance(_)
                if self
                    .special_method(&v, crate::symbol::intern("__invert__"))
                    .is_some() =>
            {
                self.call_special(&v, crate::symbol::intern("__invert__"), &[])
                    .map(|r| r.unwrap_or(Value::None))
            }
            other => Err(exception::type_error(format!(
                "bad operand type for unary ~: '{}'",
                other.type_name()
            ))),
        }
    }

    /// Python's truth value of `v`.
    pub fn is_true(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::Bool(b) => *b,
            Value::None | Value::Undefined => false,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Tuple(t) => !t.items.is_empty(),
            Value::List(l) => !l.items.borrow().is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::DictView(v) => !v.dict.is_empty(),
            Value::Set(s) => !s.is_empty(),
            Value::Range(r) => !r.is_empty(),
            Value::Instance(_) => return self.user_truth(v),
            _ => true,
        })
    }

    /// `left <cmp> right` for `< <= == != > >=`.
    pub(crate) fn compare(
        &mut self,
        kind: CompareKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Value> {
        if super::dunders::is_user_object(left) || super::dunders::is_user_object(right) {
            return self.rich_compare(kind, left, right);
        }
        match kind {
            CompareKind::Equal => return self.eq(left, right).map(Value::Bool),
            CompareKind::NotEqual => return self.eq(left, right).map(|e| Value::Bool(!e)),
            _ => {}
        }
        let ordering = self.partial_cmp(kind, left, right)?;
        Ok(Value::Bool(match ordering {
            None => false,
            Some(ord) => match kind {
                CompareKind::Less => ord == Ordering::Less,
                CompareKind::LessEqual => ord != Ordering::Greater,
                CompareKind::Greater => ord == Ordering::Greater,
                CompareKind::GreaterEqual => ord != Ordering::Less,
                CompareKind::Equal | CompareKind::NotEqual => unreachable!("handled above"),
            },
        }))
    }

    /// How two values order, for `< <= > >=`; `None` when unordered (NaN).
    /// Sets order by inclusion, which is not a total order, so they are
    /// handled in `set_compare`.
    fn partial_cmp(
        &mut self,
        kind: CompareKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Option<Ordering>> {
        if let (Some(a), Some(b)) = (as_num(left), as_num(right)) {
            return Ok(compare_numbers(&a, &b));
        }
        match (left, right) {
            (Value::Str(a), Value::Str(b)) => Ok(Some(a.as_str().cmp(b.as_str()))),
            (Value::List(a), Value::List(b)) => {
                let a = a.items.borrow().clone();
                let b = b.items.borrow().clone();
                self.compare_sequences(kind, &a, &b)
            }
            (Value::Tuple(a), Value::Tuple(b)) => {
                let (a, b) = (a.clone(), b.clone());
                self.compare_sequences(kind, &a.items, &b.items)
            }
            (Value::Set(_), Value::Set(_)) => self.set_compare(kind, left, right),
            _ => Err(exception::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                kind.symbol(),
                left.type_name(),
                right.type_name()
            ))),
        }
    }

    /// Lexicographic order: the first pair of items that differ decides.
    fn compare_sequences(
        &mut self,
        kind: CompareKind,
        a: &[Value],
        b: &[Value],
    ) -> PyResult<Option<Ordering>> {
        for (x, y) in a.iter().zip(b.iter()) {
            if !self.eq(x, y)? {
                return self.partial_cmp(kind, x, y);
            }
        }
        Ok(Some(a.len().cmp(&b.len())))
    }

    /// `left == right`.
    pub fn eq(&mut self, left: &Value, right: &Value) -> PyResult<bool> {
        if let (Some(a), Some(b)) = (as_num(left), as_num(right)) {
            return Ok(compare_numbers(&a, &b) == Some(Ordering::Equal));
        }
        Ok(match (left, right) {
            (Value::Str(a), Value::Str(b)) => Rc::ptr_eq(a, b) || a.as_str() == b.as_str(),
            (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) => true,
            (Value::List(a), Value::List(b)) => {
                if Rc::ptr_eq(a, b) {
                    return Ok(true);
                }
                let a = a.items.borrow().clone();
                let b = b.items.borrow().clone();
                self.sequences_eq(&a, &b)?
            }
            (Value::Tuple(a), Value::Tuple(b)) => {
                if Rc::ptr_eq(a, b) {
                    return Ok(true);
                }
                let (a, b) = (a.clone(), b.clone());
                self.sequences_eq(&a.items, &b.items)?
            }
            (Value::Dict(_), Value::Dict(_)) => self.dicts_eq(left, right)?,
            (Value::Set(_), Value::Set(_)) => self.sets_eq(left, right)?,
            (Value::Range(a), Value::Range(b)) => {
                let (la, lb) = (a.len(), b.len());
                la == lb && (la == 0 || (a.start == b.start && (la == 1 || a.step == b.step)))
            }
            (Value::Slice(a), Value::Slice(b)) => {
                self.eq(&a.start, &b.start)?
                    && self.eq(&a.stop, &b.stop)?
                    && self.eq(&a.step, &b.step)?
            }
            _ if super::dunders::is_user_object(left) || super::dunders::is_user_object(right) => {
                let r = self.rich_compare(CompareKind::Equal, left, right)?;
                self.is_true(&r)?
            }
            _ => left.is(right),
        })
    }

    fn sequences_eq(&mut self, a: &[Value], b: &[Value]) -> PyResult<bool> {
        if a.len() != b.len() {
            return Ok(false);
        }
        for (x, y) in a.iter().zip(b) {
            // Identity implies equality for container items, as in CPython
            // (so a list holding a NaN equals itself).
            if !x.is(y) && !self.eq(x, y)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Python's `hash(v)`; `TypeError` for mutable containers.
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        use super::object::hash;
        Ok(match v {
            Value::Int(i) => hash::hash_i64(*i),
            Value::Bool(b) => *b as i64,
            Value::BigInt(b) => hash::hash_bigint(b),
            Value::Float(f) => hash::hash_f64(*f, v.identity()),
            Value::Str(s) => s.hash_with(hash::hash_str),
            Value::None => hash::hash_pointer(0x1010),
            Value::Tuple(t) => {
                let mut hashes = Vec::with_capacity(t.items.len());
                for item in t.items.iter() {
                    hashes.push(self.hash(item)?);
                }
                hash::hash_tuple(&hashes)
            }
            Value::Range(r) => {
                let len = r.len();
                let hashes = [
                    hash::hash_i64(len),
                    if len == 0 {
                        hash::hash_pointer(0x1010)
                    } else {
                        hash::hash_i64(r.start)
                    },
                    if len <= 1 {
                        hash::hash_pointer(0x1010)
                    } else {
                        hash::hash_i64(r.step)
                    },
                ];
                hash::hash_tuple(&hashes)
            }
            Value::List(_) | Value::Dict(_) | Value::Set(_) | Value::Slice(_) => {
                return Err(exception::type_error(format!(
                    "unhashable type: '{}'",
                    v.type_name()
                )))
            }
            Value::Instance(_) | Value::Exception(_) => return self.user_hash(v),
            other => hash::hash_pointer(other.identity()),
        })
    }
}

/// Arithmetic on two numbers; `None` for operators numbers do not have.
fn numeric_op(kind: BinaryOpKind, a: &Num, b: &Num) -> Option<PyResult<Value>> {
    use BinaryOpKind::*;
    if matches!(kind, MatrixMultiply) {
        return None;
    }
    let float_mode = matches!(a, Num::Float(_)) || matches!(b, Num::Float(_));
    if float_mode {
        if matches!(kind, LeftShift | RightShift | And | Or | Xor) {
            return None;
        }
        return Some(float_op(kind, a, b));
    }
    Some(int_op(kind, a, b))
}

fn float_op(kind: BinaryOpKind, a: &Num, b: &Num) -> PyResult<Value> {
    use BinaryOpKind::*;
    let x = to_f64(a)?;
    let y = to_f64(b)?;
    let r = match kind {
        Add => x + y,
        Subtract => x - y,
        Multiply => x * y,
        TrueDivide => float_div(x, y).map_err(num_error)?,
        FloorDivide => float_floor_div(x, y).map_err(num_error)?,
        Remainder => float_mod(x, y).map_err(num_error)?,
        Power => float_pow(x, y).map_err(num_error)?,
        _ => unreachable!("float_op is only called for float operators"),
    };
    Ok(Value::Float(r))
}

fn int_op(kind: BinaryOpKind, a: &Num, b: &Num) -> PyResult<Value> {
    use BinaryOpKind::*;
    if let (Num::Int(x), Num::Int(y)) = (a, b) {
        let (x, y) = (*x, *y);
        let small = match kind {
            Add => x.checked_add(y),
            Subtract => x.checked_sub(y),
            Multiply => x.checked_mul(y),
            FloorDivide => int_ops::floor_div_i64(x, y).map_err(num_error)?,
            Remainder => Some(int_ops::mod_i64(x, y).map_err(num_error)?),
            TrueDivide => {
                return int_ops::true_div_i64(x, y)
                    .map(Value::Float)
                    .map_err(num_error)
            }
            And => Some(x & y),
            Or => Some(x | y),
            Xor => Some(x ^ y),
            LeftShift => int_ops::shl_i64(x, y).map_err(num_error)?,
            RightShift => Some(int_ops::shr_i64(x, y).map_err(num_error)?),
            Power if y >= 0 => int_ops::pow_i64(x, y),
            _ => None,
        };
        if let Some(r) = small {
            return Ok(Value::Int(r));
        }
    }
    // The general (big) path.
    let (x, y) = (to_bigint(a), to_bigint(b));
    let r = match kind {
        Add => x + y,
        Subtract => x - y,
        Multiply => x * y,
        FloorDivide => int_ops::floor_div_bigint(&x, &y).map_err(num_error)?,
        Remainder => int_ops::mod_bigint(&x, &y).map_err(num_error)?,
        TrueDivide => {
            return int_ops::true_div_bigint(&x, &y)
                .map(Value::Float)
                .map_err(num_error)
        }
        And => x & y,
        Or => x | y,
        Xor => x ^ y,
        LeftShift => {
            let n = to_int_value(b).expect("int");
            int_ops::shl_bigint(&x, &n).map_err(num_error)?
        }
        RightShift => {
            let n = to_int_value(b).expect("int");
            int_ops::shr_bigint(&x, &n).map_err(num_error)?
        }
        Power => {
            let (base, exponent) = (to_int_value(a).expect("int"), to_int_value(b).expect("int"));
            return match int_ops::int_pow(&base, &exponent).map_err(num_error)? {
                PowResult::Int(i) => Ok(int_value_to_value(i)),
                PowResult::Float(f) => Ok(Value::Float(f)),
            };
        }
        _ => unreachable!("int_op is only called for int operators"),
    };
    Ok(Value::from_bigint(r))
}

/// Compare two numbers exactly (a big int and a float compare by value,
/// not after rounding the int to a float).
fn compare_numbers(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Float(x), other) => compare_float_int(*x, other),
        (other, Num::Float(y)) => compare_float_int(*y, other).map(Ordering::reverse),
        (x, y) => Some(to_bigint(x).cmp(&to_bigint(y))),
    }
}

/// Order a float against an int, exactly.
fn compare_float_int(f: f64, i: &Num) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Greater
        } else {
            Ordering::Less
        });
    }
    if let Num::Int(n) = i {
        // Exact when the int fits in a float's mantissa.
        if n.unsigned_abs() < (1u64 << 53) {
            return f.partial_cmp(&(*n as f64));
        }
    }
    let int = to_bigint(i);
    let floor = f.floor();
    // A finite float's floor converts to an int exactly.
    let floor_int = BigInt::from_f64(floor)?;
    match floor_int.cmp(&int) {
        Ordering::Equal if f > floor => Some(Ordering::Greater),
        ord => Some(ord),
    }
}

fn repeat(items: &[Value], count: i64) -> Vec<Value> {
    let count = count.max(0) as usize;
    let mut out = Vec::with_capacity(items.len() * count);
    for _ in 0..count {
        out.extend(items.iter().cloned());
    }
    out
}

/// `TypeError: unsupported operand type(s) for +: 'int' and 'str'`.
pub fn unsupported_operands(kind: BinaryOpKind, left: &Value, right: &Value) -> PyErr {
    exception::type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        kind.symbol(),
        left.type_name(),
        right.type_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_int_comparison_is_exact() {
        let big = BigInt::from(2).pow(64u32) + 1;
        assert_eq!(
            compare_float_int(18446744073709551616.0, &Num::Big(&big)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_float_int(1.5, &Num::Int(1)),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_float_int(-1.5, &Num::Int(-1)), Some(Ordering::Less));
        assert_eq!(compare_float_int(2.0, &Num::Int(2)), Some(Ordering::Equal));
        assert_eq!(compare_float_int(f64::NAN, &Num::Int(2)), None);
    }
}
