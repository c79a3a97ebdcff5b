//! Resumable frames: coroutines, generators and async generators.
//!
//! Calling an `async def` (a coroutine function), a `def` containing `yield`
//! (a generator function) or an `async def` containing `yield` (an async
//! generator function) runs none of its body: it binds the arguments to the
//! parameters and keeps them, ready, in one of these objects. As in CPython,
//! where `PyCoroObject` and `PyAsyncGenObject` share `PyGenObject`'s layout,
//! all three are the same Rust type; the code object's kind says which one
//! it is.
//!
//! - A **coroutine** runs when something awaits it: its frame is pushed on
//!   the awaiting task's frame stack and stays there, through every
//!   suspension of the task, until it returns. It is started only once.
//! - A **generator** pauses back to its *caller*, not to the event loop: on
//!   `yield` its frame's slots (locals and operands) are moved out of the
//!   fiber into [`CoroutineState::Suspended`], and `next()`/`send()` or a
//!   `for` loop moves them back as a frame on whatever fiber resumes it.
//! - An **async generator** is a generator whose frame may also `await`
//!   while it runs (the task then pauses with the frame in place); it is
//!   resumed by awaiting the [`AsyncGenStep`] that `__anext__()` returns.

use super::function::Function;
use crate::bytecode::code::CodeKind;
use crate::event_loop::slot::Slot;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub struct Coroutine {
    pub function: Rc<Function>,
    pub state: RefCell<CoroutineState>,
    /// Who resumed a generator's frame this time, which decides where its
    /// `return` (or the end of its body) sends control; see [`ResumedBy`].
    pub resumed_by: Cell<ResumedBy>,
    /// What only a running generator needs, made at its first resumption
    /// (boxed, in a [`Slot`]: a program may hold 100 000 coroutines at
    /// once, which never need it).
    generator_parts: Slot<Option<Box<GeneratorParts>>>,
}

#[derive(Default)]
struct GeneratorParts {
    /// The (empty) buffer of a generator whose frame is on a fiber: its
    /// slots go back into it at the next `yield`, so yielding allocates
    /// nothing once the generator runs.
    spare_slots: Vec<Value>,
    /// A generator's own "exception being handled" (it paused inside an
    /// `except` block), and, while it runs, the one of the code that
    /// resumed it, to give back when it pauses or ends: CPython keeps one
    /// such state per generator (`gi_exc_state`).
    exception_state: ExceptionState,
    /// An async generator `aclose()` was awaited on (CPython's `ag_closed`):
    /// if it ignored the `GeneratorExit`, later `aclose()`/`athrow()` raise
    /// `StopAsyncIteration`, and freeing it does nothing more.
    closed: bool,
    /// An async generator the running event loop was told about (at its
    /// first `__anext__()`, `asend()`, `athrow()` or `aclose()`: CPython's
    /// `firstiter` hook): freed unfinished, the loop closes it in a task
    /// of its own (the `finalizer` hook).
    finalizer: bool,
}

#[derive(Default)]
pub struct ExceptionState {
    pub own: Option<super::exception::PyErr>,
    pub resumer: Option<super::exception::PyErr>,
}

pub enum CoroutineState {
    /// Not started: the frame's local slots, arguments already bound.
    Created(Box<[Value]>),
    /// A generator paused at a `yield`: the frame's slots (locals, then the
    /// operands below the yielded value) and the instruction to resume at.
    Suspended { slots: Vec<Value>, ip: u32 },
    /// Its frame is on some fiber's frame stack.
    Running,
    /// A coroutine driven by hand (`coro.send(None)`), paused at an
    /// `await`: its frames, and those of what it awaits, in a fiber of
    /// their own (see `vm/coroutine_methods.rs`).
    Detached(Box<Detached>),
    /// Returned or raised.
    Finished,
}

/// A coroutine driven by hand, between two `send()`s.
pub struct Detached {
    pub fiber: crate::vm::frame::Fiber,
    /// The future its innermost `await` waits for (`None` after the bare
    /// yield of `asyncio.sleep(0)`).
    pub waiting: Option<crate::event_loop::future::Waitable>,
}

/// What resumed a generator's frame. A `yield` always hands the value to
/// the frame below (it lands in the slot under the generator's frame, and
/// the frame below continues after the instruction that resumed it); a
/// return differs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResumedBy {
    /// A coroutine awaited by the frame below: returning is an ordinary
    /// return. (Never changes for coroutines.)
    Await,
    /// Rust code (`next(g)`, `list(g)`, `g.send(v)`): the frame is the last
    /// one `execute` runs, and the caller reads the state to tell a yield
    /// from a return.
    Native,
    /// `FOR_ITER`: a return ends the loop, at this instruction.
    ForIter(u32),
    /// `SEND` (`yield from`): the returned value becomes the value of the
    /// expression, at this instruction.
    Send(u32),
    /// `AWAIT` on an async generator's `__anext__()`, `asend()` or
    /// `athrow()`: reaching the end raises `StopAsyncIteration` at the
    /// `AWAIT`.
    Anext,
    /// `AWAIT` on an async generator's `aclose()`: finishing (by returning
    /// or by letting `GeneratorExit` out) gives `None`; yielding is an error.
    Aclose,
}

impl Coroutine {
    pub fn new(function: Rc<Function>, locals: Vec<Value>) -> Rc<Coroutine> {
        Rc::new(Coroutine {
            function,
            state: RefCell::new(CoroutineState::Created(locals.into_boxed_slice())),
            resumed_by: Cell::new(ResumedBy::Await),
            generator_parts: Slot::default(),
        })
    }

    pub fn qualname(&self) -> &Rc<str> {
        self.function.qualname()
    }

    /// Whether this is paused after being driven by hand (`coro.send()`).
    pub fn is_detached(&self) -> bool {
        matches!(*self.state.borrow(), CoroutineState::Detached(_))
    }

    /// Whether this is a generator or an async generator (whose frames
    /// leave the fiber on `yield`), not a coroutine.
    pub fn is_generator(&self) -> bool {
        matches!(
            self.function.code.kind,
            CodeKind::Generator | CodeKind::AsyncGenerator
        )
    }

    pub fn is_async_generator(&self) -> bool {
        self.function.code.kind == CodeKind::AsyncGenerator
    }

    /// Take the prepared locals to start running, if it was never started.
    pub fn start(&self) -> Option<Box<[Value]>> {
        let mut state = self.state.borrow_mut();
        match std::mem::replace(&mut *state, CoroutineState::Running) {
            CoroutineState::Created(locals) => Some(locals),
            other => {
                *state = other;
                None
            }
        }
    }

    pub fn finish(&self) {
        *self.state.borrow_mut() = CoroutineState::Finished;
    }

    pub fn is_started(&self) -> bool {
        !matches!(*self.state.borrow(), CoroutineState::Created(_))
    }

    /// A generator's frame goes on a fiber whose handled exception is
    /// `resumer`: the one the generator sees is its own, or else its
    /// resumer's (CPython's chain of exception states).
    pub fn enter_exception_state(
        &self,
        resumer: Option<super::exception::PyErr>,
    ) -> Option<super::exception::PyErr> {
        self.with_parts(|parts| {
            let exceptions = &mut parts.exception_state;
            let seen = exceptions.own.take().or_else(|| resumer.clone());
            exceptions.resumer = resumer;
            seen
        })
    }

    /// A generator's frame pauses with `current` as the handled exception:
    /// keep it if the generator set it, and return the resumer's, to
    /// restore.
    pub fn pause_exception_state(
        &self,
        current: Option<super::exception::PyErr>,
    ) -> Option<super::exception::PyErr> {
        let (_old_own, resumer) = self.with_parts(|parts| {
            let exceptions = &mut parts.exception_state;
            let resumer = exceptions.resumer.take();
            let inherited = match (&current, &resumer) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            let own = if inherited { None } else { current };
            (std::mem::replace(&mut exceptions.own, own), resumer)
        });
        resumer
    }

    /// A generator's frame left the fiber for good (returned or raised):
    /// the resumer's handled exception, to restore.
    pub fn generator_left(&self) -> Option<super::exception::PyErr> {
        let (_old_own, resumer) = self.generator_parts.update(|parts| match parts {
            Some(parts) => {
                let exceptions = &mut parts.exception_state;
                (exceptions.own.take(), exceptions.resumer.take())
            }
            None => (None, None),
        });
        resumer
    }

    /// Change the generator-only state, made on first use. The slot is
    /// empty meanwhile, so `change` hands out what it replaces rather than
    /// dropping it there (dropping a value can run code).
    fn with_parts<R>(&self, change: impl FnOnce(&mut GeneratorParts) -> R) -> R {
        self.generator_parts
            .update(|parts| change(parts.get_or_insert_with(Box::default)))
    }

    /// Keep `slots` (emptied) to reuse at the next `yield`.
    pub fn keep_spare_slots(&self, slots: Vec<Value>) {
        let _old = self.with_parts(|parts| std::mem::replace(&mut parts.spare_slots, slots));
    }

    /// The buffer kept by [`Coroutine::keep_spare_slots`], if any.
    pub fn take_spare_slots(&self) -> Vec<Value> {
        self.generator_parts.update(|parts| match parts {
            Some(parts) => std::mem::take(&mut parts.spare_slots),
            None => Vec::new(),
        })
    }

    /// Whether an `aclose()` was awaited on this async generator.
    pub fn is_closed(&self) -> bool {
        self.generator_parts
            .update(|parts| parts.as_ref().is_some_and(|parts| parts.closed))
    }

    /// Record that an `aclose()` was awaited on this async generator.
    pub fn mark_closed(&self) {
        self.with_parts(|parts| parts.closed = true);
    }

    /// An async generator's first `__anext__()`, `asend()`, `athrow()` or
    /// `aclose()` with a loop running (CPython's `async_gen_init_hooks`):
    /// `true` the first time, when the loop must register it.
    pub fn init_finalizer(&self) -> bool {
        self.with_parts(|parts| !std::mem::replace(&mut parts.finalizer, true))
    }

    pub fn is_running(&self) -> bool {
        matches!(*self.state.borrow(), CoroutineState::Running)
    }

    /// The line of the `yield` a generator is paused at, if it is.
    pub fn paused_line(&self) -> Option<u32> {
        match &*self.state.borrow() {
            CoroutineState::Suspended { ip, .. } => {
                Some(self.function.code.line_of((*ip as usize).saturating_sub(1)))
            }
            _ => None,
        }
    }

    pub fn is_suspended(&self) -> bool {
        matches!(*self.state.borrow(), CoroutineState::Suspended { .. })
    }

    pub fn is_finished(&self) -> bool {
        matches!(*self.state.borrow(), CoroutineState::Finished)
    }
}

impl Drop for Coroutine {
    /// A coroutine freed without ever running: CPython's
    /// `RuntimeWarning: coroutine 'f' was never awaited`. (Generators are
    /// created to be dropped unstarted as often as not; no warning.)
    ///
    /// A generator freed while paused inside a `try` (a `for` loop that
    /// `break`s out of it, say) is closed, as CPython closes it when its
    /// reference count drops to zero, so its `finally` blocks run. That
    /// runs Python code, which a destructor cannot do: the paused frame is
    /// moved into a new generator object and queued, and the VM closes it
    /// at its next call (before anything the program does next can print).
    ///
    /// An async generator cannot be closed there: closing it may await.
    /// As in CPython, one that the event loop knows of and that is freed
    /// unfinished (and not closed) goes to the loop instead, which closes
    /// it in a task of its own (`loop.create_task(agen.aclose())`, the
    /// loop's `finalizer` hook): revived the same way, it waits in a queue
    /// that the loop moves to its ready queue at its next `call_soon`.
    fn drop(&mut self) {
        let kind = self.function.code.kind;
        let mut parts = self.generator_parts.take();
        let (closed, finalizer) = parts
            .as_ref()
            .map_or((false, false), |p| (p.closed, p.finalizer));
        let state = self.state.get_mut();
        let (queue, flag) = match state {
            CoroutineState::Created(_) if kind == CodeKind::Coroutine => {
                crate::event_loop::diagnostics::report_never_awaited(
                    self.function.qualname().clone(),
                );
                return;
            }
            CoroutineState::Created(_) | CoroutineState::Suspended { .. }
                if kind == CodeKind::AsyncGenerator && finalizer && !closed =>
            {
                (&FINALIZING, &ANY_FINALIZING)
            }
            // Freed paused: closed, as CPython closes it (its `finally`
            // blocks run).
            CoroutineState::Detached(_) => (&ABANDONED, &ANY_ABANDONED),
            CoroutineState::Suspended { ip, .. }
                if kind == CodeKind::Generator
                    && self
                        .function
                        .code
                        .handler_for(ip.saturating_sub(1))
                        .is_some() =>
            {
                (&ABANDONED, &ANY_ABANDONED)
            }
            _ => return,
        };
        if let Some(parts) = parts.as_mut() {
            // The loop has done its part: freed again, it is just freed.
            parts.finalizer = false;
        }
        let revived = Rc::new(Coroutine {
            function: self.function.clone(),
            state: RefCell::new(std::mem::replace(state, CoroutineState::Finished)),
            resumed_by: Cell::new(ResumedBy::Native),
            generator_parts: Slot::default(),
        });
        revived.generator_parts.set(parts);
        let queued = queue
            .try_with(|queue| match queue.try_borrow_mut() {
                Ok(mut queue) => {
                    queue.push(revived.clone());
                    true
                }
                Err(_) => false,
            })
            .unwrap_or(false);
        if queued {
            let _ = flag.try_with(|flag| flag.set(true));
        } else {
            // No queue (the thread is exiting): it is simply freed, and
            // must not come back here when it is.
            *revived.state.borrow_mut() = CoroutineState::Finished;
        }
    }
}

thread_local! {
    /// Generators freed while paused inside a `try`, waiting to be closed.
    static ABANDONED: RefCell<Vec<Rc<Coroutine>>> = const { RefCell::new(Vec::new()) };
    /// Whether `ABANDONED` may hold any (one cheap load for the VM's check).
    static ANY_ABANDONED: Cell<bool> = const { Cell::new(false) };
    /// Async generators freed unfinished, waiting for the loop to close
    /// them.
    static FINALIZING: RefCell<Vec<Rc<Coroutine>>> = const { RefCell::new(Vec::new()) };
    /// Whether `FINALIZING` may hold any.
    static ANY_FINALIZING: Cell<bool> = const { Cell::new(false) };
}

/// Whether generators are waiting to be closed.
#[inline(always)]
pub fn any_abandoned() -> bool {
    ANY_ABANDONED.with(|flag| flag.get())
}

/// Take the generators waiting to be closed.
pub fn take_abandoned() -> Vec<Rc<Coroutine>> {
    ANY_ABANDONED.with(|flag| flag.set(false));
    ABANDONED.with(|queue| std::mem::take(&mut *queue.borrow_mut()))
}

/// Whether async generators are waiting for the loop to close them.
#[inline(always)]
pub fn any_finalizing() -> bool {
    ANY_FINALIZING.with(|flag| flag.get())
}

/// Take the async generators waiting for the loop to close them.
pub fn take_finalizing() -> Vec<Rc<Coroutine>> {
    ANY_FINALIZING.with(|flag| flag.set(false));
    FINALIZING.with(|queue| std::mem::take(&mut *queue.borrow_mut()))
}

/// The awaitable that `agen.__anext__()`, `agen.asend(v)`, `agen.athrow(e)`
/// and `agen.aclose()` return (CPython's `async_generator_asend` and
/// `async_generator_athrow`): awaiting it resumes the async generator once.
pub struct AsyncGenStep {
    pub generator: Rc<Coroutine>,
    /// What to do, taken by the first `AWAIT`.
    pub action: RefCell<Option<AsyncGenAction>>,
    /// Which method made it (kept after `action` is taken).
    pub made_by: StepMadeBy,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StepMadeBy {
    /// `__anext__()` or `asend(v)`.
    Asend,
    /// `athrow(exc)`.
    Athrow,
    /// `aclose()`.
    Aclose,
}

impl AsyncGenStep {
    pub fn new(generator: &Rc<Coroutine>, action: AsyncGenAction) -> AsyncGenStep {
        let made_by = match action {
            AsyncGenAction::Send(_) => StepMadeBy::Asend,
            AsyncGenAction::Throw(_) => StepMadeBy::Athrow,
            AsyncGenAction::Close => StepMadeBy::Aclose,
        };
        AsyncGenStep {
            generator: generator.clone(),
            action: RefCell::new(Some(action)),
            made_by,
        }
    }

    /// CPython's type: `async_generator_asend` for `__anext__()` and
    /// `asend()`, `async_generator_athrow` for `athrow()` and `aclose()`.
    pub fn type_name(&self) -> &'static str {
        match self.made_by {
            StepMadeBy::Asend => "async_generator_asend",
            StepMadeBy::Athrow | StepMadeBy::Aclose => "async_generator_athrow",
        }
    }
}

pub enum AsyncGenAction {
    /// `__anext__()` (sending `None`) or `asend(v)`.
    Send(Value),
    /// `athrow(exc)`: raise `exc` at the paused `yield`.
    Throw(super::exception::PyErr),
    /// `aclose()`: raise `GeneratorExit` at the paused `yield`; the await
    /// gives `None` once the generator has finished.
    Close,
}

#[cfg(test)]
mod tests {
    /// Every task holds one: keep a coroutine within an 80-byte
    /// allocation, Rc counts included.
    #[test]
    fn coroutines_stay_small() {
        assert!(std::mem::size_of::<super::Coroutine>() <= 64);
    }
}
