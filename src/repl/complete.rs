//! Tab completion: keywords, built-ins, the names the session has defined,
//! and attributes after a dot (`asyncio.ga` → `asyncio.gather`).
//!
//! The interpreter's values live on the interpreter thread and cannot be
//! shared with the line editor's thread, so after each input the session
//! publishes a [`Namespace`]: plain strings, the names in scope and the
//! attribute names of each of them. Completion reads only that.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Python's keywords (those apy knows, and those it refuses by name).
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The REPL's own commands.
pub const COMMANDS: &[&str] = &[
    ":help", ":tasks", ":trace", ":dis", ":clock", ":load", ":reset",
];

/// What completion can offer, as the interpreter last described it.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    /// Global names the session has bound.
    pub globals: Vec<String>,
    /// Names of the built-ins.
    pub builtins: Vec<String>,
    /// For each global, the attribute names of its value.
    pub attributes: BTreeMap<String, Vec<String>>,
}

/// The namespace, shared between the interpreter and the editor threads.
pub type SharedNamespace = Arc<Mutex<Namespace>>;

/// Candidates for the word that ends at `pos` in `line`: the byte offset
/// where that word starts, and the full replacements, sorted.
pub fn complete(namespace: &Namespace, line: &str, pos: usize) -> (usize, Vec<String>) {
    let before = &line[..pos];
    if before.trim_start().starts_with(':') && !before.contains(' ') {
        let start = before.len() - before.trim_start().len();
        let typed = &before[start..];
        let matches = COMMANDS
            .iter()
            .filter(|c| c.starts_with(typed))
            .map(|c| c.to_string())
            .collect();
        return (start, matches);
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
        .last()
        .map_or(pos, |(i, _)| i);
    let word = &before[start..];
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return (pos, Vec::new());
    }
    match word.rfind('.') {
        Some(dot) => {
            let (base, prefix) = (&word[..dot], &word[dot + 1..]);
            let Some(attrs) = namespace.attributes.get(base) else {
                return (pos, Vec::new());
            };
            let mut found: Vec<String> = attrs
                .iter()
                .filter(|a| {
                    a.starts_with(prefix) && (prefix.starts_with('_') || !a.starts_with('_'))
                })
                .cloned()
                .collect();
            found.sort();
            found.dedup();
            (start + dot + 1, found)
        }
        None => {
            if word.is_empty() {
                return (pos, Vec::new());
            }
            let mut found: Vec<String> = KEYWORDS
                .iter()
                .map(|k| k.to_string())
                .chain(namespace.globals.iter().cloned())
                .chain(namespace.builtins.iter().cloned())
                .filter(|n| n.starts_with(word) && (word.starts_with('_') || !n.starts_with('_')))
                .collect();
            found.sort();
            found.dedup();
            (start, found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn namespace() -> Namespace {
        let mut ns = Namespace {
            globals: vec![
                "asyncio".into(),
                "main".into(),
                "counter".into(),
                "__name__".into(),
            ],
            builtins: vec!["print".into(), "len".into(), "max".into(), "min".into()],
            attributes: BTreeMap::new(),
        };
        ns.attributes.insert(
            "asyncio".into(),
            vec![
                "gather".into(),
                "get_running_loop".into(),
                "sleep".into(),
                "run".into(),
            ],
        );
        ns
    }

    #[test]
    fn names_in_scope_builtins_and_keywords() {
        let ns = namespace();
        assert_eq!(complete(&ns, "pr", 2), (0, vec!["print".to_string()]));
        assert_eq!(
            complete(&ns, "x = ma", 6),
            (4, vec!["main".into(), "max".into()])
        );
        assert_eq!(complete(&ns, "aw", 2), (0, vec!["await".to_string()]));
        assert_eq!(
            complete(&ns, "as", 2).1,
            vec!["as", "assert", "async", "asyncio"]
        );
        assert_eq!(complete(&ns, "co", 2).1, vec!["continue", "counter"]);
    }

    #[test]
    fn attributes_after_a_dot() {
        let ns = namespace();
        assert_eq!(
            complete(&ns, "await asyncio.g", 15),
            (14, vec!["gather".into(), "get_running_loop".into()])
        );
        assert_eq!(complete(&ns, "asyncio.", 8).1.len(), 4);
        assert_eq!(complete(&ns, "nothing.x", 9).1, Vec::<String>::new());
    }

    #[test]
    fn private_names_only_when_asked_for() {
        let ns = namespace();
        assert!(complete(&ns, "_", 1).1.contains(&"__name__".to_string()));
        assert!(!complete(&ns, "", 0).1.contains(&"__name__".to_string()));
    }

    #[test]
    fn commands_complete_at_the_start() {
        let ns = namespace();
        assert_eq!(
            complete(&ns, ":t", 2),
            (0, vec![":tasks".into(), ":trace".into()])
        );
        assert_eq!(complete(&ns, ":d", 2).1, vec![":dis"]);
    }

    #[test]
    fn completion_only_looks_before_the_cursor() {
        let ns = namespace();
        assert_eq!(complete(&ns, "pr(1)", 2), (0, vec!["print".to_string()]));
        assert_eq!(complete(&ns, "3.1", 3).1, Vec::<String>::new());
    }
}
