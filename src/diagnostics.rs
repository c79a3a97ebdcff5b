//! Compile-time error reports: `SyntaxError`, `IndentationError` and
//! `TabError`, including apy's refusals of constructs outside its subset
//! (`SyntaxError: 'match' is not supported by apy (line 4)`).
//!
//! The lexer, the parser and the compiler all produce a [`SyntaxDiagnostic`];
//! [`SyntaxDiagnostic::render`] lays it out exactly as CPython 3.11 prints an
//! uncaught syntax error:
//!
//! ```text
//!   File "prog.apy", line 1
//!     x = (1 +
//!         ^
//! SyntaxError: '(' was never closed
//! ```

use crate::span::{LineIndex, Span};

/// Which exception class CPython would raise for this compile-time error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl SyntaxErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
        }
    }
}

/// One compile-time error: what went wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxDiagnostic {
    pub kind: SyntaxErrorKind,
    /// The message after `SyntaxError: `, as CPython words it.
    pub message: String,
    /// Where the carets go. An empty span still gets one caret.
    pub span: Span,
    /// CPython prints no caret line for some errors (`unexpected indent`).
    pub show_caret: bool,
    /// The line CPython reports. Usually the line of `span.start`, but some
    /// errors are reported elsewhere (an unterminated triple-quoted string is
    /// reported at its first line, detected at the last).
    pub line: Option<u32>,
}

impl SyntaxDiagnostic {
    pub fn new(kind: SyntaxErrorKind, message: impl Into<String>, span: Span) -> Self {
        SyntaxDiagnostic {
            kind,
            message: message.into(),
            span,
            show_caret: true,
            line: None,
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Self {
        Self::new(SyntaxErrorKind::SyntaxError, message, span)
    }

    pub fn indentation(message: impl Into<String>, span: Span) -> Self {
        Self::new(SyntaxErrorKind::IndentationError, message, span)
    }

    /// apy's refusal of a construct outside its subset.
    pub fn unsupported(construct: &str, span: Span, source: &str) -> Self {
        let line = LineIndex::new(source).line_of(span.start);
        Self::syntax(
            format!("{construct} is not supported by apy (line {line})"),
            span,
        )
    }

    /// [`SyntaxDiagnostic::unsupported`] for a construct named in the plural:
    /// `complex numbers are not supported by apy (line 3)`.
    pub fn unsupported_plural(constructs: &str, span: Span, source: &str) -> Self {
        let line = LineIndex::new(source).line_of(span.start);
        Self::syntax(
            format!("{constructs} are not supported by apy (line {line})"),
            span,
        )
    }

    pub fn without_caret(mut self) -> Self {
        self.show_caret = false;
        self
    }

    /// The 1-based line this error is reported at.
    pub fn line_number(&self, source: &str) -> u32 {
        self.line
            .unwrap_or_else(|| LineIndex::new(source).line_of(self.span.start))
    }

    /// The last line of the report: `SyntaxError: invalid syntax`.
    pub fn summary(&self) -> String {
        format!("{}: {}", self.kind.name(), self.message)
    }

    /// The full report in CPython's layout, ending with a newline.
    pub fn render(&self, filename: &str, source: &str) -> String {
        let index = LineIndex::new(source);
        let line = self.line_number(source);
        let mut out = format!("  File \"{filename}\", line {line}\n");
        let text = index.line_text(source, line);
        let stripped = text.trim_start();
        if !stripped.is_empty() {
            out.push_str("    ");
            out.push_str(stripped.trim_end());
            out.push('\n');
            if self.show_caret {
                let indent = text.chars().count() - stripped.chars().count();
                let line_start = index.line_start(line);
                let start = self.span.start.max(line_start);
                let col = index.column_of(source, start) as usize;
                let col = col.saturating_sub(indent);
                let end_col = if index.line_of(self.span.end) == line && self.span.end > start {
                    (index.column_of(source, self.span.end) as usize).saturating_sub(indent)
                } else {
                    col + 1
                };
                let width = end_col.saturating_sub(col).max(1);
                out.push_str("    ");
                out.push_str(&" ".repeat(col));
                out.push_str(&"^".repeat(width));
                out.push('\n');
            }
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_cpython() {
        let src = "x = (1 +\n";
        let d = SyntaxDiagnostic::syntax("'(' was never closed", Span::new(4, 5));
        assert_eq!(
            d.render("a.py", src),
            "  File \"a.py\", line 1\n    x = (1 +\n        ^\nSyntaxError: '(' was never closed\n"
        );
    }

    #[test]
    fn strips_indentation_and_spans_carets() {
        let src = "def f():\n    await x\n";
        let d = SyntaxDiagnostic::syntax("'await' outside async function", Span::new(13, 20));
        assert_eq!(
            d.render("a.py", src),
            "  File \"a.py\", line 2\n    await x\n    ^^^^^^^\nSyntaxError: 'await' outside async function\n"
        );
    }
}
