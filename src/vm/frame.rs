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
//! without copying.

use super::globals::Globals;
use super::object::coroutine::Coroutine;
use super::object::exception::PyErr;
use super::value::Value;
use crate::bytecode::code::Code;
use std::rc::Rc;

/// What a frame is running, which decides what finishing it means.
pub enum FrameKind {
    /// A module's top level or a plain function call.
    Call,
    /// The body of a coroutine, awaited by the frame below (or started by a
    /// task): finishing it marks the coroutine finished.
    Coroutine(Rc<Coroutine>),
}

pub struct Frame {
    pub code: Rc<Code>,
    pub globals: Rc<Globals>,
    /// Index of the next instruction. While the frame is not the running one
    /// it points after the instruction that called out of it.
    pub ip: u32,
    /// Stack index of local 0.
    pub base: u32,
    pub kind: FrameKind,
}

impl Frame {
    /// The instruction this frame is executing (or called out from).
    pub fn current_instruction(&self) -> usize {
        (self.ip as usize).saturating_sub(1)
    }

    pub fn current_line(&self) -> u32 {
        self.code.line_of(self.current_instruction())
    }
}

#[derive(Default)]
pub struct Fiber {
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    /// The exception being handled (`except` clauses in progress), which a
    /// bare `raise` re-raises and a new exception records as its context.
    pub handled_exception: Option<PyErr>,
}

impl Fiber {
    pub fn new() -> Fiber {
        Fiber {
            stack: Vec::with_capacity(64),
            frames: Vec::with_capacity(16),
            handled_exception: None,
        }
    }

    #[inline]
    pub fn push(&mut self, value: Value) {
        self.stack.push(value);
    }

    #[inline]
    pub fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::Undefined)
    }

    #[inline]
    pub fn top(&self) -> &Value {
        self.stack.last().unwrap_or(&Value::Undefined)
    }

    /// The value `depth` items below the top (0 = top).
    #[inline]
    pub fn peek(&self, depth: usize) -> &Value {
        &self.stack[self.stack.len() - 1 - depth]
    }
}
