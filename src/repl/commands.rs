//! The REPL's own commands, typed at the prompt after a `:` (which cannot
//! start a Python statement, so they never hide Python code).
//!
//! `:tasks` and `:trace` show what the loop is doing, `:dis` shows the
//! bytecode of a function, `:clock` switches between real and virtual time,
//! `:load` runs a file in the session, `:reset` starts afresh.

use super::session::{Control, Session};
use crate::bytecode::disasm::disassemble;
use crate::event_loop::clock::ClockKind;
use crate::symbol::intern;
use crate::vm::value::Value;

const HELP: &str = "\
Type Python (apy's subset of Python 3.11) at the >>> prompt; a block such as
`async def f():` goes on at the ... prompt until an empty line.
`await` works at the top level, and the event loop keeps running between
inputs: tasks made with asyncio.create_task() go on while you type.
(The loop is already running, so use `await main()` here, not
`asyncio.run(main())`, just as in `python -m asyncio`.)

Commands:
  :help                 this text
  :tasks                the tasks not yet done: state, what each awaits, where
  :trace on|off         a line per scheduling step: tasks starting, pausing
                        (where, on what), waking up, ending; timers firing
  :dis NAME             the bytecode of function NAME, suspension points marked
  :clock real|virtual   real time, or virtual time that jumps to the next timer
                        while an input runs (it stands still at the prompt)
  :load FILE            run FILE as a program, in this session's globals
  :reset                forget every name and task, start a new loop

Keys: Tab completes names (and attributes after a dot), Up/Down recall
earlier inputs (kept across sessions), Ctrl-C cancels the line or
interrupts running code, Ctrl-D exits.";

/// Run the command `line` (starting with `:`).
pub fn run(session: &mut Session, line: &str) -> Control {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or(":");
    let args: Vec<&str> = words.collect();
    match (name, args.as_slice()) {
        (":help", []) => session.say(HELP),
        (":tasks", []) => tasks(session),
        (":trace", ["on"]) => {
            session.trace = true;
            session.say("trace is on: each task step is described as inputs run");
        }
        (":trace", ["off"]) => {
            session.trace = false;
            session.say("trace is off");
        }
        (":trace", []) => {
            let state = if session.trace { "on" } else { "off" };
            session.say(&format!("trace is {state} (:trace on|off)"));
        }
        (":dis", [name]) => dis(session, name),
        (":clock", []) => {
            let text = format!("the clock is {}", clock_name(session.clock()));
            session.say(&text);
        }
        (":clock", [kind @ ("real" | "virtual")]) => {
            let kind = if *kind == "real" {
                ClockKind::Real
            } else {
                ClockKind::Virtual
            };
            match session.set_clock(kind) {
                Ok(()) => session.say(&format!("the clock is {}", clock_name(kind))),
                Err(why) => session.say(&format!("cannot switch clocks: {why}")),
            }
        }
        (":load", [file]) => load(session, file),
        (":reset", []) => {
            session.reset();
            session.say("a fresh session: every name and task is gone");
        }
        (":help" | ":tasks" | ":reset", _) => session.say(&format!("usage: {name}")),
        (":trace", _) => session.say("usage: :trace on|off"),
        (":dis", _) => session.say("usage: :dis NAME"),
        (":clock", _) => session.say("usage: :clock real|virtual"),
        (":load", _) => session.say("usage: :load FILE"),
        _ => session.say(&format!("unknown command {name} (try :help)")),
    }
    Control::Continue
}

fn clock_name(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Real => "real",
        ClockKind::Virtual => "virtual",
    }
}

fn tasks(session: &mut Session) {
    let tasks = session.interpreter.vm.task_summaries();
    if tasks.is_empty() {
        session.say("no tasks are pending");
        return;
    }
    let mut text = format!(
        "{:<12} {:<12} {:<34} {}\n",
        "task", "state", "awaiting", "at"
    );
    for task in tasks {
        text.push_str(&format!(
            "{:<12} {:<12} {:<34} {}\n",
            task.name, task.state, task.awaiting, task.location
        ));
    }
    session.say(&text);
}

fn dis(session: &mut Session, name: &str) {
    let globals = &session.interpreter.globals;
    let value = globals
        .bound()
        .into_iter()
        .find(|(symbol, _)| *symbol == intern(name))
        .map(|(_, value)| value);
    let code = match &value {
        Some(Value::Function(f)) => f.code.clone(),
        Some(Value::Coroutine(c)) => c.function.code.clone(),
        Some(other) => {
            let text = format!(
                ":dis needs a function defined here; {name} is of type {}",
                other.type_name()
            );
            session.say(&text);
            return;
        }
        None => {
            session.say(&format!("no function named {name} is defined"));
            return;
        }
    };
    session.say(&disassemble(&code));
}

fn load(session: &mut Session, file: &str) {
    match std::fs::read_to_string(file) {
        Ok(text) => {
            session.run_program(file, &text);
        }
        Err(e) => session.say(&format!("cannot read {file}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use crate::repl::input::classify;
    use crate::repl::session::tests::session;
    use crate::vm::output::CapturedOutput;

    fn run(inputs: &[&str]) -> CapturedOutput {
        let (mut session, output) = session();
        for input in inputs {
            session.handle(classify(input));
            session.run_background();
        }
        output
    }

    #[test]
    fn tasks_lists_what_each_awaits() {
        let out = run(&[
            "import asyncio",
            "async def nap():\n...     await asyncio.sleep(5)\n... ",
            "t = asyncio.create_task(nap(), name='napper')",
            ":tasks",
        ]);
        let text = out.stdout_text();
        assert!(text.contains("napper"), "{text}");
        assert!(text.contains("asyncio.sleep() until t=5.000"), "{text}");
        assert!(text.contains("nap() at <stdin>:2"), "{text}");
    }

    #[test]
    fn no_tasks() {
        assert_eq!(run(&[":tasks"]).stdout_text(), "no tasks are pending\n");
    }

    #[test]
    fn trace_describes_steps() {
        let out = run(&[
            "import asyncio",
            ":trace on",
            "async def child():\n...     await asyncio.sleep(1)\n... ",
            "await asyncio.create_task(child())",
            ":trace off",
            "await asyncio.sleep(0)",
        ]);
        assert_eq!(
            out.stdout_text(),
            "trace is on: each task step is described as inputs run\n\
             [trace t=0.000] Task-1 starts\n\
             [trace t=0.000] Task-1 pauses at <module>() at <stdin>:1, waiting for task Task-2\n\
             [trace t=0.000] Task-2 starts\n\
             [trace t=0.000] Task-2 pauses at child() at <stdin>:2, waiting for asyncio.sleep() until t=1.000\n\
             [trace t=1.000] a timer fires: an asyncio.sleep() ends\n\
             [trace t=1.000] Task-2 wakes up: the Future it awaited is done\n\
             [trace t=1.000] Task-2 is done\n\
             [trace t=1.000] Task-1 wakes up: task Task-2 is done\n\
             [trace t=1.000] Task-1 is done\n\
             trace is off\n"
        );
    }

    #[test]
    fn dis_shows_suspension_points() {
        let out = run(&["async def f():\n...     await g()\n... ", ":dis f"]);
        assert!(out.stdout_text().contains("AWAIT"), "{}", out.stdout_text());
        let out = run(&["x = 1", ":dis x", ":dis nothing"]);
        assert_eq!(
            out.stdout_text(),
            ":dis needs a function defined here; x is of type int\nno function named nothing is defined\n"
        );
    }

    #[test]
    fn clock_switches_only_when_idle() {
        let out = run(&[":clock", ":clock real", ":clock", ":clock sideways"]);
        assert_eq!(
            out.stdout_text(),
            "the clock is virtual\nthe clock is real\nthe clock is real\nusage: :clock real|virtual\n"
        );
    }

    #[test]
    fn load_runs_a_file_in_the_session() {
        let path = std::env::temp_dir().join(format!("apy-load-{}.apy", std::process::id()));
        std::fs::write(
            &path,
            "import asyncio\nasync def main():\n    return 5\nloaded = asyncio.run(main())\n",
        )
        .unwrap();
        let load = format!(":load {}", path.display());
        let out = run(&[&load, "loaded", "await main()", ":load /nonexistent/x.apy"]);
        let _ = std::fs::remove_file(&path);
        let text = out.stdout_text();
        assert!(
            text.starts_with("5\n5\ncannot read /nonexistent/x.apy"),
            "{text}"
        );
    }

    #[test]
    fn unknown_commands_point_to_help() {
        let out = run(&[":frobnicate", ":help"]);
        assert!(out
            .stdout_text()
            .starts_with("unknown command :frobnicate (try :help)\n"));
        assert!(out.stdout_text().contains(":tasks"));
    }
}
