//! Frames and fibers: the VM's call stack, as plain data.
//!
//! A [`Fiber`] is one line of execution: a value stack shared by all its
//! frames, and the stack of [`Frame`]s themselves. The main program runs on
//! one fiber, and every asyncio task owns one. Because frames are data and
//! not Rust stack frames, a call pushes a frame and a return pops one —
//! the dispatch loop never recurses — and a task can be suspended with its
//! whole stack of frames in place, to be resumed later where it stopped.
//!
//! Frame layout on the value stack (as in Lua or Wren):
//!
//! ```text
//!   ... | callee | local 0 | local 1 | ... | local n-1 | operand stack ...
//!                  ^ base
//! ```
//!
//! The callee slot below `base` receives the return value when the frame
//! returns; arguments pushed by the caller become the first locals in place,
//! without copying. The frame owns a reference to the function it runs
//! (its code and globals come from there): a plain call moves that
//! reference out of the callee slot, which holds `None` meanwhile, so a
//! call and its return touch one reference count instead of three.
//!
//! The value stack itself is a [`ValueStack`]: the dispatch loop works on it
//! through raw pointers kept in registers, and writes its stack pointer back
//! before it calls out.

use super::globals::Globals;
use super::interp::ArgBuffer;
use super::object::coroutine::Coroutine;
use super::object::exception::PyErr;
use super::object::function::Function;
use super::stack::ValueStack;
use super::value::Value;
use crate::bytecode::code::Code;
use std::rc::Rc;

/// What a frame is running, which decides what finishing it means.
pub enum FrameKind {
    /// A module's top level or a plain function call.
    Call,
    /// The body of a coroutine, awaited by the frame below (or started by a
    /// task): finishing it marks the coroutine finished. Also the body of a
    /// generator or async generator, resumed by the frame below (or by
    /// Rust): its frame leaves the fiber at each `yield` (see
    /// `vm/generators.rs`).
    Coroutine(Rc<Coroutine>),
    /// A class's `__init__`, run by calling the class: returning hands
    /// back the new instance instead of `__init__`'s result (which must be
    /// None).
    Init(Value),
}

pub struct Frame {
    /// The function running, which gives the frame its code and globals
    /// (a module's or class body's code runs as a function too). The frame
    /// owns this reference: a plain call moves it out of the callee slot
    /// instead of taking new references to the code and globals.
    pub function: Rc<Function>,
    /// Index of the next instruction. While the frame is not the running one
    /// it points after the instruction that called out of it.
    pub ip: u32,
    /// Stack index of local 0.
    pub base: u32,
    pub kind: FrameKind,
}

impl Frame {
    #[inline(always)]
    pub fn code(&self) -> &Rc<Code> {
        &self.function.code
    }

    #[inline(always)]
    pub fn globals(&self) -> &Rc<Globals> {
        &self.function.globals
    }

    /// The instruction this frame is executing (or called out from).
    pub fn current_instruction(&self) -> usize {
        (self.ip as usize).saturating_sub(1)
    }

    pub fn current_line(&self) -> u32 {
        self.code().line_of(self.current_instruction())
    }
}

#[derive(Default)]
pub struct Fiber {
    /// Locals and operands of all the frames.
    pub stack: ValueStack,
    pub frames: Vec<Frame>,
    /// The exception being handled (`except` clauses in progress), which a
    /// bare `raise` re-raises and a new exception records as its context.
    pub handled_exception: Option<PyErr>,
}

impl Fiber {
    pub fn new() -> Fiber {
        Fiber {
            stack: ValueStack::with_capacity(64),
            frames: Vec::with_capacity(16),
            handled_exception: None,
        }
    }

    /// A fiber for a task: small, growing as its coroutines need.
    pub fn with_capacity(slots: usize) -> Fiber {
        Fiber {
            stack: ValueStack::with_capacity(slots),
            frames: Vec::with_capacity(1),
            handled_exception: None,
        }
    }

    /// Number of live values on the stack.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.stack.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    #[inline(always)]
    pub fn push(&mut self, value: Value) {
        self.stack.push(value);
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Value {
        self.stack.pop()
    }

    #[inline(always)]
    pub fn top(&self) -> &Value {
        self.stack.peek(0)
    }

    /// The value `depth` items below the top (0 = top).
    #[inline(always)]
    pub fn peek(&self, depth: usize) -> &Value {
        self.stack.peek(depth)
    }

    /// Live slot `index`.
    #[inline(always)]
    pub fn get(&self, index: usize) -> &Value {
        self.stack.get(index)
    }

    #[inline(always)]
    pub fn set(&mut self, index: usize, value: Value) {
        self.stack.set(index, value);
    }

    /// Drop values off the top until `len` remain.
    #[inline(always)]
    pub fn truncate(&mut self, len: usize) {
        self.stack.truncate(len);
    }

    pub fn extend(&mut self, values: impl IntoIterator<Item = Value>) {
        for v in values {
            self.stack.push(v);
        }
    }

    /// Grow the live part by `count` `Undefined` values (a new frame's
    /// locals).
    #[inline(always)]
    pub fn allocate(&mut self, count: usize) {
        self.stack.push_undefined(count);
    }

    /// Remove the values from `index` to the top, in order.
    #[inline(always)]
    pub fn drain_from(&mut self, index: usize) -> ArgBuffer {
        let mut out = ArgBuffer::new();
        self.stack.move_into(index, &mut out);
        out
    }

    /// Insert `value` at `index`, moving the values above it up by one.
    #[inline]
    pub fn insert(&mut self, index: usize, value: Value) {
        self.stack.insert(index, value);
    }
}
