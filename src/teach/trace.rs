//! `apy trace FILE`: the program's output interleaved with one aligned line
//! per scheduling event — time, task, event, detail, source line — and with
//! `--explain` a plain-English sentence under each; or, with `--json`, the
//! events as JSON lines.

use super::event::{Event, EventKind, Outcome, Resumption, Stream};
use super::explain::{explain, wait_phrase};

/// The event's name and detail columns.
pub fn describe(event: &Event) -> (&'static str, String) {
    match &event.kind {
        EventKind::TaskCreated { target, coroutine } => {
            ("task created", format!("{} for {coroutine}", target.name))
        }
        EventKind::StepStarted { target, resumed } => {
            let how = match resumed {
                Resumption::First => "starts".to_string(),
                Resumption::Closing { generator } => format!("starts: closes {generator}()"),
                Resumption::AfterYield => "resumes after sleep(0)".to_string(),
                Resumption::Woken { by } => format!("resumes: {} done", wait_phrase(by)),
                Resumption::Cancelled => "resumes with CancelledError".to_string(),
                Resumption::Thrown { exception } => format!("resumes with {exception}"),
            };
            ("step", format!("{} {how}", target.name))
        }
        EventKind::Suspended { target, on } => (
            "suspended",
            format!("{} waits for {}", target.name, wait_phrase(on)),
        ),
        EventKind::Yielded { target } => (
            "yielded",
            format!("{} to the back of the queue", target.name),
        ),
        EventKind::TaskDone { target, outcome } => {
            let how = match outcome {
                Outcome::Returned { value } => format!("returned {value}"),
                Outcome::Raised { exception } => format!("raised {exception}"),
                Outcome::Cancelled => "cancelled".to_string(),
            };
            ("task done", format!("{} {how}", target.name))
        }
        EventKind::Woken { target, by } => (
            "wake-up queued",
            format!("{} ({} done)", target.name, wait_phrase(by)),
        ),
        EventKind::CallbackScheduled { callback } => ("callback queued", format!("{callback}()")),
        EventKind::CallbackRun { callback } => ("callback runs", format!("{callback}()")),
        EventKind::AsyncGenFreed { generator } => (
            "agen freed",
            format!("{generator}() unfinished: create_task(aclose()) queued"),
        ),
        EventKind::TimerArmed { when, purpose } => {
            ("timer armed", format!("at {when:.3}: {purpose}"))
        }
        EventKind::TimerFired { when, purpose } => ("timer fired", format!("{when:.3}: {purpose}")),
        EventKind::ClockAdvanced { from, to } => ("clock", format!("{from:.3} -> {to:.3}")),
        EventKind::CancelRequested { target } => ("cancel requested", target.name.clone()),
        EventKind::CancelDelivered { target } => (
            "cancel delivered",
            format!("CancelledError in {}", target.name),
        ),
        EventKind::FutureDone { future, outcome } => {
            ("future done", format!("{}: {outcome}", wait_phrase(future)))
        }
        EventKind::AwaitedCoroutine { function } => {
            ("await coroutine", format!("{function} runs in this task"))
        }
        EventKind::Blocked {
            target, seconds, ..
        } => (
            "BLOCKING",
            // asyncio's debug mode says it this way.
            format!("Executing <Task {}> took {seconds:.3} seconds", target.name),
        ),
        EventKind::BlockingCall { function, seconds } => (
            "BLOCKING CALL",
            format!("{function}({seconds}) stops the whole loop"),
        ),
        EventKind::BudgetExhausted { steps } => ("stopped", format!("after {steps} steps")),
        EventKind::Output { .. } => ("output", String::new()),
        EventKind::Line { function } => ("line", format!("in {function}()")),
        EventKind::Instruction {
            function,
            index,
            op,
        } => ("instruction", format!("{function}() #{index} {op}")),
    }
}

/// The trace as text: events and output in order.
pub fn render_trace(events: &[Event], source: &str, explained: bool) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let task_width = events
        .iter()
        .filter_map(|e| e.task.as_ref().map(|t| t.chars().count()))
        .max()
        .unwrap_or(4)
        .clamp(6, 16);
    let mut out = String::new();
    out.push_str(&format!(
        "{:>7}  {:<task_width$}  {:<16}  {:<44}  line\n",
        "time", "task", "event", "detail"
    ));
    for event in events {
        match &event.kind {
            EventKind::Output { stream, text } => {
                let mark = match stream {
                    Stream::Stdout => "»",
                    Stream::Stderr => "!",
                };
                for line in text.lines() {
                    out.push_str(&format!("{mark} {line}\n"));
                }
                if let (Some(sentence), true) = (explain(event), explained) {
                    out.push_str(&format!("{:>9}{sentence}\n", "= "));
                }
            }
            EventKind::Line { .. } | EventKind::Instruction { .. } => {}
            _ => {
                let (name, detail) = describe(event);
                let task = event.task.as_deref().unwrap_or("loop");
                let place = match event.line {
                    Some(n) if n > 0 => {
                        let text = lines.get(n as usize - 1).map(|l| l.trim()).unwrap_or("");
                        format!("{n:>3}  {text}")
                    }
                    _ => String::new(),
                };
                let row = format!(
                    "{:>7.3}  {task:<task_width$}  {name:<16}  {detail:<44}  {place}",
                    event.time
                );
                out.push_str(row.trim_end());
                out.push('\n');
                if explained {
                    if let Some(sentence) = explain(event) {
                        out.push_str(&format!("{:>9}{sentence}\n", "= "));
                    }
                }
            }
        }
    }
    out
}

/// The events as JSON lines (line events left out unless `lines`).
pub fn render_json(events: &[Event], lines: bool) -> String {
    let mut out = String::new();
    for event in events {
        if matches!(
            event.kind,
            EventKind::Line { .. } | EventKind::Instruction { .. }
        ) && !lines
        {
            continue;
        }
        match serde_json::to_string(event) {
            Ok(json) => {
                out.push_str(&json);
                out.push('\n');
            }
            Err(e) => out.push_str(&format!("{{\"error\":\"{e}\"}}\n")),
        }
    }
    out
}
