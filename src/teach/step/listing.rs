//! The stepper's plain form, for when standard output is not a terminal
//! (`apy step prog.apy | less`): every stop at line granularity, numbered,
//! with the program's output where it was written and the explanation of
//! each scheduling event.

use super::Stepper;
use crate::teach::event::{EventKind, Stream};
use crate::teach::explain::explain;
use crate::teach::trace::describe;

pub fn render_listing(stepper: &Stepper) -> String {
    let lines: Vec<&str> = stepper.source.lines().collect();
    let mut out = format!(
        "apy step {}: {} events recorded\n",
        stepper.name,
        stepper.events.len()
    );
    let mut number = 0;
    for event in &stepper.events {
        let text_of = |n: u32| {
            lines
                .get((n as usize).wrapping_sub(1))
                .map_or("", |l| l.trim())
                .to_string()
        };
        match &event.kind {
            EventKind::Output { stream, text } => {
                let mark = if *stream == Stream::Stdout { "»" } else { "!" };
                for line in text.lines() {
                    out.push_str(&format!("      {mark} {line}\n"));
                }
            }
            EventKind::Instruction { .. } => {}
            EventKind::Line { function } => {
                number += 1;
                let who = event.task.as_deref().unwrap_or("main");
                let n = event.line.unwrap_or(0);
                out.push_str(&format!(
                    "{number:>5} {:>7.3} {who:<8} line {n:>3} in {function}(): {}\n",
                    event.time,
                    text_of(n)
                ));
            }
            _ => {
                number += 1;
                let (name, detail) = describe(event);
                let who = event.task.as_deref().unwrap_or("loop");
                out.push_str(&format!(
                    "{number:>5} {:>7.3} {who:<8} {name}: {detail}\n",
                    event.time
                ));
                if let Some(sentence) = explain(event) {
                    out.push_str(&format!("{:>14}{sentence}\n", "= "));
                }
            }
        }
    }
    out
}
