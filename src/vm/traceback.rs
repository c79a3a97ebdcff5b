//! Printing an uncaught exception the way CPython 3.11 does:
//!
//! ```text
//! Traceback (most recent call last):
//!   File "prog.apy", line 7, in <module>
//!     main()
//!   File "prog.apy", line 4, in main
//!     return 1 / 0
//!            ~~^~~
//! ZeroDivisionError: division by zero
//! ```
//!
//! Chained exceptions print their cause or context first, separated by
//! CPython's sentences. Under each source line, markers show the failing
//! expression when it is only part of the line (`^^^^` for a call, `~~^~~`
//! for a binary operator, `~~~^^^^^` for a subscript), computed from the
//! same source text as CPython's `traceback` module computes them.

use super::object::exception::{PyErr, TracebackEntry};
use super::object::exception_group;
use super::object::types::builtin_types;
use super::suggestions::suggest;
use super::value::Value;
use super::Vm;
use crate::parser::ast::{ExprKind, StmtKind};
use crate::symbol::sym;
use std::collections::HashSet;
use std::rc::Rc;

/// CPython prints at most this many members of an exception group.
const MAX_GROUP_WIDTH: usize = 15;

/// Where the report is inside nested exception groups (CPython's
/// `_ExceptionPrintContext`): each level indents by two and draws a margin.
#[derive(Default)]
struct PrintContext {
    depth: usize,
    need_close: bool,
}

impl PrintContext {
    fn indent(&self) -> String {
        " ".repeat(2 * self.depth)
    }

    /// Write `text`, every line (blank ones too) behind the margin.
    fn emit(&self, out: &mut String, text: &str, margin: char) {
        let mut prefix = self.indent();
        if self.depth > 0 {
            prefix.push(margin);
            prefix.push(' ');
        }
        for line in text.split_inclusive('\n') {
            out.push_str(&prefix);
            out.push_str(line);
        }
    }
}

/// CPython collapses a line repeated more than this many times.
const RECURSIVE_CUTOFF: usize = 3;

impl Vm {
    /// The full report for an uncaught exception, ending with a newline.
    pub fn format_exception(&mut self, error: &PyErr) -> String {
        let mut out = String::new();
        let mut seen = HashSet::new();
        let mut ctx = PrintContext::default();
        self.format_chain(&mut out, error, &mut seen, &mut ctx);
        out
    }

    /// An exception raised where nothing can catch it (a generator closed
    /// when freed), as `sys.unraisablehook` prints it after "Exception
    /// ignored in": its traceback and itself, without its cause or context.
    pub fn format_unraisable(&mut self, error: &PyErr) -> String {
        let mut out = String::new();
        let mut seen: HashSet<usize> =
            [error.cause.borrow().clone(), error.context.borrow().clone()]
                .into_iter()
                .flatten()
                .map(|linked| Rc::as_ptr(&linked) as usize)
                .collect();
        let mut ctx = PrintContext::default();
        self.format_chain(&mut out, error, &mut seen, &mut ctx);
        out
    }

    /// `error` after its cause or context, as CPython's
    /// `TracebackException.format` lays it out; inside an exception group
    /// every line carries the group's margin.
    fn format_chain(
        &mut self,
        out: &mut String,
        error: &PyErr,
        seen: &mut HashSet<usize>,
        ctx: &mut PrintContext,
    ) {
        seen.insert(Rc::as_ptr(error) as usize);
        let cause = error.cause.borrow().clone();
        let context = error.context.borrow().clone();
        if let Some(cause) = cause {
            if !seen.contains(&(Rc::as_ptr(&cause) as usize)) {
                self.format_chain(out, &cause, seen, ctx);
                ctx.emit(
                    out,
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                    '|',
                );
            }
        } else if let Some(context) = context {
            if !error.suppress_context.get() && !seen.contains(&(Rc::as_ptr(&context) as usize)) {
                self.format_chain(out, &context, seen, ctx);
                ctx.emit(
                    out,
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                    '|',
                );
            }
        }
        let entries: Vec<TracebackEntry> = error.traceback.borrow().iter().rev().cloned().collect();
        let mut stack = String::new();
        format_entries(&mut stack, &entries);
        if !exception_group::is_group_class(&error.class) {
            if !entries.is_empty() {
                ctx.emit(out, "Traceback (most recent call last):\n", '|');
                ctx.emit(out, &stack, '|');
            }
            let summary = self.exception_summary(error) + "\n";
            ctx.emit(out, &summary, '|');
            return;
        }
        // An exception group: its own traceback, then each sub-exception
        // in a numbered box.
        let top_level = ctx.depth == 0;
        if top_level {
            ctx.depth += 1;
        }
        if !entries.is_empty() {
            let margin = if top_level { '+' } else { '|' };
            ctx.emit(
                out,
                "Exception Group Traceback (most recent call last):\n",
                margin,
            );
            ctx.emit(out, &stack, '|');
        }
        let summary = self.exception_summary(error) + "\n";
        ctx.emit(out, &summary, '|');
        let members = exception_group::exceptions(error);
        let n = members.len().min(MAX_GROUP_WIDTH + 1);
        ctx.need_close = false;
        for (i, member) in members.iter().take(n).enumerate() {
            let last = i == n - 1;
            if last {
                ctx.need_close = true;
            }
            let truncated = i >= MAX_GROUP_WIDTH;
            let title = if truncated {
                "...".to_string()
            } else {
                (i + 1).to_string()
            };
            out.push_str(&ctx.indent());
            out.push_str(if i == 0 { "+-" } else { "  " });
            out.push_str(&format!("+---------------- {title} ----------------\n"));
            ctx.depth += 1;
            if truncated {
                let more = members.len() - MAX_GROUP_WIDTH;
                let text = format!(
                    "and {more} more exception{}\n",
                    if more == 1 { "" } else { "s" }
                );
                ctx.emit(out, &text, '|');
            } else {
                self.format_chain(out, member, seen, ctx);
            }
            if last && ctx.need_close {
                out.push_str(&ctx.indent());
                out.push_str("+------------------------------------\n");
                ctx.need_close = false;
            }
            ctx.depth -= 1;
        }
        if top_level {
            ctx.depth = 0;
        }
    }

    /// The last line of a traceback: `ValueError: bad value`.
    pub fn exception_summary(&mut self, error: &PyErr) -> String {
        // CPython leaves out the module of classes from `__main__`.
        let name = if error.class.is_main() {
            error.class.name.to_string()
        } else {
            error.class.qualified_name()
        };
        let mut message = self
            .str_of(&crate::vm::value::Value::Exception(error.clone()))
            .unwrap_or_else(|_| "<exception str() failed>".into());
        if let Some(suggestion) = self.suggestion_for(error) {
            message.push_str(&format!(". Did you mean: '{suggestion}'?"));
        }
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    }
}

impl Vm {
    /// CPython's "Did you mean" for an uncaught `NameError` (names of the
    /// innermost frame, then its globals, then the built-ins) or
    /// `AttributeError` (the object's attributes).
    fn suggestion_for(&mut self, error: &PyErr) -> Option<String> {
        let class = &error.class;
        let types = builtin_types();
        let wanted = match error.get_attr(sym::name)? {
            Value::Str(s) => s.as_str().to_string(),
            _ => return None,
        };
        if Rc::ptr_eq(class, &types.exceptions.name_error) {
            let entry = error.traceback.borrow().first().cloned()?;
            let locals: Vec<String> = entry.code.varnames.iter().map(|n| n.to_string()).collect();
            if let Some(s) = suggest(&wanted, &locals) {
                return Some(s.to_string());
            }
            let globals: Vec<String> = entry
                .globals
                .bound()
                .iter()
                .map(|(n, _)| n.text().to_string())
                .collect();
            if let Some(s) = suggest(&wanted, &globals) {
                return Some(s.to_string());
            }
            let builtins: Vec<String> =
                self.builtin_names().iter().map(|n| n.to_string()).collect();
            return suggest(&wanted, &builtins).map(str::to_string);
        }
        if Rc::ptr_eq(class, &types.exceptions.attribute_error) {
            let obj = error.get_attr(sym::obj)?;
            let names = self.dir_names(&obj);
            return suggest(&wanted, &names).map(str::to_string);
        }
        None
    }
}

fn format_entries(out: &mut String, entries: &[TracebackEntry]) {
    let mut last: Option<(usize, u32)> = None;
    let mut repeats = 0;
    for entry in entries {
        let key = (Rc::as_ptr(&entry.code) as usize, entry.line);
        if last == Some(key) {
            repeats += 1;
            if repeats >= RECURSIVE_CUTOFF {
                continue;
            }
        } else {
            flush_repeats(out, repeats);
            repeats = 0;
            last = Some(key);
        }
        format_entry(out, entry);
    }
    flush_repeats(out, repeats);
}

fn flush_repeats(out: &mut String, repeats: usize) {
    if repeats >= RECURSIVE_CUTOFF {
        let more = repeats - RECURSIVE_CUTOFF + 1;
        out.push_str(&format!(
            "  [Previous line repeated {more} more time{}]\n",
            if more > 1 { "s" } else { "" }
        ));
    }
}

fn format_entry(out: &mut String, entry: &TracebackEntry) {
    let source = &entry.code.source;
    out.push_str(&format!(
        "  File \"{}\", line {}, in {}\n",
        source.name, entry.line, entry.code.name
    ));
    if !source.shows_lines() {
        return;
    }
    let line_text = source.line_text(entry.line);
    let stripped = line_text.trim();
    if stripped.is_empty() {
        return;
    }
    out.push_str("    ");
    out.push_str(stripped);
    out.push('\n');
    if let Some(markers) = caret_line(&source.text, &source.lines, entry, line_text) {
        out.push_str(&markers);
    }
}

/// The marker line under a source line, or `None` when the failing
/// expression is the whole line (then CPython prints no markers).
fn caret_line(
    text: &str,
    lines: &crate::span::LineIndex,
    entry: &TracebackEntry,
    line_text: &str,
) -> Option<String> {
    let span = entry.span;
    if span.end <= span.start {
        return None;
    }
    let line_start = lines.line_start(entry.line) as usize;
    let indent = line_text.chars().count() - line_text.trim_start().chars().count();
    let stripped_len = line_text.trim().chars().count();
    let start = (span.start as usize).max(line_start);
    let start_col = text.get(line_start..start)?.chars().count();
    let same_line = lines.line_of(span.end) == entry.line;
    let end_col = if same_line {
        text.get(line_start..span.end as usize)?.chars().count()
    } else {
        indent + stripped_len
    };
    let segment = if same_line {
        text.get(start..span.end as usize)?
    } else {
        ""
    };
    let anchors = if same_line { anchors_of(segment) } else { None };
    let width = end_col.saturating_sub(start_col);
    let shows_part = width < stripped_len || anchors.is_some_and(|(l, r)| r > l);
    if !shows_part || start_col < indent {
        return None;
    }
    let mut row = String::from("    ");
    row.push_str(&" ".repeat(start_col - indent));
    match anchors {
        Some((left, right)) => {
            row.push_str(&"~".repeat(left));
            row.push_str(&"^".repeat(right - left));
            row.push_str(&"~".repeat(width.saturating_sub(right)));
        }
        None => row.push_str(&"^".repeat(width)),
    }
    row.push('\n');
    Some(row)
}

/// CPython's `_extract_caret_anchors_from_line_segment`: for a binary
/// operation, the operator is marked `^` and the operands `~`; for a
/// subscript, the brackets and index are `^` and the value `~`. Returns
/// the (left, right) character offsets of the `^` run within `segment`.
fn anchors_of(segment: &str) -> Option<(usize, usize)> {
    let module = crate::parser::parse_module(segment).ok()?;
    let [stmt] = module.body.as_slice() else {
        return None;
    };
    let StmtKind::Expr(expr) = &stmt.kind else {
        return None;
    };
    let chars = |byte: u32| segment.get(..byte as usize).map(|s| s.chars().count());
    let seg: Vec<char> = segment.chars().collect();
    match &expr.kind {
        ExprKind::BinOp { left, right, .. } => {
            let operator_start = chars(left.span.end)?;
            let operator_end = chars(right.span.start)?;
            let operator: String = seg.get(operator_start..operator_end)?.iter().collect();
            let offset = operator.chars().count() - operator.trim_start().chars().count();
            let mut left_anchor = operator_start + offset;
            let mut right_anchor = left_anchor + 1;
            let op_chars: Vec<char> = operator.chars().collect();
            if offset + 1 < op_chars.len() && !op_chars[offset + 1].is_whitespace() {
                right_anchor += 1;
            }
            while left_anchor < seg.len()
                && (seg[left_anchor].is_whitespace() || ")#".contains(seg[left_anchor]))
            {
                left_anchor += 1;
                right_anchor += 1;
            }
            Some((left_anchor, right_anchor))
        }
        ExprKind::Subscript { value, index } => {
            let mut left_anchor = chars(value.span.end)?;
            let mut right_anchor = chars(index.span.end)? + 1;
            while left_anchor < seg.len()
                && (seg[left_anchor].is_whitespace() || seg[left_anchor] != '[')
            {
                left_anchor += 1;
            }
            while right_anchor < seg.len()
                && (seg[right_anchor].is_whitespace() || seg[right_anchor] != ']')
            {
                right_anchor += 1;
            }
            if right_anchor < seg.len() {
                right_anchor += 1;
            }
            Some((left_anchor, right_anchor))
        }
        _ => None,
    }
}
