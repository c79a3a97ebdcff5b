//! Exception objects, and the shorthand the rest of the VM uses to raise
//! them: `Err(type_error("..."))`.
//!
//! A Python exception carries its class, its `args`, the traceback it
//! collects while it travels out through frames (innermost entry first), and
//! the two links CPython prints as "The above exception was the direct cause
//! of the following exception" (`__cause__`, from `raise ... from ...`) and
//! "During handling of the above exception, another exception occurred"
//! (`__context__`).

use super::types::{builtin_types, ExceptionTypes, TypeObject};
use crate::bytecode::code::Code;
use crate::span::Span;
use crate::symbol::Symbol;
use crate::vm::value::{PyTuple, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What a failing operation returns: the exception it raised.
pub type PyErr = Rc<PyException>;
pub type PyResult<T> = Result<T, PyErr>;

/// One line of a traceback: a frame the exception passed through, and the
/// instruction it was at.
#[derive(Clone)]
pub struct TracebackEntry {
    pub code: Rc<Code>,
    /// The frame's globals (for "Did you mean" suggestions).
    pub globals: Rc<crate::vm::globals::Globals>,
    /// The local variables of a frame the exception left: as in CPython, a
    /// traceback keeps them alive for as long as the exception lives.
    pub locals: Vec<crate::vm::value::Value>,
    /// The span of the instruction, for the line and the `^^^` markers.
    pub span: Span,
    pub line: u32,
}

pub struct PyException {
    pub class: Rc<TypeObject>,
    pub args: RefCell<Rc<PyTuple>>,
    /// Entries in the order the exception met them: innermost frame first.
    pub traceback: RefCell<Vec<TracebackEntry>>,
    pub cause: RefCell<Option<PyErr>>,
    pub context: RefCell<Option<PyErr>>,
    pub suppress_context: Cell<bool>,
    /// Other attributes (`StopIteration.value`, user exception fields).
    pub attrs: RefCell<Vec<(Symbol, Value)>>,
}

impl PyException {
    pub fn new(class: Rc<TypeObject>, args: Vec<Value>) -> PyErr {
        Rc::new(PyException {
            class,
            args: RefCell::new(Rc::new(PyTuple::new(args))),
            traceback: RefCell::new(Vec::new()),
            cause: RefCell::new(None),
            context: RefCell::new(None),
            suppress_context: Cell::new(false),
            attrs: RefCell::new(Vec::new()),
        })
    }

    /// An exception of `class` whose single argument is the message `msg`.
    pub fn with_message(class: Rc<TypeObject>, msg: impl Into<String>) -> PyErr {
        PyException::new(class, vec![Value::string(msg.into())])
    }

    pub fn is_instance_of(&self, class: &Rc<TypeObject>) -> bool {
        self.class.is_subclass_of(class)
    }

    pub fn class_name(&self) -> Rc<str> {
        self.class.name.clone()
    }

    pub fn args(&self) -> Rc<PyTuple> {
        self.args.borrow().clone()
    }

    /// `SystemExit.code`: `None` without arguments, the argument when
    /// there is one, else all of them as a tuple.
    pub fn exit_code(&self) -> Value {
        let args = self.args();
        match args.items.len() {
            0 => Value::None,
            1 => args.items[0].clone(),
            _ => Value::Tuple(args),
        }
    }

    pub fn get_attr(&self, name: Symbol) -> Option<Value> {
        self.attrs
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set_attr(&self, name: Symbol, value: Value) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => attrs.push((name, value)),
        }
    }
}

/// The registry of built-in exception classes.
pub fn exception_types() -> Rc<super::types::BuiltinTypes> {
    builtin_types()
}

fn raise_with(pick: impl Fn(&ExceptionTypes) -> &Rc<TypeObject>, msg: String) -> PyErr {
    let types = builtin_types();
    PyException::with_message(pick(&types.exceptions).clone(), msg)
}

macro_rules! exception_constructors {
    ($($fn_name:ident => $field:ident),* $(,)?) => {
        $(
            #[doc = concat!("A new `", stringify!($field), "` with message `msg`.")]
            pub fn $fn_name(msg: impl Into<String>) -> PyErr {
                raise_with(|e| &e.$field, msg.into())
            }
        )*
    };
}

exception_constructors! {
    type_error => type_error,
    value_error => value_error,
    index_error => index_error,
    attribute_error => attribute_error,
    name_error => name_error,
    unbound_local_error => unbound_local_error,
    zero_division_error => zero_division_error,
    overflow_error => overflow_error,
    runtime_error => runtime_error,
    recursion_error => recursion_error,
    not_implemented_error => not_implemented_error,
    module_not_found_error => module_not_found_error,
    import_error => import_error,
    assertion_error => assertion_error,
    invalid_state_error => invalid_state_error,
    syntax_error => syntax_error,
    memory_error => memory_error,
    eof_error => eof_error,
}

/// `KeyError(key)`: its argument is the key itself, not a message.
pub fn key_error(key: Value) -> PyErr {
    PyException::new(builtin_types().exceptions.key_error.clone(), vec![key])
}

/// `StopIteration` carrying a return value (`StopIteration(value)`).
pub fn stop_iteration(value: Option<Value>) -> PyErr {
    let args = value.into_iter().collect();
    PyException::new(builtin_types().exceptions.stop_iteration.clone(), args)
}

/// An exception of `class` with no arguments (`raise KeyboardInterrupt`).
pub fn exception_without_args(class: Rc<TypeObject>) -> PyErr {
    PyException::new(class, Vec::new())
}
