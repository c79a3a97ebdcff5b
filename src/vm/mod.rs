//! The virtual machine: values, frames, the dispatch loop, and the object
//! behaviour (operators, attributes, calls, iteration) the bytecode relies
//! on.
//!
//! A [`Vm`] runs code objects on its current [`frame::Fiber`]. The dispatch
//! loop is in [`interp`]; the semantics of each kind of operation live in
//! their own modules (`ops` for operators, `call` for calls, `attributes`,
//! `subscript`, `iteration`, ...), and the built-in functions and methods in
//! [`builtins`] and `methods`.

mod attributes;
pub mod builtins;
mod call;
mod containers;
mod coroutines;
mod exceptions;
mod format;
pub mod format_percent;
pub mod format_spec;
pub mod format_string;
pub mod frame;
pub mod globals;
mod imports;
mod instructions;
mod interp;
mod iteration;
mod methods;
pub mod object;
mod ops;
pub mod output;
pub mod repr;
pub mod stack;
mod subscript;
mod suggestions;
pub mod traceback;
pub mod value;

use crate::bytecode::code::Code;
use crate::symbol::Symbol;
use frame::{Fiber, Frame, FrameKind};
use globals::Globals;
use object::exception::{self, PyErr, PyResult};
use output::Output;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use value::Value;

/// Python's default recursion limit: the deepest stack of frames allowed.
pub const RECURSION_LIMIT: usize = 1000;

/// What starting a call did.
pub enum CallOutcome {
    /// A Python frame was pushed; the dispatch loop continues in it.
    Pushed,
    /// The call finished (a built-in, or a coroutine object was created).
    Done(Value),
}

pub struct Vm {
    /// The fiber whose frames are running.
    pub fiber: Fiber,
    /// Frames of the fibers beneath the running one (counted against the
    /// recursion limit).
    outer_depth: usize,
    builtins: HashMap<Symbol, Value>,
    modules: HashMap<Symbol, Value>,
    pub output: Box<dyn Output>,
    interrupt: Arc<AtomicBool>,
    /// Set by instructions that re-raise, so the traceback gets no new entry.
    reraising: bool,
    /// Containers whose repr is being built (to print `[...]` on recursion).
    repr_in_progress: Vec<usize>,
}

/// A fresh `KeyboardInterrupt` (what Ctrl-C raises in running code).
pub fn keyboard_interrupt() -> PyErr {
    let class = object::types::builtin_types()
        .exceptions
        .keyboard_interrupt
        .clone();
    exception::exception_without_args(class)
}

impl Vm {
    pub fn new(output: Box<dyn Output>) -> Vm {
        Vm {
            fiber: Fiber::new(),
            outer_depth: 0,
            builtins: builtins::builtins_table(),
            modules: HashMap::new(),
            output,
            interrupt: Arc::new(AtomicBool::new(false)),
            reraising: false,
            repr_in_progress: Vec::new(),
        }
    }

    /// The flag a Ctrl-C handler sets to interrupt running code.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    #[inline]
    fn interrupt_pending(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    /// Consume a pending Ctrl-C as a `KeyboardInterrupt`.
    fn take_interrupt(&self) -> PyErr {
        self.interrupt.store(false, Ordering::Relaxed);
        keyboard_interrupt()
    }

    /// Run a module's code object with `globals` as its namespace.
    pub fn run_module(&mut self, code: Rc<Code>, globals: Rc<Globals>) -> PyResult<Value> {
        let stop_depth = self.fiber.frames.len();
        // The slot below a frame's locals receives its return value.
        self.fiber.push(Value::None);
        let base = self.fiber.len();
        self.fiber.allocate(code.nlocals());
        self.fiber.frames.push(Frame {
            code,
            globals,
            ip: 0,
            base: base as u32,
            kind: FrameKind::Call,
        });
        let result = self.execute(stop_depth);
        self.output.flush();
        result
    }

    /// Look up built-in `name` for global `slot` (which the module never
    /// assigned), caching it; `NameError` if there is none.
    fn load_builtin(&mut self, globals: &Globals, slot: usize) -> PyResult<Value> {
        let name = globals.name(slot);
        match self.builtins.get(&name) {
            Some(v) => {
                globals.cache_builtin(slot, v.clone());
                Ok(v.clone())
            }
            None => {
                let error = exception::name_error(format!("name '{name}' is not defined"));
                error.set_attr(crate::symbol::sym::name, Value::str(&name.text()));
                Err(error)
            }
        }
    }

    pub fn builtin(&self, name: Symbol) -> Option<&Value> {
        self.builtins.get(&name)
    }

    /// Names of all built-ins (for the REPL's completion).
    pub fn builtin_names(&self) -> Vec<Rc<str>> {
        let mut names: Vec<Rc<str>> = self.builtins.keys().map(|s| s.text()).collect();
        names.sort();
        names
    }
}
