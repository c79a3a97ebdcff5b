//! The dispatch loop: the one place bytecode is executed.
//!
//! [`Vm::execute`] runs the current fiber's frames until the frame stack
//! drops back to `stop_depth`. A Python-level call pushes a frame and
//! continues the *same* loop with the callee (`continue 'frames`); a return
//! pops it and continues with the caller. Rust recursion happens only when a
//! built-in calls back into Python code (`sorted(key=f)`, `list(generator)`),
//! and then only for that call. A generator's frame is pushed the same way
//! by `FOR_ITER`, `SEND` or `AWAIT`, and leaves the fiber at each `yield`
//! (`generators.rs`).
//!
//! The loop is split in two for speed. The instructions that dominate real
//! programs — loading and storing locals, small-int arithmetic and
//! comparisons, jumps, `for` over a range or list, calling a plain Python
//! function, returning — are handled right here, with the stack pointer and
//! the value slots kept in local variables (so in registers). Every other
//! instruction, and every uncommon case of a common one (`+` on strings, a
//! call with keywords), goes to [`Vm::slow_op`] in `instructions.rs`, after
//! the stack pointer is written back to the fiber.
//!
//! Errors: an instruction that fails leaves the inner loop with the
//! exception; [`Vm::unwind`] records a traceback entry, looks up the frame's
//! exception table, and either jumps to a handler or pops the frame and
//! tries the caller.

use super::builtins;
use super::call::has_native_methods;
use super::coroutines::{awaited_sleep_delay, module_sleep_delay};
use super::frame::{Frame, FrameKind};
use super::globals::Globals;
use super::object::coroutine::ResumedBy;
use super::object::exception::{self, PyErr, PyResult, TracebackEntry};
use super::object::iterator::IterState;
use super::value::Value;
use super::{Exit, Vm, RECURSION_LIMIT};
use crate::bytecode::code::{Code, CodeKind};
use crate::bytecode::op::{BinaryOpKind, CompareKind, Op};
use crate::event_loop::native::is_no_delay;
use crate::event_loop::native::{Poll, Yielded};
use crate::symbol::sym;
use smallvec::SmallVec;
use std::rc::Rc;
use std::sync::atomic::Ordering;

/// Arguments popped off the stack for a call into Rust.
pub type ArgBuffer = SmallVec<[Value; 6]>;

/// What an out-of-line instruction did to the flow of control.
pub(crate) enum Flow {
    /// Go on with the next instruction.
    Next,
    /// Continue at this instruction.
    Jump(u32),
    /// The frame stack changed (a call pushed a frame): reload the frame.
    Frame,
    /// A coroutine paused: hand what it waits for up to its task.
    Suspend(crate::event_loop::native::Yielded),
    /// A generator yielded: its frame left the fiber, and the value is on
    /// top of the frame below.
    Yielded,
    /// Raise this in the frame now on top (which is not the one that ran
    /// the instruction: `athrow()` throwing into the generator it resumed).
    Throw(PyErr),
}

impl Vm {
    /// Run frames until the frame stack is `stop_depth` deep again; returns
    /// the value the last frame returned.
    pub(crate) fn execute(&mut self, stop_depth: usize) -> PyResult<Exit> {
        if self.observation.is_some() {
            return self.execute_instrumented(stop_depth);
        }
        'frames: loop {
            let frame = self.fiber.frames.last().expect("execute with a frame");
            // SAFETY: the frame holds an `Rc` to its function, which holds
            // its code and globals, for as long as it is on the frame stack,
            // and the pointees never move.
            // Only `RETURN_VALUE` and unwinding pop this frame, and both
            // leave this iteration of the loop (`continue 'frames`/`return`)
            // without touching `code` or `globals` again; calls only push
            // and pop frames above it. Borrowing instead of cloning the
            // `Rc`s saves two counter updates on every call and return.
            let code: &Code = unsafe { &*Rc::as_ptr(frame.code()) };
            let globals: &Globals = unsafe { &*Rc::as_ptr(frame.globals()) };
            let base = frame.base as usize;
            let mut ip = frame.ip as usize;
            let ops = &code.quickened[..];
            let consts = &code.consts[..];

            // Room for everything this frame can push, so the fast paths
            // below push without checks (see `stack.rs` for the invariants).
            let frame_end = base + code.nlocals() + code.max_stack as usize;
            let live = self.fiber.stack.len();
            // (`LOAD_ATTR`'s fast case may need one slot more as scratch.)
            self.fiber
                .stack
                .reserve(frame_end.saturating_sub(live) + code.scratch_slots as usize);
            // The stack pointer and the frame's locals, as raw pointers into
            // the fiber's stack: valid until the next call out of this loop,
            // after which `reload!` derives them again.
            let mut stack_base = self.fiber.stack.base_ptr();
            // SAFETY (all pointer arithmetic in this loop): `live` and `base`
            // are within the stack's allocation, reserved above.
            let mut sp: *mut Value = unsafe { stack_base.add(live) };
            let mut locals: *mut Value = unsafe { stack_base.add(base) };

            /// Hand the stack pointer back to the stack before calling out.
            macro_rules! sync {
                () => {
                    // SAFETY: the loop keeps exactly the slots below `sp`
                    // initialised, and `sp` within the reserved room.
                    unsafe {
                        self.fiber
                            .stack
                            .set_len(sp.offset_from(stack_base) as usize)
                    }
                };
            }
            /// Derive the pointers again after a call out (which may have
            /// grown, so moved, the stack).
            macro_rules! reload {
                () => {
                    stack_base = self.fiber.stack.base_ptr();
                    // SAFETY: as above.
                    unsafe {
                        sp = stack_base.add(self.fiber.stack.len());
                        locals = stack_base.add(base);
                    }
                };
            }
            macro_rules! depth {
                () => {
                    unsafe { sp.offset_from(stack_base) as usize }
                };
            }
            macro_rules! push {
                ($value:expr) => {{
                    let value = $value;
                    debug_assert!(depth!() < frame_end, "push beyond the reserved stack");
                    // SAFETY: below `frame_end`, so within the reserved room,
                    // and uninitialised (above the live values).
                    unsafe {
                        sp.write(value);
                        sp = sp.add(1);
                    }
                }};
            }
            macro_rules! pop {
                () => {{
                    debug_assert!(depth!() > base, "pop below the frame");
                    // SAFETY: the slot below `sp` is live; after the move it
                    // is outside the live part, so it is read exactly once.
                    unsafe {
                        sp = sp.sub(1);
                        Value::read_words(sp)
                    }
                }};
            }
            /// Push a clone of `$value` (a reference) straight into the slot.
            macro_rules! push_clone {
                ($value:expr) => {{
                    let value: &Value = $value;
                    debug_assert!(depth!() < frame_end, "push beyond the reserved stack");
                    // SAFETY: as for `push!`.
                    unsafe {
                        Value::clone_to(value, sp);
                        sp = sp.add(1);
                    }
                }};
            }
            /// Pop the top value and drop it where it is.
            macro_rules! drop_top {
                () => {{
                    debug_assert!(depth!() > base, "pop below the frame");
                    // SAFETY: the slot below `sp` is live; it is dropped once
                    // and left outside the live part.
                    unsafe {
                        sp = sp.sub(1);
                        Value::drop_in_place(sp);
                    }
                }};
            }
            /// The live value `$depth` below the top (0 is the top).
            macro_rules! peek {
                ($depth:expr) => {{
                    debug_assert!(depth!() > base + $depth);
                    // SAFETY: live slot.
                    unsafe { &mut *sp.sub($depth + 1) }
                }};
            }
            /// Local variable `$i` of this frame.
            macro_rules! local {
                ($i:expr) => {{
                    debug_assert!(($i as usize) < code.nlocals());
                    // SAFETY: the compiler gives locals indices below
                    // `nlocals`, and the locals are live.
                    unsafe { &mut *locals.add($i as usize) }
                }};
            }

            /// Drop the frame's locals and callee and return `$result` to the
            /// caller (or out of `execute`, at `stop_depth`).
            macro_rules! return_value {
                ($result:expr) => {{
                    let result = $result;
                    // SAFETY: `base - 1` is the callee slot, live and within
                    // the allocation; every slot from there to `sp` is live
                    // and is dropped exactly once, then the callee slot
                    // takes the result.
                    unsafe {
                        let callee = stack_base.add(base - 1);
                        while sp > callee {
                            sp = sp.sub(1);
                            Value::drop_in_place(sp);
                        }
                        sp.write(result);
                        sp = sp.add(1);
                    }
                    finish_return!()
                }};
            }
            /// `RETURN_VALUE`: return the top of the stack. The result moves
            /// straight from its slot into the callee slot, word by word (see
            /// `Value::move_words`), without a trip through a temporary.
            macro_rules! return_top {
                () => {{
                    // SAFETY: as for `return_value!`; the top slot is live
                    // and moves into the callee slot once everything below
                    // it, down to and including the callee, is dropped.
                    unsafe {
                        let callee = stack_base.add(base - 1);
                        let top = sp.sub(1);
                        sp = top;
                        while sp > callee {
                            sp = sp.sub(1);
                            Value::drop_in_place(sp);
                        }
                        Value::move_words(top, callee);
                        sp = callee.add(1);
                    }
                    finish_return!()
                }};
            }
            /// The result is in the callee slot: pop the frame (in place)
            /// and go on with the caller.
            macro_rules! finish_return {
                () => {{
                    let depth = self.fiber.frames.len() - 1;
                    match &self.fiber.frames[depth].kind {
                        FrameKind::Call => {}
                        FrameKind::Coroutine(coroutine) => {
                            if coroutine.resumed_by.get() == ResumedBy::Await {
                                coroutine.finish();
                            } else {
                                // A generator: its return may go elsewhere.
                                sync!();
                                if self.generator_returned(stop_depth)? {
                                    continue 'frames;
                                }
                            }
                        }
                        FrameKind::Init(_) => {
                            sync!();
                            match self.return_from_init(stop_depth) {
                                Ok(Some(result)) => return Ok(Exit::Returned(result)),
                                Ok(None) => continue 'frames,
                                Err(e) => return Err(e),
                            }
                        }
                    }
                    let frames = &mut self.fiber.frames;
                    frames.truncate(depth);
                    if depth == stop_depth {
                        // The result sits in the callee slot, just below the
                        // finished frame's `base`, so `pop!` (which guards
                        // the frame) does not apply.
                        // SAFETY: the callee slot is live and is read once.
                        let result = unsafe {
                            sp = sp.sub(1);
                            sp.read()
                        };
                        sync!();
                        return Ok(Exit::Returned(result));
                    }
                    sync!();
                    continue 'frames;
                }};
            }

            /// `CALL_METHOD` on an instance of a user class: push the
            /// method's frame, unless it is not a plain function.
            macro_rules! call_instance_method {
                ($name:expr, $argc:expr) => {
                    if let Value::Instance(_) = &*peek!($argc as usize) {
                        sync!();
                        self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                        if self.call_instance_method(code.names[$name as usize], $argc as usize) {
                            continue 'frames;
                        }
                    }
                };
            }

            /// `LOAD_FAST; LOAD_CONST; BINARY_OP` fused, for a small-int
            /// local and constant whose result `$op` gives (`None` when it
            /// is not a small int). Otherwise the caller falls back to the
            /// first instruction on its own.
            macro_rules! local_const_int_op {
                ($local:expr, $konst:expr, $op:expr) => {{
                    if let (Value::Int(a), Value::Int(b)) =
                        (&*local!($local), &consts[$konst as usize])
                    {
                        if let Some(r) = $op(*a, *b) {
                            push!(Value::Int(r));
                            ip += 2;
                            continue;
                        }
                    }
                }};
            }

            /// A call into Rust with at most two positional arguments:
            /// move the arguments and the value below them (the callee or
            /// the receiver) off the stack into locals, run `$call` with
            /// them, and push its result. The values leave the stack first
            /// because the call may run Python code on this fiber, which
            /// can grow (so move) the stack. The same as the general path
            /// (`call_from_stack`, `call_method_from_stack`) without its
            /// trip through `slow_op` and a `CallOutcome`. (`$ops` is the
            /// instruction loop's label, which a macro cannot name itself.)
            macro_rules! call_off_stack {
                ($ops:lifetime, $argc:expr, |$below:ident, $args:ident| $call:expr) => {{
                    let result = match $argc {
                        0 => {
                            let $below = pop!();
                            sync!();
                            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                            let $args: &[Value] = &[];
                            let result = $call;
                            drop($below);
                            result
                        }
                        1 => {
                            let first = pop!();
                            let $below = pop!();
                            sync!();
                            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                            let $args = std::slice::from_ref(&first);
                            let result = $call;
                            drop($below);
                            drop(first);
                            result
                        }
                        _ => {
                            let second = pop!();
                            let first = pop!();
                            let $below = pop!();
                            sync!();
                            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                            let pair = [first, second];
                            let $args = &pair[..];
                            let result = $call;
                            drop($below);
                            drop(pair);
                            result
                        }
                    };
                    reload!();
                    match result {
                        Ok(v) => {
                            push!(v);
                            continue;
                        }
                        Err(e) => break $ops e,
                    }
                }};
            }

            /// The fused `await asyncio.sleep(0)`: replace the callee and
            /// its argument by the marker of a yielded sleep, and pause at
            /// the `AWAIT`.
            macro_rules! sleep0_yield {
                () => {{
                    drop_top!();
                    drop_top!();
                    push!(Value::Undefined);
                    sync!();
                    self.fiber.frames.last_mut().expect("running frame").ip = (ip + 1) as u32;
                    return Ok(Exit::Suspended(Yielded::Bare));
                }};
            }

            /// The fused `await asyncio.sleep(delay)`, without making the
            /// coroutine (see `awaited_sleep_delay`); or nothing, if the
            /// loop is not running or Ctrl-C is pending (the unfused
            /// instructions deal with those).
            macro_rules! awaited_sleep {
                ($delay:expr) => {{
                    let delay: f64 = $delay;
                    if !self.interrupt.load(Ordering::Relaxed) {
                        if is_no_delay(delay) {
                            sleep0_yield!();
                        } else if self.event_loop.is_some() {
                            let future = crate::event_loop::future::Future::new();
                            self.wake_sleeper_later(delay, future.clone());
                            drop_top!();
                            drop_top!();
                            push!(Value::Future(future));
                            // On to the `AWAIT`, which waits for the future.
                            ip += 1;
                            continue;
                        }
                    }
                }};
            }

            let error: PyErr = 'ops: loop {
                debug_assert!(ip < ops.len());
                // SAFETY: `quicken` checked that no instruction falls or
                // jumps past the end of the code, and every `ip` this loop
                // starts from is one of the code's own positions.
                let mut op = unsafe { *ops.get_unchecked(ip) };
                ip += 1;

                // The fast cases: each either finishes the instruction and
                // `continue`s, or falls through to the general path below.
                // A superinstruction that cannot take its fast case falls
                // through as its first original instruction (so the general
                // path runs that one, and the next ones run as usual).
                match op {
                    Op::LoadFastLoadConst { local, konst } => {
                        let v = local!(local);
                        if !matches!(v, Value::Undefined) {
                            push_clone!(v);
                            push_clone!(&consts[konst as usize]);
                            ip += 1;
                            continue;
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::LoadFastLoadFast { first, second } => {
                        let (a, b) = (local!(first), local!(second));
                        if !matches!(a, Value::Undefined) && !matches!(b, Value::Undefined) {
                            push_clone!(a);
                            push_clone!(b);
                            ip += 1;
                            continue;
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::StoreFastLoadFast { store, load } => {
                        if store == load || !matches!(local!(load), Value::Undefined) {
                            let v = pop!();
                            std::mem::replace(local!(store), v).discard();
                            push_clone!(local!(load));
                            ip += 1;
                            continue;
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::LocalConstBinaryOp { local, konst, kind } => {
                        local_const_int_op!(local, konst, |a, b| small_int_op(kind, a, b));
                        op = code.ops[ip - 1];
                    }
                    Op::LocalConstAdd { local, konst } => {
                        local_const_int_op!(local, konst, i64::checked_add);
                        op = code.ops[ip - 1];
                    }
                    Op::LocalConstSubtract { local, konst } => {
                        local_const_int_op!(local, konst, i64::checked_sub);
                        op = code.ops[ip - 1];
                    }
                    Op::LocalConstCompareJumpIfFalse {
                        local,
                        konst,
                        kind,
                        target,
                    }
                    | Op::LocalConstCompareJumpIfTrue {
                        local,
                        konst,
                        kind,
                        target,
                    } => {
                        if let (Value::Int(a), Value::Int(b)) =
                            (&*local!(local), &consts[konst as usize])
                        {
                            let truth = small_int_compare(kind, *a, *b);
                            let jump_if = matches!(op, Op::LocalConstCompareJumpIfTrue { .. });
                            if truth == jump_if {
                                ip = target as usize;
                            } else {
                                ip += 3;
                            }
                            continue;
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::CompareJumpIfFalse { kind, target }
                    | Op::CompareJumpIfTrue { kind, target } => {
                        if let (Value::Int(a), Value::Int(b)) = (&*peek!(1), &*peek!(0)) {
                            let truth = small_int_compare(kind, *a, *b);
                            drop_top!();
                            drop_top!();
                            let jump_if = matches!(op, Op::CompareJumpIfTrue { .. });
                            if truth == jump_if {
                                ip = target as usize;
                            } else {
                                ip += 1;
                            }
                            continue;
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::ReturnFast(local) => {
                        let v = local!(local);
                        if !matches!(v, Value::Undefined) {
                            let v = v.clone();
                            return_value!(v);
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::ReturnConst(konst) => return_value!(consts[konst as usize].clone()),
                    Op::Nop => continue,
                    Op::PopTop => {
                        drop_top!();
                        // A coroutine called without `await` (`work()` as a
                        // statement) is reported here, at its line, as
                        // CPython's reference counting reports it.
                        if crate::event_loop::diagnostics::pending() {
                            sync!();
                            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                            self.flush_diagnostics();
                            reload!();
                        }
                        continue;
                    }
                    Op::LoadConst(i) => {
                        push_clone!(&consts[i as usize]);
                        continue;
                    }
                    Op::LoadFast(i) => {
                        let v = local!(i);
                        if !matches!(v, Value::Undefined) {
                            push_clone!(v);
                            continue;
                        }
                    }
                    Op::StoreFast(i) => {
                        let v = pop!();
                        std::mem::replace(local!(i), v).discard();
                        continue;
                    }
                    Op::LoadGlobal(slot) => {
                        debug_assert!(depth!() < frame_end, "push beyond the reserved stack");
                        // SAFETY: `sp` is in the reserved room and free.
                        if unsafe { globals.clone_to(slot as usize, sp) } {
                            // SAFETY: the slot now holds a live value.
                            sp = unsafe { sp.add(1) };
                            continue;
                        }
                    }
                    Op::BinaryAdd => {
                        if let (Value::Int(a), Value::Int(b)) = (&*peek!(1), &*peek!(0)) {
                            if let Some(r) = a.checked_add(*b) {
                                drop_top!();
                                // SAFETY: overwriting an int, which owns
                                // nothing (so skipping its drop is fine).
                                let top: *mut Value = peek!(0);
                                unsafe { top.write(Value::Int(r)) };
                                continue;
                            }
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::BinaryOp(kind) => {
                        if let (Value::Int(a), Value::Int(b)) = (&*peek!(1), &*peek!(0)) {
                            if let Some(r) = small_int_op(kind, *a, *b) {
                                drop_top!();
                                // SAFETY: overwriting an int, which owns
                                // nothing (so skipping its drop is fine).
                                let top: *mut Value = peek!(0);
                                unsafe { top.write(Value::Int(r)) };
                                continue;
                            }
                        }
                    }
                    Op::CompareOp(kind) => {
                        if let (Value::Int(a), Value::Int(b)) = (&*peek!(1), &*peek!(0)) {
                            let r = small_int_compare(kind, *a, *b);
                            drop_top!();
                            // SAFETY: overwriting an int, which owns nothing.
                            let top: *mut Value = peek!(0);
                            unsafe { top.write(Value::Bool(r)) };
                            continue;
                        }
                    }
                    Op::IsOp(invert) => {
                        let right = pop!();
                        let left = pop!();
                        let r = left.is(&right) != invert;
                        left.discard();
                        right.discard();
                        push!(Value::Bool(r));
                        continue;
                    }
                    Op::Jump(target) => {
                        if (target as usize) < ip && self.interrupt.load(Ordering::Relaxed) {
                            self.interrupt.store(false, Ordering::Relaxed);
                            break 'ops super::keyboard_interrupt();
                        }
                        ip = target as usize;
                        continue;
                    }
                    Op::PopJumpIfFalse(target) => {
                        if let Value::Bool(b) = *peek!(0) {
                            drop_top!();
                            if !b {
                                ip = target as usize;
                            }
                            continue;
                        }
                    }
                    Op::PopJumpIfTrue(target) => {
                        if let Value::Bool(b) = *peek!(0) {
                            drop_top!();
                            if b {
                                ip = target as usize;
                            }
                            continue;
                        }
                    }
                    Op::ForIter(target) => {
                        // Stepping a range or list iterator.
                        let stepped = if let Value::Iterator(it) = &*peek!(0) {
                            match &mut *it.state.borrow_mut() {
                                IterState::Range {
                                    next,
                                    remaining,
                                    step,
                                } => Some(if *remaining > 0 {
                                    let v = *next;
                                    *next = next.wrapping_add(*step);
                                    *remaining -= 1;
                                    Some(Value::Int(v))
                                } else {
                                    None
                                }),
                                IterState::List { list, index } => {
                                    Some(list.items.borrow().get(*index).cloned().inspect(|_| {
                                        *index += 1;
                                    }))
                                }
                                _ => None,
                            }
                        } else {
                            None
                        };
                        match stepped {
                            Some(Some(v)) => {
                                push!(v);
                                continue;
                            }
                            Some(None) => {
                                pop!().discard();
                                ip = target as usize;
                                continue;
                            }
                            None => {}
                        }
                    }
                    Op::BinarySubscr => {
                        if let (Value::List(list), Value::Int(i)) = (&*peek!(1), &*peek!(0)) {
                            // SAFETY: nothing below can reach the list while
                            // the items are borrowed: cloning an item only
                            // raises a reference count.
                            if let Ok(items) = unsafe { list.items.try_borrow_unguarded() } {
                                let len = items.len() as i64;
                                let k = if *i < 0 { *i + len } else { *i };
                                if 0 <= k && k < len {
                                    let item: *const Value = &items[k as usize];
                                    // SAFETY: the index is an int (nothing to
                                    // drop); the list moves out of its slot,
                                    // which takes a clone of the item while
                                    // the list (so the item) is still alive.
                                    unsafe {
                                        sp = sp.sub(1);
                                        let slot = sp.sub(1);
                                        let Value::List(list) = Value::read_words(slot) else {
                                            unreachable!("the slot was matched as a list")
                                        };
                                        (*item).clone_to(slot);
                                        drop(list);
                                    }
                                    continue;
                                }
                            }
                        }
                    }
                    Op::Call(argc) => {
                        // A plain function called with exactly its positional
                        // parameters: the arguments become its first locals.
                        if let Value::Function(f) = &*peek!(argc as usize) {
                            let callee_code = &f.code;
                            // `await f(...)` of an `async def`: the
                            // coroutine would be created only to be started
                            // at once by the `AWAIT` two instructions on, with
                            // no other reference to it. Run its body as a
                            // plain call instead, and return past the `AWAIT`,
                            // which is where its result lands. (Nothing can
                            // observe the coroutine object that is skipped.)
                            let awaited_call = f.kind == CodeKind::Coroutine
                                && matches!(ops.get(ip), Some(Op::GetAwaitable))
                                && matches!(ops.get(ip + 1), Some(Op::Await));
                            if (f.kind == CodeKind::Function || awaited_call)
                                && f.takes_simply(argc)
                                && self.fiber.frames.len() + self.outer_depth < RECURSION_LIMIT
                                && !self.interrupt.load(Ordering::Relaxed)
                            {
                                let has_closure = !f.closure.is_empty();
                                let extra_locals = callee_code.nlocals() - argc as usize;
                                let base = depth!() - argc as usize;
                                // The frame takes over the callee slot's
                                // reference to the function (no new
                                // references to its code and globals); the
                                // slot holds None until the result lands
                                // in it.
                                let Value::Function(function) =
                                    std::mem::replace(peek!(argc as usize), Value::None)
                                else {
                                    unreachable!("the callee was matched as a function")
                                };
                                sync!();
                                let return_ip = if awaited_call { ip + 2 } else { ip };
                                self.fiber.frames.last_mut().expect("running frame").ip =
                                    return_ip as u32;
                                // Fresh locals beyond the arguments start
                                // unbound. (The room for the frame's
                                // operands is reserved on entering it.)
                                if extra_locals > 0 {
                                    self.fiber.stack.push_undefined(extra_locals);
                                }
                                self.fiber.frames.push(Frame {
                                    function,
                                    ip: 0,
                                    base: base as u32,
                                    kind: FrameKind::Call,
                                });
                                if has_closure {
                                    self.copy_closure();
                                }
                                continue 'frames;
                            }
                        } else if let Value::Builtin(f) = *peek!(argc as usize) {
                            // `len()` of a str, list or tuple, computed in
                            // place (CPython 3.11 specializes it too).
                            if argc == 1 && std::ptr::eq(f, &builtins::LEN) {
                                let length = match &*peek!(0) {
                                    Value::Str(s) => Some(s.len()),
                                    Value::List(list) => Some(list.items.borrow().len()),
                                    Value::Tuple(tuple) => Some(tuple.items.len()),
                                    _ => None,
                                };
                                if let Some(length) = length {
                                    drop_top!();
                                    // SAFETY: the callee slot is live and
                                    // holds a `&'static` built-in, which
                                    // owns nothing: overwrite it.
                                    unsafe { sp.sub(1).write(Value::Int(length as i64)) };
                                    continue;
                                }
                            }
                        }
                        // `abs(n)`, `int(s)`: a built-in function or type
                        // (a class of the program is instantiated by the
                        // general path), after the checks `call_from_stack`
                        // makes first.
                        let native = match &*peek!(argc as usize) {
                            Value::Builtin(_) => true,
                            Value::Type(class) => !class.is_main(),
                            _ => false,
                        };
                        if native
                            && argc <= 2
                            && !self.interrupt.load(Ordering::Relaxed)
                            && !super::object::coroutine::any_abandoned()
                        {
                            call_off_stack!('ops, argc, |callee, args| {
                                self.call_native(&callee, args, &[])
                            });
                        }
                    }
                    Op::ReturnValue => return_top!(),
                    // Instances of user classes: `self.x`, `self.x = v`,
                    // `obj.method(...)` (tier 2). These instructions had no
                    // fast case before; the common case skips the general
                    // attribute lookup.
                    Op::LoadAttr(i) => {
                        if let Value::Instance(instance) = &*peek!(0) {
                            // The attribute is cloned straight into the slot
                            // above the instance, then moved down over it
                            // (a returned `Value` would stall on store
                            // forwarding, as `Value::move_words` explains).
                            // A class attribute that is plain data (not a
                            // function to bind) is read the same way.
                            let name = code.names[i as usize];
                            /// Clone into the scratch slot above the top
                            /// (reserved one beyond the frame's maximum).
                            macro_rules! push_scratch {
                                ($value:expr) => {{
                                    debug_assert!(depth!() <= frame_end);
                                    // SAFETY: the slot at `sp` is free and
                                    // within the room reserved on entry.
                                    unsafe {
                                        Value::clone_to($value, sp);
                                        sp = sp.add(1);
                                    }
                                }};
                            }
                            let found = !instance.class.any_properties()
                                && match instance.attrs.borrow().get(&name) {
                                    Some(v) => {
                                        push_scratch!(v);
                                        true
                                    }
                                    None => instance.class.lookup_with(name, |v| {
                                        let plain_data = !matches!(
                                            v,
                                            Value::Function(_) | Value::ClassMember(_)
                                        );
                                        if plain_data {
                                            push_scratch!(v);
                                        }
                                        plain_data
                                    }),
                                };
                            if found {
                                // SAFETY: the two top slots are live: the
                                // instance, then the attribute, which moves
                                // into the instance's slot once it is dropped.
                                unsafe {
                                    let top = sp.sub(1);
                                    let below = sp.sub(2);
                                    Value::drop_in_place(below);
                                    Value::move_words(top, below);
                                    sp = top;
                                }
                                continue;
                            }
                        }
                    }
                    Op::StoreAttr(i) => {
                        if let Value::Instance(instance) = &*peek!(0) {
                            if !instance.class.any_properties() {
                                let obj = pop!();
                                let value = pop!();
                                if let Value::Instance(instance) = obj {
                                    instance.set_own_attr(code.names[i as usize], value);
                                }
                                continue;
                            }
                        }
                    }
                    Op::CallMethod { name, argc } => {
                        call_instance_method!(name, argc);
                        let name = code.names[name as usize];
                        // `xs.append(x)`, in place (as CPython 3.11's
                        // specialized call does): the item moves into the
                        // list, and None replaces the list on the stack.
                        if argc == 1 && name == sym::append && matches!(&*peek!(1), Value::List(_))
                        {
                            let item = pop!();
                            if let Value::List(list) = &*peek!(0) {
                                list.items.borrow_mut().push(item);
                            }
                            std::mem::replace(peek!(0), Value::None).discard();
                            continue;
                        }
                        // `xs.pop()` of a list that is not empty, in place.
                        if argc == 0 && name == sym::pop {
                            if let Value::List(list) = &*peek!(0) {
                                let last = list.items.borrow_mut().pop();
                                if let Some(last) = last {
                                    std::mem::replace(peek!(0), last).discard();
                                    continue;
                                }
                            }
                        }
                        // `s.split(",")`, `d.get(k)`: a method of a
                        // built-in type.
                        if argc <= 2 && has_native_methods(&*peek!(argc as usize)) {
                            call_off_stack!('ops, argc, |receiver, args| {
                                self.call_builtin_method(&receiver, name, args, &[])
                            });
                        }
                    }
                    // `await asyncio.sleep(delay)` without making the
                    // coroutine (see `awaited_sleep_delay`): what its first
                    // step would do, then the `AWAIT` two instructions on.
                    Op::CallMethodAwait { name } => {
                        if let Some(delay) =
                            module_sleep_delay(&*peek!(1), code.names[name as usize], &*peek!(0))
                        {
                            awaited_sleep!(delay);
                        }
                        op = code.ops[ip - 1];
                        call_instance_method!(name, 1);
                    }
                    Op::CallAwait => {
                        if let Some(delay) = awaited_sleep_delay(&*peek!(1), &*peek!(0)) {
                            awaited_sleep!(delay);
                        }
                        op = code.ops[ip - 1];
                    }
                    Op::Copy(n) => {
                        let v: *const Value = peek!(n as usize - 1);
                        // SAFETY: a live slot below the top; `COPY` is
                        // counted in the frame's maximum stack depth.
                        push_clone!(unsafe { &*v });
                        continue;
                    }
                    Op::Swap(n) => {
                        let other: *mut Value = peek!(n as usize - 1);
                        let top: *mut Value = peek!(0);
                        // SAFETY: two live slots of this frame's stack.
                        unsafe { std::ptr::swap(top, other) };
                        continue;
                    }
                    // `await asyncio.sleep(0)`, the task switch, without
                    // leaving the loop until the task must pause.
                    Op::GetAwaitable => {
                        if let Value::NativeCoroutine(native) = &*peek!(0) {
                            if !native.is_started() {
                                continue;
                            }
                        }
                    }
                    Op::Await => {
                        // Resumed after a fused `await asyncio.sleep(0)`.
                        if let Value::Undefined = &*peek!(0) {
                            *peek!(0) = Value::None;
                            continue;
                        }
                        if let Value::NativeCoroutine(native) = &*peek!(0) {
                            match native.poll_sleep0() {
                                Some(Poll::Ready(result)) => {
                                    *peek!(0) = result;
                                    continue;
                                }
                                Some(Poll::Pending(yielded)) => {
                                    sync!();
                                    // On resumption `AWAIT` runs again.
                                    self.fiber.frames.last_mut().expect("running frame").ip =
                                        (ip - 1) as u32;
                                    return Ok(Exit::Suspended(yielded));
                                }
                                None => {}
                            }
                        }
                    }
                    _ => {}
                }

                // The general path: everything else, out of line.
                sync!();
                self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
                let flow = self.slow_op(op, code, globals, base);
                reload!();
                match flow {
                    Ok(Flow::Next) => {}
                    Ok(Flow::Jump(target)) => ip = target as usize,
                    Ok(Flow::Frame) => continue 'frames,
                    Ok(Flow::Suspend(yielded)) => return Ok(Exit::Suspended(yielded)),
                    Ok(Flow::Yielded) => {
                        if self.fiber.frames.len() == stop_depth {
                            return Ok(Exit::Returned(self.fiber.pop()));
                        }
                        continue 'frames;
                    }
                    Ok(Flow::Throw(error)) => {
                        self.unwind(error, stop_depth)?;
                        continue 'frames;
                    }
                    Err(e) => break 'ops e,
                }
            };

            // An instruction raised `error`.
            sync!();
            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
            self.unwind(error, stop_depth)?;
        }
    }

    /// Find a handler for `error`, starting in the current frame. On success
    /// the handler's frame is ready to continue; otherwise every frame above
    /// `stop_depth` has been popped and the error is returned.
    pub(crate) fn unwind(&mut self, mut error: PyErr, stop_depth: usize) -> PyResult<()> {
        let reraise = std::mem::take(&mut self.reraising);
        // A fatal error (the deadlock report) skips every handler.
        let fatal = self.fatal;
        if !reraise {
            self.set_context(&error);
        }
        let mut add_entry = !reraise;
        let mut raised_here = !reraise;
        loop {
            let frame = self.fiber.frames.last_mut().expect("unwinding frame");
            let at = frame.current_instruction();
            if add_entry {
                let code = frame.code().clone();
                let span = match raised_here {
                    true => missing_method_span(&code, at, &error),
                    false => None,
                };
                raised_here = false;
                error.traceback.borrow_mut().push(TracebackEntry {
                    span: span.unwrap_or_else(|| code.spans.get(at).copied().unwrap_or_default()),
                    line: code.line_of(at),
                    code,
                    globals: frame.globals().clone(),
                    locals: Vec::new(),
                });
            }
            add_entry = true;
            if let Some(handler) = frame.code().handler_for(at as u32).filter(|_| !fatal) {
                let depth = frame.base as usize + frame.code().nlocals() + handler.depth as usize;
                frame.ip = handler.handler;
                self.fiber.truncate(depth);
                self.fiber.push(Value::Exception(error));
                return Ok(());
            }
            let frame = self.fiber.frames.pop().expect("unwinding frame");
            // Operands die now; the locals live on in the traceback.
            self.fiber
                .truncate(frame.base as usize + frame.code().nlocals());
            let locals: Vec<Value> = self.fiber.stack.drain_from(frame.base as usize);
            if let Some(entry) = error.traceback.borrow_mut().last_mut() {
                entry.locals = locals;
            }
            self.fiber.truncate(frame.base as usize - 1);
            match &frame.kind {
                FrameKind::Coroutine(coroutine) => {
                    coroutine.finish();
                    if coroutine.is_generator() {
                        self.fiber.handled_exception = coroutine.generator_left();
                    }
                    if coroutine.resumed_by.get() == ResumedBy::Aclose && closed_cleanly(&error) {
                        // `await agen.aclose()` gives None.
                        self.fiber.push(Value::None);
                        return Ok(());
                    }
                }
                FrameKind::Init(_) => self.outer_depth = self.outer_depth.saturating_sub(1),
                FrameKind::Call => {}
            }
            if frame.code().kind != CodeKind::Function {
                error = stop_iteration_out_of_coroutine(error, frame.code().kind);
            }
            if self.fiber.frames.len() == stop_depth {
                return Err(error);
            }
        }
    }

    /// A new exception raised while another is being handled remembers it
    /// as its `__context__` (the "During handling of the above exception"
    /// part of a traceback).
    fn set_context(&self, error: &PyErr) {
        let Some(handled) = &self.fiber.handled_exception else {
            return;
        };
        if Rc::ptr_eq(handled, error) {
            return;
        }
        // Break a cycle the new context would create.
        let mut link = handled.context.borrow().clone();
        while let Some(e) = link {
            if Rc::ptr_eq(&e, error) {
                *handled.context.borrow_mut() = None;
                break;
            }
            link = e.context.borrow().clone();
        }
        *error.context.borrow_mut() = Some(handled.clone());
    }

    /// Put the closure cells of the frame just pushed into its
    /// free-variable slots.
    #[inline(never)]
    fn copy_closure(&mut self) {
        let frame = self.fiber.frames.last().expect("the frame just pushed");
        let function = frame.function.clone();
        let first_free = frame.base as usize + function.code.first_freevar();
        for (i, cell) in function.closure.iter().enumerate() {
            self.fiber.set(first_free + i, cell.clone());
        }
    }

    pub(crate) fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.fiber.len() - n;
        self.fiber.drain_from(at).into_vec()
    }

    /// Resume a paused fiber: with nothing (`send(None)`: the paused `AWAIT`
    /// runs again), or by throwing `exc` in at the paused `AWAIT`.
    pub(crate) fn resume_fiber(&mut self, stop_depth: usize, exc: Option<PyErr>) -> PyResult<Exit> {
        let Some(exc) = exc else {
            return self.execute(stop_depth);
        };
        // The frame's ip points at the `AWAIT`; move past it, so tracebacks
        // and handlers see the exception raised by the `AWAIT`.
        self.fiber.frames.last_mut().expect("a paused frame").ip += 1;
        let awaitable = self.fiber.top().clone();
        let error = match &awaitable {
            Value::NativeCoroutine(native) => {
                use crate::event_loop::native::{Poll, Resume};
                match self.drive_native(native, Resume::Throw(exc)) {
                    Ok(Poll::Ready(v)) => {
                        self.fiber.pop().discard();
                        self.fiber.push(v);
                        return self.execute(stop_depth);
                    }
                    Ok(Poll::Pending(yielded)) => {
                        self.fiber.frames.last_mut().expect("a paused frame").ip -= 1;
                        return Ok(Exit::Suspended(yielded));
                    }
                    Err(e) => e,
                }
            }
            _ => exc,
        };
        self.fiber.pop().discard();
        self.unwind(error, stop_depth)?;
        self.execute(stop_depth)
    }

    /// Put a task's coroutine on its (empty) fiber as the bottom frame.
    pub(crate) fn push_task_frame(
        &mut self,
        coroutine: &Rc<super::object::coroutine::Coroutine>,
    ) -> PyResult<()> {
        let code = &coroutine.function.code;
        // The callee slot, the frame, and any scratch slot `execute`
        // reserves above it: exactly, or `execute` would double the buffer
        // of every task for that one slot.
        self.fiber.stack.reserve_exact(
            1 + code.nlocals() + code.max_stack as usize + code.scratch_slots as usize,
        );
        // The slot below the frame's locals, which gets the return value.
        self.fiber.push(Value::None);
        self.push_coroutine_frame(coroutine)
    }

    /// Push a frame for `function`, whose arguments are already on the stack
    /// starting at `base` (positional, exactly `argcount` of them).
    pub(crate) fn push_simple_frame(
        &mut self,
        function: &Rc<super::object::function::Function>,
        base: usize,
    ) -> PyResult<()> {
        self.check_recursion()?;
        let code = &function.code;
        self.fiber.frames.push(Frame {
            function: function.clone(),
            ip: 0,
            base: base as u32,
            kind: FrameKind::Call,
        });
        let end = base + code.nlocals();
        self.fiber.allocate(end - self.fiber.len());
        let first = base + code.first_freevar();
        for (i, cell) in function.closure.iter().enumerate() {
            self.fiber.set(first + i, cell.clone());
        }
        Ok(())
    }

    /// Start running `coroutine` on top of the current frame (`await coro`):
    /// its prepared locals become a frame whose result replaces the
    /// coroutine on the awaiting frame's stack.
    pub(crate) fn push_coroutine_frame(
        &mut self,
        coroutine: &Rc<super::object::coroutine::Coroutine>,
    ) -> PyResult<()> {
        self.check_recursion()?;
        let Some(locals) = coroutine.start() else {
            return Err(exception::runtime_error(
                "cannot reuse already awaited coroutine",
            ));
        };
        let base = self.fiber.len();
        self.fiber.extend(locals);
        self.fiber.frames.push(Frame {
            function: coroutine.function.clone(),
            ip: 0,
            base: base as u32,
            kind: FrameKind::Coroutine(coroutine.clone()),
        });
        Ok(())
    }

    #[inline(always)]
    pub(crate) fn check_recursion(&self) -> PyResult<()> {
        if self.fiber.frames.len() + self.outer_depth >= RECURSION_LIMIT {
            return Err(exception::recursion_error(
                "maximum recursion depth exceeded",
            ));
        }
        Ok(())
    }
}

/// A `StopIteration` may not leave a coroutine or a generator (PEP 479):
/// it would look like the frame returning. Nor may `StopAsyncIteration`
/// leave an async generator. CPython replaces either with a `RuntimeError`
/// whose cause is the original.
fn stop_iteration_out_of_coroutine(error: PyErr, kind: CodeKind) -> PyErr {
    let exceptions = &exception::exception_types().exceptions;
    let stop_iteration = error.is_instance_of(&exceptions.stop_iteration);
    let stop_async = error.is_instance_of(&exceptions.stop_async_iteration);
    let message = match kind {
        CodeKind::Coroutine if stop_iteration => "coroutine raised StopIteration",
        CodeKind::Generator if stop_iteration => "generator raised StopIteration",
        CodeKind::AsyncGenerator if stop_iteration => "async generator raised StopIteration",
        CodeKind::AsyncGenerator if stop_async => "async generator raised StopAsyncIteration",
        _ => return error,
    };
    let replacement = exception::runtime_error(message);
    *replacement.cause.borrow_mut() = Some(error.clone());
    *replacement.context.borrow_mut() = Some(error);
    replacement.suppress_context.set(true);
    replacement
}

/// Whether an async generator closed by `aclose()` ended as it should.
fn closed_cleanly(error: &PyErr) -> bool {
    let exceptions = &exception::exception_types().exceptions;
    error.is_instance_of(&exceptions.generator_exit)
        || error.is_instance_of(&exceptions.stop_async_iteration)
}

/// `a <op> b` on two small ints when the result is a small int too; `None`
/// sends the operation to the general path (overflow, negative divisors,
/// true division, powers, shifts).
#[inline(always)]
fn small_int_op(kind: BinaryOpKind, a: i64, b: i64) -> Option<i64> {
    match kind {
        BinaryOpKind::Add | BinaryOpKind::InplaceAdd => a.checked_add(b),
        BinaryOpKind::Subtract | BinaryOpKind::InplaceSubtract => a.checked_sub(b),
        BinaryOpKind::Multiply | BinaryOpKind::InplaceMultiply => a.checked_mul(b),
        // Python's % and // round towards negative infinity; for a positive
        // divisor that is Euclidean division.
        BinaryOpKind::Remainder | BinaryOpKind::InplaceRemainder if b > 0 => Some(a.rem_euclid(b)),
        BinaryOpKind::FloorDivide | BinaryOpKind::InplaceFloorDivide if b > 0 => {
            Some(a.div_euclid(b))
        }
        BinaryOpKind::And | BinaryOpKind::InplaceAnd => Some(a & b),
        BinaryOpKind::Or | BinaryOpKind::InplaceOr => Some(a | b),
        BinaryOpKind::Xor | BinaryOpKind::InplaceXor => Some(a ^ b),
        _ => None,
    }
}

#[inline(always)]
fn small_int_compare(kind: CompareKind, a: i64, b: i64) -> bool {
    match kind {
        CompareKind::Less => a < b,
        CompareKind::LessEqual => a <= b,
        CompareKind::Equal => a == b,
        CompareKind::NotEqual => a != b,
        CompareKind::Greater => a > b,
        CompareKind::GreaterEqual => a >= b,
    }
}

/// The `obj.method` span, when `error` is the `AttributeError` of a
/// `CallMethod` at `at` whose method does not exist: CPython's traceback
/// points at the lookup (`LOAD_METHOD`), not at the whole call.
fn missing_method_span(code: &Code, at: usize, error: &PyErr) -> Option<crate::span::Span> {
    let Some(Op::CallMethod { name, .. }) = code.ops.get(at) else {
        return None;
    };
    if !error.is_instance_of(
        &super::object::types::builtin_types()
            .exceptions
            .attribute_error,
    ) {
        return None;
    }
    let method = code.names.get(*name as usize)?;
    match error.get_attr(crate::symbol::sym::name) {
        Some(Value::Str(s)) if s.as_str() == &*method.text() => {}
        _ => return None,
    }
    let index = code
        .method_spans
        .binary_search_by_key(&(at as u32), |(i, _)| *i)
        .ok()?;
    Some(code.method_spans[index].1)
}
