//! The observer: who receives the events, and the VM-side bookkeeping that
//! turns the loop's raw moments into [`Event`]s.
//!
//! The VM holds an `Option<Box<Observation>>`. With none attached, every
//! hook in the event loop is one `is_some()` test at a scheduling point, and
//! the dispatch loop is untouched: line and instruction steps come from the
//! separate instrumented loop (`vm/instrumented.rs`), which the VM switches
//! to only while an observation is attached.

use super::event::{Event, EventKind, TaskRef, Wait};
use crate::event_loop::task::Task;
use crate::vm::Vm;
use rustc_hash::FxHashMap;
use std::rc::Rc;
use std::time::Instant;

/// Receives every event of a run. `vm` is the machine at that moment, for
/// observers that record more than the event (the stepper's snapshots).
pub trait Observer {
    fn event(&mut self, vm: &Vm, event: Event);
}

/// The default step budget: bytecode instructions executed before a run is
/// stopped (ends an infinite loop in well under a second).
pub const DEFAULT_MAX_STEPS: u64 = 2_000_000;

/// A step that holds the loop longer than this (real seconds) is flagged, as
/// asyncio's debug mode flags callbacks slower than
/// `loop.slow_callback_duration`.
pub const SLOW_STEP_SECONDS: f64 = 0.1;

/// An observer attached to a VM, with what the hooks need to remember
/// between events.
pub struct Observation {
    pub observer: Box<dyn Observer>,
    /// Stable task numbers, by the task's address (reassigned at creation,
    /// so a freed task's address reused by a new one gets a new number).
    task_ids: FxHashMap<usize, u64>,
    next_task_id: u64,
    /// What each suspended task waits for (by task number).
    pub(crate) waits: FxHashMap<u64, Wait>,
    /// Futures a timer will finish: `asyncio.sleep`'s (true) and
    /// `wait_for`'s timeout waiters (false), with their deadlines.
    pub(crate) timed_futures: FxHashMap<usize, (bool, f64)>,
    /// When the running step began: real instant, clock reading.
    pub(crate) step_began: Option<(Instant, f64)>,
    /// Instructions executed so far, and the most allowed.
    pub steps: u64,
    pub max_steps: u64,
    /// Whether to report every instruction (the stepper's finest steps).
    pub instructions: bool,
    /// The line last reported: (code object address, line, frame depth,
    /// running task's address).
    pub(crate) last_line: (usize, u32, usize, usize),
}

impl Observation {
    pub fn new(observer: Box<dyn Observer>, max_steps: u64) -> Observation {
        Observation {
            observer,
            task_ids: FxHashMap::default(),
            next_task_id: 0,
            waits: FxHashMap::default(),
            timed_futures: FxHashMap::default(),
            step_began: None,
            steps: 0,
            max_steps,
            instructions: false,
            last_line: (0, 0, 0, 0),
        }
    }

    /// The task's reference, numbering it if it is new.
    pub(crate) fn task_ref(&mut self, task: &Rc<Task>) -> TaskRef {
        let key = Rc::as_ptr(task) as usize;
        let id = match self.task_ids.get(&key) {
            Some(id) => *id,
            None => self.register(task),
        };
        TaskRef {
            id,
            name: task.name().to_string(),
        }
    }

    /// Give a newly created task the next number.
    pub(crate) fn register(&mut self, task: &Rc<Task>) -> u64 {
        self.next_task_id += 1;
        self.task_ids
            .insert(Rc::as_ptr(task) as usize, self.next_task_id);
        self.next_task_id
    }
}

impl Vm {
    /// Attach an observer: from now on the loop reports events to it, and
    /// code runs in the instrumented loop (line events, the step budget).
    pub fn attach_observer(&mut self, observer: Box<dyn Observer>, max_steps: u64) {
        self.observation = Some(Box::new(Observation::new(observer, max_steps)));
    }

    /// Report every instruction too (after [`Vm::attach_observer`]).
    pub fn observe_instructions(&mut self) {
        if let Some(observation) = self.observation.as_deref_mut() {
            observation.instructions = true;
        }
    }

    /// Detach the observer (the run is over); returns it.
    pub fn detach_observer(&mut self) -> Option<Box<dyn Observer>> {
        self.observation.take().map(|o| o.observer)
    }

    /// Hand `kind` to the observer, stamped with the time, the running task
    /// and `line`.
    pub(crate) fn emit(&mut self, line: Option<u32>, kind: EventKind) {
        if self.observation.is_none() {
            return;
        }
        let task = self
            .event_loop
            .as_ref()
            .and_then(|l| l.current_task.as_ref())
            .map(|t| t.name().to_string());
        self.emit_named(task, line, kind);
    }

    /// [`Vm::emit`] for the task named `task`.
    pub(crate) fn emit_named(&mut self, task: Option<String>, line: Option<u32>, kind: EventKind) {
        let Some(mut observation) = self.observation.take() else {
            return;
        };
        let event = Event {
            time: self.clock.now(),
            task,
            line,
            kind,
        };
        observation.observer.event(self, event);
        self.observation = Some(observation);
    }

    /// The line the running task is at (none between steps).
    pub(crate) fn running_line(&self) -> Option<u32> {
        let running = self
            .event_loop
            .as_ref()
            .is_some_and(|l| l.current_task.is_some());
        if running {
            self.fiber.frames.last().map(|f| f.current_line())
        } else {
            None
        }
    }

    /// Run `f` on the observation, if there is one.
    pub(crate) fn with_observation<T>(
        &mut self,
        f: impl FnOnce(&mut Observation) -> T,
    ) -> Option<T> {
        self.observation.as_deref_mut().map(f)
    }
}

impl Vm {
    /// Before each instruction of the instrumented loop: count it against
    /// the budget, and report a new source line.
    pub(crate) fn observe_instruction(
        &mut self,
        code: &Rc<crate::bytecode::code::Code>,
        ip: usize,
    ) -> crate::vm::object::exception::PyResult<()> {
        let depth = self.fiber.frames.len();
        let task = self
            .event_loop
            .as_ref()
            .and_then(|l| l.current_task.as_ref())
            .map_or(0, |t| Rc::as_ptr(t) as usize);
        let Some(observation) = self.observation.as_deref_mut() else {
            return Ok(());
        };
        let line = code.lines.get(ip).copied().unwrap_or(0);
        observation.steps += 1;
        if observation.steps > observation.max_steps {
            let steps = observation.max_steps;
            self.emit(Some(line), EventKind::BudgetExhausted { steps });
            return Err(self.budget_exhausted(steps));
        }
        let key = (Rc::as_ptr(code) as usize, line, depth, task);
        let instructions = observation.instructions;
        if observation.last_line != key {
            observation.last_line = key;
            self.emit(
                Some(line),
                EventKind::Line {
                    function: code.qualname.to_string(),
                },
            );
        }
        if instructions {
            let op = code.ops.get(ip).map_or("", |op| op.name());
            self.emit(
                Some(line),
                EventKind::Instruction {
                    function: code.qualname.to_string(),
                    index: ip as u32,
                    op: op.to_string(),
                },
            );
        }
        Ok(())
    }

    /// The error that ends a run whose budget ran out: like the deadlock
    /// report, no `except` can catch it.
    fn budget_exhausted(&mut self, steps: u64) -> crate::vm::object::exception::PyErr {
        self.fatal = true;
        let class = crate::vm::object::types::builtin_types()
            .exceptions
            .apy_deadlock
            .clone();
        let report = format!(
            "apy: stopped after {steps} steps (bytecode instructions): the program may be in an \
             infinite loop.\nWhat it did until then is shown above; allow more with --max-steps N.\n"
        );
        crate::vm::object::exception::PyException::with_message(class, report)
    }
}
