//! What the user typed at the prompt, and whether it is finished.
//!
//! The line editor keeps a multi-line block in one buffer, each line after
//! the first starting with the `... ` prompt (so the block reads as it does
//! in CPython's REPL, and comes back whole from the history). The code is
//! the buffer with those prompts taken off; the parser's
//! [`check_complete`](crate::parser::check_complete) then decides, as
//! CPython's `codeop` does, whether Enter runs it or asks for another line.

use crate::parser::{check_complete, Completeness};

/// The first-line prompt.
pub const PROMPT: &str = ">>> ";
/// The prompt of every following line of a block.
pub const CONTINUATION: &str = "... ";

/// What a buffer holds.
#[derive(Clone, Debug, PartialEq)]
pub enum InputKind {
    /// Nothing but blanks: show a fresh prompt.
    Empty,
    /// A `:` command (`:help`, `:tasks`, ...).
    Command(String),
    /// Code that is complete (or cannot become valid): run it.
    Complete(String),
    /// Code that needs another line.
    Incomplete,
}

/// The code in an editor buffer: the continuation prompts removed.
pub fn strip_prompts(buffer: &str) -> String {
    let mut code = String::with_capacity(buffer.len());
    for (i, line) in buffer.split('\n').enumerate() {
        if i > 0 {
            code.push('\n');
            code.push_str(line.strip_prefix(CONTINUATION).unwrap_or(line));
        } else {
            code.push_str(line);
        }
    }
    code
}

/// Decide what an editor buffer is.
pub fn classify(buffer: &str) -> InputKind {
    let code = strip_prompts(buffer);
    if code.trim().is_empty() {
        return InputKind::Empty;
    }
    let trimmed = code.trim_start();
    if trimmed.starts_with(':') && !code.contains('\n') {
        return InputKind::Command(trimmed.trim_end().to_string());
    }
    let needs_more = match check_complete(&code) {
        Completeness::Incomplete => true,
        // A block header on the last line (`for i in x:` inside a `def`)
        // is waiting for its body, which the next line brings.
        Completeness::Invalid(error) => {
            error.message.starts_with("expected an indented block")
                && error.line == Some(code.split('\n').count() as u32)
        }
        Completeness::Complete => false,
    };
    if needs_more && (!ends_with_blank_line(&code) || inside_open_construct(&code)) {
        InputKind::Incomplete
    } else {
        InputKind::Complete(code)
    }
}

/// CPython's REPL ends a block at an empty line: `if x:` followed by one
/// is an `IndentationError`, not a request for more.
fn ends_with_blank_line(code: &str) -> bool {
    code.contains('\n')
        && code
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
}

/// An open bracket or triple-quoted string goes on across empty lines.
fn inside_open_construct(code: &str) -> bool {
    let without_blank = code.trim_end_matches([' ', '\t', '\n']);
    matches!(check_complete(without_blank), Completeness::Incomplete)
        && open_brackets(without_blank).is_none_or(|open| !open.is_empty())
}

/// The brackets still open at the end of `code`, innermost last, or
/// `None` when a string is left open (then the caller cannot tell).
pub fn open_brackets(code: &str) -> Option<Vec<char>> {
    let mut stack = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' | '"' => {
                let triple = i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c;
                let quote_len = if triple { 3 } else { 1 };
                i += quote_len;
                loop {
                    if i >= chars.len() {
                        return None;
                    }
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if !triple && chars[i] == '\n' {
                        break;
                    }
                    if chars[i] == c
                        && (!triple
                            || (i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c))
                    {
                        i += quote_len;
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' if stack.last() == Some(&opening(c)) => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    Some(stack)
}

fn opening(close: char) -> char {
    match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}

/// The bracket that closes `open`.
pub fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(buffer: &str) -> &'static str {
        match classify(buffer) {
            InputKind::Empty => "empty",
            InputKind::Command(_) => "command",
            InputKind::Complete(_) => "complete",
            InputKind::Incomplete => "incomplete",
        }
    }

    #[test]
    fn simple_statements_are_complete() {
        assert_eq!(kind("1 + 2"), "complete");
        assert_eq!(kind("x = 5"), "complete");
        assert_eq!(kind("await asyncio.sleep(1)"), "complete");
        assert_eq!(kind("print('a')"), "complete");
    }

    #[test]
    fn blocks_wait_for_a_blank_line() {
        assert_eq!(kind("async def f():"), "incomplete");
        assert_eq!(kind("async def f():\n...     return 1"), "incomplete");
        assert_eq!(kind("async def f():\n...     return 1\n... "), "complete");
        assert_eq!(kind("if x: pass"), "incomplete");
        assert_eq!(kind("if x: pass\n... "), "complete");
        assert_eq!(
            kind("for i in range(3):\n...     print(i)\n... "),
            "complete"
        );
    }

    #[test]
    fn nested_block_headers_wait_for_their_body() {
        let header = "async def ticker():\n...     for i in range(3):";
        assert_eq!(kind(header), "incomplete");
        assert_eq!(kind(&format!("{header}\n...         pass")), "incomplete");
        assert_eq!(
            kind(&format!("{header}\n...         pass\n... ")),
            "complete"
        );
        assert_eq!(
            kind("def f():\n...     if x:\n...         if y:"),
            "incomplete"
        );
        // An empty line ends it, and the error is reported.
        assert_eq!(kind(&format!("{header}\n... ")), "complete");
    }

    #[test]
    fn a_blank_line_ends_even_an_empty_block() {
        // CPython reports the IndentationError instead of waiting forever.
        assert_eq!(kind("if x:\n... "), "complete");
    }

    #[test]
    fn brackets_and_strings_go_on() {
        assert_eq!(kind("print(1,"), "incomplete");
        assert_eq!(kind("print(1,\n... "), "incomplete");
        assert_eq!(kind("print(1,\n... 2)"), "complete");
        assert_eq!(kind("s = '''abc"), "incomplete");
        assert_eq!(kind("s = '''abc\n... "), "incomplete");
        assert_eq!(kind("s = '''abc\n... '''"), "complete");
        assert_eq!(kind("x = 1 + \\"), "incomplete");
    }

    #[test]
    fn errors_are_complete_so_they_are_reported() {
        assert_eq!(kind("x = = 1"), "complete");
        assert_eq!(kind("print(1))"), "complete");
    }

    #[test]
    fn commands_and_empty_input() {
        assert_eq!(kind(""), "empty");
        assert_eq!(kind("   "), "empty");
        assert_eq!(kind(":tasks"), "command");
        assert_eq!(classify(" :dis f "), InputKind::Command(":dis f".into()));
    }

    #[test]
    fn prompts_are_stripped_from_continuation_lines_only() {
        assert_eq!(
            strip_prompts("def f():\n...     return 1\n... "),
            "def f():\n    return 1\n"
        );
        assert_eq!(strip_prompts("x = '... '"), "x = '... '");
        assert_eq!(strip_prompts("if x:\n    y"), "if x:\n    y");
    }

    #[test]
    fn open_brackets_skip_strings_and_comments() {
        assert_eq!(open_brackets("f(a[1], {"), Some(vec!['(', '{']));
        assert_eq!(open_brackets("f(')') # (\n"), Some(vec![]));
        assert_eq!(open_brackets("'''abc"), None);
    }
}
