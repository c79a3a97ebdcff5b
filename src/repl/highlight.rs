//! Colours for the line being edited: keywords, strings, numbers and
//! comments, the `... ` prompts of a block, and the bracket that matches the
//! one at the cursor.
//!
//! The scanner here is deliberately forgiving (half-typed input is the
//! normal case) and only adds ANSI colour codes: the text keeps its width,
//! which the line editor relies on to place the cursor.

use super::complete::KEYWORDS;
use super::input::CONTINUATION;

const KEYWORD: &str = "\x1b[1;35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[2;37m";
const PROMPT: &str = "\x1b[2m";
const MATCHING_BRACKET: &str = "\x1b[1;4;34m";
const RESET: &str = "\x1b[0m";

#[derive(Clone, Copy, PartialEq, Debug)]
enum Class {
    Plain,
    Keyword,
    Str,
    Number,
    Comment,
    Prompt,
    Bracket,
}

/// `buffer` with colour codes; `cursor` is the byte offset of the cursor.
pub fn highlight(buffer: &str, cursor: usize) -> String {
    let chars: Vec<(usize, char)> = buffer.char_indices().collect();
    let mut classes = classify(&chars);
    if let Some(index) = matching_bracket(&chars, &classes, cursor) {
        classes[index] = Class::Bracket;
    }
    let mut out = String::with_capacity(buffer.len() * 2);
    let mut current = Class::Plain;
    for (i, &(_, c)) in chars.iter().enumerate() {
        let class = classes[i];
        if class != current {
            if current != Class::Plain {
                out.push_str(RESET);
            }
            out.push_str(match class {
                Class::Plain => "",
                Class::Keyword => KEYWORD,
                Class::Str => STRING,
                Class::Number => NUMBER,
                Class::Comment => COMMENT,
                Class::Prompt => PROMPT,
                Class::Bracket => MATCHING_BRACKET,
            });
            current = class;
        }
        out.push(c);
    }
    if current != Class::Plain {
        out.push_str(RESET);
    }
    out
}

/// A class for every character.
fn classify(chars: &[(usize, char)]) -> Vec<Class> {
    let mut classes = vec![Class::Plain; chars.len()];
    let prompt: Vec<char> = CONTINUATION.chars().collect();
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        let c = chars[i].1;
        if line_start && i > 0 && starts_with(chars, i, &prompt) {
            for class in &mut classes[i..i + prompt.len()] {
                *class = Class::Prompt;
            }
            i += prompt.len();
            line_start = false;
            continue;
        }
        line_start = false;
        if c == '\n' {
            line_start = true;
            i += 1;
        } else if c == '#' {
            while i < chars.len() && chars[i].1 != '\n' {
                classes[i] = Class::Comment;
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            i = string_end(chars, i, &mut classes);
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit()))
        {
            while i < chars.len() {
                let d = chars[i].1;
                let exponent_sign =
                    (d == '+' || d == '-') && i > 0 && matches!(chars[i - 1].1, 'e' | 'E');
                if d.is_ascii_alphanumeric() || d == '_' || d == '.' || exponent_sign {
                    classes[i] = Class::Number;
                    i += 1;
                } else {
                    break;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().map(|&(_, c)| c).collect();
            let prefixed_string = i < chars.len()
                && matches!(chars[i].1, '\'' | '"')
                && word.len() <= 2
                && word.chars().all(|c| "rRbBfFuU".contains(c));
            if prefixed_string {
                for class in &mut classes[start..i] {
                    *class = Class::Str;
                }
                i = string_end(chars, i, &mut classes);
            } else if KEYWORDS.contains(&word.as_str()) {
                for class in &mut classes[start..i] {
                    *class = Class::Keyword;
                }
            }
        } else {
            i += 1;
        }
    }
    classes
}

fn starts_with(chars: &[(usize, char)], at: usize, text: &[char]) -> bool {
    text.iter()
        .enumerate()
        .all(|(k, &t)| chars.get(at + k).is_some_and(|&(_, c)| c == t))
}

/// Mark the string literal starting at the quote `chars[start]`; returns
/// the index after it (the end of the text if it is not closed).
fn string_end(chars: &[(usize, char)], start: usize, classes: &mut [Class]) -> usize {
    let quote = chars[start].1;
    let triple = starts_with(chars, start, &[quote, quote, quote]);
    let quote_len = if triple { 3 } else { 1 };
    let mut i = start + quote_len;
    loop {
        if i >= chars.len() {
            break;
        }
        let c = chars[i].1;
        if c == '\\' {
            i += 2;
            continue;
        }
        if !triple && c == '\n' {
            break;
        }
        if c == quote && (!triple || starts_with(chars, i, &[quote, quote, quote])) {
            i += quote_len;
            break;
        }
        i += 1;
    }
    let end = i.min(chars.len());
    for class in &mut classes[start..end] {
        *class = Class::Str;
    }
    end
}

/// The index of the bracket matching the one just before the cursor (or,
/// failing that, under it), outside strings and comments.
fn matching_bracket(chars: &[(usize, char)], classes: &[Class], cursor: usize) -> Option<usize> {
    let at_cursor = chars.iter().position(|&(offset, _)| offset >= cursor);
    let candidates = [
        at_cursor.map_or(chars.len().checked_sub(1), |i| i.checked_sub(1)),
        at_cursor,
    ];
    for index in candidates.into_iter().flatten() {
        if classes[index] != Class::Plain {
            continue;
        }
        let c = chars[index].1;
        let (open, close, forward) = match c {
            '(' => ('(', ')', true),
            '[' => ('[', ']', true),
            '{' => ('{', '}', true),
            ')' => ('(', ')', false),
            ']' => ('[', ']', false),
            '}' => ('{', '}', false),
            _ => continue,
        };
        let mut depth = 0i32;
        let range: Box<dyn Iterator<Item = usize>> = if forward {
            Box::new(index..chars.len())
        } else {
            Box::new((0..=index).rev())
        };
        for j in range {
            if classes[j] != Class::Plain {
                continue;
            }
            let d = chars[j].1;
            if d == open {
                depth += if forward { 1 } else { -1 };
            } else if d == close {
                depth += if forward { -1 } else { 1 };
            }
            if depth == 0 {
                return (j != index).then_some(j);
            }
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in s.chars() {
            match (in_escape, c) {
                (false, '\x1b') => in_escape = true,
                (true, 'm') => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn colours_keep_the_text() {
        let line = "async def f(x='a', n=1.5e-3):  # hi\n...     return await g(x)";
        assert_eq!(strip_ansi(&highlight(line, 0)), line);
    }

    #[test]
    fn keywords_strings_numbers() {
        let out = highlight("await f('x', 42)", 0);
        assert!(out.contains(&format!("{KEYWORD}await{RESET}")));
        assert!(out.contains(&format!("{STRING}'x'{RESET}")));
        assert!(out.contains(&format!("{NUMBER}42{RESET}")));
        // A name that contains a keyword is not one.
        assert!(!highlight("awaited", 0).contains(KEYWORD));
    }

    #[test]
    fn the_matching_bracket_is_marked() {
        // Cursor just after the closing parenthesis: the opening one.
        let out = highlight("f(g(1))", 7);
        assert!(out.starts_with(&format!("f{MATCHING_BRACKET}({RESET}")));
        // Brackets inside strings do not count.
        let out = highlight("f(')')", 6);
        assert!(out.starts_with(&format!("f{MATCHING_BRACKET}({RESET}")));
        assert!(!highlight("f(1", 3).contains(MATCHING_BRACKET));
    }

    #[test]
    fn continuation_prompts_are_dimmed() {
        let out = highlight("if x:\n...     pass", 0);
        assert!(out.contains(&format!("{PROMPT}... {RESET}")));
    }
}
