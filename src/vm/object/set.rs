//! `set`: an unordered collection of distinct hashable values.
//!
//! The table is [`SetTable`], a faithful copy of CPython's `setobject.c`,
//! so a set of ints iterates (and prints) in the same order as in CPython.
//! Operations that hash or compare keys live on the VM (`vm::containers`).

use super::set_table::SetTable;
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
pub struct PySet {
    pub table: RefCell<SetTable<Value>>,
}

impl PySet {
    pub fn from_table(table: SetTable<Value>) -> Value {
        Value::Set(Rc::new(PySet {
            table: RefCell::new(table),
        }))
    }

    pub fn len(&self) -> usize {
        self.table.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members in iteration order, as a snapshot.
    pub fn items(&self) -> Vec<Value> {
        self.table.borrow().iter().cloned().collect()
    }

    /// The first member at or after slot `position`, and its slot.
    pub fn next_from(&self, position: usize) -> Option<(usize, Value)> {
        self.table
            .borrow()
            .next_from(position)
            .map(|(p, k)| (p, k.clone()))
    }
}
