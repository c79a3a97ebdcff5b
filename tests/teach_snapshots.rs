//! The teaching views of every lesson in `examples/`: the `apy trace
//! --explain` and `apy timeline` output of each is a snapshot
//! (`tests/snapshots/teach_snapshots__*`), so a change to the scheduler or
//! to the views shows up as a readable diff. Plus the budget, the JSON
//! format and the views of programs that fail.

use apy::teach::record::{record, Run};
use apy::teach::timeline::render_timeline;
use apy::teach::trace::{render_json, render_trace};
use apy::teach::{EventKind, DEFAULT_MAX_STEPS};
use apy::with_interpreter_stack;
use std::path::Path;

fn recorded(name: &str, text: &str, max_steps: u64) -> Run {
    let (name, text) = (name.to_string(), text.to_string());
    with_interpreter_stack(move || record(&name, &text, max_steps, Default::default()))
}

fn lesson(path: &Path) -> (String, String) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    (name, std::fs::read_to_string(path).unwrap())
}

#[test]
fn lesson_traces() {
    insta::glob!("../examples", "*.apy", |path| {
        let (name, text) = lesson(path);
        let run = recorded(&name, &text, DEFAULT_MAX_STEPS);
        let trace = render_trace(&run.events, &text, true);
        insta::assert_snapshot!(format!("exit status {}\n{trace}", run.status));
    });
}

#[test]
fn lesson_timelines() {
    insta::glob!("../examples", "*.apy", |path| {
        let (name, text) = lesson(path);
        let run = recorded(&name, &text, DEFAULT_MAX_STEPS);
        let chart = render_timeline(&run.events, 80);
        for line in chart.lines() {
            assert!(line.chars().count() <= 80, "too wide: {line}");
        }
        insta::assert_snapshot!(chart);
    });
}

#[test]
fn an_infinite_loop_ends_at_the_budget_with_the_partial_recording() {
    let text = "import asyncio\n\nasync def spin():\n    print('spinning')\n    n = 0\n    while True:\n        n += 1\n\nasyncio.run(spin())\n";
    let run = recorded("spin.apy", text, 10_000);
    assert_eq!(run.status, 1);
    let trace = render_trace(&run.events, text, false);
    assert!(trace.contains("» spinning"), "{trace}");
    assert!(trace.contains("stopped after 10000 steps"), "{trace}");
    assert!(
        run.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::BudgetExhausted { steps: 10_000 })),
        "{trace}"
    );
}

#[test]
fn a_long_run_of_sleeps_is_scaled_to_80_columns() {
    let text = "import asyncio\n\nasync def main():\n    for i in range(50):\n        await asyncio.sleep(3600)\n\nasyncio.run(main())\n";
    let run = recorded("long.apy", text, DEFAULT_MAX_STEPS);
    let chart = render_timeline(&run.events, 80);
    assert!(chart.lines().all(|l| l.chars().count() <= 80), "{chart}");
    assert!(
        chart.contains("The run took 180000.000 s of virtual time."),
        "{chart}"
    );
}

#[test]
fn the_timeouts_of_wait_and_wait_for_are_named_apart() {
    // CPython arms the same `_release_waiter` timer for both.
    let text = "import asyncio\n\nasync def main():\n    t = asyncio.create_task(asyncio.sleep(5))\n    await asyncio.wait([t], timeout=1)\n    try:\n        await asyncio.wait_for(t, 2)\n    except TimeoutError:\n        print('late')\n\nasyncio.run(main())\n";
    let run = recorded("timeouts.apy", text, DEFAULT_MAX_STEPS);
    let trace = render_trace(&run.events, text, false);
    let armed: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("timer armed") && l.contains("timeout"))
        .collect();
    assert_eq!(armed.len(), 2, "{trace}");
    assert!(armed[0].contains("at 1.000: wait timeout"), "{trace}");
    assert!(armed[1].contains("at 3.000: wait_for timeout"), "{trace}");
}

#[test]
fn json_lines_are_one_object_per_event() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/03_when_a_task_starts.apy"),
    )
    .unwrap();
    let run = recorded("03.apy", &text, DEFAULT_MAX_STEPS);
    let json = render_json(&run.events, false);
    let first = json.lines().next().unwrap();
    assert_eq!(
        first,
        r#"{"time":0.0,"task":null,"line":32,"event":"task_created","target":{"id":1,"name":"Task-1"},"coroutine":"main()"}"#
    );
    assert!(json
        .lines()
        .any(|l| l.contains(r#""event":"output","stream":"stdout","text":"worker: started\n""#)));
    assert!(json
        .lines()
        .any(|l| l.contains(r#""on":{"kind":"task","task":{"id":2,"name":"Task-2"}}"#)));
}

#[test]
fn a_syntax_error_and_a_traceback_show_in_the_trace() {
    let run = recorded("bad.apy", "print('a'\n", DEFAULT_MAX_STEPS);
    assert_eq!(run.status, 1);
    let trace = render_trace(&run.events, "print('a'\n", false);
    assert!(
        trace.contains("! SyntaxError: '(' was never closed"),
        "{trace}"
    );

    let text = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    1 / 0\n\nasyncio.run(main())\n";
    let run = recorded("raise.apy", text, DEFAULT_MAX_STEPS);
    let trace = render_trace(&run.events, text, false);
    let done = trace.find("Task-1 raised ZeroDivisionError").expect(&trace);
    let traceback = trace
        .find("! ZeroDivisionError: division by zero")
        .expect(&trace);
    assert!(done < traceback, "{trace}");
}
