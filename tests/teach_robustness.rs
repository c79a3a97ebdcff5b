//! The teaching views never panic: every line-prefix of every lesson and
//! run case (most of them broken programs) is recorded with snapshots and
//! instructions under a small budget, then traced, charted, listed and
//! drawn on screens of several sizes, down to a tiny one. Plus a step that
//! holds the loop in a long computation is flagged as blocking.

mod common;

use apy::teach::record::{record, Detail};
use apy::teach::step::tui::{draw, View};
use apy::teach::step::Stepper;
use apy::teach::timeline::render_timeline;
use apy::teach::trace::{render_json, render_trace};
use apy::teach::{EventKind, DEFAULT_MAX_STEPS};
use apy::with_interpreter_stack;
use common::apy_files;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

fn exercise(name: String, text: String) {
    with_interpreter_stack(move || {
        let stepper = Stepper::record(&name, &text, 5_000);
        let _ = render_trace(&stepper.events, &text, true);
        let _ = render_json(&stepper.events, true);
        let _ = render_timeline(&stepper.events, 80);
        let _ = render_timeline(&stepper.events, 5);
        let _ = apy::teach::step::listing::render_listing(&stepper);
        for (width, height) in [(80, 24), (20, 5), (1, 1)] {
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            for help in [false, true] {
                terminal
                    .draw(|frame| draw(frame, &stepper, &View { help }))
                    .unwrap();
            }
        }
    });
}

#[test]
fn every_prefix_of_every_lesson_and_run_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = apy_files(&root.join("examples"));
    files.extend(apy_files(&root.join("tests/cases/run")));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for end in 0..=lines.len() {
            let prefix = lines[..end].join("\n");
            exercise(name.clone(), prefix);
        }
    }
}

#[test]
fn a_long_computation_in_a_task_is_flagged_as_blocking() {
    let text = "import asyncio\n\nasync def crunch():\n    total = 0\n    for i in range(1000000):\n        total += i\n    return total\n\nasync def main():\n    await asyncio.gather(crunch(), asyncio.sleep(0))\n\nasyncio.run(main())\n";
    let run = with_interpreter_stack(move || {
        record("crunch.apy", text, DEFAULT_MAX_STEPS * 5, Detail::default())
    });
    assert_eq!(run.status, 0);
    let blocked = run.events.iter().find_map(|e| match &e.kind {
        EventKind::Blocked {
            target,
            seconds,
            real,
        } => Some((target.name.clone(), *seconds, *real)),
        _ => None,
    });
    let (task, seconds, real) = blocked.expect("the long step is flagged");
    assert_eq!(task, "Task-2");
    assert!(real && seconds >= 0.1);
}
