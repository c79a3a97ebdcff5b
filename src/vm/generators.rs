//! Generators: frames that leave the fiber on `yield` and come back on
//! `next()`, and the `yield from` / `async for` instructions built on them.
//!
//! The model is CPython's (3.11's `SEND`/`YIELD_VALUE`, 3.12's
//! `FOR_ITER_GEN`): resuming a generator pushes its saved slots as a frame
//! *on top of the frame that resumes it*, so a `for` loop over a generator
//! or a `yield from` runs the generator in the same dispatch loop, without
//! Rust recursion. The slot just below the generator's frame (where a
//! callee's return value would land) receives whatever the generator
//! yields or returns:
//!
//! ```text
//!   ... | generator | slot | local 0 | ... | operands
//!                          ^ base of the generator's frame
//! ```
//!
//! `YIELD_VALUE` moves the frame's slots back into the generator object,
//! writes the yielded value into `slot` and continues the frame below after
//! the instruction that resumed the generator (`FOR_ITER`, `SEND`, `AWAIT`).
//! A return continues it elsewhere, as [`ResumedBy`] says. Built-ins that
//! consume iterables (`list(g)`, `sum(g)`) resume a generator from Rust
//! ([`Vm::resume_generator`]), running the dispatch loop until the
//! generator's frame is gone again, as `sorted(key=f)` runs `f`.

use super::frame::{Frame, FrameKind};
use super::interp::Flow;
use super::object::coroutine::{
    AsyncGenAction, AsyncGenStep, Coroutine, CoroutineState, ResumedBy,
};
use super::object::exception::{self, PyErr, PyResult};
use super::object::types::builtin_types;
use super::value::Value;
use super::{Exit, Vm};
use crate::bytecode::op::Op;
use crate::symbol::{sym, Symbol};
use std::rc::Rc;

/// What starting an async generator's `__anext__()`, `asend()`,
/// `athrow()` or `aclose()` did.
pub(crate) enum StepStart {
    /// Its frame is on the fiber, resumed with the value sent.
    Resumed,
    /// Its frame is on the fiber: raise this in it.
    Throw(PyErr),
    /// Done without running: this is the value of the `await`.
    Finished(Value),
}

/// What resuming a generator from Rust produced.
pub enum GeneratorStep {
    Yielded(Value),
    Returned(Value),
}

/// The methods a generator has (`g.send(1)`).
pub const GENERATOR_METHODS: &[Symbol] = &[
    sym::send,
    sym::throw,
    sym::close,
    sym::__next__,
    sym::__iter__,
];
/// The methods an async generator has.
pub const ASYNC_GENERATOR_METHODS: &[Symbol] = &[
    sym::__anext__,
    sym::asend,
    sym::__aiter__,
    sym::athrow,
    sym::aclose,
];

impl Vm {
    /// Put `generator`'s frame on the fiber, above the slot (already on top
    /// of the stack) that will receive what it yields or returns. `sent` is
    /// the value of the paused `yield` expression.
    pub(crate) fn push_generator_frame(
        &mut self,
        generator: &Rc<Coroutine>,
        sent: Value,
        resumed_by: ResumedBy,
    ) -> PyResult<()> {
        self.check_recursion()?;
        let is_async = generator.is_async_generator();
        let (mut slots, ip, started) = {
            let mut state = generator.state.borrow_mut();
            match std::mem::replace(&mut *state, CoroutineState::Running) {
                CoroutineState::Created(locals) => {
                    if !sent.is_none() {
                        *state = CoroutineState::Created(locals);
                        return Err(exception::type_error(if is_async {
                            "can't send non-None value to a just-started async generator"
                        } else {
                            "can't send non-None value to a just-started generator"
                        }));
                    }
                    (locals.into_vec(), 0, false)
                }
                CoroutineState::Suspended { slots, ip } => (slots, ip, true),
                other => {
                    let running = matches!(other, CoroutineState::Running);
                    *state = other;
                    return Err(if !running {
                        exception::stop_iteration(None)
                    } else if is_async {
                        exception::runtime_error(
                            "anext(): asynchronous generator is already running",
                        )
                    } else {
                        exception::value_error("generator already executing")
                    });
                }
            }
        };
        let base = self.fiber.len();
        self.fiber.stack.push_all_from(&mut slots);
        generator.keep_spare_slots(slots);
        if started {
            self.fiber.push(sent);
        }
        generator.resumed_by.set(resumed_by);
        let resumer = self.fiber.handled_exception.take();
        self.fiber.handled_exception = generator.enter_exception_state(resumer);
        let function = &generator.function;
        self.fiber.frames.push(Frame {
            function: function.clone(),
            ip,
            base: base as u32,
            kind: FrameKind::Coroutine(generator.clone()),
        });
        Ok(())
    }

    /// `YIELD_VALUE`: park the running generator's frame in the generator
    /// object and hand the value to the frame below.
    pub(crate) fn yield_value(&mut self) -> PyResult<Flow> {
        let frame = self.fiber.frames.last().expect("a running frame");
        if !matches!(&frame.kind, FrameKind::Coroutine(g) if g.is_generator()) {
            return Err(exception::runtime_error("'yield' outside a generator"));
        }
        let value = self.fiber.pop();
        let frame = self.fiber.frames.pop().expect("a generator's frame");
        let FrameKind::Coroutine(generator) = &frame.kind else {
            unreachable!("checked above");
        };
        let current = self.fiber.handled_exception.take();
        self.fiber.handled_exception = generator.pause_exception_state(current);
        let mut slots = generator.take_spare_slots();
        self.fiber
            .stack
            .move_into_vec(frame.base as usize, &mut slots);
        *generator.state.borrow_mut() = CoroutineState::Suspended {
            slots,
            ip: frame.ip,
        };
        let slot = self.fiber.len() - 1;
        self.fiber.set(slot, value);
        if generator.resumed_by.get() == ResumedBy::Aclose {
            return Ok(Flow::Throw(exception::runtime_error(
                "async generator ignored GeneratorExit",
            )));
        }
        Ok(Flow::Yielded)
    }

    /// The generator whose frame is on top returned; its value is in the
    /// slot below the frame (the top of the stack). `Ok(true)` when this
    /// already popped the frame and set up the frame below; `Ok(false)` when
    /// the frame returns as an ordinary call does (to Rust code).
    #[cold]
    #[inline(never)]
    pub(crate) fn generator_returned(&mut self, stop_depth: usize) -> PyResult<bool> {
        let frame = self.fiber.frames.last().expect("a generator's frame");
        let FrameKind::Coroutine(generator) = &frame.kind else {
            return Ok(false);
        };
        generator.finish();
        self.fiber.handled_exception = generator.generator_left();
        let resumed_by = generator.resumed_by.get();
        let continue_at = |vm: &mut Vm, target: u32| {
            vm.fiber.frames.last_mut().expect("the resuming frame").ip = target;
        };
        match resumed_by {
            ResumedBy::Await | ResumedBy::Native => return Ok(false),
            ResumedBy::ForIter(target) => {
                self.fiber.frames.pop();
                self.fiber.pop().discard();
                self.fiber.pop().discard();
                continue_at(self, target);
            }
            ResumedBy::Send(target) => {
                self.fiber.frames.pop();
                let result = self.fiber.pop();
                self.fiber.pop().discard();
                self.fiber.push(result);
                continue_at(self, target);
            }
            ResumedBy::Aclose => {
                // The value it returned (None) is the value of the await.
                self.fiber.frames.pop();
            }
            ResumedBy::Anext => {
                self.fiber.frames.pop();
                self.fiber.pop().discard();
                let stop = exception::exception_without_args(
                    builtin_types().exceptions.stop_async_iteration.clone(),
                );
                self.unwind(stop, stop_depth)?;
            }
        }
        Ok(true)
    }

    /// Run a generator from Rust until it yields or returns (`next(g)`).
    pub(crate) fn resume_generator(
        &mut self,
        generator: &Rc<Coroutine>,
        sent: Value,
    ) -> PyResult<GeneratorStep> {
        if generator.is_finished() {
            return Ok(GeneratorStep::Returned(Value::None));
        }
        let stop_depth = self.fiber.frames.len();
        self.fiber.push(Value::None);
        if let Err(e) = self.push_generator_frame(generator, sent, ResumedBy::Native) {
            self.fiber.pop().discard();
            return Err(e);
        }
        self.run_generator(generator, stop_depth)
    }

    fn run_generator(
        &mut self,
        generator: &Rc<Coroutine>,
        stop_depth: usize,
    ) -> PyResult<GeneratorStep> {
        match self.execute(stop_depth)? {
            Exit::Returned(v) if generator.is_finished() => Ok(GeneratorStep::Returned(v)),
            Exit::Returned(v) => Ok(GeneratorStep::Yielded(v)),
            Exit::Suspended(_) => Err(exception::runtime_error(
                "a generator resumed from a built-in cannot pause",
            )),
        }
    }

    /// `g.throw(exc)`: raise `exc` at the paused `yield`.
    pub(crate) fn throw_into_generator(
        &mut self,
        generator: &Rc<Coroutine>,
        mut error: PyErr,
    ) -> PyResult<GeneratorStep> {
        // Paused inside `yield from sub`: `sub` gets the exception first.
        if let Some((receiver, send_target)) = yield_from_receiver(generator) {
            let exit_class = builtin_types().exceptions.generator_exit.clone();
            if let Value::Generator(sub) = &receiver {
                if error.is_instance_of(&exit_class) {
                    // Close the delegate, then the delegating generator.
                    if let Err(e) = self.close_generator(sub) {
                        error = e;
                    }
                } else {
                    match self.throw_into_generator(sub, error) {
                        Ok(GeneratorStep::Yielded(v)) => return Ok(GeneratorStep::Yielded(v)),
                        Ok(GeneratorStep::Returned(v)) => {
                            // As CPython does: drop the delegate and go on
                            // after the `yield from`, whose value is `v`.
                            leave_yield_from(generator, send_target);
                            return self.resume_generator(generator, v);
                        }
                        Err(e) => error = e,
                    }
                }
            }
        }
        if !matches!(*generator.state.borrow(), CoroutineState::Suspended { .. }) {
            if generator.is_running() {
                return Err(exception::value_error("generator already executing"));
            }
            // Not started or finished: it dies without running.
            generator.finish();
            return Err(error);
        }
        let stop_depth = self.fiber.frames.len();
        self.fiber.push(Value::None);
        if let Err(e) = self.push_generator_frame(generator, Value::None, ResumedBy::Native) {
            self.fiber.pop().discard();
            return Err(e);
        }
        // The frame resumes right after its `YIELD_VALUE` with the sent
        // value pushed; the exception replaces that value, raised by the
        // `YIELD_VALUE` (so the traceback points at the `yield`).
        self.fiber.pop().discard();
        self.unwind(error, stop_depth)?;
        self.run_generator(generator, stop_depth)
    }

    /// `g.close()`: throw `GeneratorExit` in; fine if it leaves as that (or
    /// the generator returns), an error if the generator yields again.
    pub(crate) fn close_generator(&mut self, generator: &Rc<Coroutine>) -> PyResult<()> {
        let exit_class = builtin_types().exceptions.generator_exit.clone();
        let exit = exception::exception_without_args(exit_class.clone());
        match self.throw_into_generator(generator, exit) {
            Ok(GeneratorStep::Yielded(_)) => {
                Err(exception::runtime_error("generator ignored GeneratorExit"))
            }
            Ok(GeneratorStep::Returned(_)) => Ok(()),
            Err(e)
                if e.is_instance_of(&exit_class)
                    || e.is_instance_of(&builtin_types().exceptions.stop_iteration) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Close the generators freed while paused inside a `try` (see the
    /// `Drop` of `Coroutine`), running their `finally` blocks. An error
    /// there cannot propagate (CPython is inside a destructor): it is
    /// reported on stderr, as CPython's "Exception ignored in" does.
    #[cold]
    #[inline(never)]
    pub(crate) fn close_abandoned_generators(&mut self) {
        while super::object::coroutine::any_abandoned() {
            for generator in super::object::coroutine::take_abandoned() {
                let (closed, value) = if generator.is_generator() {
                    (
                        self.close_generator(&generator),
                        Value::Generator(generator.clone()),
                    )
                } else {
                    (
                        self.close_coroutine(&generator),
                        Value::Coroutine(generator.clone()),
                    )
                };
                if let Err(error) = closed {
                    let shown = self.repr(&value).unwrap_or_default();
                    let report = format!(
                        "Exception ignored in: {shown}\n{}",
                        self.format_unraisable(&error)
                    );
                    self.output.write_stderr(&report);
                }
                // Whatever happened, it is done (and is not queued again).
                generator.finish();
            }
        }
    }

    /// Close what was abandoned, if anything (for the end of a program).
    pub fn finalize_abandoned(&mut self) {
        if super::object::coroutine::any_abandoned() {
            self.close_abandoned_generators();
        }
    }

    /// `FOR_ITER` over a generator: push its frame, or end the loop.
    pub(crate) fn for_iter_generator(
        &mut self,
        generator: &Rc<Coroutine>,
        target: u32,
    ) -> PyResult<Flow> {
        if generator.is_finished() {
            self.fiber.pop().discard();
            return Ok(Flow::Jump(target));
        }
        self.fiber.push(Value::None);
        if let Err(e) =
            self.push_generator_frame(generator, Value::None, ResumedBy::ForIter(target))
        {
            self.fiber.pop().discard();
            return Err(e);
        }
        Ok(Flow::Frame)
    }

    /// `SEND target`: resume the receiver of a `yield from` with the value
    /// on top.
    pub(crate) fn send_op(&mut self, target: u32) -> PyResult<Flow> {
        let receiver = self.fiber.peek(1).clone();
        if let Value::Generator(generator) = &receiver {
            if generator.is_finished() {
                self.fiber.pop().discard();
                self.fiber.pop().discard();
                self.fiber.push(Value::None);
                return Ok(Flow::Jump(target));
            }
            let sent = self.fiber.pop();
            self.fiber.push(Value::None);
            if let Err(e) = self.push_generator_frame(generator, sent, ResumedBy::Send(target)) {
                self.fiber.pop().discard();
                return Err(e);
            }
            return Ok(Flow::Frame);
        }
        let sent = self.fiber.pop();
        let next = if sent.is_none() {
            self.next(&receiver)?
        } else {
            let send = self.get_attr(&receiver, sym::send)?;
            match self.call(&send, &[sent], &[]) {
                Ok(v) => Some(v),
                Err(e) if e.is_instance_of(&builtin_types().exceptions.stop_iteration) => {
                    let value = e.args().items.first().cloned().unwrap_or(Value::None);
                    self.fiber.pop().discard();
                    self.fiber.push(value);
                    return Ok(Flow::Jump(target));
                }
                Err(e) => return Err(e),
            }
        };
        match next {
            Some(v) => {
                self.fiber.push(v);
                Ok(Flow::Next)
            }
            None => {
                self.fiber.pop().discard();
                self.fiber.push(Value::None);
                Ok(Flow::Jump(target))
            }
        }
    }

    /// `GET_YIELD_FROM_ITER`.
    pub(crate) fn get_yield_from_iter(&mut self) -> PyResult<()> {
        let v = self.fiber.pop();
        let it = match &v {
            Value::Generator(g) if !g.is_async_generator() => v,
            Value::Coroutine(_) => {
                return Err(exception::type_error(
                    "cannot 'yield from' a coroutine object in a non-coroutine generator",
                ))
            }
            _ => self.get_iter(&v)?,
        };
        self.fiber.push(it);
        Ok(())
    }

    /// `GET_AITER`: `iterable.__aiter__()`, looked up as any attribute is
    /// (an async generator's own method, or a class's).
    pub(crate) fn get_aiter(&mut self) -> PyResult<()> {
        let v = self.fiber.pop();
        let aiter = match &v {
            Value::Generator(g) if g.is_async_generator() => v,
            _ => {
                let Some(method) = self.lookup_attr(&v, sym::__aiter__)? else {
                    return Err(exception::type_error(format!(
                        "'async for' requires an object with __aiter__ method, got {}",
                        v.type_name()
                    )));
                };
                self.call(&method, &[], &[])?
            }
        };
        self.fiber.push(aiter);
        Ok(())
    }

    /// `GET_ANEXT`: push the awaitable `aiter.__anext__()` returns.
    pub(crate) fn get_anext(&mut self) -> PyResult<()> {
        let aiter = self.fiber.top().clone();
        let awaitable = match &aiter {
            Value::Generator(g) if g.is_async_generator() => {
                self.init_async_gen_hooks(g);
                async_gen_step(g, AsyncGenAction::Send(Value::None))
            }
            _ => {
                let Some(method) = self.lookup_attr(&aiter, sym::__anext__)? else {
                    return Err(exception::type_error(format!(
                        "'async for' requires an iterator with __anext__ method, got {}",
                        aiter.type_name()
                    )));
                };
                let result = self.call(&method, &[], &[])?;
                self.get_awaitable(result).map_err(|_| {
                    exception::type_error(format!(
                        "'async for' received an invalid object from __anext__: {}",
                        aiter.type_name()
                    ))
                })?
            }
        };
        self.fiber.push(awaitable);
        Ok(())
    }

    /// CPython's `async_gen_init_hooks`: an async generator's first
    /// `__anext__()`, `asend()`, `athrow()` or `aclose()` while a loop runs
    /// registers it with that loop (the `firstiter` hook), which will close
    /// it if it is freed unfinished, or still open when the loop shuts down.
    fn init_async_gen_hooks(&mut self, generator: &Rc<Coroutine>) {
        if let Some(event_loop) = self.event_loop.as_mut() {
            if generator.init_finalizer() {
                event_loop.register_async_gen(generator);
            }
        }
    }

    /// `END_ASYNC_FOR`: the loop's `__anext__()` raised `exc`.
    pub(crate) fn end_async_for(&mut self) -> PyResult<()> {
        let exc = self.fiber.pop();
        let Value::Exception(error) = exc else {
            return Err(exception::runtime_error(
                "END_ASYNC_FOR without an exception",
            ));
        };
        if error.is_instance_of(&builtin_types().exceptions.stop_async_iteration) {
            self.fiber.pop().discard();
            return Ok(());
        }
        self.reraising = true;
        Err(error)
    }

    /// `AWAIT` on what `agen.__anext__()` returned: run the async generator
    /// on this task until it yields (the value of the `await`) or ends.
    pub(crate) fn await_async_gen_step(&mut self, step: &Rc<AsyncGenStep>) -> PyResult<Flow> {
        let Some(action) = step.action.borrow_mut().take() else {
            return Err(exception::runtime_error(
                "cannot reuse already awaited __anext__()/asend()",
            ));
        };
        match self.start_async_gen_step(&step.generator, action, false)? {
            StepStart::Resumed => Ok(Flow::Frame),
            StepStart::Throw(error) => Ok(Flow::Throw(error)),
            StepStart::Finished(value) => {
                self.fiber.pop().discard();
                self.fiber.push(value);
                Ok(Flow::Next)
            }
        }
    }

    /// The first `send(None)` of an `__anext__()`/`asend()`/`athrow()`/
    /// `aclose()` awaitable (CPython's `async_gen_asend_send` and
    /// `async_gen_athrow_send` in their first state), with the slot that
    /// receives what the generator yields on top of the stack. `as_task`:
    /// the awaitable is a task's own coroutine, so the generator's frame is
    /// the task's bottom frame, resumed as from Rust ([`ResumedBy::Native`],
    /// the task tells a yield from a return); otherwise an `AWAIT` below
    /// resumes it.
    pub(crate) fn start_async_gen_step(
        &mut self,
        generator: &Rc<Coroutine>,
        action: AsyncGenAction,
        as_task: bool,
    ) -> PyResult<StepStart> {
        let resumed = |by: ResumedBy| if as_task { ResumedBy::Native } else { by };
        let (error, resumed_by) = match action {
            AsyncGenAction::Send(sent) => {
                if generator.is_finished() {
                    return Err(exception::exception_without_args(
                        builtin_types().exceptions.stop_async_iteration.clone(),
                    ));
                }
                self.push_generator_frame(generator, sent, resumed(ResumedBy::Anext))?;
                return Ok(StepStart::Resumed);
            }
            AsyncGenAction::Throw(error) => (error, ResumedBy::Anext),
            AsyncGenAction::Close => (
                exception::exception_without_args(
                    builtin_types().exceptions.generator_exit.clone(),
                ),
                ResumedBy::Aclose,
            ),
        };
        let closing = resumed_by == ResumedBy::Aclose;
        let (created, suspended, running) = {
            let state = generator.state.borrow();
            (
                matches!(*state, CoroutineState::Created(_)),
                matches!(*state, CoroutineState::Suspended { .. }),
                matches!(*state, CoroutineState::Running),
            )
        };
        // CPython's `async_gen_athrow_send`, case by case.
        match () {
            _ if running => {
                return Err(exception::runtime_error(if closing {
                    "aclose(): asynchronous generator is already running"
                } else {
                    "athrow(): asynchronous generator is already running"
                }))
            }
            // Finished: nothing to do.
            _ if !created && !suspended => return Ok(StepStart::Finished(Value::None)),
            // Closed by an earlier aclose() whose GeneratorExit it ignored.
            _ if generator.is_closed() => {
                return Err(exception::exception_without_args(
                    builtin_types().exceptions.stop_async_iteration.clone(),
                ))
            }
            // Never started: it finishes without running.
            _ if created => {
                generator.finish();
                if closing {
                    return Ok(StepStart::Finished(Value::None));
                }
                return Err(error);
            }
            _ => {}
        }
        if closing {
            generator.mark_closed();
        }
        self.push_generator_frame(generator, Value::None, resumed(resumed_by))?;
        // The exception replaces the value the paused `yield` would get.
        self.fiber.pop().discard();
        Ok(StepStart::Throw(error))
    }

    /// `throw(exc)` into an `__anext__()`/`athrow()`/`aclose()` awaitable
    /// that has not started (CPython's `async_gen_athrow_throw`, and
    /// `asend`'s): it goes straight into the generator, at its paused
    /// `yield`, as the task's bottom frame. (The awaitable itself stays
    /// unstarted: CPython 3.11's next `send()` starts it then.)
    pub(crate) fn throw_into_async_gen_task(
        &mut self,
        generator: &Rc<Coroutine>,
        error: PyErr,
    ) -> PyResult<StepStart> {
        let suspended = matches!(*generator.state.borrow(), CoroutineState::Suspended { .. });
        if !suspended {
            if generator.is_running() {
                return Err(exception::value_error("async generator already executing"));
            }
            // Not started or finished: it dies without running.
            generator.finish();
            return Err(error);
        }
        self.push_generator_frame(generator, Value::None, ResumedBy::Native)?;
        self.fiber.pop().discard();
        Ok(StepStart::Throw(error))
    }

    /// Methods of generator objects.
    pub(crate) fn generator_method(
        &mut self,
        generator: &Rc<Coroutine>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let type_name = if generator.is_async_generator() {
            "async_generator"
        } else {
            "generator"
        };
        let count = |min: usize, max: usize| {
            super::methods::arity(type_name, &name.text(), args, kwargs, min, max)
        };
        if generator.is_async_generator() {
            if matches!(
                name,
                sym::__anext__ | sym::asend | sym::athrow | sym::aclose
            ) {
                self.init_async_gen_hooks(generator);
            }
            return Some(match name {
                sym::__aiter__ => count(0, 0).map(|_| Value::Generator(generator.clone())),
                sym::__anext__ => count(0, 0)
                    .map(|_| async_gen_step(generator, AsyncGenAction::Send(Value::None))),
                sym::asend => count(1, 1)
                    .map(|_| async_gen_step(generator, AsyncGenAction::Send(args[0].clone()))),
                sym::athrow => count(1, 3).and_then(|_| {
                    let error = self.exception_to_throw(&args[0])?;
                    Ok(async_gen_step(generator, AsyncGenAction::Throw(error)))
                }),
                sym::aclose => {
                    count(0, 0).map(|_| async_gen_step(generator, AsyncGenAction::Close))
                }
                _ => return None,
            });
        }
        let outcome = match name {
            sym::__iter__ => return Some(count(0, 0).map(|_| Value::Generator(generator.clone()))),
            sym::__next__ => {
                count(0, 0).and_then(|_| self.resume_generator(generator, Value::None))
            }
            sym::send => {
                count(1, 1).and_then(|_| self.resume_generator(generator, args[0].clone()))
            }
            sym::throw => count(1, 3).and_then(|_| {
                let error = self.exception_to_throw(&args[0])?;
                self.throw_into_generator(generator, error)
            }),
            sym::close => {
                return Some(
                    count(0, 0)
                        .and_then(|_| self.close_generator(generator))
                        .map(|_| Value::None),
                )
            }
            _ => return None,
        };
        Some(outcome.and_then(|step| match step {
            GeneratorStep::Yielded(v) => Ok(v),
            GeneratorStep::Returned(v) => Err(stop_iteration_with(v)),
        }))
    }

    /// The exception `g.throw(x)` raises: an instance, or a class called.
    pub(crate) fn exception_to_throw(&mut self, v: &Value) -> PyResult<PyErr> {
        match v {
            Value::Exception(e) => Ok(e.clone()),
            Value::Type(t) if t.is_exception() => match self.call(v, &[], &[])? {
                Value::Exception(e) => Ok(e),
                _ => Err(exception::type_error(
                    "exceptions must be classes or instances deriving from BaseException, not type",
                )),
            },
            other => Err(exception::type_error(format!(
                "exceptions must be classes or instances deriving from BaseException, not {}",
                other.type_name()
            ))),
        }
    }
}

/// `StopIteration(value)`, or a bare `StopIteration` for `None`, as a
/// generator's return raises it.
pub(crate) fn stop_iteration_with(value: Value) -> PyErr {
    if value.is_none() {
        exception::stop_iteration(None)
    } else {
        exception::stop_iteration(Some(value))
    }
}

/// The delegate of a generator paused inside `yield from` (its frame
/// stopped after the `YIELD_VALUE` of a `SEND` loop, the delegate on top of
/// its operands), with the `SEND`'s exit.
fn yield_from_receiver(generator: &Rc<Coroutine>) -> Option<(Value, u32)> {
    let state = generator.state.borrow();
    let CoroutineState::Suspended { slots, ip } = &*state else {
        return None;
    };
    let ops = &generator.function.code.ops;
    let Some(Op::Jump(resume)) = ops.get(*ip as usize) else {
        return None;
    };
    let Some(Op::Send(exit)) = ops.get(*resume as usize) else {
        return None;
    };
    Some((slots.last()?.clone(), *exit))
}

/// Pop the delegate of a paused `yield from` and move past the loop.
fn leave_yield_from(generator: &Rc<Coroutine>, send_target: u32) {
    if let CoroutineState::Suspended { slots, ip } = &mut *generator.state.borrow_mut() {
        slots.pop();
        *ip = send_target;
    }
}

pub(crate) fn async_gen_step(generator: &Rc<Coroutine>, action: AsyncGenAction) -> Value {
    Value::AsyncGenStep(Rc::new(AsyncGenStep::new(generator, action)))
}
