//! Module objects: `asyncio`, `time`, and the namespaces `import` returns.
//!
//! apy has only built-in modules; each is a name and a table of attributes
//! (its functions, classes and constants), filled when the module is first
//! imported.

use crate::symbol::{Symbol, SymbolMap};
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

pub struct PyModule {
    pub name: Rc<str>,
    pub attrs: RefCell<SymbolMap<Value>>,
}

impl PyModule {
    pub fn new(name: &str) -> PyModule {
        PyModule {
            name: Rc::from(name),
            attrs: RefCell::new(SymbolMap::default()),
        }
    }

    pub fn get(&self, name: Symbol) -> Option<Value> {
        self.attrs.borrow().get(&name).cloned()
    }

    pub fn set(&self, name: Symbol, value: Value) {
        self.attrs.borrow_mut().insert(name, value);
    }

    /// Attribute names in sorted order (for `dir()` and completion).
    pub fn names(&self) -> Vec<Rc<str>> {
        let mut names: Vec<Rc<str>> = self.attrs.borrow().keys().map(|s| s.text()).collect();
        names.sort();
        names
    }
}
