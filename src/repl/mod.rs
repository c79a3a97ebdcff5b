//! The interactive REPL: `apy` with no program, or `apy -i FILE` after it.
//!
//! It works like `python -m asyncio`: the event loop runs for the whole
//! session, `await` works at the prompt, and tasks go on running while the
//! user types. Two threads share the work, because reading a line blocks:
//!
//! ```text
//!  editor thread (this one)            interpreter thread
//!  rustyline: prompt, edit, history    Session: compile, run, event loop
//!        │  ◀── "read the next input" ───  │
//!        │  ─── the buffer / Ctrl-D ────▶  │  runs it (terminal in normal
//!        │                                 │  mode: Ctrl-C is SIGINT, which
//!        │                                 │  raises KeyboardInterrupt)
//!        │     while the prompt is shown:  │  runs ready tasks and due
//!        │  ◀── ExternalPrinter output ──  │  timers, waking up for the
//!        │                                 │  next timer or the next input
//! ```
//!
//! The interpreter's values are not thread-safe (`Rc`), so they never leave
//! the interpreter thread: the editor gets plain strings (output through
//! rustyline's `ExternalPrinter`, names for completion through
//! [`complete::SharedNamespace`]).
//!
//! Modules: [`input`] (prompts and completeness), [`editor`] (rustyline's
//! helper), [`complete`], [`highlight`], [`output`], [`session`] (the
//! interpreter side), [`commands`] (`:help`, `:tasks`, ...).

pub mod commands;
pub mod complete;
pub mod editor;
pub mod highlight;
pub mod input;
pub mod output;
pub mod session;

use crate::event_loop::clock::ClockKind;
use crate::vm::output::StdOutput;
use crate::{with_interpreter_stack, INTERPRETER_STACK_SIZE};
use rustyline::error::ReadlineError;
use session::{Control, Session};
use std::io::{IsTerminal, Read as _, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, OnceLock};

/// How the REPL starts.
pub struct Options {
    pub clock: ClockKind,
    /// A program to run first (`apy -i FILE`): its name and text.
    pub program: Option<(String, String)>,
}

/// What the editor thread sends the interpreter thread.
enum Event {
    /// An editor buffer (a line, or a block with its `... ` prompts).
    Input(String),
    /// Ctrl-D: end the session.
    End,
}

/// Run the REPL; returns the process's exit status.
pub fn run(options: Options) -> i32 {
    if !std::io::stdin().is_terminal() {
        return run_piped(options);
    }
    let namespace = complete::SharedNamespace::default();
    let (mut lines, printer) = match editor::new_editor(namespace.clone()).and_then(|mut e| {
        let printer = e.create_external_printer()?;
        Ok((e, printer))
    }) {
        Ok((editor, printer)) => {
            let printer: Box<dyn rustyline::ExternalPrinter + Send> = Box::new(printer);
            (LineSource::Editor(Box::new(editor)), printer)
        }
        // A terminal rustyline cannot drive (`TERM=dumb`): plain prompts.
        Err(_) => {
            let printer: Box<dyn rustyline::ExternalPrinter + Send> = Box::new(PlainPrinter);
            (LineSource::Plain, printer)
        }
    };
    let (input_tx, input_rx) = mpsc::channel::<Event>();
    let (ask_tx, ask_rx) = mpsc::channel::<()>();
    let (flag_tx, flag_rx) = mpsc::channel::<Arc<AtomicBool>>();
    // Set while the interpreter runs background tasks at the prompt, where
    // Ctrl-C reaches the editor, not the signal handler.
    let busy = Arc::new(AtomicBool::new(false));
    let busy_in_interpreter = busy.clone();
    let interpreter = std::thread::Builder::new()
        .name("apy".into())
        .stack_size(INTERPRETER_STACK_SIZE)
        .spawn(move || {
            let output = Box::new(output::PrinterOutput::new(printer));
            let mut session = Session::new(output, options.clock, namespace);
            let _ = flag_tx.send(session.interrupt_flag());
            install_interrupt_handler(session.interrupt_flag());
            match &options.program {
                Some((name, text)) => {
                    session.run_program(name, text);
                }
                None => session.say(&banner()),
            }
            session.start_loop();
            interpreter_loop(&mut session, &input_rx, &ask_tx, &busy_in_interpreter)
        });
    let interpreter = match interpreter {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("apy: cannot start the interpreter: {e}");
            return 1;
        }
    };
    let interrupt = flag_rx.recv().ok();
    editor_loop(&mut lines, &input_tx, &ask_rx, &busy, interrupt.as_ref());
    drop(input_tx);
    match interpreter.join() {
        Ok(status) => status,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// What the REPL says first (as CPython's REPL names itself, and as
/// `python -m asyncio` says how to await).
fn banner() -> String {
    format!(
        "apy {} (a subset of Python 3.11, asyncio built in)\n\
         Use \"await\" directly instead of \"asyncio.run()\".\n\
         Type :help for the REPL's commands, Ctrl-D to leave.",
        env!("CARGO_PKG_VERSION")
    )
}

/// Where inputs come from: the line editor, or, on a terminal it cannot
/// drive, plain lines with the prompts printed before them.
enum LineSource {
    Editor(Box<editor::ReplEditor>),
    Plain,
}

/// What reading one input gave.
enum Read {
    Input(String),
    Interrupted,
    End,
}

impl LineSource {
    fn read(&mut self) -> Read {
        match self {
            LineSource::Editor(editor) => match editor.readline(input::PROMPT) {
                Ok(buffer) => {
                    editor::remember(editor, &buffer);
                    Read::Input(buffer)
                }
                Err(ReadlineError::Interrupted) => Read::Interrupted,
                Err(ReadlineError::Eof) => Read::End,
                Err(e) => {
                    eprintln!("apy: {e}");
                    Read::End
                }
            },
            LineSource::Plain => read_plain(),
        }
    }
}

/// Read an input line by line, printing the prompts, as CPython's REPL
/// does without readline. The buffer has the editor's layout (`... `
/// before each following line), so it is classified the same way.
fn read_plain() -> Read {
    let mut buffer = String::new();
    let mut prompt = input::PROMPT;
    loop {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) if buffer.is_empty() => return Read::End,
            Ok(0) | Err(_) => return Read::Input(buffer),
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\n', '\r']);
        if prompt == input::PROMPT {
            buffer.push_str(line);
        } else {
            buffer.push('\n');
            buffer.push_str(input::CONTINUATION);
            buffer.push_str(line);
        }
        if input::classify(&buffer) != input::InputKind::Incomplete {
            return Read::Input(buffer);
        }
        prompt = input::CONTINUATION;
    }
}

/// Output straight to the terminal, for the plain line source.
struct PlainPrinter;

impl rustyline::ExternalPrinter for PlainPrinter {
    fn print(&mut self, msg: String) -> rustyline::Result<()> {
        let mut stdout = std::io::stdout();
        stdout.write_all(msg.as_bytes())?;
        stdout.flush()?;
        Ok(())
    }
}

/// The editor thread: read an input each time the interpreter asks.
fn editor_loop(
    lines: &mut LineSource,
    input_tx: &mpsc::Sender<Event>,
    ask_rx: &mpsc::Receiver<()>,
    busy: &AtomicBool,
    interrupt: Option<&Arc<AtomicBool>>,
) {
    while ask_rx.recv().is_ok() {
        let event = loop {
            match lines.read() {
                Read::Input(buffer) => break Event::Input(buffer),
                Read::Interrupted => {
                    // As CPython: the line is dropped, a fresh prompt shown.
                    println!("KeyboardInterrupt");
                    if busy.load(Ordering::Relaxed) {
                        // A background task is hogging the loop: stop it.
                        if let Some(flag) = interrupt {
                            flag.store(true, Ordering::Relaxed);
                        }
                    }
                }
                Read::End => {
                    println!();
                    break Event::End;
                }
            }
        };
        let end = matches!(event, Event::End);
        if input_tx.send(event).is_err() || end {
            return;
        }
    }
}

/// The interpreter thread: ask for an input, run the loop while waiting
/// for it, run it; until Ctrl-D (status 0) or `SystemExit`.
fn interpreter_loop(
    session: &mut Session,
    input_rx: &mpsc::Receiver<Event>,
    ask_tx: &mpsc::Sender<()>,
    busy: &AtomicBool,
) -> i32 {
    let interrupt = session.interrupt_flag();
    loop {
        if ask_tx.send(()).is_err() {
            return 0;
        }
        let event = loop {
            busy.store(true, Ordering::Relaxed);
            session.run_background();
            busy.store(false, Ordering::Relaxed);
            let received = match session.next_wakeup() {
                Some(wait) => input_rx.recv_timeout(wait),
                None => input_rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match received {
                Ok(event) => break event,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return 0,
            }
        };
        match event {
            Event::Input(buffer) => {
                // A Ctrl-C meant for the prompt is not meant for this input.
                interrupt.store(false, Ordering::Relaxed);
                if let Control::Exit(status) = session.handle(input::classify(&buffer)) {
                    return status;
                }
            }
            Event::End => return 0,
        }
    }
}

/// Ctrl-C while code runs sets the interpreter's flag (once per process).
fn install_interrupt_handler(flag: Arc<AtomicBool>) {
    static SLOT: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    if SLOT.set(flag).is_ok() {
        let _ = ctrlc::set_handler(|| {
            if let Some(flag) = SLOT.get() {
                flag.store(true, Ordering::Relaxed);
            }
        });
    }
}

/// Standard input is not a terminal (`echo 'print(1)' | apy`): as CPython,
/// read it all and run it as a program named `<stdin>`, after the `-i`
/// program if there is one.
fn run_piped(options: Options) -> i32 {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("apy: standard input is not UTF-8 text");
        return 2;
    }
    with_interpreter_stack(move || {
        let mut session = Session::new(
            Box::new(StdOutput::new()),
            options.clock,
            complete::SharedNamespace::default(),
        );
        install_interrupt_handler(session.interrupt_flag());
        let mut status = 0;
        if let Some((name, program)) = &options.program {
            status = session.run_program(name, program);
        }
        if !text.trim().is_empty() {
            status = session.run_program("<stdin>", &text);
        }
        status
    })
}
