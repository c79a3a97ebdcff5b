//! Where the REPL's output goes: through rustyline's `ExternalPrinter`.
//!
//! A background task may print while the user is typing. Written straight
//! to the terminal, its text would land in the middle of the line being
//! edited; the external printer instead clears the prompt line, prints the
//! text, and draws the prompt and the half-typed input again below it.
//! While code runs (no prompt shown), the printer writes directly.
//!
//! Standard output is line-buffered, as CPython's is on a terminal: whole
//! lines go out as they are completed, the rest when the interpreter flushes
//! (at the end of each input, before it waits). Standard error goes out at
//! once, after any buffered standard output, so the order is kept.

use crate::vm::output::Output;
use rustyline::ExternalPrinter;

pub struct PrinterOutput {
    printer: Box<dyn ExternalPrinter + Send>,
    pending: String,
}

impl PrinterOutput {
    pub fn new(printer: Box<dyn ExternalPrinter + Send>) -> PrinterOutput {
        PrinterOutput {
            printer,
            pending: String::new(),
        }
    }

    fn send(&mut self, text: String) {
        // The terminal went away: there is nobody left to tell.
        let _ = self.printer.print(text);
    }
}

impl Output for PrinterOutput {
    fn write_stdout(&mut self, text: &str) {
        self.pending.push_str(text);
        if let Some(end) = self.pending.rfind('\n') {
            let rest = self.pending.split_off(end + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.send(lines);
        }
    }

    fn write_stderr(&mut self, text: &str) {
        self.flush();
        self.send(text.to_string());
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let text = std::mem::take(&mut self.pending);
            self.send(text);
        }
    }
}
