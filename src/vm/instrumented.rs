//! The instrumented dispatch loop, used only while an observer is attached
//! (`apy trace`, `apy step`, `apy timeline`).
//!
//! It runs the plain (unquickened) instructions one at a time through the
//! general path ([`Vm::slow_op`]), and before each one tells the observer
//! where execution is: that gives line and instruction steps, and a step
//! budget that ends an infinite loop. Keeping it separate leaves the fast
//! loop in `interp.rs` without a single extra test when nobody observes.

use super::frame::FrameKind;
use super::interp::Flow;
use super::object::exception::PyResult;
use super::{Exit, Vm};
use crate::bytecode::op::Op;

impl Vm {
    #[cold]
    #[inline(never)]
    pub(crate) fn execute_instrumented(&mut self, stop_depth: usize) -> PyResult<Exit> {
        loop {
            let frame = self.fiber.frames.last().expect("execute with a frame");
            let code = frame.code().clone();
            let globals = frame.globals().clone();
            let base = frame.base as usize;
            let ip = frame.ip as usize;
            let op = code.ops[ip];
            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32 + 1;
            let flow = match self.observe_instruction(&code, ip) {
                Err(e) => Err(e),
                Ok(()) if self.interrupt_pending() => Err(self.take_interrupt()),
                Ok(()) if matches!(op, Op::ReturnValue) && self.returning_from_generator() => {
                    // The result goes into the slot below the frame, where
                    // the fast loop's return leaves it.
                    let result = self.fiber.pop();
                    let base = self.fiber.frames.last().expect("returning frame").base as usize;
                    self.fiber.truncate(base);
                    let slot = base - 1;
                    self.fiber.set(slot, result);
                    match self.generator_returned(stop_depth) {
                        Ok(true) => Ok(Flow::Frame),
                        Ok(false) => {
                            let result = self.fiber.pop();
                            self.fiber.frames.pop();
                            if self.fiber.frames.len() == stop_depth {
                                return Ok(Exit::Returned(result));
                            }
                            self.fiber.push(result);
                            Ok(Flow::Frame)
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(()) if matches!(op, Op::ReturnValue) => {
                    let result = self.fiber.pop();
                    let frame = self.fiber.frames.pop().expect("returning frame");
                    self.fiber.truncate(frame.base as usize - 1);
                    if let FrameKind::Coroutine(coroutine) = &frame.kind {
                        coroutine.finish();
                    }
                    self.fiber.push(result);
                    let checked = match frame.kind {
                        FrameKind::Init(instance) => self.finish_init(instance),
                        _ => Ok(()),
                    };
                    if self.fiber.frames.len() == stop_depth {
                        let result = self.fiber.pop();
                        return checked.map(|()| Exit::Returned(result));
                    }
                    checked.map(|()| Flow::Frame)
                }
                Ok(()) => self.slow_op(op, &code, &globals, base),
            };
            if matches!((op, &flow), (Op::Await, Ok(Flow::Frame))) {
                self.observe_coroutine_awaited();
            }
            // A coroutine dropped unawaited is reported at once, at the line
            // that dropped it, as CPython's reference counting does (the
            // fast loop reports it when the loop regains control).
            if crate::event_loop::diagnostics::pending() {
                self.flush_diagnostics();
            }
            // Likewise an async generator freed unfinished: the loop hears
            // of it (and shows it) at that line.
            self.hand_freed_async_gens_to_loop();
            match flow {
                Ok(Flow::Next) | Ok(Flow::Frame) => {}
                Ok(Flow::Jump(target)) => {
                    self.fiber.frames.last_mut().expect("running frame").ip = target;
                }
                Ok(Flow::Suspend(yielded)) => return Ok(Exit::Suspended(yielded)),
                Ok(Flow::Yielded) => {
                    if self.fiber.frames.len() == stop_depth {
                        return Ok(Exit::Returned(self.fiber.pop()));
                    }
                }
                Ok(Flow::Throw(error)) => self.unwind(error, stop_depth)?,
                Err(error) => self.unwind(error, stop_depth)?,
            }
        }
    }

    /// Whether the running frame is a generator's (whose return may not go
    /// to the frame below).
    fn returning_from_generator(&self) -> bool {
        matches!(
            &self.fiber.frames.last().expect("a frame").kind,
            FrameKind::Coroutine(c) if c.resumed_by.get() != super::object::coroutine::ResumedBy::Await
        )
    }
}
