//! What the VM and the event loop report to an observer.
//!
//! Every [`Event`] carries the virtual time, the task that was running (or
//! none: the loop itself), and the source line where it happened, so every
//! view (trace, timeline, stepper) can say *when*, *who* and *where*. The
//! [`EventKind`] says *what*. Events serialise to one JSON object each (the
//! `apy trace --json` format, documented in the README).

use serde::Serialize;

/// One thing that happened during a run.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// Virtual (or real) seconds since the run started.
    pub time: f64,
    /// The task that was running when it happened, `None` for the loop.
    pub task: Option<String>,
    /// The source line it happened at, when there is one.
    pub line: Option<u32>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A task, as events name it: a stable number for this run (tasks can be
/// renamed, and names can repeat) and its name when the event happened.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TaskRef {
    pub id: u64,
    pub name: String,
}

/// What a suspended task waits for.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wait {
    /// `asyncio.sleep(delay)`: a timer finishes its future at `until`.
    Sleep { until: f64 },
    /// Another task.
    Task { task: TaskRef },
    /// The future `gather` returned, finished when all `children` are.
    Gather { children: usize },
    /// `wait_for`'s inner waiter: the awaited thing or the timeout at `until`.
    WaitFor { until: Option<f64> },
    /// A plain future (`loop.create_future()`), finished by whoever holds it.
    Future,
    /// A lock, event, condition or queue: `what` is `Lock lock` (the
    /// variable holding it), `until` what must happen (`to be released`),
    /// `state` how it is now (`locked, 1 more waiting`), `waker` who can
    /// make it happen.
    Primitive {
        what: String,
        until: String,
        state: String,
        waker: String,
    },
}

/// How a task's step began.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resumption {
    /// Its first step: the coroutine's body starts.
    First,
    /// The first step of a task that closes an async generator
    /// (`aclose()`): `GeneratorExit` is thrown in where it paused.
    Closing { generator: String },
    /// It had yielded (`await asyncio.sleep(0)`) and was rescheduled.
    AfterYield,
    /// What it waited for finished.
    Woken { by: Wait },
    /// `CancelledError` is thrown in at its `await`.
    Cancelled,
    /// Another exception is thrown in (the future it awaited failed).
    Thrown { exception: String },
}

/// How a task ended.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Returned { value: String },
    Raised { exception: String },
    Cancelled,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// `create_task` (or `gather`/`ensure_future` wrapping a coroutine):
    /// the task exists and its first step is scheduled; nothing ran yet.
    TaskCreated { target: TaskRef, coroutine: String },
    /// The loop starts one step of `target`.
    StepStarted {
        target: TaskRef,
        resumed: Resumption,
    },
    /// The step ended with the task paused at an `await`.
    Suspended { target: TaskRef, on: Wait },
    /// The step ended with `await asyncio.sleep(0)`: the task goes to the
    /// back of the ready queue at once.
    Yielded { target: TaskRef },
    /// The step ended with the task finished.
    TaskDone { target: TaskRef, outcome: Outcome },
    /// What `target` waited for is done: its wake-up is scheduled.
    Woken { target: TaskRef, by: Wait },
    /// A plain callback (`call_soon`, `call_later`, `add_done_callback`)
    /// was put on the ready queue.
    CallbackScheduled { callback: String },
    /// The loop ran that callback.
    CallbackRun { callback: String },
    /// An async generator was freed before it finished: the loop's
    /// finalizer hook queued `loop.create_task(agen.aclose())`, to run its
    /// cleanup in a task of its own.
    AsyncGenFreed { generator: String },
    /// A timer was set to fire at `when`.
    TimerArmed { when: f64, purpose: String },
    /// A timer's deadline came: its work moves to the ready queue.
    TimerFired { when: f64, purpose: String },
    /// Nothing was ready, so the clock moved to the next deadline.
    ClockAdvanced { from: f64, to: f64 },
    /// `task.cancel()` was called on `target`.
    CancelRequested { target: TaskRef },
    /// `CancelledError` is raised inside `target` at its `await`.
    CancelDelivered { target: TaskRef },
    /// A future (not a task) got its result, exception or cancellation.
    FutureDone { future: Wait, outcome: String },
    /// The program wrote to standard output or standard error.
    Output { stream: Stream, text: String },
    /// A step of `target` held the loop for `seconds` (a blocking call such
    /// as `time.sleep`, or a long computation): no other task could run.
    Blocked {
        target: TaskRef,
        seconds: f64,
        real: bool,
    },
    /// `await coro()`: the coroutine runs inside the running task, like a
    /// function call (no new task).
    AwaitedCoroutine { function: String },
    /// A call that blocks the whole loop (`time.sleep`) inside a task.
    BlockingCall { function: String, seconds: f64 },
    /// Execution reached a new source line (only when instrumented).
    Line { function: String },
    /// The next instruction to run (only when instructions are reported).
    Instruction {
        function: String,
        index: u32,
        op: String,
    },
    /// The run stopped: the step budget ran out.
    BudgetExhausted { steps: u64 },
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Event {
    /// The task this event is about: its subject, or else the running task.
    pub fn subject(&self) -> Option<&TaskRef> {
        match &self.kind {
            EventKind::TaskCreated { target, .. }
            | EventKind::StepStarted { target, .. }
            | EventKind::Suspended { target, .. }
            | EventKind::Yielded { target }
            | EventKind::TaskDone { target, .. }
            | EventKind::Woken { target, .. }
            | EventKind::CancelRequested { target }
            | EventKind::CancelDelivered { target }
            | EventKind::Blocked { target, .. } => Some(target),
            _ => None,
        }
    }

    /// Whether the event is about scheduling (what `apy trace` lists),
    /// rather than output or line steps.
    pub fn is_scheduling(&self) -> bool {
        !matches!(
            self.kind,
            EventKind::Output { .. } | EventKind::Line { .. } | EventKind::Instruction { .. }
        )
    }
}
