//! `apy step FILE`: record the whole run first (virtual clock, step
//! budget, a snapshot of the loop at every event), then move through it
//! forward and back — by scheduling event, by source line, or by bytecode
//! instruction. [`Stepper`] is the position in the recording and what to
//! show there; `tui` draws it full-screen, `listing` prints it plainly when
//! the output is not a terminal.

pub mod listing;
pub mod snapshot;
pub mod tui;

use super::event::{Event, EventKind, Stream};
use super::explain::explain;
use super::record::{record, Detail};
use snapshot::Snapshot;

/// How far one step moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// To the next scheduling event.
    Event,
    /// To the next source line (or scheduling event).
    Line,
    /// To the next bytecode instruction (or line, or event).
    Instruction,
}

/// A recorded run and a position in it.
pub struct Stepper {
    pub name: String,
    pub source: String,
    pub events: Vec<Event>,
    snapshots: Vec<Option<Snapshot>>,
    pub status: i32,
    /// Index of the current event (never an output event, unless the run
    /// has nothing else, as when the program does not compile).
    pub position: usize,
    empty: Snapshot,
}

impl Stepper {
    /// Record `text` and stand at its first event.
    pub fn record(name: &str, text: &str, max_steps: u64) -> Stepper {
        let detail = Detail {
            snapshots: true,
            instructions: true,
        };
        let run = record(name, text, max_steps, detail);
        let mut stepper = Stepper {
            name: name.to_string(),
            source: text.to_string(),
            events: run.events,
            snapshots: run.snapshots,
            status: run.status,
            position: 0,
            empty: Snapshot::default(),
        };
        if let Some(first) =
            (0..stepper.events.len()).find(|&i| stepper.stops_at(i, Granularity::Instruction))
        {
            stepper.position = first;
        }
        stepper
    }

    fn only_output(&self) -> bool {
        self.events
            .iter()
            .all(|e| matches!(e.kind, EventKind::Output { .. }))
    }

    /// Whether a step of `granularity` may stop at event `index`.
    pub fn stops_at(&self, index: usize, granularity: Granularity) -> bool {
        let event = &self.events[index];
        match &event.kind {
            EventKind::Output { .. } => self.only_output(),
            EventKind::Instruction { .. } => granularity == Granularity::Instruction,
            EventKind::Line { .. } => granularity != Granularity::Event,
            _ => true,
        }
    }

    pub fn forward(&mut self, granularity: Granularity) -> bool {
        let next = (self.position + 1..self.events.len()).find(|&i| self.stops_at(i, granularity));
        self.move_to(next)
    }

    pub fn back(&mut self, granularity: Granularity) -> bool {
        let previous = (0..self.position)
            .rev()
            .find(|&i| self.stops_at(i, granularity));
        self.move_to(previous)
    }

    pub fn to_start(&mut self) {
        while self.back(Granularity::Instruction) {}
    }

    pub fn to_end(&mut self) {
        let last = (0..self.events.len())
            .rev()
            .find(|&i| self.stops_at(i, Granularity::Instruction));
        self.move_to(last);
    }

    fn move_to(&mut self, index: Option<usize>) -> bool {
        match index {
            Some(i) => {
                self.position = i;
                true
            }
            None => false,
        }
    }

    pub fn event(&self) -> Option<&Event> {
        self.events.get(self.position)
    }

    /// The loop's state at the current event (the latest one recorded).
    pub fn snapshot(&self) -> &Snapshot {
        let end = (self.position + 1).min(self.snapshots.len());
        self.snapshots[..end]
            .iter()
            .rev()
            .find_map(|s| s.as_ref())
            .unwrap_or(&self.empty)
    }

    /// Everything the program wrote up to here (errors marked `!`).
    pub fn output_so_far(&self) -> String {
        let end = self.output_end();
        let mut out = String::new();
        for event in &self.events[..end] {
            if let EventKind::Output { stream, text } = &event.kind {
                match stream {
                    Stream::Stdout => out.push_str(text),
                    Stream::Stderr => {
                        for line in text.lines() {
                            out.push_str(&format!("! {line}\n"));
                        }
                    }
                }
            }
        }
        out
    }

    /// Output written right after the current event and before the next
    /// stop belongs to it (a traceback shows at the step that raised).
    fn output_end(&self) -> usize {
        let mut end = (self.position + 1).min(self.events.len());
        while end < self.events.len() && matches!(self.events[end].kind, EventKind::Output { .. }) {
            end += 1;
        }
        end
    }

    /// The plain-English sentence for the current event.
    pub fn explanation(&self) -> String {
        let Some(event) = self.event() else {
            return "Nothing was recorded.".to_string();
        };
        let who = event.task.as_deref().unwrap_or("The main program");
        match &event.kind {
            EventKind::Line { function } => {
                let line = event.line.unwrap_or(0);
                let text = self
                    .source
                    .lines()
                    .nth((line as usize).wrapping_sub(1))
                    .unwrap_or("");
                let mut sentence = format!("{who} runs line {line}, in {function}().");
                if text.contains("await ") {
                    sentence.push_str(
                        " The line has an await: if what it awaits is not ready, the task pauses here and the loop runs the next ready task.",
                    );
                } else if text.contains("create_task(") {
                    sentence.push_str(
                        " create_task only schedules the new task: it starts when this one pauses.",
                    );
                }
                sentence
            }
            EventKind::Instruction { function, index, op } => format!(
                "{who} is about to run instruction {index} of {function}(): {op} (line {}). `apy dis` lists them all.",
                event.line.unwrap_or(0)
            ),
            EventKind::Output { .. } => {
                "The program could not run; its error is in the output.".to_string()
            }
            _ => explain(event).unwrap_or_default(),
        }
    }

    /// "12/140": the current stop among all instruction-level stops.
    pub fn progress(&self) -> (usize, usize) {
        let stops: Vec<usize> = (0..self.events.len())
            .filter(|&i| self.stops_at(i, Granularity::Instruction))
            .collect();
        let at = stops
            .iter()
            .position(|&i| i == self.position)
            .map_or(0, |p| p + 1);
        (at, stops.len())
    }

    /// The source line marked for each task that has one: (line, task name,
    /// whether it is the running one).
    pub fn task_markers(&self) -> Vec<(u32, String, bool)> {
        let event_line = self.event().and_then(|e| e.line);
        let mut markers: Vec<(u32, String, bool)> = self
            .snapshot()
            .loop_state
            .tasks
            .iter()
            .filter(|t| t.state != "done")
            .filter_map(|t| {
                // The running task moves within a step: its line is the
                // event's (the table is from the last scheduling event).
                let running = t.state == "running";
                let line = if running {
                    event_line.or(t.line)
                } else {
                    t.line
                };
                Some((line?, t.name.clone(), running))
            })
            .collect();
        if let Some(event) = self.event() {
            let running = markers.iter().any(|m| m.2);
            if let (false, Some(line)) = (running, event.line) {
                let name = event.task.clone().unwrap_or_else(|| "main".to_string());
                markers.push((line, name, true));
            }
        }
        markers
    }
}
