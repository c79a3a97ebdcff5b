//! The code object: everything the VM needs to run one function body (or a
//! module's top level) — its instructions, constants, names, the layout of
//! its local variables, the line of every instruction, and the table that
//! says where each instruction's exceptions are handled.
//!
//! A code object is immutable and shared (`Rc<Code>`): calling a function
//! never copies it.

use super::op::Op;
use crate::source::SourceFile;
use crate::symbol::Symbol;
use crate::vm::value::Value;
use std::rc::Rc;

/// What kind of body a code object holds; decides what calling it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// A module's top level (or one REPL input).
    Module,
    /// A plain `def` or `lambda`: calling it runs the body.
    Function,
    /// An `async def`: calling it only creates a coroutine object.
    Coroutine,
    /// A `def` containing `yield`: calling it creates a generator.
    Generator,
    /// An `async def` containing `yield`.
    AsyncGenerator,
    /// The body of a `class` statement.
    Class,
}

/// One row of the exception table: an exception raised by an instruction in
/// `start..end` is handled at `handler`, after the value stack is cut back to
/// `depth` items (above the locals). Rows are ordered innermost first, so the
/// first row that covers an instruction is the one that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionHandler {
    pub start: u32,
    pub end: u32,
    pub handler: u32,
    pub depth: u32,
}

#[derive(Debug)]
pub struct Code {
    /// `f`, `<module>`, `<lambda>`.
    pub name: Rc<str>,
    /// `outer.<locals>.f`, as CPython's `__qualname__`.
    pub qualname: Rc<str>,
    pub kind: CodeKind,
    pub source: Rc<SourceFile>,
    /// The line of the `def` (or 1 for a module).
    pub first_line: u32,

    /// Number of positional parameters (they are locals `0..argcount`).
    pub argcount: u32,
    /// Number of keyword-only parameters (locals after the positional ones).
    pub kwonlyargcount: u32,
    /// `*args` is the local after the keyword-only parameters.
    pub has_varargs: bool,
    /// `**kwargs` is the local after that.
    pub has_varkeywords: bool,

    /// Names of all local slots: parameters first, then other locals, then
    /// the free variables (which receive the closure's cells at call time).
    pub varnames: Vec<Rc<str>>,
    /// How many of the last `varnames` are free variables.
    pub freevar_count: u32,
    /// Locals that nested functions share (they hold cells).
    pub cellvars: Vec<u32>,

    pub ops: Vec<Op>,
    /// The instructions the VM runs: `ops` with superinstructions fused in
    /// (see `quicken`). Same length and indices as `ops`.
    pub quickened: Vec<Op>,
    /// The source line of each instruction (parallel to `ops`).
    pub lines: Vec<u32>,
    pub consts: Vec<Value>,
    /// Attribute, global and module names used by the instructions.
    pub names: Vec<Symbol>,
    /// The keyword-name lists of `CallKw` instructions.
    pub kwnames: Vec<Rc<[Symbol]>>,
    pub exception_table: Vec<ExceptionHandler>,
    /// The source span of each instruction (parallel to `ops`), for the
    /// `^^^^` markers of tracebacks.
    pub spans: Vec<crate::span::Span>,
    /// For each `CallMethod` (by instruction index, ascending), the span of
    /// its `obj.method` part: where the traceback points when the method
    /// does not exist, as CPython's `LOAD_METHOD` does.
    pub method_spans: Vec<(u32, crate::span::Span)>,
    /// The module's global names, which `LoadGlobal(slot)` indexes.
    pub global_names: Rc<GlobalNames>,
    /// The deepest the operand stack gets (above the locals).
    pub max_stack: u32,
    /// Slots the VM reserves beyond `max_stack`: 1 if `LOAD_ATTR`'s fast
    /// case may use the slot above the top as scratch, else 0 (a task's
    /// stack is sized exactly, and most coroutines never read an
    /// attribute of an instance).
    pub scratch_slots: u32,
}

impl Code {
    /// Total number of local slots.
    pub fn nlocals(&self) -> usize {
        self.varnames.len()
    }

    /// The slot of the first free variable.
    pub fn first_freevar(&self) -> usize {
        self.varnames.len() - self.freevar_count as usize
    }

    /// Number of parameters (positional, keyword-only, `*args`, `**kwargs`).
    pub fn param_count(&self) -> usize {
        (self.argcount + self.kwonlyargcount) as usize
            + self.has_varargs as usize
            + self.has_varkeywords as usize
    }

    /// The source line of instruction `ip`.
    pub fn line_of(&self, ip: usize) -> u32 {
        self.lines.get(ip).copied().unwrap_or(self.first_line)
    }

    /// The exception-table row that handles an exception at `ip`, if any.
    pub fn handler_for(&self, ip: u32) -> Option<ExceptionHandler> {
        self.exception_table
            .iter()
            .find(|h| h.start <= ip && ip < h.end)
            .copied()
    }

    pub fn is_coroutine(&self) -> bool {
        self.kind == CodeKind::Coroutine
    }
}

/// The names of one module's global variables, by slot number. The compiler
/// adds names as it meets them (in the REPL, across inputs); `apy dis` and
/// error messages read them back.
#[derive(Debug, Default)]
pub struct GlobalNames {
    names: std::cell::RefCell<Vec<Symbol>>,
    slots: std::cell::RefCell<crate::symbol::SymbolMap<u32>>,
}

impl GlobalNames {
    pub fn new() -> Rc<GlobalNames> {
        Rc::new(GlobalNames::default())
    }

    /// The slot of `name`, allocating the next one if it is new.
    pub fn slot(&self, name: Symbol) -> u32 {
        if let Some(&slot) = self.slots.borrow().get(&name) {
            return slot;
        }
        let mut names = self.names.borrow_mut();
        let slot = names.len() as u32;
        names.push(name);
        self.slots.borrow_mut().insert(name, slot);
        slot
    }

    pub fn name(&self, slot: usize) -> Symbol {
        self.names.borrow()[slot]
    }

    pub fn len(&self) -> usize {
        self.names.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
