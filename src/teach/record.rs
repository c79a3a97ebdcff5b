//! Recording a run: every event in order, the program's output among them.
//!
//! A [`Recorder`] is the observer; a [`RecordingOutput`] is the program's
//! standard output and error. Both append to one shared [`Recording`], so
//! the output lands between the events exactly where it was written, with
//! the time, task and line of the moment.

use super::event::{Event, EventKind, Stream};
use super::observer::Observer;
use super::step::snapshot::{frames_of, LoopState, Snapshot};
use crate::event_loop::clock::ClockKind;
use crate::vm::output::Output;
use crate::vm::Vm;
use crate::Interpreter;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Everything a run reported, in order.
#[derive(Default)]
pub struct Recording {
    pub events: Vec<Event>,
    /// The time, running task and line of the latest event.
    time: f64,
    task: Option<String>,
    line: Option<u32>,
    /// The latest line each task ran (by name), for events that have none.
    last_line: HashMap<String, u32>,
    /// Whether to copy the loop's state at every event (the stepper does).
    pub take_snapshots: bool,
    /// Parallel to `events`: the state at each event, when taken.
    pub snapshots: Vec<Option<Snapshot>>,
    /// When each task (by name) last changed state.
    since: HashMap<String, f64>,
    /// The loop's state at the latest scheduling event.
    loop_state: Option<std::sync::Arc<LoopState>>,
}

impl Recording {
    fn push(&mut self, mut event: Event) {
        if let EventKind::Line { .. } = event.kind {
            if let (Some(task), Some(line)) = (&event.task, event.line) {
                self.last_line.insert(task.clone(), line);
            }
        }
        // A finished task's last line is its implicit `return` (the `def`
        // line): not worth showing.
        if event.line.is_none()
            && !matches!(
                event.kind,
                EventKind::TaskDone { .. } | EventKind::Blocked { .. }
            )
        {
            let subject = event
                .subject()
                .map(|t| t.name.clone())
                .or(event.task.clone());
            if let Some(name) = subject {
                event.line = self.last_line.get(&name).copied();
            }
        }
        self.time = event.time;
        self.task = event.task.clone();
        if event.line.is_some() {
            self.line = event.line;
        }
        self.events.push(event);
        self.snapshots.push(None);
    }
}

/// The observer half: puts each event into the recording.
pub struct Recorder(pub Rc<RefCell<Recording>>);

impl Observer for Recorder {
    fn event(&mut self, vm: &Vm, event: Event) {
        let mut recording = self.0.borrow_mut();
        let snapshot = if recording.take_snapshots {
            if event.is_scheduling() || recording.loop_state.is_none() {
                let mut state = LoopState::take(vm);
                state.apply(&event);
                if let Some(target) = event.subject() {
                    recording.since.insert(target.name.clone(), event.time);
                }
                for row in &mut state.tasks {
                    row.since = recording.since.get(&row.name).copied().unwrap_or(0.0);
                }
                recording.loop_state = Some(std::sync::Arc::new(state));
            }
            Some(Snapshot {
                loop_state: recording.loop_state.clone().unwrap_or_default(),
                frames: frames_of(vm),
            })
        } else {
            None
        };
        recording.push(event);
        if let Some(last) = recording.snapshots.last_mut() {
            *last = snapshot;
        }
    }
}

/// The output half: the program's writes become `Output` events.
pub struct RecordingOutput(pub Rc<RefCell<Recording>>);

impl Output for RecordingOutput {
    fn write_stdout(&mut self, text: &str) {
        self.write(Stream::Stdout, text);
    }

    fn write_stderr(&mut self, text: &str) {
        self.write(Stream::Stderr, text);
    }

    fn flush(&mut self) {}
}

impl RecordingOutput {
    fn write(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut recording = self.0.borrow_mut();
        let event = Event {
            time: recording.time,
            task: recording.task.clone(),
            line: recording.line,
            kind: EventKind::Output {
                stream,
                text: text.to_string(),
            },
        };
        // Consecutive writes of one stream make one event (`print` writes
        // its text and its newline separately).
        if let Some(Event {
            kind: EventKind::Output { stream: s, text: t },
            ..
        }) = recording.events.last_mut()
        {
            if *s == stream && !t.ends_with('\n') {
                t.push_str(text);
                return;
            }
        }
        recording.events.push(event);
        recording.snapshots.push(None);
    }
}

/// A finished recording: the events and the exit status (as `apy run`
/// would have exited).
pub struct Run {
    pub events: Vec<Event>,
    /// Parallel to `events`, when snapshots were asked for.
    pub snapshots: Vec<Option<Snapshot>>,
    pub status: i32,
}

/// What to record besides the events.
#[derive(Clone, Copy, Default)]
pub struct Detail {
    /// A [`Snapshot`] of the loop at every event.
    pub snapshots: bool,
    /// An event before every instruction.
    pub instructions: bool,
}

/// Run `text` on the virtual clock with a recorder attached, under a budget
/// of `max_steps` instructions.
pub fn record(name: &str, text: &str, max_steps: u64, detail: Detail) -> Run {
    let recording = Rc::new(RefCell::new(Recording {
        take_snapshots: detail.snapshots,
        ..Recording::default()
    }));
    let mut interpreter = Interpreter::new(Box::new(RecordingOutput(recording.clone())));
    interpreter.vm.set_clock(ClockKind::Virtual);
    interpreter
        .vm
        .attach_observer(Box::new(Recorder(recording.clone())), max_steps);
    if detail.instructions {
        interpreter.vm.observe_instructions();
    }
    let status = interpreter.run_program(name, text);
    interpreter.vm.detach_observer();
    drop(interpreter);
    let mut recording = recording.borrow_mut();
    let events = std::mem::take(&mut recording.events);
    let mut snapshots = std::mem::take(&mut recording.snapshots);
    snapshots.resize(events.len(), None);
    let (events, snapshots) = without_shutdown_tasks(events, snapshots);
    Run {
        events,
        snapshots,
        status,
    }
}

/// `asyncio.run` ends with two tasks of its own (`shutdown_asyncgens`,
/// `shutdown_default_executor`) that do nothing a student wrote: leave
/// their events out. (They still take their `Task-N` numbers, as in
/// CPython.)
fn without_shutdown_tasks(
    events: Vec<Event>,
    snapshots: Vec<Option<Snapshot>>,
) -> (Vec<Event>, Vec<Option<Snapshot>>) {
    let internal: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TaskCreated { target, coroutine }
                if coroutine.starts_with("shutdown_") && coroutine.ends_with(")") =>
            {
                Some(target.id)
            }
            _ => None,
        })
        .collect();
    events
        .into_iter()
        .zip(snapshots)
        .filter(|(e, _)| {
            let about = e.subject().map(|t| t.id);
            !about.is_some_and(|id| internal.contains(&id))
        })
        .unzip()
}
