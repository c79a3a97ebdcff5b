//! The `asyncio` module as Python code sees it: its functions (`run`,
//! `sleep`, `create_task`, `gather`, `wait_for`, ...), its classes, and the
//! methods of futures, tasks, the loop object and handles. Each function
//! checks its arguments as CPython's does and then calls the loop machinery
//! in `event_loop/mod.rs`.

use super::combinators::{ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION};
use super::future::{Future, Waitable};
use super::handle::{DoneCallback, Handle, HandleAction, Job};
use super::native::NativeCoroutine;
use super::task::Task;
use crate::builtin_functions;
use crate::symbol::{intern, sym, Symbol};
use crate::vm::builtins::{expect_count, keyword, no_keywords};
use crate::vm::methods::arity;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::function::Keywords;
use crate::vm::object::module::PyModule;
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

builtin_functions! { Some("asyncio");
    RUN: "run" => run,
    SLEEP: "sleep" => sleep,
    CREATE_TASK: "create_task" => create_task,
    GATHER: "gather" => gather,
    WAIT_FOR: "wait_for" => wait_for,
    CURRENT_TASK: "current_task" => current_task,
    ALL_TASKS: "all_tasks" => all_tasks,
    GET_RUNNING_LOOP: "get_running_loop" => get_running_loop,
    ENSURE_FUTURE: "ensure_future" => ensure_future,
    ISCOROUTINE: "iscoroutine" => iscoroutine,
    WAIT: "wait" => wait,
    SHIELD: "shield" => shield,
    AS_COMPLETED: "as_completed" => as_completed,
    TIMEOUT: "timeout" => timeout,
    TIMEOUT_AT: "timeout_at" => timeout_at,
}

/// Build the `asyncio` module.
pub fn asyncio_module() -> Value {
    let module = PyModule::new("asyncio");
    for f in [
        &RUN,
        &SLEEP,
        &CREATE_TASK,
        &GATHER,
        &WAIT_FOR,
        &CURRENT_TASK,
        &ALL_TASKS,
        &GET_RUNNING_LOOP,
        &ENSURE_FUTURE,
        &ISCOROUTINE,
        &WAIT,
        &SHIELD,
        &AS_COMPLETED,
        &TIMEOUT,
        &TIMEOUT_AT,
    ] {
        module.set(intern(f.name), Value::Builtin(f));
    }
    let types = builtin_types();
    let ex = &types.exceptions;
    module.set(
        intern("CancelledError"),
        Value::Type(ex.cancelled_error.clone()),
    );
    module.set(
        intern("InvalidStateError"),
        Value::Type(ex.invalid_state_error.clone()),
    );
    module.set(
        intern("TimeoutError"),
        Value::Type(ex.timeout_error.clone()),
    );
    module.set(intern("Future"), Value::Type(types.future.clone()));
    for constant in [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED] {
        module.set(intern(constant), Value::str(constant));
    }
    let sync = &types.sync;
    for class in [
        &sync.lock,
        &sync.event,
        &sync.condition,
        &sync.semaphore,
        &sync.bounded_semaphore,
        &sync.queue,
        &sync.lifo_queue,
        &sync.priority_queue,
        &sync.queue_empty,
        &sync.queue_full,
        &sync.task_group,
        &sync.timeout,
    ] {
        module.set(intern(&class.name), Value::Type(class.clone()));
    }
    module.set(intern("Task"), Value::Type(types.task.clone()));
    Value::Module(Rc::new(module))
}

/// `asyncio.wait(fs, *, timeout=None, return_when=ALL_COMPLETED)`: checked
/// when awaited, as CPython's `async def` checks it.
fn wait(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["fs", "timeout", "return_when"];
    let fs = required_argument("wait", "fs", &allowed, args, kwargs)?;
    let timeout = keyword("wait", kwargs, "timeout", &allowed)?.cloned();
    let return_when = keyword("wait", kwargs, "return_when", &allowed)?.cloned();
    Ok(NativeCoroutine::wait(
        fs,
        timeout.unwrap_or(Value::None),
        return_when.unwrap_or_else(|| Value::str(ALL_COMPLETED)),
    ))
}

/// `asyncio.timeout(delay)`: an async context manager that cancels the
/// block when `delay` seconds have passed, and raises `TimeoutError`.
fn timeout(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let delay = required_argument("timeout", "delay", &["delay"], args, kwargs)?;
    vm.new_timeout(&delay, false)
}

/// `asyncio.timeout_at(when)`: the same with a deadline in loop time.
fn timeout_at(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let when = required_argument("timeout_at", "when", &["when"], args, kwargs)?;
    vm.new_timeout(&when, true)
}

/// `asyncio.shield(arg)`.
fn shield(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("shield", kwargs)?;
    expect_count("shield", args, 1, 1)?;
    vm.shield(&args[0])
}

/// `asyncio.as_completed(fs, *, timeout=None)`: a generator in CPython,
/// whose body (checks, tasks for the coroutines, callbacks) runs at its
/// first `next()`; here an iterator that does the same.
fn as_completed(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["fs", "timeout"];
    let timeout = keyword("as_completed", kwargs, "timeout", &allowed)?
        .cloned()
        .unwrap_or(Value::None);
    expect_count("as_completed", args, 1, 1)?;
    Ok(crate::vm::object::iterator::PyIterator::new_value(
        crate::vm::object::iterator::IterState::AsCompleted {
            fs: args[0].clone(),
            timeout,
        },
    ))
}

/// The one required parameter `name` of `function`, passed by position or
/// by keyword (`allowed` lists every keyword `function` takes), with
/// CPython's errors when it is missing or given too many positionals.
fn required_argument(
    function: &str,
    name: &str,
    allowed: &[&str],
    args: &[Value],
    kwargs: Keywords,
) -> PyResult<Value> {
    match (args, keyword(function, kwargs, name, allowed)?) {
        ([value], None) | ([], Some(value)) => Ok(value.clone()),
        ([], None) => Err(exception::type_error(format!(
            "{function}() missing 1 required positional argument: '{name}'"
        ))),
        _ => Err(exception::type_error(format!(
            "{function}() takes 1 positional argument but {} were given",
            args.len()
        ))),
    }
}

fn run(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    keyword("run", kwargs, "debug", &["debug", "main"])?;
    let main = required_argument("run", "main", &["debug", "main"], args, kwargs)?;
    vm.asyncio_run(main)
}

fn sleep(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    // The common calls, `sleep(0)` and `sleep(0.5)`, skip argument parsing.
    if kwargs.is_empty() {
        match args {
            [Value::Int(delay)] => return Ok(NativeCoroutine::sleep(*delay as f64, Value::None)),
            [Value::Float(delay)] => return Ok(NativeCoroutine::sleep(*delay, Value::None)),
            _ => {}
        }
    }
    let allowed = ["delay", "result"];
    let delay = args
        .first()
        .or(keyword("sleep", kwargs, "delay", &allowed)?);
    let result = args
        .get(1)
        .or(keyword("sleep", kwargs, "result", &allowed)?)
        .cloned()
        .unwrap_or(Value::None);
    let Some(delay) = delay else {
        return Err(exception::type_error(
            "sleep() missing 1 required positional argument: 'delay'",
        ));
    };
    if args.len() > 2 {
        return Err(exception::type_error(format!(
            "sleep() takes from 1 to 2 positional arguments but {} were given",
            args.len()
        )));
    }
    let delay = match delay {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::BigInt(_) => {
            vm.to_float(delay)?
        }
        other => {
            return Err(exception::type_error(format!(
                "'<=' not supported between instances of '{}' and 'int'",
                other.type_name()
            )))
        }
    };
    Ok(NativeCoroutine::sleep(delay, result))
}

fn task_name(vm: &mut Vm, name: Option<&Value>) -> PyResult<Option<Rc<str>>> {
    match name {
        None | Some(Value::None) => Ok(None),
        Some(v) => Ok(Some(Rc::from(vm.str_of(v)?))),
    }
}

fn create_task(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["coro", "name", "context"];
    let name = keyword("create_task", kwargs, "name", &allowed)?;
    let coro = required_argument("create_task", "coro", &allowed, args, kwargs)?;
    // CPython's `asyncio.create_task` makes the task unnamed (it takes the
    // next `Task-N` number) and renames it afterwards.
    let name = task_name(vm, name)?;
    let task = vm.create_task(coro, None)?;
    if let Some(name) = name {
        task.set_name(name);
    }
    Ok(Value::Task(task))
}

/// `loop.create_task(coro, name=...)`: named at creation (no number taken).
fn loop_create_task(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["coro", "name", "context"];
    let name = keyword("create_task", kwargs, "name", &allowed)?;
    let coro = required_argument("create_task", "coro", &allowed, args, kwargs)?;
    let name = task_name(vm, name)?;
    vm.create_task(coro, name).map(Value::Task)
}

fn gather(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let return_exceptions = match keyword(
        "gather",
        kwargs,
        "return_exceptions",
        &["return_exceptions"],
    )? {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    vm.gather(args, return_exceptions)
}

fn wait_for(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["fut", "timeout"];
    let fut = args
        .first()
        .or(keyword("wait_for", kwargs, "fut", &allowed)?);
    let timeout = args
        .get(1)
        .or(keyword("wait_for", kwargs, "timeout", &allowed)?);
    let (Some(fut), Some(timeout)) = (fut, timeout) else {
        return Err(exception::type_error(
            "wait_for() missing 1 required positional argument: 'timeout'",
        ));
    };
    if timeout.is_none() {
        // `return await fut`: awaiting `wait_for(aw, None)` is awaiting `aw`.
        return Ok(fut.clone());
    }
    let timeout = vm.to_float(timeout)?;
    Ok(NativeCoroutine::wait_for(fut.clone(), timeout))
}

fn current_task(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("current_task", kwargs)?;
    expect_count("current_task", args, 0, 1)?;
    let lp = vm.require_loop()?;
    Ok(lp.current_task.clone().map_or(Value::None, Value::Task))
}

fn all_tasks(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("all_tasks", kwargs)?;
    expect_count("all_tasks", args, 0, 1)?;
    let tasks = vm.require_loop()?.pending_tasks();
    vm.new_set(tasks.into_iter().map(Value::Task).collect())
}

fn get_running_loop(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("get_running_loop", kwargs)?;
    expect_count("get_running_loop", args, 0, 0)?;
    Ok(Value::Loop(vm.require_loop()?.object.clone()))
}

fn ensure_future(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    keyword("ensure_future", kwargs, "loop", &["loop"])?;
    expect_count("ensure_future", args, 1, 1)?;
    vm.ensure_future(&args[0]).map(|w| w.to_value())
}

fn iscoroutine(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("iscoroutine", kwargs)?;
    expect_count("iscoroutine", args, 1, 1)?;
    Ok(Value::Bool(matches!(
        args[0],
        Value::Coroutine(_) | Value::NativeCoroutine(_)
    )))
}

/// `asyncio.Future()`: a new future on the running loop.
pub fn new_future(vm: &mut Vm) -> PyResult<Value> {
    vm.require_loop()?;
    Ok(Value::Future(Future::new()))
}

// ----- methods -------------------------------------------------------------

/// The method names of futures, tasks, loops and handles.
pub const FUTURE_METHODS: &[Symbol] = &[
    sym::result,
    sym::exception,
    sym::done,
    sym::cancelled,
    sym::cancel,
    sym::set_result,
    sym::set_exception,
    sym::add_done_callback,
    sym::remove_done_callback,
    sym::get_loop,
];

pub const TASK_METHODS: &[Symbol] = &[
    sym::result,
    sym::exception,
    sym::done,
    sym::cancelled,
    sym::cancel,
    sym::set_result,
    sym::set_exception,
    sym::add_done_callback,
    sym::remove_done_callback,
    sym::get_loop,
    sym::get_name,
    sym::set_name,
    sym::get_coro,
    sym::cancelling,
    sym::uncancel,
];

pub const LOOP_METHODS: &[Symbol] = &[
    sym::time,
    sym::create_future,
    sym::create_task,
    sym::call_soon,
    sym::call_later,
    sym::call_at,
    sym::is_running,
    sym::is_closed,
    sym::get_debug,
];

pub const HANDLE_METHODS: &[Symbol] = &[sym::cancel, sym::cancelled, sym::when];

impl Vm {
    /// Methods shared by futures and tasks.
    pub(crate) fn future_method(
        &mut self,
        future: &Waitable,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let class = match future {
            Waitable::Task(_) => "Task",
            Waitable::Future(_) => "Future",
        };
        let check = |method: &str, min, max| arity(class, method, args, kwargs, min, max);
        Some(match name {
            sym::result => check("result", 0, 0).and_then(|_| self.waitable_result(future)),
            sym::exception => check("exception", 0, 0).and_then(|_| {
                Ok(self
                    .waitable_exception(future)?
                    .map_or(Value::None, Value::Exception))
            }),
            sym::done => check("done", 0, 0).map(|_| Value::Bool(future.core().done())),
            sym::cancelled => {
                check("cancelled", 0, 0).map(|_| Value::Bool(future.core().cancelled()))
            }
            sym::cancel => (|| {
                let msg = args
                    .first()
                    .or(keyword("cancel", kwargs, "msg", &["msg"])?)
                    .cloned()
                    .unwrap_or(Value::None);
                Ok(Value::Bool(self.cancel_waitable(future, msg)))
            })(),
            sym::set_result | sym::set_exception if matches!(future, Waitable::Task(_)) => Err(
                exception::runtime_error(format!("Task does not support {} operation", name)),
            ),
            sym::set_result => check("set_result", 1, 1)
                .and_then(|_| self.set_result_on(future, args[0].clone()))
                .map(|_| Value::None),
            sym::set_exception => check("set_exception", 1, 1).and_then(|_| {
                let exc = match &args[0] {
                    Value::Exception(e) => e.clone(),
                    Value::Type(t) if t.is_exception() => {
                        exception::exception_without_args(t.clone())
                    }
                    _ => return Err(exception::type_error("invalid exception object")),
                };
                self.set_exception_on(future, exc).map(|_| Value::None)
            }),
            sym::add_done_callback => {
                if args.len() != 1 {
                    return Some(Err(exception::type_error(format!(
                        "add_done_callback() takes exactly one argument ({} given)",
                        args.len()
                    ))));
                }
                self.add_done_callback(future, DoneCallback::Python(Box::new(args[0].clone())));
                Ok(Value::None)
            }
            sym::remove_done_callback => check("remove_done_callback", 1, 1).map(|_| {
                let n = self
                    .remove_done_callback(future, &DoneCallback::Python(Box::new(args[0].clone())));
                Value::Int(n as i64)
            }),
            sym::get_loop => check("get_loop", 0, 0)
                .and_then(|_| Ok(Value::Loop(self.require_loop()?.object.clone()))),
            _ => {
                let Waitable::Task(task) = future else {
                    return None;
                };
                return self.task_method(task, name, args, kwargs);
            }
        })
    }

    fn task_method(
        &mut self,
        task: &Rc<Task>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let check = |method: &str, min, max| arity("Task", method, args, kwargs, min, max);
        Some(match name {
            sym::get_name => check("get_name", 0, 0).map(|_| Value::str(&task.name())),
            sym::set_name => check("set_name", 1, 1).and_then(|_| {
                let name = self.str_of(&args[0])?;
                task.set_name(Rc::from(name));
                Ok(Value::None)
            }),
            sym::get_coro => check("get_coro", 0, 0).map(|_| task.coro.clone()),
            sym::cancelling => check("cancelling", 0, 0)
                .map(|_| Value::Int(task.num_cancels_requested.get() as i64)),
            sym::uncancel => check("uncancel", 0, 0).map(|_| {
                let n = task.num_cancels_requested.get().saturating_sub(1);
                task.num_cancels_requested.set(n);
                Value::Int(n as i64)
            }),
            _ => return None,
        })
    }

    pub(crate) fn loop_method(
        &mut self,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let check = |method: &str, min, max| {
            arity("_UnixSelectorEventLoop", method, args, kwargs, min, max)
        };
        Some(match name {
            sym::time => check("time", 0, 0).map(|_| Value::Float(self.clock.now())),
            sym::create_future => check("create_future", 0, 0).and_then(|_| new_future(self)),
            sym::create_task => loop_create_task(self, args, kwargs),
            sym::is_running => {
                check("is_running", 0, 0).map(|_| Value::Bool(self.event_loop.is_some()))
            }
            sym::is_closed => {
                check("is_closed", 0, 0).map(|_| Value::Bool(self.event_loop.is_none()))
            }
            sym::get_debug => check("get_debug", 0, 0).map(|_| Value::Bool(false)),
            sym::call_soon => (|| {
                keyword("call_soon", kwargs, "context", &["context"])?;
                let Some((callback, rest)) = args.split_first() else {
                    return Err(exception::type_error(
                        "call_soon() missing 1 required positional argument: 'callback'",
                    ));
                };
                self.require_loop()?;
                let handle = Handle::new(
                    HandleAction::Call {
                        callback: callback.clone(),
                        args: rest.to_vec(),
                    },
                    None,
                );
                self.call_soon(Job::Handle(handle.clone()));
                Ok(Value::Handle(handle))
            })(),
            sym::call_later | sym::call_at => (|| {
                let method = name.text();
                keyword(&method, kwargs, "context", &["context"])?;
                if args.len() < 2 {
                    return Err(exception::type_error(format!(
                        "{method}() missing required positional arguments"
                    )));
                }
                let time = self.to_float(&args[0])?;
                self.require_loop()?;
                let action = HandleAction::Call {
                    callback: args[1].clone(),
                    args: args[2..].to_vec(),
                };
                let handle = if name == sym::call_later {
                    self.call_later(time, action)
                } else {
                    self.call_at(time, action)
                };
                Ok(Value::Handle(handle))
            })(),
            _ => return None,
        })
    }

    pub(crate) fn handle_method(
        &mut self,
        handle: &Rc<Handle>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let class = if handle.when.is_some() {
            "TimerHandle"
        } else {
            "Handle"
        };
        let check = |method: &str| arity(class, method, args, kwargs, 0, 0);
        Some(match name {
            sym::cancel => check("cancel").map(|_| {
                handle.cancel();
                Value::None
            }),
            sym::cancelled => check("cancelled").map(|_| Value::Bool(handle.cancelled())),
            sym::when => match handle.when {
                Some(when) => check("when").map(|_| Value::Float(when)),
                None => return None,
            },
            _ => return None,
        })
    }
}
