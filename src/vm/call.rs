//! Calling things: binding arguments to parameters, and what each kind of
//! callable does when called.
//!
//! A call instruction leaves the callee and its arguments on the stack
//! (`callee, arg0, arg1, ..., kwvalue0, ...`). For a Python function the
//! arguments become the new frame's first locals right where they are; for
//! a coroutine function they are bound and packed into a coroutine object
//! instead; anything implemented in Rust gets them popped into a small
//! buffer. [`Vm::call`] is the entry point for Rust code (built-ins such as
//! `sorted(key=...)`) that needs to call a Python value and get its result.

use super::interp::ArgBuffer;
use super::object::coroutine::Coroutine;
use super::object::exception::{self, PyResult};
use super::object::function::{Function, MethodKind};
use super::value::Value;
use super::{CallOutcome, Vm};
use crate::bytecode::code::{Code, CodeKind};
use crate::bytecode::op::MakeFunctionFlags;
use crate::symbol::{intern, sym, Symbol};
use crate::vm::globals::Globals;
use std::rc::Rc;

impl Code {
    /// Whether a call with only positional arguments can bind them by
    /// position alone (no keyword-only, `*args` or `**kwargs` parameters).
    #[inline]
    pub fn is_simple(&self) -> bool {
        self.kwonlyargcount == 0 && !self.has_varargs && !self.has_varkeywords
    }
}

impl Vm {
    /// Call `callee` with positional and keyword arguments and run it to
    /// completion. Used by built-ins that call back into Python.
    pub fn call(
        &mut self,
        callee: &Value,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        let callee_index = self.fiber.len();
        self.fiber.push(callee.clone());
        self.fiber.extend(args.iter().cloned());
        self.fiber.extend(kwargs.iter().map(|(_, v)| v.clone()));
        let names: Vec<Symbol> = kwargs.iter().map(|(n, _)| *n).collect();
        match self.call_from_stack(callee_index, &names)? {
            CallOutcome::Done(v) => Ok(v),
            CallOutcome::Pushed => {
                let stop_depth = self.fiber.frames.len() - 1;
                match self.execute(stop_depth)? {
                    super::Exit::Returned(v) => Ok(v),
                    super::Exit::Suspended(_) => Err(exception::runtime_error(
                        "a function called from a built-in cannot pause",
                    )),
                }
            }
        }
    }

    /// Call the value at `callee_index`; the arguments are above it, the last
    /// `kwnames.len()` of them passed by keyword.
    pub(crate) fn call_from_stack(
        &mut self,
        callee_index: usize,
        kwnames: &[Symbol],
    ) -> PyResult<CallOutcome> {
        if self.interrupt_pending() {
            self.fiber.truncate(callee_index);
            return Err(self.take_interrupt());
        }
        if super::object::coroutine::any_abandoned() {
            self.close_abandoned_generators();
        }
        let callee = self.fiber.get(callee_index).clone();
        match &callee {
            Value::Function(f) => self.call_function(f, callee_index, kwnames),
            Value::Type(class) if class.is_main() => self.instantiate(class, callee_index, kwnames),
            Value::Instance(instance) => match instance.class.lookup(sym::__call__) {
                Some(Value::Function(f)) => {
                    self.fiber.insert(callee_index + 1, callee.clone());
                    self.fiber.set(callee_index, Value::Function(f.clone()));
                    self.call_function(&f, callee_index, kwnames)
                }
                _ => {
                    self.fiber.truncate(callee_index);
                    Err(exception::type_error(format!(
                        "'{}' object is not callable",
                        callee.type_name()
                    )))
                }
            },
            Value::BoundMethod(m) => match &m.method {
                MethodKind::Python(f) => {
                    self.fiber.insert(callee_index + 1, m.receiver.clone());
                    self.call_function(f, callee_index, kwnames)
                }
                MethodKind::Builtin(name) => {
                    let (args, kwargs) = self.take_args(callee_index, kwnames);
                    self.call_builtin_method(&m.receiver, *name, &args, &kwargs)
                        .map(CallOutcome::Done)
                }
                MethodKind::Descriptor(name) => {
                    let (args, kwargs) = self.take_args(callee_index, kwnames);
                    self.call_descriptor(&m.receiver, *name, &args, &kwargs)
                        .map(CallOutcome::Done)
                }
            },
            // `len(x)`, `int(s)`: positional arguments straight off the
            // stack.
            _ if kwnames.is_empty() => {
                let argc = self.fiber.len() - callee_index - 1;
                self.with_popped_call(argc, |vm, callee, args| vm.call_native(&callee, args, &[]))
                    .map(CallOutcome::Done)
            }
            _ => {
                let (args, kwargs) = self.take_args(callee_index, kwnames);
                self.call_native(&callee, &args, &kwargs)
                    .map(CallOutcome::Done)
            }
        }
    }

    /// `str.lower("ABC")`: the first argument is the receiver.
    fn call_descriptor(
        &mut self,
        owner: &Value,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        let Value::Type(owner) = owner else {
            unreachable!("a descriptor's receiver is its type")
        };
        let Some(receiver) = args.first() else {
            return Err(exception::type_error(format!(
                "unbound method {}.{name}() needs an argument",
                owner.name
            )));
        };
        if !super::object::types::type_of(receiver).is_subclass_of(owner) && name.is_dunder() {
            // Slot wrappers (`Exception.__init__`) word it differently.
            return Err(exception::type_error(format!(
                "descriptor '{name}' requires a '{}' object but received a '{}'",
                owner.name,
                receiver.type_name()
            )));
        }
        if !super::object::types::type_of(receiver).is_subclass_of(owner) {
            return Err(exception::type_error(format!(
                "descriptor '{name}' for '{}' objects doesn't apply to a '{}' object",
                owner.name,
                receiver.type_name()
            )));
        }
        self.call_builtin_method(receiver, name, &args[1..], kwargs)
    }

    /// Pop the callee and its arguments off the stack.
    pub(crate) fn take_args(
        &mut self,
        callee_index: usize,
        kwnames: &[Symbol],
    ) -> (ArgBuffer, Vec<(Symbol, Value)>) {
        let mut args: ArgBuffer = self.fiber.drain_from(callee_index + 1);
        self.fiber.truncate(callee_index);
        let kwargs = if kwnames.is_empty() {
            Vec::new()
        } else {
            let split = args.len() - kwnames.len();
            let values: Vec<Value> = args.drain(split..).collect();
            kwnames.iter().copied().zip(values).collect()
        };
        (args, kwargs)
    }

    /// Call something implemented in Rust: a built-in function or a type.
    pub(crate) fn call_native(
        &mut self,
        callee: &Value,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        match callee {
            Value::Builtin(f) => (f.call)(self, args, kwargs),
            Value::Type(t) => self.construct(t, args, kwargs),
            other => Err(exception::type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// Call a Python function whose callee slot is `callee_index`.
    pub(crate) fn call_function(
        &mut self,
        f: &Rc<Function>,
        callee_index: usize,
        kwnames: &[Symbol],
    ) -> PyResult<CallOutcome> {
        let code = &f.code;
        let nargs = self.fiber.len() - callee_index - 1;
        if code.kind == CodeKind::Function && kwnames.is_empty() && code.is_simple() {
            let argcount = code.argcount as usize;
            let first_default = argcount.saturating_sub(f.defaults.len());
            if nargs <= argcount && nargs >= first_default {
                // Missing trailing arguments come from the defaults.
                for i in nargs..argcount {
                    self.fiber.push(f.defaults[i - first_default].clone());
                }
                self.push_simple_frame(f, callee_index + 1)?;
                return Ok(CallOutcome::Pushed);
            }
        }
        let args = self.fiber.drain_from(callee_index + 1);
        let positional = nargs - kwnames.len();
        let locals = bind_arguments(f, &args[..positional], kwnames, &args[positional..])?;
        match code.kind {
            CodeKind::Coroutine => {
                self.fiber.truncate(callee_index);
                Ok(CallOutcome::Done(Value::Coroutine(Coroutine::new(
                    f.clone(),
                    locals,
                ))))
            }
            CodeKind::Generator | CodeKind::AsyncGenerator => {
                self.fiber.truncate(callee_index);
                Ok(CallOutcome::Done(Value::Generator(Coroutine::new(
                    f.clone(),
                    locals,
                ))))
            }
            CodeKind::Function | CodeKind::Class => {
                self.check_recursion()?;
                let base = callee_index + 1;
                self.fiber.extend(locals);
                self.fiber.frames.push(super::frame::Frame {
                    function: f.clone(),
                    ip: 0,
                    base: base as u32,
                    kind: super::frame::FrameKind::Call,
                });
                Ok(CallOutcome::Pushed)
            }
            other => Err(exception::runtime_error(format!(
                "calling a {other:?} code object is not supported"
            ))),
        }
    }

    /// `f(*args, **kwargs)`: the stack holds the callee, a tuple of
    /// positional arguments and (if `has_kwargs`) a dict of keywords.
    pub(crate) fn call_ex(&mut self, has_kwargs: bool) -> PyResult<CallOutcome> {
        let kwargs = if has_kwargs {
            Some(self.fiber.pop())
        } else {
            None
        };
        let args = self.fiber.pop();
        let callee_index = self.fiber.len() - 1;
        // `gather(*tasks)`: a built-in function gets the tuple's items as
        // they are, not copied onto the stack and off it again.
        if kwargs.is_none() {
            if let (Value::Builtin(f), Value::Tuple(t)) = (self.fiber.top(), &args) {
                let f = *f;
                self.fiber.pop().discard();
                if self.interrupt_pending() {
                    return Err(self.take_interrupt());
                }
                return (f.call)(self, &t.items, &[]).map(CallOutcome::Done);
            }
        }
        if let Value::Tuple(t) = &args {
            self.fiber.extend(t.items.iter().cloned());
        }
        let mut names = Vec::new();
        if let Some(Value::Dict(d)) = &kwargs {
            for (key, value) in d.items() {
                match &key {
                    Value::Str(s) => names.push(intern(s.as_str())),
                    _ => {
                        self.fiber.truncate(callee_index);
                        return Err(exception::type_error("keywords must be strings"));
                    }
                }
                self.fiber.push(value);
            }
        }
        self.call_from_stack(callee_index, &names)
    }

    /// `receiver.name(args)` for `CALL_METHOD`: the receiver is below `argc`
    /// arguments.
    pub(crate) fn call_method_from_stack(
        &mut self,
        name: Symbol,
        argc: usize,
    ) -> PyResult<CallOutcome> {
        let receiver_index = self.fiber.len() - argc - 1;
        let receiver = self.fiber.get(receiver_index);
        if has_native_methods(receiver) {
            return self
                .with_popped_call(argc, |vm, receiver, args| {
                    vm.call_builtin_method(&receiver, name, args, &[])
                })
                .map(CallOutcome::Done);
        }
        // `asyncio.sleep(0)`, `time.time()`: a built-in function of a
        // module, called with positional arguments straight off the stack.
        let module_function = match receiver {
            Value::Module(module) => match module.attrs.borrow().get(&name) {
                Some(Value::Builtin(f)) => Some(*f),
                _ => None,
            },
            _ => None,
        };
        if let Some(f) = module_function {
            if self.interrupt_pending() {
                self.fiber.truncate(receiver_index);
                return Err(self.take_interrupt());
            }
            return self
                .with_popped_call(argc, |vm, _module, args| (f.call)(vm, args, &[]))
                .map(CallOutcome::Done);
        }
        // Anything else: look the attribute up, then call it.
        let receiver = receiver.clone();
        let callee = match self.get_attr(&receiver, name) {
            Ok(callee) => callee,
            Err(e) => {
                self.fiber.truncate(receiver_index);
                return Err(e);
            }
        };
        self.fiber.set(receiver_index, callee);
        self.call_from_stack(receiver_index, &[])
    }

    /// Pop a receiver and its `argc` arguments off the stack and hand them
    /// to `call`. The usual small counts move into locals rather than
    /// into a buffer (method calls such as `s.split(",")` and
    /// `asyncio.sleep(0)` run by the million).
    #[inline(always)]
    fn with_popped_call<R>(
        &mut self,
        argc: usize,
        call: impl FnOnce(&mut Vm, Value, &[Value]) -> R,
    ) -> R {
        match argc {
            0 => {
                let receiver = self.fiber.pop();
                call(self, receiver, &[])
            }
            1 => {
                let first = self.fiber.pop();
                let receiver = self.fiber.pop();
                call(self, receiver, std::slice::from_ref(&first))
            }
            2 => {
                let second = self.fiber.pop();
                let first = self.fiber.pop();
                let receiver = self.fiber.pop();
                call(self, receiver, &[first, second])
            }
            _ => {
                let receiver_index = self.fiber.len() - argc - 1;
                let args: ArgBuffer = self.fiber.drain_from(receiver_index + 1);
                let receiver = self.fiber.pop();
                call(self, receiver, &args)
            }
        }
    }

    /// `MAKE_FUNCTION`: pop a code object (and what the flags say lies below
    /// it) and build a function.
    pub(crate) fn make_function(
        &mut self,
        flags: MakeFunctionFlags,
        globals: &Rc<Globals>,
    ) -> Value {
        let code = match self.fiber.pop() {
            Value::Code(code) => code,
            _ => unreachable!("MAKE_FUNCTION always follows LOAD_CONST of a code object"),
        };
        let closure: Box<[Value]> = if flags.closure {
            match self.fiber.pop() {
                Value::Tuple(t) => t.items.clone(),
                _ => Box::new([]),
            }
        } else {
            Box::new([])
        };
        let kwdefaults: Box<[(Symbol, Value)]> = if flags.kwdefaults {
            match self.fiber.pop() {
                Value::Dict(d) => d
                    .items()
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        Value::Str(s) => Some((intern(s.as_str()), v)),
                        _ => None,
                    })
                    .collect(),
                _ => Box::new([]),
            }
        } else {
            Box::new([])
        };
        let defaults: Box<[Value]> = if flags.defaults {
            match self.fiber.pop() {
                Value::Tuple(t) => t.items.clone(),
                _ => Box::new([]),
            }
        } else {
            Box::new([])
        };
        Value::Function(Rc::new(Function::new(
            code,
            globals.clone(),
            defaults,
            kwdefaults,
            closure,
        )))
    }
}

/// Values whose methods are implemented natively (`"a".upper()`,
/// `xs.append(1)`): `CALL_METHOD` dispatches on them without building a
/// bound method.
pub(crate) fn has_native_methods(value: &Value) -> bool {
    matches!(
        value,
        Value::Str(_)
            | Value::List(_)
            | Value::Dict(_)
            | Value::Set(_)
            | Value::Tuple(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::Range(_)
            | Value::Future(_)
            | Value::Task(_)
            | Value::Loop(_)
            | Value::Handle(_)
            | Value::Sync(_)
    )
}

/// Bind a call's arguments to `f`'s parameters, as CPython does, and return
/// the new frame's local slots (closure cells included). The error messages
/// are CPython's.
pub fn bind_arguments(
    f: &Function,
    positional: &[Value],
    kwnames: &[Symbol],
    kwvalues: &[Value],
) -> PyResult<Vec<Value>> {
    let code = &f.code;
    let name = code.qualname.clone();
    let argcount = code.argcount as usize;
    let kwonly = code.kwonlyargcount as usize;
    let mut locals = vec![Value::Undefined; code.nlocals()];

    let given = positional.len();
    let n = given.min(argcount);
    locals[..n].clone_from_slice(&positional[..n]);
    let mut slot = argcount + kwonly;
    if code.has_varargs {
        let extra = positional.get(argcount..).unwrap_or(&[]).to_vec();
        locals[slot] = Value::tuple(extra);
        slot += 1;
    }
    let kwargs_dict = if code.has_varkeywords {
        let d = super::object::dict::PyDict::new_value();
        locals[slot] = d.clone();
        Some(d)
    } else {
        None
    };

    for (kwname, value) in kwnames.iter().zip(kwvalues) {
        let text = kwname.text();
        let index = code.varnames[..argcount + kwonly]
            .iter()
            .position(|v| **v == *text);
        match index {
            Some(i) => {
                if !matches!(locals[i], Value::Undefined) {
                    return Err(exception::type_error(format!(
                        "{name}() got multiple values for argument '{text}'"
                    )));
                }
                locals[i] = value.clone();
            }
            None => match &kwargs_dict {
                Some(Value::Dict(d)) => d.set_str(&text, value.clone()),
                _ => {
                    return Err(exception::type_error(format!(
                        "{name}() got an unexpected keyword argument '{text}'"
                    )))
                }
            },
        }
    }

    if given > argcount && !code.has_varargs {
        let kwonly_given = (argcount..argcount + kwonly)
            .filter(|&i| !matches!(locals[i], Value::Undefined))
            .count();
        return Err(exception::type_error(too_many_positional(
            &name,
            argcount,
            f.defaults.len(),
            given,
            kwonly_given,
        )));
    }

    let first_default = argcount.saturating_sub(f.defaults.len());
    let mut missing = Vec::new();
    for (i, slot) in locals.iter_mut().enumerate().take(argcount).skip(n) {
        if matches!(slot, Value::Undefined) {
            if i >= first_default {
                *slot = f.defaults[i - first_default].clone();
            } else {
                missing.push(code.varnames[i].clone());
            }
        }
    }
    if !missing.is_empty() {
        return Err(exception::type_error(missing_arguments(
            &name,
            "positional",
            &missing,
        )));
    }
    for (i, slot) in locals
        .iter_mut()
        .enumerate()
        .take(argcount + kwonly)
        .skip(argcount)
    {
        if matches!(slot, Value::Undefined) {
            let param = &code.varnames[i];
            match f.kwdefaults.iter().find(|(k, _)| *k.text() == **param) {
                Some((_, v)) => *slot = v.clone(),
                None => missing.push(param.clone()),
            }
        }
    }
    if !missing.is_empty() {
        return Err(exception::type_error(missing_arguments(
            &name,
            "keyword-only",
            &missing,
        )));
    }
    let first_free = code.first_freevar();
    for (i, cell) in f.closure.iter().enumerate() {
        locals[first_free + i] = cell.clone();
    }
    Ok(locals)
}

/// `f() takes 2 positional arguments but 3 were given`.
fn too_many_positional(
    name: &str,
    argcount: usize,
    defcount: usize,
    given: usize,
    kwonly_given: usize,
) -> String {
    let (signature, plural) = if defcount > 0 {
        (
            format!("from {} to {}", argcount - defcount, argcount),
            true,
        )
    } else {
        (argcount.to_string(), argcount != 1)
    };
    let kwonly = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {} keyword-only argument{})",
            if given != 1 { "s" } else { "" },
            kwonly_given,
            if kwonly_given != 1 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    format!(
        "{name}() takes {signature} positional argument{} but {given}{kwonly} {} given",
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 {
            "was"
        } else {
            "were"
        }
    )
}

/// `f() missing 2 required positional arguments: 'a' and 'b'`.
fn missing_arguments(name: &str, kind: &str, missing: &[Rc<str>]) -> String {
    let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    format!(
        "{name}() missing {} required {kind} argument{}: {list}",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_cpython() {
        assert_eq!(
            too_many_positional("f", 2, 0, 3, 0),
            "f() takes 2 positional arguments but 3 were given"
        );
        assert_eq!(
            too_many_positional("f", 1, 0, 2, 0),
            "f() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            too_many_positional("f", 0, 0, 1, 0),
            "f() takes 0 positional arguments but 1 was given"
        );
        assert_eq!(
            too_many_positional("f", 2, 1, 3, 0),
            "f() takes from 1 to 2 positional arguments but 3 were given"
        );
        let names: Vec<Rc<str>> = vec![Rc::from("a"), Rc::from("b"), Rc::from("c")];
        assert_eq!(
            missing_arguments("f", "positional", &names[..1]),
            "f() missing 1 required positional argument: 'a'"
        );
        assert_eq!(
            missing_arguments("f", "positional", &names[..2]),
            "f() missing 2 required positional arguments: 'a' and 'b'"
        );
        assert_eq!(
            missing_arguments("f", "positional", &names),
            "f() missing 3 required positional arguments: 'a', 'b', and 'c'"
        );
    }
}
