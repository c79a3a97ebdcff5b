//! `apy step`: moving through a recording forward and back, the screens
//! drawn on ratatui's `TestBackend` (insta snapshots), the plain listing,
//! and a real terminal (tmux) driven with keys: it draws, steps, shows
//! help, and `q` gives the terminal back.

use apy::teach::step::tui::{draw, handle_key, View};
use apy::teach::step::{Granularity, Stepper};
use apy::teach::EventKind;
use apy::with_interpreter_stack;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn lesson(name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    (name.to_string(), std::fs::read_to_string(path).unwrap())
}

fn stepper(name: &str, text: &str) -> Stepper {
    let (name, text) = (name.to_string(), text.to_string());
    with_interpreter_stack(move || Stepper::record(&name, &text, 100_000))
}

fn screen(stepper: &Stepper, view: &View) -> String {
    let mut terminal = Terminal::new(TestBackend::new(110, 34)).unwrap();
    terminal.draw(|frame| draw(frame, stepper, view)).unwrap();
    terminal.backend().to_string()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn forward_and_back_by_event_line_and_instruction() {
    let (name, text) = lesson("03_when_a_task_starts.apy");
    let mut s = stepper(&name, &text);
    let start = s.position;
    assert!(matches!(s.event().unwrap().kind, EventKind::Line { .. }));
    assert!(s.forward(Granularity::Event));
    assert!(s.event().unwrap().is_scheduling());
    let first_event = s.position;
    assert!(s.forward(Granularity::Line));
    assert!(matches!(
        s.event().unwrap().kind,
        EventKind::Line { .. } | EventKind::TaskCreated { .. } | EventKind::StepStarted { .. }
    ));
    assert!(s.back(Granularity::Line));
    assert_eq!(s.position, first_event);
    assert!(s.back(Granularity::Instruction));
    assert!(s.position < first_event);
    s.to_start();
    assert_eq!(s.position, start);
    assert!(!s.back(Granularity::Event));
    s.to_end();
    assert!(!s.forward(Granularity::Instruction));
    assert!(s.output_so_far().ends_with("main: the task returned 42\n"));
}

#[test]
fn screens() {
    let (name, text) = lesson("03_when_a_task_starts.apy");
    let mut s = stepper(&name, &text);
    let mut view = View::default();
    // To the moment Task-1 has created Task-2 and waits for it.
    while !matches!(s.event().unwrap().kind, EventKind::Suspended { .. }) {
        assert!(!handle_key(&mut s, &mut view, key(KeyCode::Char('n'))));
    }
    insta::assert_snapshot!("suspended_on_task", screen(&s, &view));
    handle_key(&mut s, &mut view, key(KeyCode::Char('j')));
    handle_key(&mut s, &mut view, key(KeyCode::Char('j')));
    insta::assert_snapshot!("worker_line", screen(&s, &view));
    handle_key(&mut s, &mut view, key(KeyCode::Char('?')));
    insta::assert_snapshot!("help", screen(&s, &view));
    assert!(handle_key(&mut s, &mut view, key(KeyCode::Char('q'))));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(handle_key(&mut s, &mut view, ctrl_c));
}

#[test]
fn a_traceback_shows_at_the_step_that_raised_and_a_syntax_error_shows() {
    let text = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    print('about to fail')\n    1 / 0\n\nasyncio.run(main())\n";
    let mut s = stepper("raise.apy", text);
    while !matches!(s.event().unwrap().kind, EventKind::TaskDone { .. }) {
        assert!(s.forward(Granularity::Event), "no TaskDone");
    }
    assert!(s
        .output_so_far()
        .contains("! ZeroDivisionError: division by zero"));
    insta::assert_snapshot!("raised", screen(&s, &View::default()));

    let s = stepper("bad.apy", "print('a'\n");
    assert_eq!(s.status, 1);
    let shown = screen(&s, &View::default());
    assert!(
        shown.contains("SyntaxError: '(' was never closed"),
        "{shown}"
    );
}

#[test]
fn piped_output_is_a_numbered_listing() {
    let (name, text) = lesson("02_one_after_another.apy");
    let s = stepper(&name, &text);
    insta::assert_snapshot!(apy::teach::step::listing::render_listing(&s));
}

/// Run `apy step` in a real terminal (tmux), send keys, read the screen.
#[test]
fn real_terminal_draws_steps_and_restores() {
    // CI sets APY_REQUIRE_TMUX, so there a missing tmux fails the test.
    let required = std::env::var_os("APY_REQUIRE_TMUX").is_some();
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(!required, "tmux is required (APY_REQUIRE_TMUX) but missing");
        eprintln!("tmux is not installed: skipped");
        return;
    }
    let session = format!("apy-step-test-{}", std::process::id());
    let lesson = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/02_one_after_another.apy");
    let command = format!(
        "{} step {}; echo STEPPER-EXITED-$?; sleep 30",
        env!("CARGO_BIN_EXE_apy"),
        lesson.display()
    );
    // A server of its own, so the test never touches the user's sessions.
    let socket = session.clone();
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .unwrap()
    };
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    if !started.status.success() {
        assert!(!required, "tmux could not start a session: {started:?}");
        eprintln!("tmux could not start a session here: skipped ({started:?})");
        return;
    }
    let capture = || {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &session]).stdout).to_string()
    };
    let wait_for = |what: &str| -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = capture();
            if screen.contains(what) || Instant::now() > deadline {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let first = wait_for("Frames and locals");
    let result = std::panic::catch_unwind(|| {
        assert!(first.contains("Source"), "{first}");
        assert!(first.contains("step 1/"), "{first}");
        tmux(&["send-keys", "-t", &session, "n"]);
        let stepped = wait_for("Task-1 is created");
        assert!(stepped.contains("Task-1 is created"), "{stepped}");
        tmux(&["send-keys", "-t", &session, "?"]);
        let help = wait_for("Help (? to close)");
        assert!(help.contains("next bytecode instruction"), "{help}");
        tmux(&["resize-window", "-t", &session, "-x", "90", "-y", "26"]);
        let resized = wait_for("Help (? to close)");
        assert!(resized.contains("Source"), "{resized}");
        tmux(&["send-keys", "-t", &session, "q"]);
        let after = wait_for("STEPPER-EXITED-0");
        assert!(after.contains("STEPPER-EXITED-0"), "{after}");
        assert!(!after.contains("Frames and locals"), "{after}");
    });
    tmux(&["kill-session", "-t", &session]);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
