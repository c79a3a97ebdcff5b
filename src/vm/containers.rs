//! Dict and set operations that hash and compare keys.
//!
//! Hashing and `==` are Python operations (`Vm::hash`, `Vm::eq`), so every
//! lookup in a dict or a set goes through the VM: the table is asked to find
//! a key with a given hash, and calls back with `Vm::eq` for each candidate.

use super::object::dict::PyDict;
use super::object::exception::{self, PyResult};
use super::object::set::PySet;
use super::object::set_table::SetTable;
use super::value::Value;
use super::Vm;
use crate::bytecode::op::{BinaryOpKind, CompareKind};
use std::cmp::Ordering;
use std::rc::Rc;

impl Vm {
    // ----- dict -------------------------------------------------------------

    pub fn dict_get(&mut self, dict: &PyDict, key: &Value) -> PyResult<Option<Value>> {
        let hash = self.hash(key)?;
        let table = dict.table.borrow();
        Ok(table
            .get(hash, |k| {
                fast_eq(k, key).map_or_else(|| self.eq(k, key), Ok)
            })?
            .cloned())
    }

    pub fn dict_set(&mut self, dict: &PyDict, key: Value, value: Value) -> PyResult<()> {
        let hash = self.hash(&key)?;
        let probe = key.clone();
        dict.table.borrow_mut().insert(hash, key, value, |k| {
            fast_eq(k, &probe).map_or_else(|| self.eq(k, &probe), Ok)
        })?;
        Ok(())
    }

    /// Remove `key`; returns its value, or `None` if it was absent.
    pub fn dict_remove(&mut self, dict: &PyDict, key: &Value) -> PyResult<Option<Value>> {
        let hash = self.hash(key)?;
        let removed = dict.table.borrow_mut().remove(hash, |k| {
            fast_eq(k, key).map_or_else(|| self.eq(k, key), Ok)
        })?;
        Ok(removed.map(|(_, v)| v))
    }

    pub fn dict_contains(&mut self, dict: &PyDict, key: &Value) -> PyResult<bool> {
        Ok(self.dict_get(dict, key)?.is_some())
    }

    /// `BUILD_MAP`: alternating keys and values.
    pub(crate) fn new_dict_from_pairs(&mut self, items: Vec<Value>) -> PyResult<Value> {
        let dict = PyDict::new();
        let mut items = items.into_iter();
        while let (Some(k), Some(v)) = (items.next(), items.next()) {
            self.dict_set(&dict, k, v)?;
        }
        Ok(Value::Dict(Rc::new(dict)))
    }

    /// `d.update(other)`, `{**other}` and (with `reject_duplicates`) the
    /// `**kwargs` of a call.
    pub(crate) fn dict_update_op(
        &mut self,
        target: &Value,
        other: &Value,
        reject_duplicates: bool,
    ) -> PyResult<()> {
        let Value::Dict(dict) = target else {
            return Ok(());
        };
        let pairs: Vec<(Value, Value)> = match other {
            Value::Dict(o) => o.items(),
            _ => {
                // A sequence of pairs (dict.update accepts those).
                let mut pairs = Vec::new();
                for item in self.collect_iterable(other)? {
                    let pair = self.collect_iterable(&item).map_err(|_| {
                        exception::type_error(format!(
                            "cannot convert dictionary update sequence element #{} to a sequence",
                            pairs.len()
                        ))
                    })?;
                    if pair.len() != 2 {
                        return Err(exception::value_error(format!(
                            "dictionary update sequence element #{} has length {}; 2 is required",
                            pairs.len(),
                            pair.len()
                        )));
                    }
                    let mut pair = pair.into_iter();
                    pairs.push((pair.next().expect("2"), pair.next().expect("2")));
                }
                pairs
            }
        };
        for (k, v) in pairs {
            if reject_duplicates && self.dict_contains(dict, &k)? {
                let name = self.str_of(&k)?;
                return Err(exception::type_error(format!(
                    "got multiple values for keyword argument '{name}'"
                )));
            }
            self.dict_set(dict, k, v)?;
        }
        Ok(())
    }

    pub(crate) fn dicts_eq(&mut self, left: &Value, right: &Value) -> PyResult<bool> {
        let (Value::Dict(a), Value::Dict(b)) = (left, right) else {
            return Ok(false);
        };
        if a.len() != b.len() {
            return Ok(false);
        }
        for (k, v) in a.items() {
            match self.dict_get(b, &k)? {
                Some(other) if other.is(&v) || self.eq(&v, &other)? => {}
                _ => return Ok(false),
            }
        }
        Ok(true)
    }

    // ----- set --------------------------------------------------------------

    pub(crate) fn new_set(&mut self, items: Vec<Value>) -> PyResult<Value> {
        let set = Rc::new(PySet::default());
        for item in items {
            self.set_add(&set, item)?;
        }
        Ok(Value::Set(set))
    }

    pub fn set_add(&mut self, set: &PySet, item: Value) -> PyResult<bool> {
        let hash = self.hash(&item)?;
        let probe = item.clone();
        set.table.borrow_mut().add(hash, item, |k| {
            fast_eq(k, &probe).map_or_else(|| self.eq(k, &probe), Ok)
        })
    }

    pub fn set_contains(&mut self, set: &PySet, item: &Value) -> PyResult<bool> {
        let hash = self.hash(item)?;
        let table = set.table.borrow();
        table.contains(hash, |k| {
            fast_eq(k, item).map_or_else(|| self.eq(k, item), Ok)
        })
    }

    /// Remove `item`; returns whether it was there.
    pub fn set_discard(&mut self, set: &PySet, item: &Value) -> PyResult<bool> {
        let hash = self.hash(item)?;
        Ok(set
            .table
            .borrow_mut()
            .discard(hash, |k| {
                fast_eq(k, item).map_or_else(|| self.eq(k, item), Ok)
            })?
            .is_some())
    }

    pub(crate) fn set_add_op(&mut self, target: &Value, item: Value) -> PyResult<()> {
        if let Value::Set(set) = target {
            self.set_add(set, item)?;
        }
        Ok(())
    }

    /// `s.update(iterable)` and `{*xs}`.
    pub(crate) fn set_update_op(&mut self, target: &Value, other: &Value) -> PyResult<()> {
        let Value::Set(set) = target else {
            return Ok(());
        };
        if let Value::Set(o) = other {
            if Rc::ptr_eq(set, o) {
                return Ok(());
            }
            let other_table = o.table.borrow();
            return set
                .table
                .borrow_mut()
                .merge(&other_table, |a, b| self.eq(a, b));
        }
        for item in self.collect_iterable(other)? {
            self.set_add(set, item)?;
        }
        Ok(())
    }

    /// A set built from any iterable (`set(xs)`).
    pub(crate) fn set_from_iterable(&mut self, iterable: &Value) -> PyResult<Value> {
        if let Value::Set(o) = iterable {
            return Ok(PySet::from_table(o.table.borrow().copy()));
        }
        let set = Value::Set(Rc::new(PySet::default()));
        self.set_update_op(&set, iterable)?;
        Ok(set)
    }

    /// `a | b`, `a & b`, `a - b`, `a ^ b` on two sets.
    pub(crate) fn set_binary_op(
        &mut self,
        kind: BinaryOpKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Value> {
        let (Value::Set(a), Value::Set(b)) = (left, right) else {
            return Err(super::ops::unsupported_operands(kind, left, right));
        };
        if Rc::ptr_eq(a, b) {
            let table = a.table.borrow();
            return Ok(PySet::from_table(match kind {
                BinaryOpKind::Or | BinaryOpKind::And => table.copy(),
                _ => SetTable::new(),
            }));
        }
        let (ta, tb) = (a.table.borrow(), b.table.borrow());
        let eq = |x: &Value, y: &Value| self.eq(x, y);
        let table = match kind {
            BinaryOpKind::Or => ta.union(&tb, eq)?,
            BinaryOpKind::And => ta.intersection(&tb, eq)?,
            BinaryOpKind::Subtract => ta.difference(&tb, eq)?,
            BinaryOpKind::Xor => ta.symmetric_difference(&tb, eq)?,
            _ => return Err(super::ops::unsupported_operands(kind, left, right)),
        };
        Ok(PySet::from_table(table))
    }

    /// `a |= b` and friends: update `a` itself.
    pub(crate) fn set_inplace_op(
        &mut self,
        kind: BinaryOpKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Value> {
        let (Value::Set(a), Value::Set(b)) = (left, right) else {
            return Err(super::ops::unsupported_operands(kind, left, right));
        };
        if Rc::ptr_eq(a, b) {
            if matches!(kind, BinaryOpKind::Subtract | BinaryOpKind::Xor) {
                a.table.borrow_mut().clear();
            }
            return Ok(left.clone());
        }
        {
            let tb = b.table.borrow();
            let mut ta = a.table.borrow_mut();
            let eq = |x: &Value, y: &Value| self.eq(x, y);
            match kind {
                BinaryOpKind::Or => ta.merge(&tb, eq)?,
                BinaryOpKind::And => ta.intersection_update(&tb, eq)?,
                BinaryOpKind::Subtract => ta.difference_update(&tb, eq)?,
                BinaryOpKind::Xor => ta.symmetric_difference_update(&tb, eq)?,
                _ => return Err(super::ops::unsupported_operands(kind, left, right)),
            }
        }
        Ok(left.clone())
    }

    pub(crate) fn sets_eq(&mut self, left: &Value, right: &Value) -> PyResult<bool> {
        let (Value::Set(a), Value::Set(b)) = (left, right) else {
            return Ok(false);
        };
        if Rc::ptr_eq(a, b) {
            return Ok(true);
        }
        let (ta, tb) = (a.table.borrow(), b.table.borrow());
        ta.set_equals(&tb, |x, y| self.eq(x, y))
    }

    /// `a <= b` and friends on sets: inclusion, which is only a partial
    /// order, so each operator is answered directly.
    pub(crate) fn set_compare(
        &mut self,
        kind: CompareKind,
        left: &Value,
        right: &Value,
    ) -> PyResult<Option<Ordering>> {
        let (Value::Set(a), Value::Set(b)) = (left, right) else {
            return Ok(None);
        };
        let (ta, tb) = (a.table.borrow(), b.table.borrow());
        let a_in_b = ta.is_subset(&tb, |x, y| self.eq(x, y))?;
        let b_in_a = tb.is_subset(&ta, |x, y| self.eq(x, y))?;
        // Map inclusion onto an Ordering that gives the right answer for the
        // asked operator only.
        Ok(match kind {
            CompareKind::Less if a_in_b && !b_in_a => Some(Ordering::Less),
            CompareKind::LessEqual if a_in_b => Some(Ordering::Less),
            CompareKind::Greater if b_in_a && !a_in_b => Some(Ordering::Greater),
            CompareKind::GreaterEqual if b_in_a => Some(Ordering::Greater),
            _ => None,
        })
    }

    // ----- list -------------------------------------------------------------

    /// `LIST_EXTEND`: `[*xs]`.
    pub(crate) fn list_extend_op(&mut self, target: &Value, iterable: &Value) -> PyResult<()> {
        let items = self.collect_iterable(iterable).map_err(|e| {
            if e.class.name.as_ref() == "TypeError" {
                exception::type_error(format!(
                    "Value after * must be an iterable, not {}",
                    iterable.type_name()
                ))
            } else {
                e
            }
        })?;
        if let Value::List(list) = target {
            list.items.borrow_mut().extend(items);
        }
        Ok(())
    }
}

/// Equality of two keys when it can be decided without the VM (ints and
/// strings, the common dict keys); `None` means "ask `Vm::eq`".
#[inline]
fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::Str(x), Value::Str(y)) => Some(Rc::ptr_eq(x, y) || x.as_str() == y.as_str()),
        _ => None,
    }
}
