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
mod classes;
mod containers;
mod context_managers;
pub(crate) mod coroutine_methods;
mod coroutines;
pub(crate) mod dunders;
mod exceptions;
mod format;
pub mod format_percent;
pub mod format_spec;
pub mod format_string;
pub mod frame;
pub(crate) mod generators;
pub mod globals;
mod imports;
mod instructions;
mod instrumented;
mod interp;
mod iteration;
pub(crate) mod methods;
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
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use value::Value;

/// Python's default recursion limit: the deepest stack of frames allowed.
pub const RECURSION_LIMIT: usize = 1000;

/// How running a fiber's frames stopped.
pub enum Exit {
    /// The bottom frame returned this value.
    Returned(Value),
    /// A coroutine paused at an `await`; the fiber keeps its frames.
    Suspended(crate::event_loop::native::Yielded),
}

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
    pub(crate) outer_depth: usize,
    builtins: crate::symbol::SymbolMap<Value>,
    modules: crate::symbol::SymbolMap<Value>,
    pub output: Box<dyn Output>,
    pub(crate) interrupt: Arc<AtomicBool>,
    /// Set by instructions that re-raise, so the traceback gets no new entry.
    reraising: bool,
    /// The running event loop (inside `asyncio.run`).
    pub event_loop: Option<Box<crate::event_loop::EventLoop>>,
    /// CPython's `_task_name_counter`: `Task-N` numbers, across all loops.
    pub(crate) task_counter: u64,
    pub(crate) loop_counter: u64,
    /// The clock the loop (and, under the virtual clock, `time`) reads.
    pub clock: crate::event_loop::clock::Clock,
    /// An error no `except` may catch is on its way out (the deadlock
    /// report): unwinding skips every handler.
    pub(crate) fatal: bool,
    /// Containers whose repr is being built (to print `[...]` on recursion).
    repr_in_progress: Vec<usize>,
    /// The teaching observer, when one is attached (`apy trace`, ...).
    pub(crate) observation: Option<Box<crate::teach::observer::Observation>>,
    /// Reused by `FORMAT_VALUE` so formatting a value needs no buffer of
    /// its own.
    format_buffer: String,
    /// Set while an observer renders values: user classes' `__repr__` must
    /// not run then (observing must not change the program).
    pub(crate) quiet_repr: bool,
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
            modules: Default::default(),
            output,
            interrupt: Arc::new(AtomicBool::new(false)),
            reraising: false,
            repr_in_progress: Vec::new(),
            format_buffer: String::new(),
            event_loop: None,
            task_counter: 0,
            loop_counter: 0,
            clock: crate::event_loop::clock::Clock::new(crate::event_loop::clock::ClockKind::Real),
            fatal: false,
            observation: None,
            quiet_repr: false,
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
        // The module's code runs as a function of no arguments.
        let function = Rc::new(object::function::Function::of_module(code, globals));
        self.fiber.frames.push(Frame {
            function,
            ip: 0,
            base: base as u32,
            kind: FrameKind::Call,
        });
        let result = match self.execute(stop_depth) {
            Ok(Exit::Returned(v)) => {
                if object::coroutine::any_abandoned() {
                    self.close_abandoned_generators();
                }
                Ok(v)
            }
            Ok(Exit::Suspended(_)) => Err(exception::runtime_error(
                "a module's code cannot pause (await outside a task)",
            )),
            Err(e) => Err(e),
        };
        if crate::event_loop::diagnostics::pending() {
            self.flush_diagnostics();
        }
        self.output.flush();
        result
    }

    /// Use the virtual (or real) clock for the event loop and `time`.
    pub fn set_clock(&mut self, kind: crate::event_loop::clock::ClockKind) {
        self.clock = crate::event_loop::clock::Clock::new(kind);
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

    /// Add (or replace) a built-in name, such as the REPL's `exit`.
    pub fn add_builtin(&mut self, name: &str, value: Value) {
        self.builtins.insert(crate::symbol::intern(name), value);
    }

    /// Names of all built-ins (for the REPL's completion).
    pub fn builtin_names(&self) -> Vec<Rc<str>> {
        let mut names: Vec<Rc<str>> = self.builtins.keys().map(|s| s.text()).collect();
        names.sort();
        names
    }
}
