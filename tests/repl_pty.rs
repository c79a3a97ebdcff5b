//! The REPL in a real terminal: `apy` started under a pseudo-terminal (with
//! expectrl), typed at as a person would, and what its output draws checked
//! on a screen (a vt100 terminal emulator fed everything apy writes).
//!
//! Each test waits for the prompt before typing the next line, as a person
//! does. The screen is 100 columns by 60 rows, so nothing scrolls away.

use expectrl::process::unix::WaitStatus;
use expectrl::{ControlCode, Expect, Session};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ROWS: u16 = 60;
const COLUMNS: u16 = 100;
const PATIENCE: Duration = Duration::from_secs(30);

/// apy under a pty, and the screen its output draws.
struct Terminal {
    session: expectrl::session::OsSession,
    screen: vt100::Parser,
}

impl Terminal {
    fn start(data_home: &Path) -> Terminal {
        Terminal::start_with(data_home, &[], "xterm")
    }

    fn start_with(data_home: &Path, args: &[&str], term: &str) -> Terminal {
        let mut command = Command::new(env!("CARGO_BIN_EXE_apy"));
        command
            .args(args)
            .env("XDG_DATA_HOME", data_home)
            .env("HOME", data_home)
            .env("TERM", term);
        let mut session = Session::spawn(command).expect("spawn apy under a pty");
        session
            .get_process_mut()
            .set_window_size(COLUMNS, ROWS)
            .expect("set the window size");
        // A terminal echoes what is typed (expectrl's pty starts without);
        // the line editor turns that off itself while it reads.
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("turn echo on");
        let rows = std::num::NonZeroU16::new(ROWS).expect("rows");
        let columns = std::num::NonZeroU16::new(COLUMNS).expect("columns");
        let mut terminal = Terminal {
            session,
            screen: vt100::Parser::new(rows, columns, 0),
        };
        terminal.wait_for_prompt(">>>");
        terminal
    }

    /// Feed the screen everything apy has written so far.
    fn pump(&mut self) {
        let mut buffer = [0u8; 4096];
        loop {
            match self.session.try_read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => self.screen.process(&buffer[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) => return,
            }
        }
    }

    /// The screen's rows, without trailing blanks, up to the last non-empty one.
    fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .screen
            .screen()
            .rows(0, COLUMNS)
            .map(|row| row.trim_end().to_string())
            .collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }

    /// Wait until `check` holds for the screen's lines.
    fn wait_until(&mut self, what: &str, check: impl Fn(&[String]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.pump();
            let lines = self.lines();
            if check(&lines) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "waited in vain for {what}; the screen:\n{}",
                    lines.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait until the last line of the screen is the empty prompt `prompt`.
    fn wait_for_prompt(&mut self, prompt: &str) {
        self.wait_until(&format!("the prompt {prompt:?}"), |lines| {
            lines.last().is_some_and(|l| l == prompt)
        });
    }

    /// Wait until these lines appear on the screen, one after the other.
    fn wait_for_lines(&mut self, expected: &[&str]) {
        self.wait_until(&format!("the lines {expected:?}"), |lines| {
            lines
                .windows(expected.len())
                .any(|window| window.iter().zip(expected).all(|(a, b)| a == b))
        });
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("type");
    }

    /// Type a line and press Enter, then wait for the prompt that follows.
    fn line(&mut self, text: &str, next_prompt: &str) {
        self.pump();
        let before = self.lines().len();
        self.send(&format!("{text}\r"));
        // A new prompt below the line: the old one does not count.
        self.wait_until(
            &format!("the prompt {next_prompt:?} after {text:?}"),
            |lines| lines.len() > before && lines.last().is_some_and(|l| l == next_prompt),
        );
    }

    /// Type a block: its lines, then the empty line that ends it.
    fn block(&mut self, lines: &[&str]) {
        for text in lines {
            self.line(text, "...");
        }
        self.line("", ">>>");
    }

    /// Ctrl-D: apy must exit with status 0.
    fn finish(mut self) {
        self.session
            .send(ControlCode::EndOfTransmission)
            .expect("Ctrl-D");
        let status = self.session.get_process_mut().wait().expect("wait for apy");
        assert!(
            matches!(status, WaitStatus::Exited(_, 0)),
            "Ctrl-D should exit with status 0, got {status:?}"
        );
    }
}

/// A fresh folder for one test's history file.
fn data_home(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apy-repl-pty-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn define_double(terminal: &mut Terminal) {
    terminal.line("import asyncio", ">>>");
    terminal.block(&[
        "async def double(x):",
        "    await asyncio.sleep(0.1)",
        "    return x * 2",
    ]);
}

#[test]
fn a_multi_line_async_def_is_entered_and_awaited() {
    let mut terminal = Terminal::start(&data_home("await"));
    define_double(&mut terminal);
    terminal.line("await double(21)", ">>>");
    terminal.wait_for_lines(&[
        ">>> async def double(x):",
        "...     await asyncio.sleep(0.1)",
        "...     return x * 2",
        "...",
        ">>> await double(21)",
        "42",
        ">>>",
    ]);
    terminal.finish();
}

#[test]
fn gather_prints_its_results() {
    let mut terminal = Terminal::start(&data_home("gather"));
    define_double(&mut terminal);
    terminal.line(
        "await asyncio.gather(double(1), double(2), double(3))",
        ">>>",
    );
    terminal.wait_for_lines(&[
        ">>> await asyncio.gather(double(1), double(2), double(3))",
        "[2, 4, 6]",
        ">>>",
    ]);
    terminal.finish();
}

#[test]
fn a_background_task_prints_while_the_prompt_is_shown() {
    let mut terminal = Terminal::start(&data_home("background"));
    terminal.line("import asyncio", ">>>");
    terminal.block(&[
        "async def ticker():",
        "    for i in range(3):",
        "        await asyncio.sleep(0.3)",
        "        print('tick', i)",
    ]);
    terminal.line("t = asyncio.create_task(ticker())", ">>>");
    // Half a line typed: the ticks appear above it, and it stays.
    terminal.send("pri");
    terminal.wait_for_lines(&[
        ">>> t = asyncio.create_task(ticker())",
        "tick 0",
        "tick 1",
        "tick 2",
        ">>> pri",
    ]);
    terminal.line("nt('typed on')", ">>>");
    terminal.wait_for_lines(&["tick 2", ">>> print('typed on')", "typed on", ">>>"]);
    terminal.finish();
}

#[test]
fn ctrl_c_interrupts_a_busy_loop_and_the_prompt_returns() {
    let mut terminal = Terminal::start(&data_home("interrupt"));
    // At the prompt, Ctrl-C drops the line being typed.
    terminal.send("half a line");
    terminal.wait_for_prompt(">>> half a line");
    terminal.send("\x03");
    terminal.wait_for_lines(&[">>> half a line", "KeyboardInterrupt", ">>>"]);
    terminal.line("while True: pass", "...");
    terminal.send("\r");
    std::thread::sleep(Duration::from_millis(500));
    terminal.send("\x03");
    terminal.wait_for_prompt(">>>");
    terminal.line("1 + 1", ">>>");
    // The terminal echoes ^C, as it does for CPython.
    terminal.wait_for_lines(&[
        "^CTraceback (most recent call last):",
        "  File \"<stdin>\", line 1, in <module>",
        "KeyboardInterrupt",
        ">>> 1 + 1",
        "2",
        ">>>",
    ]);
    // A blocking sleep is cut short too.
    terminal.line("import time", ">>>");
    terminal.send("time.sleep(60)\r");
    terminal.wait_for_lines(&[">>> time.sleep(60)"]);
    std::thread::sleep(Duration::from_millis(300));
    terminal.send("\x03");
    terminal.wait_for_lines(&[
        ">>> time.sleep(60)",
        "^CTraceback (most recent call last):",
        "  File \"<stdin>\", line 1, in <module>",
        "KeyboardInterrupt",
        ">>>",
    ]);
    // An awaiting input is cancelled, as in `python -m asyncio`.
    terminal.line("import asyncio", ">>>");
    terminal.send("await asyncio.sleep(60)\r");
    terminal.wait_for_lines(&[">>> await asyncio.sleep(60)"]);
    std::thread::sleep(Duration::from_millis(300));
    terminal.send("\x03");
    terminal.wait_for_lines(&[
        ">>> await asyncio.sleep(60)",
        "^C",
        "KeyboardInterrupt",
        ">>>",
    ]);
    terminal.finish();
}

#[test]
fn an_exception_is_followed_by_a_working_input() {
    let mut terminal = Terminal::start(&data_home("exception"));
    terminal.line("1 / 0", ">>>");
    terminal.line("'still here'", ">>>");
    terminal.wait_for_lines(&[
        ">>> 1 / 0",
        "Traceback (most recent call last):",
        "  File \"<stdin>\", line 1, in <module>",
        "ZeroDivisionError: division by zero",
        ">>> 'still here'",
        "'still here'",
        ">>>",
    ]);
    terminal.finish();
}

#[test]
fn history_is_recalled_after_a_restart() {
    let home = data_home("history");
    let mut terminal = Terminal::start(&home);
    terminal.line("'remembered' * 2", ">>>");
    terminal.wait_for_lines(&["'rememberedremembered'", ">>>"]);
    terminal.finish();

    let mut terminal = Terminal::start(&home);
    // Up arrow brings back the earlier session's input; Enter runs it.
    terminal.send("\x1b[A");
    terminal.wait_for_prompt(">>> 'remembered' * 2");
    terminal.line("", ">>>");
    terminal.wait_for_lines(&[">>> 'remembered' * 2", "'rememberedremembered'", ">>>"]);
    terminal.finish();
}

#[test]
fn an_async_generator_left_early_is_closed_by_the_loop() {
    // The loop outlives the input, so the task that closes the generator
    // runs (in the background, as in `python -m asyncio`).
    let mut terminal = Terminal::start(&data_home("agen"));
    terminal.line("import asyncio", ">>>");
    terminal.block(&[
        "async def ticker():",
        "    try:",
        "        yield 1",
        "        yield 2",
        "    finally:",
        "        print('cleanup in', asyncio.current_task().get_name())",
    ]);
    terminal.block(&[
        "async def first():",
        "    async for x in ticker():",
        "        return x",
    ]);
    terminal.line("await first()", ">>>");
    terminal.wait_until("the cleanup line", |lines| {
        lines.iter().any(|l| l.starts_with("cleanup in Task-"))
    });
    terminal.finish();
}

#[test]
fn dash_i_runs_the_file_then_opens_the_repl_in_its_globals() {
    let home = data_home("dash-i");
    let program = home.join("prog.apy");
    std::fs::write(
        &program,
        "import asyncio\nasync def main():\n    return 'from main'\ngreeting = asyncio.run(main())\nprint('the program ran')\n",
    )
    .expect("write the program");
    let mut terminal = Terminal::start_with(
        &home,
        &["-i", program.to_str().expect("utf-8 path")],
        "xterm",
    );
    terminal.line("greeting", ">>>");
    terminal.line("await main()", ">>>");
    terminal.wait_for_lines(&[
        "the program ran",
        ">>> greeting",
        "'from main'",
        ">>> await main()",
        "'from main'",
        ">>>",
    ]);
    terminal.finish();
}

#[test]
fn the_banner_says_to_await_instead_of_asyncio_run() {
    let mut terminal = Terminal::start(&data_home("banner"));
    terminal.wait_for_lines(&["Use \"await\" directly instead of \"asyncio.run()\"."]);
    terminal.finish();
}

#[test]
fn without_a_terminal_standard_input_is_run_as_a_program() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_apy"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn apy");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"x = 41\nprint(x + 1)\n1 / 0\n")
        .expect("write the program");
    let output = child.wait_with_output().expect("apy's output");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "42\n");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "Traceback (most recent call last):\n  File \"<stdin>\", line 3, in <module>\nZeroDivisionError: division by zero\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_terminal_the_editor_cannot_drive_gets_plain_prompts() {
    let home = data_home("dumb");
    let mut terminal = Terminal::start_with(&home, &[], "dumb");
    terminal.line("async def f():", "...");
    terminal.line("    return 6 * 7", "...");
    terminal.line("", ">>>");
    terminal.line("await f()", ">>>");
    terminal.wait_for_lines(&[
        ">>> async def f():",
        "...     return 6 * 7",
        "...",
        ">>> await f()",
        "42",
        ">>>",
    ]);
    terminal.finish();
}
