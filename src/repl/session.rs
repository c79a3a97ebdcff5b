//! One interactive session: an interpreter whose globals and event loop
//! persist from one input to the next.
//!
//! Each input is compiled in interactive mode (named `<stdin>`, as in
//! CPython's REPL): an expression statement at the top level echoes its
//! value's `repr` unless it is `None` and stores it in `_`, and `await` is
//! allowed at the top level. It then runs on the session's loop (see
//! `event_loop::interactive`). An error prints its traceback and the
//! session goes on. The session knows nothing of terminals: it reads
//! inputs as strings and writes through the interpreter's output, so the
//! tests drive it directly.

use super::complete::{Namespace, SharedNamespace};
use super::input::InputKind;
use crate::compiler::Mode;
use crate::event_loop::clock::ClockKind;
use crate::source::SourceFile;
use crate::vm::object::exception::{PyException, PyResult};
use crate::vm::object::function::{BuiltinFunction, Keywords};
use crate::vm::object::types::builtin_types;
use crate::vm::output::{CapturedOutput, Output};
use crate::vm::value::Value;
use crate::vm::Vm;
use crate::Interpreter;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// What the REPL does after an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// `raise SystemExit(status)`: leave with this exit status.
    Exit(i32),
}

pub struct Session {
    pub interpreter: Interpreter,
    /// `:trace on`: describe every task step as inputs run.
    pub trace: bool,
    clock: ClockKind,
    namespace: SharedNamespace,
    /// The Ctrl-C flag, kept across `:reset` (the handler is installed once).
    interrupt: Arc<AtomicBool>,
}

/// `exit()` and `quit()`, which CPython's `site` gives every interactive
/// session: they raise `SystemExit(code)`, which ends it.
static EXIT: BuiltinFunction = BuiltinFunction {
    name: "exit",
    module: None,
    call: raise_system_exit,
};
static QUIT: BuiltinFunction = BuiltinFunction {
    name: "quit",
    module: None,
    call: raise_system_exit,
};

fn raise_system_exit(_vm: &mut Vm, args: &[Value], _kwargs: Keywords) -> PyResult<Value> {
    let class = builtin_types().exceptions.system_exit.clone();
    let code = args.first().cloned().unwrap_or(Value::None);
    Err(PyException::new(class, vec![code]))
}

/// A fresh interpreter for the REPL.
fn new_interpreter(output: Box<dyn Output>, clock: ClockKind) -> Interpreter {
    let mut interpreter = Interpreter::new(output);
    interpreter.vm.set_clock(clock);
    interpreter.vm.add_builtin("exit", Value::Builtin(&EXIT));
    interpreter.vm.add_builtin("quit", Value::Builtin(&QUIT));
    interpreter
}

impl Session {
    pub fn new(output: Box<dyn Output>, clock: ClockKind, namespace: SharedNamespace) -> Session {
        let interpreter = new_interpreter(output, clock);
        let interrupt = interpreter.vm.interrupt_flag();
        let session = Session {
            interpreter,
            trace: false,
            clock,
            namespace,
            interrupt,
        };
        session.publish_namespace();
        session
    }

    /// The flag a Ctrl-C handler sets to interrupt running code.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    /// Run a whole program in the session's globals, as `apy FILE` would
    /// (no loop is running, so it may call `asyncio.run`); errors are
    /// reported. Used by `apy -i FILE` and `:load`.
    pub fn run_program(&mut self, name: &str, text: &str) -> i32 {
        let vm = &mut self.interpreter.vm;
        let kept_loop = vm.event_loop.take();
        let status = self.interpreter.run_program(name, text);
        let vm = &mut self.interpreter.vm;
        vm.fatal = false;
        if vm.event_loop.is_none() {
            vm.event_loop = kept_loop;
        }
        vm.output.flush();
        self.publish_namespace();
        status
    }

    /// Start the loop that runs for the rest of the session.
    pub fn start_loop(&mut self) {
        self.interpreter.vm.start_interactive_loop();
    }

    /// Handle one buffer from the editor (prompts already removed by
    /// [`super::input::classify`]).
    pub fn handle(&mut self, input: InputKind) -> Control {
        match input {
            InputKind::Empty | InputKind::Incomplete => Control::Continue,
            InputKind::Command(command) => super::commands::run(self, &command),
            InputKind::Complete(code) => match self.run_input(&code) {
                Some(status) => Control::Exit(status),
                None => Control::Continue,
            },
        }
    }

    /// Compile and run one input; `Some(status)` when it raised
    /// `SystemExit`, which ends the session as it ends CPython's.
    pub fn run_input(&mut self, code: &str) -> Option<i32> {
        let mut exit = None;
        self.start_loop();
        let source = SourceFile::new("<stdin>", code);
        match self.interpreter.compile(&source, Mode::Interactive) {
            Err(failure) => {
                let report = failure.render(&source);
                self.interpreter.vm.output.write_stderr(&report);
            }
            Ok(code) => {
                let globals = self.interpreter.globals.clone();
                let trace = self.trace;
                if let Err(error) = self
                    .interpreter
                    .vm
                    .run_interactive_input(code, globals, trace)
                {
                    let system_exit = &crate::vm::object::types::builtin_types()
                        .exceptions
                        .system_exit;
                    let keyboard_interrupt = &crate::vm::object::types::builtin_types()
                        .exceptions
                        .keyboard_interrupt;
                    if error.is_instance_of(system_exit) {
                        exit = Some(self.interpreter.system_exit_status(&error));
                    } else if error.is_instance_of(keyboard_interrupt)
                        && error.traceback.borrow().is_empty()
                    {
                        // Ctrl-C cancelled an awaiting input: as
                        // `python -m asyncio`, no traceback (there is no
                        // frame it was raised in).
                        self.interpreter
                            .vm
                            .output
                            .write_stderr("\nKeyboardInterrupt\n");
                    } else {
                        self.interpreter.report_uncaught(&error);
                    }
                }
            }
        }
        self.interpreter.vm.fatal = false;
        self.interpreter.vm.output.flush();
        self.publish_namespace();
        exit
    }

    /// Run what the loop has ready while the user types.
    pub fn run_background(&mut self) {
        let trace = self.trace;
        if let Err(error) = self.interpreter.vm.run_in_background(trace) {
            self.interpreter.report_uncaught(&error);
            self.interpreter.vm.fatal = false;
        }
        self.interpreter.vm.output.flush();
    }

    /// How long the REPL may wait for input before the loop needs to run
    /// again; `None` when nothing is scheduled.
    pub fn next_wakeup(&mut self) -> Option<std::time::Duration> {
        let vm = &mut self.interpreter.vm;
        if vm.background_work_due() {
            return Some(std::time::Duration::ZERO);
        }
        vm.next_timer_delay()
            .map(|seconds| std::time::Duration::from_secs_f64(seconds.min(3600.0)))
    }

    /// Start again: fresh globals and a fresh loop, same output and clock.
    pub fn reset(&mut self) {
        let output = std::mem::replace(
            &mut self.interpreter.vm.output,
            Box::new(CapturedOutput::new()),
        );
        let mut interpreter = new_interpreter(output, self.clock);
        interpreter.vm.interrupt = self.interrupt.clone();
        let old = std::mem::replace(&mut self.interpreter, interpreter);
        drop(old);
        // The old session's tasks die with it; reporting each as destroyed
        // while pending would only be noise after an explicit reset.
        let _ = crate::event_loop::diagnostics::take();
        self.start_loop();
        self.publish_namespace();
    }

    pub fn clock(&self) -> ClockKind {
        self.clock
    }

    /// Switch clocks; refused while the loop has work (its timers are in
    /// the old clock's time).
    pub fn set_clock(&mut self, kind: ClockKind) -> Result<(), String> {
        if kind == self.clock {
            return Ok(());
        }
        if self.interpreter.vm.loop_has_work() {
            return Err(
                "tasks or timers are pending; let them finish (or :reset) before switching clocks"
                    .into(),
            );
        }
        self.interpreter.vm.set_clock(kind);
        self.clock = kind;
        Ok(())
    }

    /// Tell the completer what is in scope now.
    pub fn publish_namespace(&self) {
        let vm = &self.interpreter.vm;
        let mut namespace = Namespace {
            builtins: vm.builtin_names().iter().map(|n| n.to_string()).collect(),
            ..Namespace::default()
        };
        for (name, value) in self.interpreter.globals.bound() {
            let name = name.text().to_string();
            namespace
                .attributes
                .insert(name.clone(), vm.dir_names(&value));
            namespace.globals.push(name);
        }
        match self.namespace.lock() {
            Ok(mut shared) => *shared = namespace,
            Err(poisoned) => *poisoned.into_inner() = namespace,
        }
    }

    /// Write a line of the REPL's own (not the program's) output.
    pub fn say(&mut self, text: &str) {
        self.interpreter.vm.output.write_stdout(text);
        if !text.ends_with('\n') {
            self.interpreter.vm.output.write_stdout("\n");
        }
        self.interpreter.vm.output.flush();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::repl::input::classify;

    /// A session on the virtual clock whose output is captured (shared
    /// with the `:` command tests).
    pub(crate) fn session() -> (Session, CapturedOutput) {
        let output = CapturedOutput::new();
        let mut session = Session::new(
            Box::new(output.clone()),
            ClockKind::Virtual,
            SharedNamespace::default(),
        );
        session.start_loop();
        (session, output)
    }

    fn feed(session: &mut Session, buffers: &[&str]) {
        for buffer in buffers {
            session.handle(classify(buffer));
        }
    }

    #[test]
    fn echo_underscore_and_none() {
        let (mut s, out) = session();
        feed(&mut s, &["1 + 2", "_ * 10", "None", "print('hi')", "'a'"]);
        assert_eq!(out.stdout_text(), "3\n30\nhi\n'a'\n");
    }

    #[test]
    fn top_level_await_and_gather() {
        let (mut s, out) = session();
        feed(
            &mut s,
            &[
                "import asyncio",
                "async def f(x):\n...     await asyncio.sleep(x)\n...     return x * 2\n... ",
                "await f(1)",
                "await asyncio.gather(f(1), f(2))",
                "r = await f(3)",
                "r",
            ],
        );
        assert_eq!(out.stdout_text(), "2\n[2, 4]\n6\n");
        assert_eq!(out.stderr_text(), "");
    }

    #[test]
    fn an_error_reports_and_the_session_goes_on() {
        let (mut s, out) = session();
        feed(&mut s, &["1 / 0", "x = 5", "x"]);
        assert_eq!(
            out.stderr_text(),
            "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nZeroDivisionError: division by zero\n"
        );
        assert_eq!(out.stdout_text(), "5\n");
    }

    #[test]
    fn errors_inside_functions_defined_earlier() {
        let (mut s, out) = session();
        feed(&mut s, &["def f():\n...     return 1 / 0\n... ", "f()"]);
        assert_eq!(
            out.stderr_text(),
            "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n  File \"<stdin>\", line 2, in f\nZeroDivisionError: division by zero\n"
        );
    }

    #[test]
    fn syntax_errors_show_the_line() {
        let (mut s, out) = session();
        feed(&mut s, &["x = = 1", "2"]);
        assert_eq!(
            out.stderr_text(),
            "  File \"<stdin>\", line 1\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n"
        );
        assert_eq!(out.stdout_text(), "2\n");
    }

    #[test]
    fn tasks_keep_running_between_inputs() {
        let (mut s, out) = session();
        feed(
            &mut s,
            &[
                "import asyncio",
                "async def tick(n):\n...     for i in range(n):\n...         print('tick', i)\n...         await asyncio.sleep(0)\n... ",
                "t = asyncio.create_task(tick(3))",
            ],
        );
        assert_eq!(out.stdout_text(), "");
        s.run_background();
        assert_eq!(out.stdout_text(), "tick 0\ntick 1\ntick 2\n");
        feed(&mut s, &["t.done()"]);
        assert!(out.stdout_text().ends_with("True\n"));
    }

    #[test]
    fn a_deadlocked_await_is_reported_and_cancelled() {
        let (mut s, out) = session();
        feed(
            &mut s,
            &[
                "import asyncio",
                "fut = asyncio.get_running_loop().create_future()",
                "await fut",
                "fut.cancelled()",
            ],
        );
        assert!(
            out.stderr_text().starts_with("apy: deadlock"),
            "{}",
            out.stderr_text()
        );
        assert_eq!(out.stdout_text(), "True\n");
    }

    #[test]
    fn names_are_published_for_completion() {
        let namespace = SharedNamespace::default();
        let mut s = Session::new(
            Box::new(CapturedOutput::new()),
            ClockKind::Virtual,
            namespace.clone(),
        );
        s.run_input("import asyncio\ncounter = 1");
        let ns = namespace.lock().unwrap();
        assert!(ns.globals.contains(&"counter".to_string()));
        assert!(ns.builtins.contains(&"print".to_string()));
        assert!(ns.attributes["asyncio"].contains(&"gather".to_string()));
    }

    #[test]
    fn await_in_a_top_level_comprehension_is_refused_by_name() {
        let (mut s, out) = session();
        feed(
            &mut s,
            &[
                "async def f():\n...     return 1\n... ",
                "[await f() for _ in range(2)]",
            ],
        );
        assert!(
            out.stderr_text().ends_with(
                "SyntaxError: 'await' in a comprehension at the top level of the REPL is not supported by apy (line 1)\n"
            ),
            "{}",
            out.stderr_text()
        );
    }

    #[test]
    fn system_exit_ends_the_session_with_its_status() {
        let (mut s, out) = session();
        assert_eq!(s.handle(classify("raise SystemExit")), Control::Exit(0));
        assert_eq!(s.handle(classify("raise SystemExit(3)")), Control::Exit(3));
        assert_eq!(
            s.handle(classify("raise SystemExit('bye')")),
            Control::Exit(1)
        );
        assert_eq!(out.stderr_text(), "bye\n");
    }

    #[test]
    fn a_coroutine_never_awaited_is_reported_when_dropped() {
        let (mut s, out) = session();
        feed(
            &mut s,
            &["async def f():\n...     pass\n... ", "c = f()", "c = 1"],
        );
        assert_eq!(
            out.stderr_text(),
            "<stdin>:1: RuntimeWarning: coroutine 'f' was never awaited\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
        );
    }

    #[test]
    fn reset_forgets_everything() {
        let (mut s, out) = session();
        feed(&mut s, &["x = 1", ":reset", "x"]);
        assert!(out
            .stderr_text()
            .ends_with("NameError: name 'x' is not defined\n"));
    }

    #[test]
    fn a_program_then_the_prompt() {
        let (mut s, out) = session();
        let status = s.run_program(
            "prog.apy",
            "import asyncio\nasync def main():\n    return 7\nvalue = asyncio.run(main())\n",
        );
        assert_eq!(status, 0);
        feed(&mut s, &["value", "await main()"]);
        assert_eq!(out.stdout_text(), "7\n7\n");
    }
}
