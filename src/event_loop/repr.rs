//! How futures, tasks, the loop and handles print, as in CPython 3.11:
//! `<Task pending name='Task-2' coro=<worker() running at prog.apy:5>
//! wait_for=<Future pending cb=[Task.task_wakeup()]>>`.

use super::future::{FutureCore, FutureState};
use super::handle::{DoneCallback, HandleAction};
use crate::vm::object::exception::PyResult;
use crate::vm::value::Value;
use crate::vm::Vm;

impl Vm {
    pub(crate) fn asyncio_repr(&mut self, v: &Value) -> PyResult<String> {
        Ok(match v {
            Value::Future(f) => format!("<Future {}>", self.future_info(&f.core, None)?),
            Value::Task(t) => {
                let state = state_name(&t.core);
                let (coro, file, line) = t.coro_description();
                let coro = if t.core.done() {
                    coro_text(&coro, &file, line, "done, defined at")
                } else {
                    let running = t
                        .fiber
                        .borrow()
                        .frames
                        .last()
                        .map(|f| (f.code().source.name.clone(), f.current_line()));
                    match running {
                        Some((at, line)) if !file.is_empty() => {
                            coro_text(&coro, &at, line, "running at")
                        }
                        _ => coro_text(&coro, &file, line, "running at"),
                    }
                };
                let mut text = format!("<Task {state} name='{}' coro={coro}", t.name());
                let details = self.future_info(&t.core, Some(state))?;
                if let Some(rest) = details.strip_prefix(state) {
                    text.push_str(rest);
                }
                if let Some(waiter) = &t.fut_waiter.get() {
                    text.push_str(" wait_for=");
                    text.push_str(&self.asyncio_repr(&waiter.to_value())?);
                }
                text.push('>');
                text
            }
            Value::Loop(_) => format!(
                "<_UnixSelectorEventLoop running={} closed={} debug=False>",
                if self.event_loop.is_some() {
                    "True"
                } else {
                    "False"
                },
                if self.event_loop.is_some() {
                    "False"
                } else {
                    "True"
                },
            ),
            Value::Handle(h) => {
                let callback = match &h.action {
                    HandleAction::Call { callback, .. } => format!("{}()", callable_name(callback)),
                    HandleAction::ReleaseWaiter(..) => "_release_waiter()".to_string(),
                    HandleAction::AsCompletedTimeout(_) => {
                        "as_completed.<locals>._on_timeout()".to_string()
                    }
                    HandleAction::TimeoutExpired(_) => "Timeout._on_timeout()".to_string(),
                };
                let cancelled = if h.cancelled() { " cancelled" } else { "" };
                match h.when {
                    Some(when) => format!("<TimerHandle{cancelled} when={when} {callback}>"),
                    None => format!("<Handle{cancelled} {callback}>"),
                }
            }
            _ => String::new(),
        })
    }

    /// `pending cb=[...]`, `finished result=1`, `cancelled`.
    fn future_info(&mut self, core: &FutureCore, _task_state: Option<&str>) -> PyResult<String> {
        let mut text = state_name(core).to_string();
        match core.state() {
            FutureState::Pending => {
                let callbacks: Vec<String> = core
                    .callbacks
                    .get()
                    .iter()
                    .map(|c| match c {
                        DoneCallback::Wakeup(_) => "Task.task_wakeup()".to_string(),
                        DoneCallback::Python(f) => format!("{}()", callable_name(f)),
                        DoneCallback::GatherChild(_) => {
                            "gather.<locals>._done_callback()".to_string()
                        }
                        DoneCallback::ReleaseWaiter(_) => "_release_waiter()".to_string(),
                        DoneCallback::StopLoop => "_run_until_complete_cb()".to_string(),
                        DoneCallback::WaitCompletion(_) => {
                            "_wait.<locals>._on_completion()".to_string()
                        }
                        DoneCallback::ShieldInner(_) => {
                            "shield.<locals>._inner_done_callback()".to_string()
                        }
                        DoneCallback::ShieldOuter(_) => {
                            "shield.<locals>._outer_done_callback()".to_string()
                        }
                        DoneCallback::AsCompleted(_) => {
                            "as_completed.<locals>._on_completion()".to_string()
                        }
                        DoneCallback::TaskGroupChildDone(_) => {
                            "TaskGroup._on_task_done()".to_string()
                        }
                    })
                    .collect();
                if !callbacks.is_empty() {
                    text.push_str(&format!(" cb=[{}]", callbacks.join(", ")));
                }
            }
            FutureState::Finished => match core.peek_exception() {
                Some(e) => {
                    text.push_str(" exception=");
                    text.push_str(&self.repr(&Value::Exception(e))?);
                }
                None => {
                    if let Ok(result) = core.result() {
                        text.push_str(" result=");
                        text.push_str(&self.repr(&result)?);
                    }
                }
            },
            FutureState::Cancelled => {}
        }
        Ok(text)
    }
}

/// How a task shows its coroutine, from [`Task::coro_description`]:
/// `<main() done, defined at x.apy:3>`, `<main() running at x.apy:5>`; just
/// `<name()>` for one with no code of its own (an async generator's
/// `aclose()` awaitable, whose file is left empty), as CPython's
/// `_format_coroutine` shows it.
///
/// [`Task::coro_description`]: super::task::Task::coro_description
pub(crate) fn coro_text(coro: &str, file: &str, line: u32, how: &str) -> String {
    if file.is_empty() {
        format!("<{coro}()>")
    } else {
        format!("<{coro}() {how} {file}:{line}>")
    }
}

fn state_name(core: &FutureCore) -> &'static str {
    match core.state() {
        FutureState::Pending => "pending",
        FutureState::Finished => "finished",
        FutureState::Cancelled => "cancelled",
    }
}

fn callable_name(v: &Value) -> String {
    match v {
        Value::Function(f) => f.qualname().to_string(),
        Value::Builtin(b) => b.name.to_string(),
        other => other.type_name().to_string(),
    }
}
