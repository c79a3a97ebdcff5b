//! The value stack of a fiber: locals and operands of all its frames.
//!
//! This is the one module of the VM that uses `unsafe`, and only so that
//! the dispatch loop can push and pop through raw pointers held in
//! registers (the `fib` benchmark runs about twice as fast as with a
//! bounds-checked `Vec`). Everything else uses the safe methods.
//!
//! Invariants:
//! - `buf` is allocated storage for `buf.len()` values; `buf[..sp]` are
//!   initialised, live values owned by the stack; `buf[sp..]` are
//!   uninitialised.
//! - Only [`ValueStack::reserve`] and its kin reallocate `buf`. Raw
//!   pointers obtained from [`ValueStack::base_ptr`] are valid until the
//!   next call of any `&mut self` method; the dispatch loop re-derives
//!   them after every call out of the loop.
//! - The dispatch loop writes only within the room it reserved on frame
//!   entry (the code object's `max_stack`, computed by the compiler), and
//!   hands back the new `sp` with [`ValueStack::set_len`]. Debug builds check
//!   every raw push and pop against the reserved room.

use super::value::Value;
use std::mem::MaybeUninit;

pub struct ValueStack {
    /// A boxed slice rather than a `Vec`: its length is the capacity, and
    /// it is a word smaller, which every task's fiber keeps.
    buf: Box<[MaybeUninit<Value>]>,
    sp: usize,
}

impl Default for ValueStack {
    fn default() -> Self {
        ValueStack::with_capacity(64)
    }
}

impl Drop for ValueStack {
    fn drop(&mut self) {
        self.truncate(0);
    }
}

impl ValueStack {
    pub fn with_capacity(capacity: usize) -> ValueStack {
        let mut stack = ValueStack {
            buf: Box::default(),
            sp: 0,
        };
        stack.resize(capacity);
        stack
    }

    /// Reallocate `buf` to hold exactly `len` values (at least `sp`).
    fn resize(&mut self, len: usize) {
        debug_assert!(len >= self.sp);
        let mut buf = std::mem::take(&mut self.buf).into_vec();
        buf.reserve_exact(len.saturating_sub(buf.len()));
        buf.resize_with(len, MaybeUninit::uninit);
        self.buf = buf.into_boxed_slice();
    }

    /// Number of live values.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.sp
    }

    pub fn is_empty(&self) -> bool {
        self.sp == 0
    }

    /// Room for values beyond the live ones.
    #[inline(always)]
    pub fn spare(&self) -> usize {
        self.buf.len() - self.sp
    }

    /// Make sure at least `extra` values can be pushed without reallocating.
    #[inline(always)]
    pub fn reserve(&mut self, extra: usize) {
        if self.spare() < extra {
            self.grow(self.sp + extra);
        }
    }

    /// Make room for exactly `extra` more values when there is none
    /// (a task's first frame, whose size is known: no slack for the many
    /// tasks that never call deeper).
    pub fn reserve_exact(&mut self, extra: usize) {
        if self.spare() < extra {
            self.resize(self.sp + extra);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, needed: usize) {
        let target = needed.max(self.buf.len() * 2).max(16);
        self.resize(target);
    }

    #[inline(always)]
    pub fn push(&mut self, value: Value) {
        if self.sp == self.buf.len() {
            self.grow(self.sp + 1);
        }
        self.buf[self.sp].write(value);
        self.sp += 1;
    }

    /// Pop the top value (`Undefined` if the stack is empty).
    #[inline(always)]
    pub fn pop(&mut self) -> Value {
        if self.sp == 0 {
            return Value::Undefined;
        }
        self.sp -= 1;
        // SAFETY: `buf[sp]` was live (below the old `sp`); it is now outside
        // the live part, so reading it moves the value out exactly once.
        unsafe { self.buf[self.sp].assume_init_read() }
    }

    /// The live value at `index`.
    #[inline(always)]
    pub fn get(&self, index: usize) -> &Value {
        assert!(index < self.sp, "stack index {index} above sp {}", self.sp);
        // SAFETY: below `sp`, so initialised.
        unsafe { self.buf[index].assume_init_ref() }
    }

    #[inline(always)]
    pub fn get_mut(&mut self, index: usize) -> &mut Value {
        assert!(index < self.sp, "stack index {index} above sp {}", self.sp);
        // SAFETY: below `sp`, so initialised.
        unsafe { self.buf[index].assume_init_mut() }
    }

    /// Replace the live value at `index`.
    #[inline(always)]
    pub fn set(&mut self, index: usize, value: Value) {
        std::mem::replace(self.get_mut(index), value).discard();
    }

    /// The value `depth` below the top (0 is the top).
    #[inline(always)]
    pub fn peek(&self, depth: usize) -> &Value {
        self.get(self.sp - 1 - depth)
    }

    /// Drop values off the top until `len` remain.
    pub fn truncate(&mut self, len: usize) {
        while self.sp > len {
            self.pop().discard();
        }
    }

    /// Push `count` `Undefined` values (fresh locals).
    #[inline(always)]
    pub fn push_undefined(&mut self, count: usize) {
        self.reserve(count);
        for slot in &mut self.buf[self.sp..self.sp + count] {
            slot.write(Value::Undefined);
        }
        self.sp += count;
    }

    pub fn swap(&mut self, a: usize, b: usize) {
        assert!(a < self.sp && b < self.sp);
        self.buf.swap(a, b);
    }

    /// Move the live values from `index` up one place and put `value` at
    /// `index`.
    #[inline]
    pub fn insert(&mut self, index: usize, value: Value) {
        assert!(index <= self.sp);
        self.reserve(1);
        // SAFETY: `index..sp` are live and move up one slot, into room
        // reserved above, top first; the freed slot at `index` takes the
        // new value. Word by word (`Value::move_words`): the values were
        // usually just pushed, and a vector copy of them would stall on
        // store forwarding (a method call on an instance inserts its
        // function below the receiver this way).
        unsafe {
            let at = self.buf.as_mut_ptr().add(index).cast::<Value>();
            for k in (0..self.sp - index).rev() {
                Value::move_words(at.add(k), at.add(k + 1));
            }
            at.write(value);
        }
        self.sp += 1;
    }

    /// Remove and return the values from `index` to the top, in order.
    pub fn drain_from<C: FromIterator<Value>>(&mut self, index: usize) -> C {
        assert!(index <= self.sp);
        let end = self.sp;
        // Shrink first: if collecting panics, the values leak, never twice.
        self.sp = index;
        self.buf[index..end]
            .iter_mut()
            // SAFETY: these were live and are now outside the live part;
            // each is read exactly once.
            .map(|slot| unsafe { slot.assume_init_read() })
            .collect()
    }

    /// Move the values from `index` to the top into `out` (call arguments),
    /// in order, with one copy.
    #[inline(always)]
    pub fn move_into(&mut self, index: usize, out: &mut smallvec::SmallVec<[Value; 6]>) {
        assert!(index <= self.sp);
        let count = self.sp - index;
        if out.capacity() - out.len() < count {
            out.reserve(count);
        }
        // SAFETY: the `count` values from `index` are live; they are copied
        // into `out`'s spare capacity (reserved above) and become `out`'s, and
        // the stack forgets them by lowering `sp` — each moved exactly once.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.buf.as_ptr().add(index).cast::<Value>(),
                out.as_mut_ptr().add(out.len()),
                count,
            );
            out.set_len(out.len() + count);
        }
        self.sp = index;
    }

    /// Move the values from `index` to the top onto the end of `out` (a
    /// generator's frame leaving the stack at a `yield`).
    pub fn move_into_vec(&mut self, index: usize, out: &mut Vec<Value>) {
        assert!(index <= self.sp);
        let count = self.sp - index;
        out.reserve(count);
        // SAFETY: as in `move_into`: each value moves exactly once.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.buf.as_ptr().add(index).cast::<Value>(),
                out.as_mut_ptr().add(out.len()),
                count,
            );
            out.set_len(out.len() + count);
        }
        self.sp = index;
    }

    /// Move every value of `values` onto the stack, in order, leaving it
    /// empty with its capacity (a generator's frame coming back).
    pub fn push_all_from(&mut self, values: &mut Vec<Value>) {
        self.reserve(values.len());
        for value in values.drain(..) {
            self.push(value);
        }
    }

    /// Pointer to slot 0, for the dispatch loop. Valid until the next call
    /// of a `&mut self` method.
    #[inline(always)]
    pub fn base_ptr(&mut self) -> *mut Value {
        self.buf.as_mut_ptr().cast::<Value>()
    }

    /// The number of allocated slots (for the dispatch loop's debug checks).
    #[inline(always)]
    pub fn allocated(&self) -> usize {
        self.buf.len()
    }

    /// Set the number of live values after the dispatch loop pushed or
    /// popped through raw pointers.
    ///
    /// # Safety
    /// `len <= allocated()`, and exactly the slots below `len` must hold
    /// initialised values owned by the stack.
    #[inline(always)]
    pub unsafe fn set_len(&mut self, len: usize) {
        debug_assert!(len <= self.buf.len());
        self.sp = len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_pop_and_drain() {
        let mut s = ValueStack::with_capacity(2);
        for i in 0..10 {
            s.push(Value::Int(i));
        }
        assert_eq!(s.len(), 10);
        assert!(matches!(s.pop(), Value::Int(9)));
        s.insert(2, Value::Int(100));
        let rest: Vec<Value> = s.drain_from(1);
        let ints: Vec<i64> = rest
            .iter()
            .map(|v| match v {
                Value::Int(i) => *i,
                _ => -1,
            })
            .collect();
        assert_eq!(ints, vec![1, 100, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(s.len(), 1);
        s.push_undefined(3);
        assert!(matches!(s.get(3), Value::Undefined));
    }

    #[test]
    fn drops_live_heap_values() {
        let shared = std::rc::Rc::new(crate::vm::value::PyList::new(Vec::new()));
        {
            let mut s = ValueStack::default();
            s.push(Value::List(shared.clone()));
            s.push(Value::List(shared.clone()));
            assert_eq!(std::rc::Rc::strong_count(&shared), 3);
        }
        assert_eq!(std::rc::Rc::strong_count(&shared), 1);
    }
}
