//! A source file as the interpreter keeps it: its name (as tracebacks print
//! it), its text, and its line index. Code objects share one `Rc<SourceFile>`
//! so a traceback can print the line an error happened on.

use crate::span::{LineIndex, Span};
use std::rc::Rc;

#[derive(Debug)]
pub struct SourceFile {
    /// The name tracebacks print: the path as given, `<string>` for `-c`,
    /// `<stdin>` in the REPL.
    pub name: Rc<str>,
    pub text: Rc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(name: &str, text: &str) -> Rc<SourceFile> {
        Rc::new(SourceFile {
            name: Rc::from(name),
            text: Rc::from(text),
            lines: LineIndex::new(text),
        })
    }

    /// Whether CPython could show this file's lines in a traceback or a
    /// warning: not for `-c` code (`<string>`) or what was typed at the
    /// prompt or piped in (`<stdin>`), which its `linecache` cannot read.
    pub fn shows_lines(&self) -> bool {
        !matches!(self.name.as_ref(), "<string>" | "<stdin>")
    }

    pub fn line_of(&self, span: Span) -> u32 {
        self.lines.line_of(span.start)
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.line_text(&self.text, line)
    }
}
