//! The `apy` command line: run a program, disassemble it, open the REPL
//! (`apy`, `apy -i FILE`, dispatching into `apy::repl`), and trace, step
//! through, or chart its scheduling (dispatching into `apy::teach`).
//!
//! Usage errors (an unknown option, a file that cannot be read) exit with
//! status 2, as CPython's do; a program's own failure exits with 1 and a
//! Ctrl-C with 130.

use apy::bytecode::disasm::disassemble;
use apy::compiler::Mode;
use apy::event_loop::clock::ClockKind;
use apy::source::SourceFile;
use apy::vm::output::StdOutput;
use apy::{with_interpreter_stack, Interpreter};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

mod allocator;

/// mimalloc (see `allocator.rs` for why it is called directly).
#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

#[derive(Parser)]
#[command(
    name = "apy",
    version,
    about = "An educational Python interpreter with async/await and asyncio built in",
    long_about = "apy runs a strict subset of Python 3.11 exactly as CPython does, and shows how \
                  its coroutines are scheduled.\n\nExamples:\n  apy examples/01_hello.apy\n  \
                  apy -c 'print(2 ** 100)'\n  apy dis examples/01_hello.apy\n  \
                  apy trace --explain examples/02_one_after_another.apy\n  \
                  apy step examples/04_sleep0_round_robin.apy\n  \
                  apy              (the interactive REPL)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Run CODE as a program (like `python -c`).
    #[arg(short = 'c', value_name = "CODE")]
    code: Option<String>,

    /// The program to run (same as `apy run FILE`).
    file: Option<PathBuf>,

    /// After running FILE (or CODE), open the interactive REPL in its
    /// globals (like `python -i`).
    #[arg(short = 'i')]
    interactive: bool,

    /// The event loop's clock: `real` waits for timers; `virtual` jumps
    /// straight to the next one (same output, no waiting).
    #[arg(long, value_enum, default_value_t = ClockArg::Real, global = true)]
    clock: ClockArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ClockArg {
    Real,
    Virtual,
}

impl From<ClockArg> for ClockKind {
    fn from(c: ClockArg) -> ClockKind {
        match c {
            ClockArg::Real => ClockKind::Real,
            ClockArg::Virtual => ClockKind::Virtual,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run a program.
    Run {
        /// The .apy file to run.
        file: PathBuf,
    },
    /// Print the bytecode of every function in a program, in the spirit of
    /// Python's `dis`, with each suspension point marked.
    Dis {
        /// The .apy file to disassemble.
        file: PathBuf,
    },
    /// Run on the virtual clock and print every scheduling event (time,
    /// task, event, detail, source line) among the program's output.
    Trace {
        /// The .apy file to trace.
        file: PathBuf,
        /// Add a plain-English sentence under each event.
        #[arg(long)]
        explain: bool,
        /// Print the events as JSON lines instead (see the README).
        #[arg(long, conflicts_with = "explain")]
        json: bool,
        #[command(flatten)]
        budget: Budget,
    },
    /// Run on the virtual clock, then draw one lane per task over time:
    /// running, ready and waiting (with what it waits for).
    Timeline {
        /// The .apy file to chart.
        file: PathBuf,
        /// The chart's width in columns.
        #[arg(long, default_value_t = 80)]
        width: usize,
        #[command(flatten)]
        budget: Budget,
    },
    /// Record the run on the virtual clock, then step through it forward
    /// and back by event, line or instruction (full-screen on a terminal,
    /// a numbered listing otherwise).
    Step {
        /// The .apy file to step through.
        file: PathBuf,
        #[command(flatten)]
        budget: Budget,
    },
}

#[derive(clap::Args)]
struct Budget {
    /// Stop the program after this many bytecode instructions (ends an
    /// infinite loop with what was recorded until then) [default: 2000000,
    /// for step 100000].
    #[arg(long, value_name = "N")]
    max_steps: Option<u64>,
}

fn main() -> ExitCode {
    allocator::configure();
    let cli = Cli::parse();
    let clock = ClockKind::from(cli.clock);
    let status = match (cli.command, cli.code, cli.file) {
        (Some(Command::Run { file }), _, _) => run_file(file, clock),
        (Some(Command::Dis { file }), _, _) => dis_file(file),
        (
            Some(Command::Trace {
                file,
                explain,
                json,
                budget,
            }),
            _,
            _,
        ) => teach_file(file, budget, move |name, text, options| {
            apy::teach::cli::trace(name, text, options, explain, json)
        }),
        (Some(Command::Step { file, budget }), _, _) => {
            let budget = Budget {
                max_steps: budget
                    .max_steps
                    .or(Some(apy::teach::cli::DEFAULT_STEP_MAX_STEPS)),
            };
            teach_file(file, budget, apy::teach::cli::step)
        }
        (
            Some(Command::Timeline {
                file,
                width,
                budget,
            }),
            _,
            _,
        ) => teach_file(file, budget, move |name, text, options| {
            apy::teach::cli::timeline(name, text, options, width)
        }),
        (None, Some(code), _) if cli.interactive => repl(Some(("<string>".into(), code)), clock),
        (None, Some(code), _) => run_text("<string>".into(), code, clock),
        (None, None, Some(file)) if cli.interactive => match read_program(&file) {
            Ok(text) => repl(Some((file.display().to_string(), text)), clock),
            Err(status) => status,
        },
        (None, None, Some(file)) => run_file(file, clock),
        (None, None, None) => repl(None, clock),
    };
    ExitCode::from(status as u8)
}

/// Read a program file, or report why not (exit status 2, as CPython).
fn read_program(file: &PathBuf) -> Result<String, i32> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(_) => {
                eprintln!(
                    "apy: can't read file '{}': it is not UTF-8 text",
                    file.display()
                );
                Err(2)
            }
        },
        Err(e) => {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "No such file or directory".to_string(),
                std::io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
                _ if file.is_dir() => "Is a directory".to_string(),
                _ => e.to_string(),
            };
            eprintln!("apy: can't open file '{}': {reason}", file.display());
            Err(2)
        }
    }
}

fn run_file(file: PathBuf, clock: ClockKind) -> i32 {
    match read_program(&file) {
        Ok(text) => run_text(file.display().to_string(), text, clock),
        Err(status) => status,
    }
}

/// The interrupt flag of the running interpreter, set by Ctrl-C.
fn interrupt_slot() -> &'static OnceLock<Arc<AtomicBool>> {
    static SLOT: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    &SLOT
}

fn run_text(name: String, text: String, clock: ClockKind) -> i32 {
    with_interpreter_stack(move || {
        let mut interpreter = Interpreter::new(Box::new(StdOutput::new()));
        interpreter.vm.set_clock(clock);
        let flag = interpreter.vm.interrupt_flag();
        if interrupt_slot().set(flag).is_ok() {
            let _ = ctrlc::set_handler(|| {
                if let Some(flag) = interrupt_slot().get() {
                    flag.store(true, Ordering::Relaxed);
                }
            });
        }
        interpreter.run_program(&name, &text)
    })
}

/// Read a program and hand it to one of the teaching views.
fn teach_file(
    file: PathBuf,
    budget: Budget,
    view: impl FnOnce(&str, &str, &apy::teach::cli::TeachOptions) -> i32 + Send + 'static,
) -> i32 {
    let text = match read_program(&file) {
        Ok(text) => text,
        Err(status) => return status,
    };
    let name = file.display().to_string();
    let options = apy::teach::cli::TeachOptions {
        max_steps: budget.max_steps.unwrap_or(apy::teach::DEFAULT_MAX_STEPS),
    };
    with_interpreter_stack(move || view(&name, &text, &options))
}

/// The interactive session (`apy`, `apy -i FILE`).
fn repl(program: Option<(String, String)>, clock: ClockKind) -> i32 {
    apy::repl::run(apy::repl::Options { clock, program })
}

fn dis_file(file: PathBuf) -> i32 {
    let text = match read_program(&file) {
        Ok(text) => text,
        Err(status) => return status,
    };
    let name = file.display().to_string();
    with_interpreter_stack(move || {
        let interpreter = Interpreter::new(Box::new(StdOutput::new()));
        let source = SourceFile::new(&name, &text);
        match interpreter.compile(&source, Mode::Module) {
            Ok(code) => {
                print!("{}", disassemble(&code));
                0
            }
            Err(failure) => {
                eprint!("{}", failure.render(&source));
                1
            }
        }
    })
}
