//! What Python code sees of asyncio's primitives: the constructors
//! (`asyncio.Lock()`, `asyncio.Queue(maxsize=2)`, ...) and the methods,
//! checked as CPython checks their arguments. Plain methods act at once
//! (`sync.rs`); `async def` ones return a native coroutine (`sync_wait.rs`).

use super::native::NativeCoroutine;
use super::sync::{lock_of, ConditionCore, Primitive, QueueCore, QueueKind, SemaphoreCore};
use super::sync_wait::{ConditionPhase, SyncWait};
use crate::symbol::{sym, Symbol};
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::types::BuiltinType;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::cell::Cell;
use std::rc::Rc;

pub const LOCK_METHODS: &[Symbol] = &[
    sym::acquire,
    sym::release,
    sym::locked,
    sym::__aenter__,
    sym::__aexit__,
];
pub const EVENT_METHODS: &[Symbol] = &[sym::set, sym::clear, sym::is_set, sym::wait];
pub const CONDITION_METHODS: &[Symbol] = &[
    sym::acquire,
    sym::release,
    sym::locked,
    sym::wait,
    sym::wait_for,
    sym::notify,
    sym::notify_all,
    sym::__aenter__,
    sym::__aexit__,
];
pub const QUEUE_METHODS: &[Symbol] = &[
    sym::put,
    sym::get,
    sym::put_nowait,
    sym::get_nowait,
    sym::task_done,
    sym::join,
    sym::qsize,
    sym::empty,
    sym::full,
];

pub const TASK_GROUP_METHODS: &[Symbol] = &[sym::create_task, sym::__aenter__, sym::__aexit__];
pub const TIMEOUT_METHODS: &[Symbol] = &[
    sym::when,
    sym::reschedule,
    sym::expired,
    sym::__aenter__,
    sym::__aexit__,
];

/// The method names of a primitive, for `hasattr`-style questions.
pub fn methods_of_primitive(prim: &Primitive) -> &'static [Symbol] {
    match prim {
        Primitive::Lock(_) | Primitive::Semaphore(_) => LOCK_METHODS,
        Primitive::Event(_) => EVENT_METHODS,
        Primitive::Condition(_) => CONDITION_METHODS,
        Primitive::Queue(_) => QUEUE_METHODS,
        Primitive::TaskGroup(_) => TASK_GROUP_METHODS,
        Primitive::Timeout(_) => TIMEOUT_METHODS,
    }
}

/// Bind the arguments of a Python-level method or `__init__` to its
/// parameters (after `self`), with CPython's messages for the mistakes.
fn bind(
    qualname: &str,
    params: &[&str],
    required: usize,
    args: &[Value],
    kwargs: &[(Symbol, Value)],
) -> PyResult<Vec<Option<Value>>> {
    if args.len() > params.len() {
        let takes = params.len() + 1;
        let plural = if takes == 1 { "" } else { "s" };
        let verb = if args.len() + 1 == 1 { "was" } else { "were" };
        return Err(exception::type_error(format!(
            "{qualname}() takes {takes} positional argument{plural} but {} {verb} given",
            args.len() + 1
        )));
    }
    let mut bound: Vec<Option<Value>> = params.iter().map(|_| None).collect();
    for (slot, arg) in bound.iter_mut().zip(args) {
        *slot = Some(arg.clone());
    }
    for (name, value) in kwargs {
        let text = name.text();
        match params.iter().position(|p| **p == *text) {
            Some(i) if bound[i].is_some() => {
                return Err(exception::type_error(format!(
                    "{qualname}() got multiple values for argument '{text}'"
                )))
            }
            Some(i) => bound[i] = Some(value.clone()),
            None => {
                return Err(exception::type_error(format!(
                    "{qualname}() got an unexpected keyword argument '{text}'"
                )))
            }
        }
    }
    let missing: Vec<String> = params[..required]
        .iter()
        .zip(&bound)
        .filter(|(_, v)| v.is_none())
        .map(|(p, _)| format!("'{p}'"))
        .collect();
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        return Err(exception::type_error(format!(
            "{qualname}() missing {} required positional argument{}: {list}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(bound)
}

/// An optional int argument, `default` when not given. apy takes only
/// ints where CPython's code would also take other numbers, and says so.
fn int_or(arg: &Option<Value>, default: i64, what: &str) -> PyResult<i64> {
    match arg {
        None => Ok(default),
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Bool(b)) => Ok(*b as i64),
        Some(other) => Err(exception::type_error(format!(
            "apy: {what} must be an int, not '{}'",
            other.type_name()
        ))),
    }
}

/// [`bind`] for a method without parameters, quick when called right.
fn no_arguments(qualname: &str, args: &[Value], kwargs: &[(Symbol, Value)]) -> PyResult<()> {
    if args.is_empty() && kwargs.is_empty() {
        return Ok(());
    }
    bind(qualname, &[], 0, args, kwargs).map(|_| ())
}

/// [`bind`] for a method with one required parameter, quick when it is
/// passed by position.
fn one_argument(
    qualname: &str,
    params: &[&str],
    args: &[Value],
    kwargs: &[(Symbol, Value)],
) -> PyResult<Value> {
    if let ([item], []) = (args, kwargs) {
        return Ok(item.clone());
    }
    let bound = bind(qualname, params, 1, args, kwargs)?;
    Ok(bound[0].clone().expect("required"))
}

impl Vm {
    /// `asyncio.Lock()`, `asyncio.Queue(maxsize)`, ...: a new primitive.
    pub(crate) fn construct_primitive(
        &mut self,
        kind: BuiltinType,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        let primitive = match kind {
            BuiltinType::Lock => {
                bind("Lock.__init__", &[], 0, args, kwargs)?;
                Primitive::new_lock()
            }
            BuiltinType::Event => {
                bind("Event.__init__", &[], 0, args, kwargs)?;
                Primitive::new_event()
            }
            BuiltinType::Semaphore | BuiltinType::BoundedSemaphore => {
                let bounded = kind == BuiltinType::BoundedSemaphore;
                let qualname = if bounded {
                    "BoundedSemaphore.__init__"
                } else {
                    "Semaphore.__init__"
                };
                let bound = bind(qualname, &["value"], 0, args, kwargs)?;
                let value = int_or(&bound[0], 1, "a semaphore's value")?;
                if value < 0 {
                    return Err(exception::value_error(
                        "Semaphore initial value must be >= 0",
                    ));
                }
                Primitive::Semaphore(SemaphoreCore {
                    value: Cell::new(value),
                    bound: bounded.then_some(value),
                    waiters: Default::default(),
                })
            }
            BuiltinType::Condition => {
                let bound = bind("Condition.__init__", &["lock"], 0, args, kwargs)?;
                let lock = match &bound[0] {
                    None | Some(Value::None) => Rc::new(Primitive::new_lock()),
                    Some(Value::Sync(p)) if matches!(**p, Primitive::Lock(_)) => p.clone(),
                    Some(other) => {
                        return Err(exception::attribute_error(format!(
                            "'{}' object has no attribute 'locked'",
                            other.type_name()
                        )))
                    }
                };
                Primitive::Condition(ConditionCore {
                    lock,
                    waiters: Default::default(),
                })
            }
            BuiltinType::TaskGroup => {
                bind("TaskGroup.__init__", &[], 0, args, kwargs)?;
                Primitive::TaskGroup(Default::default())
            }
            BuiltinType::Timeout => {
                let bound = bind("Timeout.__init__", &["when"], 1, args, kwargs)?;
                let when = bound[0].clone().expect("required");
                return self.new_timeout(&when, true);
            }
            BuiltinType::Queue | BuiltinType::LifoQueue | BuiltinType::PriorityQueue => {
                let (queue_kind, qualname) = match kind {
                    BuiltinType::Queue => (QueueKind::Fifo, "Queue.__init__"),
                    BuiltinType::LifoQueue => (QueueKind::Lifo, "Queue.__init__"),
                    _ => (QueueKind::Priority, "Queue.__init__"),
                };
                let bound = bind(qualname, &["maxsize"], 0, args, kwargs)?;
                let mut queue = Primitive::new_fifo_queue();
                if let Primitive::Queue(q) = &mut queue {
                    q.kind = queue_kind;
                    q.maxsize = bound[0].clone().unwrap_or(Value::Int(0));
                }
                queue
            }
            _ => unreachable!("not a synchronization primitive"),
        };
        Ok(Value::Sync(Rc::new(primitive)))
    }

    /// Call method `name` of a primitive; `None` if it has no such method.
    pub(crate) fn primitive_method(
        &mut self,
        prim: &Rc<Primitive>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match &**prim {
            Primitive::Lock(_) | Primitive::Semaphore(_) | Primitive::Condition(_)
                if matches!(
                    name,
                    sym::acquire | sym::release | sym::locked | sym::__aenter__ | sym::__aexit__
                ) =>
            {
                self.lock_like_method(prim, name, args, kwargs)
            }
            Primitive::Event(event) => match name {
                sym::set => bind("Event.set", &[], 0, args, kwargs).map(|_| {
                    self.event_set(event);
                    Value::None
                }),
                sym::clear => bind("Event.clear", &[], 0, args, kwargs).map(|_| {
                    event.value.set(false);
                    Value::None
                }),
                sym::is_set => bind("Event.is_set", &[], 0, args, kwargs)
                    .map(|_| Value::Bool(event.value.get())),
                sym::wait => bind("Event.wait", &[], 0, args, kwargs).map(|_| {
                    let wait = SyncWait::EventWait {
                        event: prim.clone(),
                        waiting: None,
                    };
                    NativeCoroutine::sync(const { NativeCoroutine::index_of("Event.wait") }, wait)
                }),
                _ => return None,
            },
            Primitive::Condition(cond) => match name {
                sym::wait => bind("Condition.wait", &[], 0, args, kwargs).map(|_| {
                    let wait = SyncWait::ConditionWait {
                        condition: prim.clone(),
                        phase: Box::new(ConditionPhase::Start),
                    };
                    NativeCoroutine::sync(
                        const { NativeCoroutine::index_of("Condition.wait") },
                        wait,
                    )
                }),
                sym::wait_for => {
                    bind("Condition.wait_for", &["predicate"], 1, args, kwargs).map(|bound| {
                        let wait = SyncWait::ConditionWaitFor {
                            condition: prim.clone(),
                            predicate: bound[0].clone().expect("required"),
                            wait: None,
                        };
                        NativeCoroutine::sync(
                            const { NativeCoroutine::index_of("Condition.wait_for") },
                            wait,
                        )
                    })
                }
                sym::notify => (|| {
                    let bound = bind("Condition.notify", &["n"], 0, args, kwargs)?;
                    let n = int_or(&bound[0], 1, "notify()'s n")?;
                    self.condition_notify(cond, n).map(|_| Value::None)
                })(),
                sym::notify_all => bind("Condition.notify_all", &[], 0, args, kwargs)
                    .and_then(|_| {
                        let n = cond.waiters.borrow().len() as i64;
                        self.condition_notify(cond, n)
                    })
                    .map(|_| Value::None),
                _ => return None,
            },
            Primitive::Queue(queue) => return self.queue_method(prim, queue, name, args, kwargs),
            Primitive::TaskGroup(_) | Primitive::Timeout(_)
                if matches!(name, sym::__aenter__ | sym::__aexit__) =>
            {
                if !kwargs.is_empty() {
                    return Some(Err(exception::type_error(format!(
                        "{}() got an unexpected keyword argument",
                        name.text()
                    ))));
                }
                self.structured_context_method(prim, name == sym::__aenter__, args)
            }
            Primitive::TaskGroup(_) if name == sym::create_task => (|| {
                let bound = bind(
                    "TaskGroup.create_task",
                    &["coro", "name", "context"],
                    1,
                    args,
                    kwargs,
                )?;
                if args.len() > 1 {
                    return Err(exception::type_error(format!(
                        "TaskGroup.create_task() takes 2 positional arguments but {} were given",
                        args.len() + 1
                    )));
                }
                let name = match &bound[1] {
                    None | Some(Value::None) => None,
                    Some(v) => Some(Rc::from(self.str_of(v)?)),
                };
                let coro = bound[0].clone().expect("required");
                self.task_group_create_task(prim, coro, name)
            })(),
            Primitive::Timeout(_) => {
                if !kwargs.is_empty() {
                    return Some(Err(exception::type_error(format!(
                        "Timeout.{}() takes no keyword arguments",
                        name.text()
                    ))));
                }
                return self.timeout_method(prim, name, args);
            }
            _ => return None,
        })
    }

    /// `acquire`, `release`, `locked` and the `async with` methods, shared
    /// by locks, semaphores and conditions.
    fn lock_like_method(
        &mut self,
        prim: &Rc<Primitive>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        let class = match &**prim {
            Primitive::Semaphore(_) => "Semaphore",
            _ => "Lock",
        };
        let acquire = |returns: Value| match &**prim {
            Primitive::Semaphore(_) => SyncWait::SemaphoreAcquire {
                semaphore: prim.clone(),
                waiting: None,
                returns,
            },
            _ => SyncWait::LockAcquire {
                lock: prim.clone(),
                waiting: None,
                returns,
            },
        };
        match name {
            sym::acquire => {
                bind(&format!("{class}.acquire"), &[], 0, args, kwargs)?;
                let qualname = if class == "Semaphore" {
                    const { NativeCoroutine::index_of("Semaphore.acquire") }
                } else {
                    const { NativeCoroutine::index_of("Lock.acquire") }
                };
                Ok(NativeCoroutine::sync(qualname, acquire(Value::Bool(true))))
            }
            sym::__aenter__ => {
                bind("_ContextManagerMixin.__aenter__", &[], 0, args, kwargs)?;
                Ok(NativeCoroutine::sync(
                    const { NativeCoroutine::index_of("_ContextManagerMixin.__aenter__") },
                    acquire(Value::None),
                ))
            }
            sym::__aexit__ => {
                bind(
                    "_ContextManagerMixin.__aexit__",
                    &["exc_type", "exc", "tb"],
                    3,
                    args,
                    kwargs,
                )?;
                Ok(NativeCoroutine::sync(
                    const { NativeCoroutine::index_of("_ContextManagerMixin.__aexit__") },
                    SyncWait::Release {
                        target: prim.clone(),
                    },
                ))
            }
            sym::release => {
                let qualname = match &**prim {
                    Primitive::Semaphore(s) if s.bound.is_some() => "BoundedSemaphore.release",
                    Primitive::Semaphore(_) => "Semaphore.release",
                    _ => "Lock.release",
                };
                bind(qualname, &[], 0, args, kwargs)?;
                self.release_primitive(prim).map(|_| Value::None)
            }
            _ => {
                bind(&format!("{class}.locked"), &[], 0, args, kwargs)?;
                Ok(Value::Bool(match &**prim {
                    Primitive::Semaphore(s) => s.locked(),
                    Primitive::Condition(c) => lock_of(c).locked.get(),
                    Primitive::Lock(l) => l.locked.get(),
                    _ => false,
                }))
            }
        }
    }

    fn queue_method(
        &mut self,
        prim: &Rc<Primitive>,
        queue: &QueueCore,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            sym::put => one_argument("Queue.put", &["item"], args, kwargs).map(|item| {
                let wait = SyncWait::QueuePut {
                    queue: prim.clone(),
                    item,
                    waiting: None,
                };
                NativeCoroutine::sync(const { NativeCoroutine::index_of("Queue.put") }, wait)
            }),
            sym::get => no_arguments("Queue.get", args, kwargs).map(|_| {
                let wait = SyncWait::QueueGet {
                    queue: prim.clone(),
                    waiting: None,
                };
                NativeCoroutine::sync(const { NativeCoroutine::index_of("Queue.get") }, wait)
            }),
            sym::join => bind("Queue.join", &[], 0, args, kwargs).map(|_| {
                let wait = SyncWait::QueueJoin {
                    queue: prim.clone(),
                    waiting: None,
                };
                NativeCoroutine::sync(const { NativeCoroutine::index_of("Queue.join") }, wait)
            }),
            sym::put_nowait => one_argument("Queue.put_nowait", &["item"], args, kwargs)
                .and_then(|item| self.queue_put_nowait(queue, item))
                .map(|_| Value::None),
            sym::get_nowait => no_arguments("Queue.get_nowait", args, kwargs)
                .and_then(|_| self.queue_get_nowait(queue)),
            sym::task_done => no_arguments("Queue.task_done", args, kwargs)
                .and_then(|_| self.queue_task_done(queue))
                .map(|_| Value::None),
            sym::qsize => {
                bind("Queue.qsize", &[], 0, args, kwargs).map(|_| Value::Int(queue.qsize() as i64))
            }
            sym::empty => {
                bind("Queue.empty", &[], 0, args, kwargs).map(|_| Value::Bool(queue.qsize() == 0))
            }
            sym::full => bind("Queue.full", &[], 0, args, kwargs)
                .and_then(|_| queue.full(self))
                .map(Value::Bool),
            _ => return None,
        })
    }
}
