//! Where a program's output goes.
//!
//! `print` and tracebacks write through an [`Output`], so the same VM can
//! write to the terminal (`apy run`), into buffers (the tests, the stepper's
//! recording) or through the REPL's printer. Standard output is buffered and
//! flushed before anything is written to standard error, so a traceback
//! always appears after the output that preceded it.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

pub trait Output {
    fn write_stdout(&mut self, text: &str);
    fn write_stderr(&mut self, text: &str);
    fn flush(&mut self);
}

/// The process's real standard output and error.
pub struct StdOutput {
    stdout: std::io::BufWriter<std::io::Stdout>,
}

impl StdOutput {
    pub fn new() -> StdOutput {
        StdOutput {
            stdout: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
        }
    }
}

impl Default for StdOutput {
    fn default() -> Self {
        StdOutput::new()
    }
}

impl Output for StdOutput {
    fn write_stdout(&mut self, text: &str) {
        // A closed pipe (`apy prog | head`) is not the program's error.
        let _ = self.stdout.write_all(text.as_bytes());
    }

    fn write_stderr(&mut self, text: &str) {
        let _ = self.stdout.flush();
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    fn flush(&mut self) {
        let _ = self.stdout.flush();
    }
}

impl Drop for StdOutput {
    fn drop(&mut self) {
        let _ = self.stdout.flush();
    }
}

/// Output kept in memory, for tests and recordings.
#[derive(Clone, Default)]
pub struct CapturedOutput {
    pub stdout: Rc<RefCell<String>>,
    pub stderr: Rc<RefCell<String>>,
}

impl CapturedOutput {
    pub fn new() -> CapturedOutput {
        CapturedOutput::default()
    }

    pub fn stdout_text(&self) -> String {
        self.stdout.borrow().clone()
    }

    pub fn stderr_text(&self) -> String {
        self.stderr.borrow().clone()
    }
}

impl Output for CapturedOutput {
    fn write_stdout(&mut self, text: &str) {
        self.stdout.borrow_mut().push_str(text);
    }

    fn write_stderr(&mut self, text: &str) {
        self.stderr.borrow_mut().push_str(text);
    }

    fn flush(&mut self) {}
}
