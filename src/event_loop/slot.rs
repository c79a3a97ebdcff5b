//! [`Slot`]: a `Cell` for values that are not `Copy`, without `RefCell`'s
//! borrow counter.
//!
//! Futures and tasks are the objects a program has most of at once (one
//! per sleeping task, 100 000 in the `sleepers` benchmark), and every one
//! of their mutable fields used to be a `RefCell`: a word of borrow flag
//! each. A `Slot` is exactly the size of what it holds. It never hands out
//! a reference into itself: a read clones the value (taken out and put
//! back, so nothing can observe it half-way), a write replaces it. That
//! suits the small values kept here: `Rc`s, `Value`s, short lists.

use std::cell::Cell;

#[derive(Default)]
pub struct Slot<T: Default>(Cell<T>);

impl<T: Default> Slot<T> {
    /// Replace the value.
    pub fn set(&self, value: T) {
        self.0.set(value);
    }

    /// Move the value out, leaving the default.
    pub fn take(&self) -> T {
        self.0.take()
    }

    /// Change the value in place. `change` gets the value itself, taken
    /// out of the slot for the duration (anything reading the slot
    /// meanwhile sees the default), so it should not touch this slot.
    pub fn update<R>(&self, change: impl FnOnce(&mut T) -> R) -> R {
        let mut value = self.0.take();
        let result = change(&mut value);
        self.0.set(value);
        result
    }
}

impl<T: Default + Clone> Slot<T> {
    /// A copy of the value.
    pub fn get(&self) -> T {
        self.update(|value| value.clone())
    }
}
