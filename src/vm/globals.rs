//! A module's global variables, stored by slot.
//!
//! The compiler gives every global name of a module a slot number when it
//! first sees the name (see [`crate::bytecode::code::GlobalNames`]), so
//! `LOAD_GLOBAL 3` is an array index, not a dictionary lookup. A slot that was
//! never assigned falls back to the built-in of the same name (`print`,
//! `len`); that lookup is done once and cached in the slot, since built-ins
//! never change.

use crate::bytecode::code::GlobalNames;
use crate::symbol::Symbol;
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

pub struct Globals {
    pub names: Rc<GlobalNames>,
    slots: RefCell<Vec<GlobalSlot>>,
}

#[derive(Clone)]
struct GlobalSlot {
    /// The global's value, `Undefined` if never assigned (or deleted).
    value: Value,
    /// The built-in of the same name, once looked up (`Undefined` before).
    builtin: Value,
}

impl Globals {
    pub fn new(names: Rc<GlobalNames>) -> Rc<Globals> {
        Rc::new(Globals {
            names,
            slots: RefCell::new(Vec::new()),
        })
    }

    fn ensure(&self, slot: usize) {
        let mut slots = self.slots.borrow_mut();
        if slots.len() <= slot {
            slots.resize(
                self.names.len().max(slot + 1),
                GlobalSlot {
                    value: Value::Undefined,
                    builtin: Value::Undefined,
                },
            );
        }
    }

    /// The value of global `slot`: the module's own, else the cached built-in;
    /// `Undefined` when neither exists yet (the caller then looks the
    /// built-in up and calls [`Globals::cache_builtin`]).
    #[inline(always)]
    pub fn get(&self, slot: usize) -> Value {
        if let Some(s) = self.slots.borrow().get(slot) {
            if !matches!(s.value, Value::Undefined) {
                return s.value.clone();
            }
            return s.builtin.clone();
        }
        Value::Undefined
    }

    /// Clone global `slot` (or its cached built-in) into `dest`; false,
    /// writing nothing, when neither exists.
    ///
    /// # Safety
    /// `dest` must be valid for writes and hold no live value.
    #[inline(always)]
    pub unsafe fn clone_to(&self, slot: usize, dest: *mut Value) -> bool {
        // SAFETY: no mutable borrow of the slots can start while `slots`
        // is in use: cloning a value only raises a reference count. (An
        // unguarded borrow saves updating the borrow flag twice on every
        // `LOAD_GLOBAL`.)
        let Ok(slots) = self.slots.try_borrow_unguarded() else {
            return false;
        };
        let Some(s) = slots.get(slot) else {
            return false;
        };
        let v = if matches!(s.value, Value::Undefined) {
            &s.builtin
        } else {
            &s.value
        };
        match v {
            Value::Undefined => return false,
            // The global most often loaded: a function about to be called.
            // Raise its count inline rather than through the general
            // out-of-line clone.
            Value::Function(f) => {
                std::mem::forget(Rc::clone(f));
                std::ptr::copy_nonoverlapping(v, dest, 1);
            }
            _ => v.clone_to(dest),
        }
        true
    }

    /// The module's own binding only (no built-in fallback).
    pub fn get_own(&self, slot: usize) -> Value {
        self.slots
            .borrow()
            .get(slot)
            .map(|s| s.value.clone())
            .unwrap_or(Value::Undefined)
    }

    pub fn set(&self, slot: usize, value: Value) {
        self.ensure(slot);
        self.slots.borrow_mut()[slot].value = value;
    }

    pub fn cache_builtin(&self, slot: usize, builtin: Value) {
        self.ensure(slot);
        self.slots.borrow_mut()[slot].builtin = builtin;
    }

    /// Unbind a global; returns whether it had a value.
    pub fn delete(&self, slot: usize) -> bool {
        self.ensure(slot);
        let old = std::mem::replace(&mut self.slots.borrow_mut()[slot].value, Value::Undefined);
        !matches!(old, Value::Undefined)
    }

    pub fn name(&self, slot: usize) -> Symbol {
        self.names.name(slot)
    }

    /// Every bound global, in slot order (for the REPL's completion).
    pub fn bound(&self) -> Vec<(Symbol, Value)> {
        let slots = self.slots.borrow();
        slots
            .iter()
            .enumerate()
            .filter(|(_, s)| !matches!(s.value, Value::Undefined))
            .map(|(i, s)| (self.names.name(i), s.value.clone()))
            .collect()
    }

    /// The slot of global `name`, giving it one if it has none yet.
    pub fn slot_of(&self, name: Symbol) -> usize {
        self.names.slot(name) as usize
    }
}
