//! No input may panic the REPL. Every program we have (the conformance
//! corpus, the cases under `tests/cases/`, the examples) is typed into a
//! REPL session line by line, as a person pasting it would, each input
//! decided by the same completeness check the editor uses and run in
//! interactive mode (echo, top-level `await`, the loop kept across inputs)
//! on the virtual clock. Errors, refusals and interrupts are fine; a panic
//! is a bug, and the test lists every file that panicked.

use apy::event_loop::clock::ClockKind;
use apy::repl::complete::SharedNamespace;
use apy::repl::input::{classify, InputKind, CONTINUATION};
use apy::repl::session::Session;
use apy::vm::output::CapturedOutput;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one input may run before the watchdog interrupts it.
const INPUT_TIME_LIMIT: Duration = Duration::from_millis(1500);

fn apy_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            apy_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "apy") {
            out.push(path);
        }
    }
}

fn all_programs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    apy_files_under(&root.join("tests/conformance"), &mut files);
    apy_files_under(&root.join("tests/cases"), &mut files);
    apy_files_under(&root.join("examples"), &mut files);
    files.sort();
    files
}

/// When the running input must stop, and the flag that stops it.
type Deadline = Arc<Mutex<Option<(Instant, Arc<AtomicBool>)>>>;

/// Interrupts the input running past its deadline.
struct Watchdog {
    deadline: Deadline,
}

impl Watchdog {
    fn start() -> Watchdog {
        let deadline: Deadline = Arc::default();
        let watched = deadline.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(20));
            let guard = watched.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((when, flag)) = &*guard {
                if Instant::now() > *when {
                    flag.store(true, Ordering::Relaxed);
                }
            }
        });
        Watchdog { deadline }
    }

    fn arm(&self, flag: Arc<AtomicBool>) {
        *self.deadline.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now() + INPUT_TIME_LIMIT, flag));
    }

    fn disarm(&self) {
        *self.deadline.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Type `source` into a fresh session, one input at a time.
fn type_program(source: &str, watchdog: &Watchdog) {
    let mut session = Session::new(
        Box::new(CapturedOutput::new()),
        ClockKind::Virtual,
        SharedNamespace::default(),
    );
    session.start_loop();
    let mut buffer: Option<String> = None;
    let run = |session: &mut Session, kind: InputKind| {
        watchdog.arm(session.interrupt_flag());
        session.handle(kind);
        session.run_background();
        watchdog.disarm();
    };
    for line in source.split('\n') {
        let next = match buffer.take() {
            None => line.to_string(),
            Some(mut text) => {
                text.push('\n');
                text.push_str(CONTINUATION);
                text.push_str(line);
                text
            }
        };
        match classify(&next) {
            InputKind::Incomplete => buffer = Some(next),
            kind => run(&mut session, kind),
        }
    }
    if let Some(text) = buffer {
        // The end of the paste: an empty line ends the last block.
        let text = format!("{text}\n{CONTINUATION}");
        let kind = classify(&text);
        run(&mut session, kind);
    }
}

#[test]
fn every_program_typed_at_the_prompt_runs_without_a_panic() {
    // Deeply nested cases need the interpreter's big stack to compile.
    let panicked = apy::with_interpreter_stack(|| {
        let watchdog = Watchdog::start();
        let previous_hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let mut panicked = Vec::new();
        let programs = all_programs();
        assert!(programs.len() > 50, "the corpus was not found");
        for path in &programs {
            let Ok(source) = std::fs::read_to_string(path) else {
                continue;
            };
            let outcome =
                panic::catch_unwind(AssertUnwindSafe(|| type_program(&source, &watchdog)));
            watchdog.disarm();
            if outcome.is_err() {
                panicked.push(path.display().to_string());
            }
        }
        panic::set_hook(previous_hook);
        panicked
    });
    assert!(panicked.is_empty(), "the REPL panicked on: {panicked:#?}");
}
