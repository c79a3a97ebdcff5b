//! What the stepper shows at one moment of a recorded run: the task table,
//! the ready queue in order, the timer heap by deadline, and the running
//! frame stack with its locals — copied out of the VM when the event
//! happened, so the student can go back to it later.

use crate::event_loop::future::Waitable;
use crate::event_loop::handle::{DoneCallback, HandleAction, Job, TimerAction};
use crate::event_loop::task::Task;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The loop's part, which changes only at scheduling events: line and
    /// instruction steps share the one before them.
    pub loop_state: std::sync::Arc<LoopState>,
    /// The running code's frames, innermost last (at most
    /// [`MAX_FRAMES`] of the innermost).
    pub frames: Vec<FrameRow>,
}

#[derive(Clone, Debug, Default)]
pub struct LoopState {
    pub tasks: Vec<TaskRow>,
    /// The ready queue, first to run first.
    pub ready: Vec<String>,
    /// Armed timers, earliest first: (deadline, what it does).
    pub timers: Vec<(f64, String)>,
}

#[derive(Clone, Debug)]
pub struct TaskRow {
    pub name: String,
    /// running, ready, waiting or done.
    pub state: &'static str,
    pub awaiting: String,
    pub line: Option<u32>,
    /// When it entered this state (virtual time).
    pub since: f64,
}

#[derive(Clone, Debug)]
pub struct FrameRow {
    pub function: String,
    pub line: u32,
    pub locals: Vec<(String, String)>,
}

/// Longest text shown for one local's value.
const VALUE_WIDTH: usize = 40;

/// Most frames copied (deep recursion shows its innermost calls).
pub const MAX_FRAMES: usize = 12;

/// The running code's frames and their locals.
pub fn frames_of(vm: &Vm) -> Vec<FrameRow> {
    let frames = &vm.fiber.frames;
    frames[frames.len().saturating_sub(MAX_FRAMES)..]
        .iter()
        .map(|frame| {
            let base = frame.base as usize;
            let locals = frame
                .code()
                .varnames
                .iter()
                .enumerate()
                .filter(|(i, _)| base + i < vm.fiber.len())
                .filter_map(|(i, name)| {
                    let value = vm.fiber.get(base + i);
                    let shown = brief(value)?;
                    Some((name.to_string(), shown))
                })
                .collect();
            FrameRow {
                function: frame.code().qualname.to_string(),
                line: frame.current_line(),
                locals,
            }
        })
        .collect()
}

impl LoopState {
    pub fn take(vm: &Vm) -> LoopState {
        let mut snapshot = LoopState::default();
        let Some(event_loop) = vm.event_loop.as_ref() else {
            return snapshot;
        };
        let running = event_loop.current_task.clone();
        let timers: Vec<_> = {
            let mut timers: Vec<_> = event_loop.armed_timers().collect();
            timers.sort_by(|a, b| a.when.total_cmp(&b.when).then(a.seq.cmp(&b.seq)));
            timers
        };
        let tasks: Vec<Rc<Task>> = event_loop.live_tasks().collect();
        let waiter_of = |future: &Rc<crate::event_loop::future::Future>| {
            tasks
                .iter()
                .find(|t| {
                    matches!(&t.fut_waiter.get(), Some(Waitable::Future(f)) if Rc::ptr_eq(f, future))
                })
                .map(|t| t.name().to_string())
        };
        for task in &tasks {
            let is_running = running.as_ref().is_some_and(|r| Rc::ptr_eq(r, task));
            let waiter = task.fut_waiter.get();
            let (state, awaiting) = if task.core.done() {
                ("done", String::new())
            } else if is_running {
                ("running", String::new())
            } else if let Some(waited) = waiter {
                let awaiting = match crate::event_loop::sync_describe::primitive_wait_of(task) {
                    Some(wait) => wait.phrase(),
                    None => describe_waited(&waited, &timers),
                };
                ("waiting", awaiting)
            } else {
                ("ready", String::new())
            };
            let line = if is_running {
                vm.fiber.frames.last().map(|f| f.current_line())
            } else {
                task.fiber.borrow().frames.last().map(|f| f.current_line())
            };
            if let Value::NativeCoroutine(_) = task.coro {
                continue;
            }
            snapshot.tasks.push(TaskRow {
                name: task.name().to_string(),
                state,
                awaiting,
                line,
                since: 0.0,
            });
        }
        snapshot.ready = event_loop
            .ready_jobs()
            .map(|job| describe_job(job, &waiter_of))
            .collect();
        snapshot.timers = timers
            .iter()
            .map(|t| {
                let what = match &t.action {
                    TimerAction::WakeSleeper(f) => match waiter_of(f) {
                        Some(name) => format!("end {name}'s sleep"),
                        None => "end a sleep".to_string(),
                    },
                    TimerAction::Handle(h) => match &h.action {
                        HandleAction::Call { callback, .. } => {
                            format!("call {}()", name_of(callback))
                        }
                        HandleAction::ReleaseWaiter(_, of) => of.label().to_string(),
                        HandleAction::AsCompletedTimeout(_) => "as_completed timeout".to_string(),
                        HandleAction::TimeoutExpired(_) => "timeout() deadline".to_string(),
                    },
                };
                (t.when, what)
            })
            .collect();
        snapshot
    }
}

impl LoopState {
    /// The loop reports a step's end before it updates the task (a
    /// suspended task's waiter is set just after): show the task as the
    /// event says it is.
    pub fn apply(&mut self, event: &crate::teach::event::Event) {
        use crate::teach::event::EventKind;
        let Some(target) = event.subject() else {
            return;
        };
        let Some(row) = self.tasks.iter_mut().find(|t| t.name == target.name) else {
            return;
        };
        match &event.kind {
            EventKind::Suspended { on, .. } => {
                row.state = "waiting";
                row.awaiting = crate::teach::explain::wait_phrase(on);
                row.line = event.line.or(row.line);
            }
            EventKind::Yielded { .. } => {
                row.state = "ready";
                row.line = event.line.or(row.line);
            }
            EventKind::TaskDone { .. } => row.state = "done",
            EventKind::StepStarted { .. } => {
                row.state = "running";
                row.awaiting.clear();
            }
            _ => {}
        }
    }
}

fn describe_waited(waited: &Waitable, timers: &[&crate::event_loop::handle::Timer]) -> String {
    match waited {
        Waitable::Task(t) => format!("task {}", t.name()),
        Waitable::Future(f) => {
            if f.is_gather() {
                return "gather()".to_string();
            }
            for timer in timers {
                match &timer.action {
                    TimerAction::WakeSleeper(s) if Rc::ptr_eq(s, f) => {
                        return format!("sleep until {:.3}", timer.when)
                    }
                    TimerAction::Handle(h) => {
                        if let HandleAction::ReleaseWaiter(w, _) = &h.action {
                            if Rc::ptr_eq(w, f) {
                                return format!("wait_for (timeout {:.3})", timer.when);
                            }
                        }
                    }
                    _ => {}
                }
            }
            "a Future".to_string()
        }
    }
}

fn describe_job(
    job: &Job,
    waiter_of: &dyn Fn(&Rc<crate::event_loop::future::Future>) -> Option<String>,
) -> String {
    match job {
        Job::Step(task, None) => format!("step {}", task.name()),
        Job::Step(task, Some(_)) => format!("step {} (with an exception)", task.name()),
        Job::DoneCallback(callback, _) => match callback {
            DoneCallback::Wakeup(task) => format!("wake {}", task.name()),
            DoneCallback::Python(callable) => format!("call {}()", name_of(callable)),
            DoneCallback::GatherChild(_) => "gather: count a finished child".to_string(),
            DoneCallback::ReleaseWaiter(_) => "wait_for: release the waiter".to_string(),
            DoneCallback::StopLoop => "stop the loop (main task done)".to_string(),
            DoneCallback::WaitCompletion(_) => "wait: count a finished future".to_string(),
            DoneCallback::ShieldInner(_) => "shield: pass the outcome on".to_string(),
            DoneCallback::ShieldOuter(_) => "shield: forget the inner future".to_string(),
            DoneCallback::AsCompleted(_) => "as_completed: queue a finished future".to_string(),
            DoneCallback::TaskGroupChildDone(_) => "TaskGroup: a child finished".to_string(),
        },
        Job::Handle(handle) => match &handle.action {
            HandleAction::Call { callback, .. } => format!("call {}()", name_of(callback)),
            HandleAction::ReleaseWaiter(_, of) => of.label().to_string(),
            HandleAction::AsCompletedTimeout(_) => "as_completed timeout".to_string(),
            HandleAction::TimeoutExpired(_) => "timeout() deadline".to_string(),
        },
        Job::FinalizeAsyncGen(generator) => {
            format!(
                "create a task to close {}() (freed unfinished)",
                generator.qualname()
            )
        }
        Job::WakeSleeper(future) => match waiter_of(future) {
            Some(name) => format!("end {name}'s sleep"),
            None => "end a sleep".to_string(),
        },
    }
}

fn name_of(callable: &Value) -> String {
    match callable {
        Value::Function(f) => f.qualname().to_string(),
        Value::Builtin(b) => b.name.to_string(),
        other => other.type_name().to_string(),
    }
}

/// A short, side-effect-free rendering of a value (no Python code runs:
/// the stepper only looks). `None` for an unbound local.
fn brief(value: &Value) -> Option<String> {
    let text = match value {
        Value::Undefined => return None,
        Value::None => "None".to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::BigInt(i) => i.to_string(),
        Value::Str(s) => format!("{:?}", s.as_str()),
        Value::List(l) => {
            let items = l.items.borrow();
            let shown: Vec<String> = items.iter().take(8).filter_map(brief).collect();
            let more = if items.len() > 8 { ", ..." } else { "" };
            format!("[{}{more}]", shown.join(", "))
        }
        Value::Task(t) => format!("<Task {}>", t.name()),
        Value::Function(f) => format!("<function {}>", f.qualname()),
        Value::Coroutine(c) => format!("<coroutine {}>", c.qualname()),
        Value::Cell(_) => "<cell>".to_string(),
        other => format!("<{}>", other.type_name()),
    };
    Some(if text.chars().count() > VALUE_WIDTH {
        let cut: String = text.chars().take(VALUE_WIDTH - 3).collect();
        format!("{cut}...")
    } else {
        text
    })
}
