//! Callables: functions defined in Python, built-in functions, and bound
//! methods.
//!
//! A [`Function`] is a code object plus what it captured when `def` ran: the
//! module's globals, the default values of its parameters (evaluated once, at
//! `def` time, as in Python), and the cells of the variables it shares with
//! enclosing functions. Calling it never copies the code object.

use super::exception::PyResult;
use crate::bytecode::code::{Code, CodeKind};
use crate::symbol::Symbol;
use crate::vm::globals::Globals;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

pub struct Function {
    pub code: Rc<Code>,
    /// The code's kind and, for the call fast path, its positional
    /// parameter count (see [`Function::takes_simply`]), copied here:
    /// checking a call without going through `code` takes one pointer hop
    /// less on the path of every Python call.
    pub kind: CodeKind,
    simple_argcount: u32,
    pub globals: Rc<Globals>,
    /// Defaults of the last positional parameters.
    pub defaults: Box<[Value]>,
    /// Defaults of keyword-only parameters, by name.
    pub kwdefaults: Box<[(Symbol, Value)]>,
    /// One `Value::Cell` per free variable of the code.
    pub closure: Box<[Value]>,
}

/// `simple_argcount` of a function whose parameters are not all plain
/// positional ones.
const NOT_SIMPLE: u32 = u32::MAX;

impl Function {
    pub fn new(
        code: Rc<Code>,
        globals: Rc<Globals>,
        defaults: Box<[Value]>,
        kwdefaults: Box<[(Symbol, Value)]>,
        closure: Box<[Value]>,
    ) -> Function {
        Function {
            kind: code.kind,
            simple_argcount: if code.is_simple() {
                code.argcount
            } else {
                NOT_SIMPLE
            },
            code,
            globals,
            defaults,
            kwdefaults,
            closure,
        }
    }

    /// A module's (or a REPL entry's) code, run as a function of no
    /// arguments.
    pub fn of_module(code: Rc<Code>, globals: Rc<Globals>) -> Function {
        Function::new(code, globals, Box::new([]), Box::new([]), Box::new([]))
    }

    /// Whether a call with exactly `argc` positional arguments binds them
    /// by position alone (no keyword-only, `*args` or `**kwargs`
    /// parameters, and no default needed).
    #[inline(always)]
    pub fn takes_simply(&self, argc: u32) -> bool {
        self.simple_argcount == argc
    }

    pub fn name(&self) -> &Rc<str> {
        &self.code.name
    }

    pub fn qualname(&self) -> &Rc<str> {
        &self.code.qualname
    }
}

/// The keyword arguments of a call to a built-in: `(name, value)` pairs in
/// the order they were written.
pub type Keywords<'a> = &'a [(Symbol, Value)];

/// The Rust function behind a built-in. It gets the VM (so it can call back
/// into Python code), the positional arguments and the keyword arguments.
pub type BuiltinFn = fn(&mut Vm, &[Value], Keywords) -> PyResult<Value>;

pub struct BuiltinFunction {
    pub name: &'static str,
    /// `None` for the `builtins` module; `Some("asyncio")`, ...
    pub module: Option<&'static str>,
    pub call: BuiltinFn,
}

/// `obj.method` taken as a value: the receiver and what to call on it.
pub struct BoundMethod {
    pub receiver: Value,
    pub method: MethodKind,
}

pub enum MethodKind {
    /// A Python function found on the receiver's class (tier 2).
    Python(Rc<Function>),
    /// A method of a built-in type, dispatched natively by name.
    Builtin(Symbol),
    /// A method taken from a built-in type itself (`str.lower`); the
    /// receiver is the type, and the instance comes as the first argument.
    Descriptor(Symbol),
}

impl BoundMethod {
    pub fn is_builtin(&self) -> bool {
        matches!(
            self.method,
            MethodKind::Builtin(_) | MethodKind::Descriptor(_)
        )
    }
}
