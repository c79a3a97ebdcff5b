//! Instances of user classes, and the small objects that live in class
//! namespaces: `staticmethod`, `classmethod`, `property`, and what `super()`
//! returns.
//!
//! An instance is its class plus a dictionary of attributes, as in CPython
//! (`obj.__dict__`). Looking an attribute up goes to the instance's own
//! attributes first, then along the class's chain of bases (see
//! `vm::classes`). The class members below change what that lookup returns:
//! a plain function becomes a bound method, a `staticmethod` gives its
//! function as is, a `classmethod` binds to the class, a `property` calls
//! its getter.

use super::types::TypeObject;
use crate::symbol::Symbol;
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// An instance's attributes by name, in insertion order. Instances have a
/// handful of attributes, so a linear scan of interned names (integer
/// compares) beats hashing; it is what `self.x` costs.
#[derive(Default)]
pub struct AttributeMap {
    entries: Vec<(Symbol, Value)>,
}

impl AttributeMap {
    #[inline]
    pub fn get(&self, name: &Symbol) -> Option<&Value> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    #[inline]
    pub fn get_mut(&mut self, name: &Symbol) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &Symbol) -> bool {
        self.get(name).is_some()
    }

    /// Set `name`, keeping its place if it exists.
    pub fn insert(&mut self, name: Symbol, value: Value) {
        match self.get_mut(&name) {
            Some(slot) => *slot = value,
            None => self.entries.push((name, value)),
        }
    }

    /// Remove `name`, keeping the order of the others.
    pub fn shift_remove(&mut self, name: &Symbol) -> Option<Value> {
        let index = self.entries.iter().position(|(n, _)| n == name)?;
        Some(self.entries.remove(index).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Symbol, &Value)> {
        self.entries.iter().map(|(n, v)| (n, v))
    }
}

/// An object made by calling a user class: `Point(1, 2)`.
pub struct Instance {
    pub class: Rc<TypeObject>,
    /// The instance's own attributes (`self.x = 1`), in the order they were
    /// first set (as `obj.__dict__` lists them).
    pub attrs: RefCell<AttributeMap>,
}

impl Instance {
    pub fn new(class: Rc<TypeObject>) -> Rc<Instance> {
        Rc::new(Instance {
            class,
            attrs: RefCell::new(AttributeMap::default()),
        })
    }

    /// Set an own attribute (the caller checked that no property is in
    /// the way).
    #[inline]
    pub fn set_own_attr(&self, name: Symbol, value: Value) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.get_mut(&name) {
            Some(slot) => std::mem::replace(slot, value).discard(),
            None => {
                attrs.insert(name, value);
            }
        }
    }
}

/// A decorated function in a class body.
pub enum ClassMember {
    /// `@staticmethod`: called without the instance or the class.
    Static(Value),
    /// `@classmethod`: called with the class as its first argument.
    Class(Value),
    /// `@property`: reading the attribute calls `getter(obj)`; assigning it
    /// calls `setter(obj, value)` when there is one.
    Property {
        getter: Value,
        setter: Option<Value>,
    },
}

impl ClassMember {
    pub fn type_name(&self) -> &'static str {
        match self {
            ClassMember::Static(_) => "staticmethod",
            ClassMember::Class(_) => "classmethod",
            ClassMember::Property { .. } => "property",
        }
    }
}

/// What `super()` returns inside a method of `class`: attribute lookups on
/// it start *after* `class` in the chain of `receiver`'s type.
pub struct Super {
    pub class: Rc<TypeObject>,
    pub receiver: Value,
}
