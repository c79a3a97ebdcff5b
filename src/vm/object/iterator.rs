//! Iterator objects: what `iter(x)` returns and what a `for` loop steps.
//!
//! Each kind of iterator is a variant of [`IterState`] holding a position.
//! Iterators over lists and dicts keep a reference to the container and an
//! index, so they see changes made during iteration the way CPython's do
//! (appending to a list while looping over it extends the loop; changing a
//! dict's size raises `RuntimeError`). Stepping an iterator is in
//! `vm::iteration`, because `map` and `filter` call back into Python code.

use super::dict::PyDict;
use super::set::PySet;
use super::str::PyStr;
use crate::vm::value::{PyList, PyTuple, Value};
use std::cell::RefCell;
use std::rc::Rc;

pub struct PyIterator {
    pub state: RefCell<IterState>,
}

/// Which part of a dict a dict iterator yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictPart {
    Keys,
    Values,
    Items,
}

pub enum IterState {
    List {
        list: Rc<PyList>,
        index: usize,
    },
    ReversedList {
        list: Rc<PyList>,
        /// One past the next index to yield; 0 when done.
        remaining: usize,
    },
    Tuple {
        tuple: Rc<PyTuple>,
        index: usize,
    },
    Str {
        text: Rc<PyStr>,
        /// Byte offset of the next code point.
        offset: usize,
    },
    Range {
        next: i64,
        /// Items still to yield.
        remaining: i64,
        step: i64,
    },
    Dict {
        dict: Rc<PyDict>,
        part: DictPart,
        /// Position in the dict's entry table.
        position: usize,
        /// The dict's size when iteration started.
        size: usize,
    },
    Set {
        set: Rc<PySet>,
        position: usize,
        size: usize,
    },
    /// Items already computed (`reversed` of a tuple or str, `sorted` views).
    Values {
        items: Vec<Value>,
        index: usize,
    },
    Enumerate {
        inner: Value,
        count: i64,
    },
    Zip {
        inners: Vec<Value>,
    },
    Map {
        function: Value,
        inners: Vec<Value>,
    },
    Filter {
        function: Value,
        inner: Value,
    },
    /// A finished iterator (iterators stay exhausted).
    Exhausted,
    /// `asyncio.as_completed(fs, timeout=...)` before its first `next()`
    /// (a generator in CPython, whose body runs then).
    AsCompleted {
        fs: Value,
        timeout: Value,
    },
    /// `iter(obj)` of an object with `__getitem__` but no `__iter__`:
    /// `obj[0]`, `obj[1]`, ... until `IndexError` (tier 2).
    GetItem {
        sequence: Value,
        index: i64,
    },
}

impl PyIterator {
    pub fn new_value(state: IterState) -> Value {
        Value::Iterator(Rc::new(PyIterator {
            state: RefCell::new(state),
        }))
    }

    /// CPython's name for this kind of iterator (`list_iterator`, ...).
    pub fn type_name(&self) -> &'static str {
        match &*self.state.borrow() {
            IterState::List { .. } => "list_iterator",
            IterState::ReversedList { .. } => "list_reverseiterator",
            IterState::Tuple { .. } => "tuple_iterator",
            IterState::Str { .. } => "str_ascii_iterator",
            IterState::Range { .. } => "range_iterator",
            IterState::Dict { part, .. } => match part {
                DictPart::Keys => "dict_keyiterator",
                DictPart::Values => "dict_valueiterator",
                DictPart::Items => "dict_itemiterator",
            },
            IterState::Set { .. } => "set_iterator",
            IterState::Values { .. } => "reversed",
            IterState::Enumerate { .. } => "enumerate",
            IterState::Zip { .. } => "zip",
            IterState::Map { .. } => "map",
            IterState::Filter { .. } => "filter",
            IterState::Exhausted => "iterator",
            IterState::AsCompleted { .. } => "generator",
            IterState::GetItem { .. } => "iterator",
        }
    }
}
