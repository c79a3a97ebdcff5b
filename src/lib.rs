//! apy: an educational interpreter for a strict subset of Python 3.11 with
//! `async def` / `await` and asyncio built in.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! source text ──lexer──▶ tokens ──parser──▶ AST ──compiler──▶ bytecode
//!       ──vm──▶ frames running on tasks ──event_loop──▶ output
//! ```
//!
//! [`Interpreter`] ties the stages together: it compiles a source text and
//! runs it, keeping the module's globals between runs (the REPL runs each
//! input in the same interpreter).

pub mod bytecode;
pub mod compiler;
pub mod diagnostics;
pub mod event_loop;
pub mod lexer;
pub mod parser;
pub mod repl;
pub mod source;
pub mod span;
pub mod symbol;
pub mod teach;
pub mod vm;

use bytecode::code::{Code, GlobalNames};
use compiler::{CompileError, Mode};
use diagnostics::SyntaxDiagnostic;
use source::SourceFile;
use std::rc::Rc;
use symbol::intern;
use vm::globals::Globals;
use vm::object::exception::PyErr;
use vm::output::Output;
use vm::value::Value;
use vm::Vm;

/// Exit status of a program killed by an uncaught `KeyboardInterrupt`
/// (128 + SIGINT, as a shell reports CPython's).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Stack size for the thread that runs the interpreter. Python-level calls
/// never use Rust stack, but compiling very deep expressions and dropping
/// very deep trees do; this keeps such input from overflowing.
pub const INTERPRETER_STACK_SIZE: usize = 512 * 1024 * 1024;

/// Why a source text could not be compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum CompileFailure {
    Syntax(SyntaxDiagnostic),
    TooDeep,
}

impl CompileFailure {
    /// The report CPython prints for it, ending with a newline.
    pub fn render(&self, source: &SourceFile) -> String {
        match self {
            CompileFailure::Syntax(d) => d.render(&source.name, &source.text),
            CompileFailure::TooDeep => {
                "RecursionError: maximum recursion depth exceeded during compilation\n".into()
            }
        }
    }

    /// The last line of the report.
    pub fn summary(&self) -> String {
        match self {
            CompileFailure::Syntax(d) => d.summary(),
            CompileFailure::TooDeep => {
                "RecursionError: maximum recursion depth exceeded during compilation".into()
            }
        }
    }
}

/// Parse and compile `source` into a module code object.
pub fn compile(
    source: &Rc<SourceFile>,
    global_names: &Rc<GlobalNames>,
    mode: Mode,
) -> Result<Rc<Code>, CompileFailure> {
    let module = parser::parse_module(&source.text).map_err(CompileFailure::Syntax)?;
    compiler::compile_module(&module, source.clone(), global_names.clone(), mode).map_err(|e| {
        match e {
            CompileError::Syntax(d) => CompileFailure::Syntax(d),
            CompileError::TooDeep => CompileFailure::TooDeep,
        }
    })
}

/// One interpreter: a VM and the globals of its `__main__` module.
pub struct Interpreter {
    pub vm: Vm,
    pub global_names: Rc<GlobalNames>,
    pub globals: Rc<Globals>,
}

impl Interpreter {
    pub fn new(output: Box<dyn Output>) -> Interpreter {
        let global_names = GlobalNames::new();
        let globals = Globals::new(global_names.clone());
        globals.set(globals.slot_of(intern("__name__")), Value::str("__main__"));
        Interpreter {
            vm: Vm::new(output),
            global_names,
            globals,
        }
    }

    pub fn compile(&self, source: &Rc<SourceFile>, mode: Mode) -> Result<Rc<Code>, CompileFailure> {
        compile(source, &self.global_names, mode)
    }

    /// Run compiled module code in this interpreter's globals.
    pub fn run_code(&mut self, code: Rc<Code>) -> Result<Value, PyErr> {
        self.vm.run_module(code, self.globals.clone())
    }

    /// Compile and run a whole program, reporting errors on the output's
    /// standard error as CPython does; returns the process exit status.
    pub fn run_program(&mut self, name: &str, text: &str) -> i32 {
        let source = SourceFile::new(name, text);
        let code = match self.compile(&source, Mode::Module) {
            Ok(code) => code,
            Err(failure) => {
                self.vm.output.write_stderr(&failure.render(&source));
                return 1;
            }
        };
        let status = match self.run_code(code) {
            Ok(_) => {
                self.vm.output.flush();
                0
            }
            Err(error) => self.report_uncaught(&error),
        };
        self.finalize_generators();
        status
    }

    /// At exit CPython clears the module's globals, which closes the
    /// generators they held that were paused inside a `try` (their
    /// `finally` blocks print). Only generators are freed here, so nothing
    /// else's end-of-program behaviour changes.
    fn finalize_generators(&mut self) {
        self.vm.finalize_abandoned();
        for (name, value) in self.globals.bound() {
            if let Value::Generator(_) = value {
                drop(value);
                self.globals.delete(self.globals.slot_of(name));
                self.vm.finalize_abandoned();
            }
        }
        self.vm.output.flush();
    }

    /// Print an uncaught exception's traceback; returns the exit status.
    pub fn report_uncaught(&mut self, error: &PyErr) -> i32 {
        self.vm.flush_diagnostics();
        let deadlock = &vm::object::types::builtin_types().exceptions.apy_deadlock;
        if Rc::ptr_eq(&error.class, deadlock) {
            // Not a Python exception: apy's report of a stuck program.
            let report = self.vm.exception_str(error).unwrap_or_default();
            self.vm.output.write_stderr(&report);
            self.vm.output.flush();
            return 1;
        }
        let system_exit = &vm::object::types::builtin_types().exceptions.system_exit;
        if error.is_instance_of(system_exit) {
            let status = self.system_exit_status(error);
            self.vm.flush_diagnostics();
            self.vm.output.flush();
            return status;
        }
        let report = self.vm.format_exception(error);
        self.vm.output.write_stderr(&report);
        self.vm.output.flush();
        // What the exception's traceback kept alive dies with it, as at
        // CPython's shutdown.
        error.traceback.borrow_mut().clear();
        self.vm.flush_diagnostics();
        self.vm.output.flush();
        if error.class.name.as_ref() == "KeyboardInterrupt" {
            EXIT_INTERRUPTED
        } else {
            1
        }
    }

    /// The exit status an uncaught `SystemExit` asks for, as CPython
    /// computes it from the exception's `code` (no traceback is printed):
    /// none or `None` is 0, an int is itself, anything else is printed on
    /// standard error and is 1.
    pub fn system_exit_status(&mut self, error: &PyErr) -> i32 {
        match error.exit_code() {
            Value::None => 0,
            Value::Int(code) => code as i32,
            Value::Bool(code) => code as i32,
            other => {
                let text = self.vm.str_of(&other).unwrap_or_default();
                self.vm.output.write_stderr(&format!("{text}\n"));
                1
            }
        }
    }
}

/// Run `f` on a fresh thread with a stack big enough for the interpreter.
pub fn with_interpreter_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .name("apy".into())
        .stack_size(INTERPRETER_STACK_SIZE)
        .spawn(f)
        .expect("spawning the interpreter thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
