//! `dict`: an insertion-ordered hash map from hashable values to values.
//!
//! The table itself is [`DictTable`] (CPython's compact dict layout). Keys
//! are compared with Python's `==` and hashed with Python's `hash`, which in
//! general need the VM, so lookups that take a key live on the VM (see
//! `vm::containers`); this file holds what needs no VM: sizes, ordered
//! snapshots, iteration by position, and string-keyed insertion.

use super::dict_table::DictTable;
use super::hash::hash_str;
use super::iterator::DictPart;
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
pub struct PyDict {
    pub table: RefCell<DictTable<Value, Value>>,
}

impl PyDict {
    pub fn new() -> PyDict {
        PyDict::default()
    }

    pub fn new_value() -> Value {
        Value::Dict(Rc::new(PyDict::new()))
    }

    pub fn len(&self) -> usize {
        self.table.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key/value pairs, in order, as a snapshot.
    pub fn items(&self) -> Vec<(Value, Value)> {
        self.table
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn keys(&self) -> Vec<Value> {
        self.table.borrow().keys().cloned().collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.table.borrow().values().cloned().collect()
    }

    /// The first live entry at or after `position`: its position, key, value.
    pub fn next_from(&self, position: usize) -> Option<(usize, Value, Value)> {
        self.table
            .borrow()
            .next_from(position)
            .map(|(p, k, v)| (p, k.clone(), v.clone()))
    }

    /// Insert with a string key (keyword arguments): str hashing and
    /// equality need no VM.
    pub fn set_str(&self, key: &str, value: Value) {
        let key_value = Value::str(key);
        let hash = match &key_value {
            Value::Str(s) => s.hash_with(hash_str),
            _ => unreachable!(),
        };
        let _ = self.table.borrow_mut().insert(hash, key_value, value, |k| {
            Ok::<bool, ()>(matches!(k, Value::Str(s) if s.as_str() == key))
        });
    }

    /// Look up a string key without the VM.
    pub fn get_str(&self, key: &str) -> Option<Value> {
        let hash = hash_str(key);
        self.table
            .borrow()
            .get(hash, |k| {
                Ok::<bool, ()>(matches!(k, Value::Str(s) if s.as_str() == key))
            })
            .ok()
            .flatten()
            .cloned()
    }
}

/// A view of a dict's keys, values or items: it sees later changes to the
/// dict, as CPython's views do.
pub struct DictView {
    pub dict: Rc<PyDict>,
    pub part: DictPart,
}

impl DictView {
    pub fn type_name(&self) -> &'static str {
        match self.part {
            DictPart::Keys => "dict_keys",
            DictPart::Values => "dict_values",
            DictPart::Items => "dict_items",
        }
    }
}
