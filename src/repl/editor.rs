//! The line editor: rustyline, with a helper that knows Python.
//!
//! [`ReplHelper`] ties the pieces to rustyline's traits: the validator
//! ([`input::classify`], the parser's `is_complete`) decides whether Enter
//! runs the buffer; the completer offers names ([`complete`]); the
//! highlighter colours it ([`highlight`]); the hinter shows, greyed after
//! the cursor, the brackets still to close. Enter itself is bound to a
//! handler that, for an unfinished block, starts the next line with the
//! `... ` prompt.

use super::complete::{self, SharedNamespace};
use super::highlight;
use super::input::{self, InputKind, CONTINUATION};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, CompletionType, ConditionalEventHandler, Config, Context, Editor, Event, EventContext,
    EventHandler, Helper, KeyCode, KeyEvent, Modifiers, RepeatCount,
};
use std::borrow::Cow;
use std::path::PathBuf;

/// The editor the REPL reads with.
pub type ReplEditor = Editor<ReplHelper, DefaultHistory>;

/// rustyline's hooks for Python input.
pub struct ReplHelper {
    pub namespace: SharedNamespace,
}

impl Helper for ReplHelper {}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let line_start = line[..pos].rfind('\n').map_or(0, |i| i + 1);
        let typed_on_line = &line[line_start..pos];
        let typed_on_line = typed_on_line
            .strip_prefix(CONTINUATION)
            .unwrap_or(typed_on_line);
        if typed_on_line.trim().is_empty() {
            // Tab at the start of a line indents, as in CPython's REPL.
            let pair = Pair {
                display: "    ".into(),
                replacement: "    ".into(),
            };
            return Ok((pos, vec![pair]));
        }
        let namespace = match self.namespace.lock() {
            Ok(ns) => ns.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let (start, names) = complete::complete(&namespace, line, pos);
        let pairs = names
            .into_iter()
            .map(|n| Pair {
                display: n.clone(),
                replacement: n,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    /// At the end of the input, the brackets it still has to close.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.trim_start().starts_with(':') {
            return None;
        }
        let open = input::open_brackets(&input::strip_prompts(line))?;
        if open.is_empty() {
            return None;
        }
        Some(open.iter().rev().map(|&c| input::closing(c)).collect())
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if line.trim_start().starts_with(':') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight::highlight(line, pos))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
    }

    fn highlight_char(&self, line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Colours and the matching bracket depend on the whole buffer.
        !line.is_empty()
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match input::classify(ctx.input()) {
            InputKind::Incomplete => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

/// Enter: run the buffer if it is complete, else open a `... ` line.
struct EnterHandler;

impl ConditionalEventHandler for EnterHandler {
    fn handle(
        &self,
        _event: &Event,
        _count: RepeatCount,
        _positive: bool,
        ctx: &EventContext,
    ) -> Option<Cmd> {
        match input::classify(ctx.line()) {
            InputKind::Incomplete => Some(Cmd::Insert(1, format!("\n{CONTINUATION}"))),
            _ => Some(Cmd::AcceptLine),
        }
    }
}

/// Where the history is kept across sessions: `apy/history` in the user's
/// data directory (`$XDG_DATA_HOME`, or `~/.local/share`).
pub fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("apy").join("history"))
}

/// A configured editor, its history loaded.
pub fn new_editor(namespace: SharedNamespace) -> rustyline::Result<ReplEditor> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(5000)?
        .build();
    let mut editor = ReplEditor::with_config(config)?;
    editor.set_helper(Some(ReplHelper { namespace }));
    // Enter, and Ctrl-J: what a line typed ahead while code ran ends with
    // (the terminal was not in raw mode, so it turned Enter into `\n`).
    for key in [
        KeyEvent(KeyCode::Enter, Modifiers::NONE),
        KeyEvent::ctrl('J'),
    ] {
        editor.bind_sequence(key, EventHandler::Conditional(Box::new(EnterHandler)));
    }
    if let Some(path) = history_path() {
        let _ = editor.load_history(&path);
    }
    Ok(editor)
}

/// Remember an input, in this session and in the history file. A block is
/// kept whole, with its prompts and the empty line that ended it, so that
/// recalling it and pressing Enter runs it again.
pub fn remember(editor: &mut ReplEditor, buffer: &str) {
    if buffer.trim().is_empty() {
        return;
    }
    let _ = editor.add_history_entry(buffer);
    if let Some(path) = history_path() {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(&path);
    }
}
