//! The layout pass: turns the flat stream of logos tokens into Python's
//! logical lines.
//!
//! Python's grammar sees indentation as tokens. This pass
//! - ends each logical line with `Newline`, and drops the newlines of blank
//!   and comment-only lines and of lines inside `()`, `[]`, `{}`;
//! - joins a line ending in `\` to the next one;
//! - compares each line's indentation with a stack of open blocks and emits
//!   `Indent`, or one zero-width `Dedent` per block that closes, exactly as
//!   CPython's tokenizer does (a tab advances to the next multiple of 8, and
//!   a line whose meaning depends on the tab size is a `TabError`);
//! - checks that brackets match, and that nothing nests deeply enough to
//!   overflow a later stage;
//! - closes every open block at the end of the file.

use logos::Logos;
use std::rc::Rc;
use unicode_ident::{is_xid_continue, is_xid_start};
use unicode_normalization::UnicodeNormalization;

use super::token::Token;
use super::{invalid_character, LexError, Spanned, MAX_NESTING};

/// CPython's limit on nested brackets (`MAXLEVEL` in its tokenizer).
const MAX_BRACKETS: usize = 200;
/// CPython's limit on nested indented blocks (`MAXINDENT`).
const MAX_INDENT: usize = 100;

/// The tokens of a source, possibly cut short by an error the parser should
/// report only if it gets that far.
pub(super) struct Tokens {
    pub tokens: Vec<Spanned>,
    pub stopped_by: Option<LexError>,
}

/// One indentation level: its column with tabs to multiples of 8, and with
/// tabs counted as 1. CPython requires both to agree on every comparison.
#[derive(Clone, Copy, PartialEq)]
struct Indentation {
    column: usize,
    tab_one_column: usize,
}

pub(super) struct Layout<'a> {
    source: &'a str,
    lexer: logos::Lexer<'a, Token>,
    tokens: Vec<Spanned>,
    /// Open brackets: the character and where it is.
    brackets: Vec<(u8, usize)>,
    indents: Vec<Indentation>,
    /// At the start of a physical line whose indentation is still unread.
    at_line_start: bool,
    /// Whether the current logical line has produced a token yet.
    line_has_tokens: bool,
    /// An f-string expression: everything is inside implicit parentheses.
    fragment: bool,
    /// Nesting-depth guard: per open bracket, the operators seen since the
    /// last comma at that level; `nesting` is their sum.
    operators_per_level: Vec<usize>,
    nesting: usize,
    /// Per open bracket, how many `lambda`s still wait for their `:`; the
    /// commas between a lambda's parameters do not end an element.
    open_lambdas: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub(super) fn new(source: &'a str, start: usize, end: usize, fragment: bool) -> Layout<'a> {
        let mut lexer = Token::lexer(&source[..end]);
        let mut start = start;
        if !fragment && source.starts_with('\u{FEFF}') {
            start = 3; // a UTF-8 byte-order mark is not part of the program
        }
        lexer.bump(start);
        Layout {
            source: &source[..end],
            lexer,
            tokens: Vec::new(),
            brackets: Vec::new(),
            indents: vec![Indentation {
                column: 0,
                tab_one_column: 0,
            }],
            at_line_start: !fragment,
            line_has_tokens: false,
            fragment,
            operators_per_level: vec![0],
            nesting: 0,
            open_lambdas: vec![0],
        }
    }

    /// An f-string's expression continues the nesting of the expression
    /// around the f-string.
    pub(super) fn start_nested(&mut self, nesting: usize) {
        // Counted in the total only: commas in the field never undo it.
        self.nesting = nesting;
    }

    /// Tokenize to the end, or to the first error. Most errors end the
    /// whole run (`Err`); the ones CPython's tokenizer only reports when the
    /// parser reaches them (a bad dedent, a `TabError`, a stray `\\`) end
    /// the token list early and come back as `stopped_by`, so that a syntax
    /// error earlier in the file is reported first, as in CPython.
    pub(super) fn run(mut self) -> Result<Tokens, LexError> {
        loop {
            if self.at_line_start && self.brackets.is_empty() {
                if let Err(error) = self.read_indentation() {
                    return Ok(self.stopped_by(error));
                }
            }
            self.lexer.extras = self.nesting;
            let Some(result) = self.lexer.next() else {
                break;
            };
            let span = self.lexer.span();
            match result {
                Ok(Token::Backslash) => {
                    if let Err(error) = self.continuation(span.end) {
                        return Ok(self.stopped_by(error));
                    }
                }
                Ok(token) => self.token(token, span.start, span.end)?,
                Err(error) if error.message.is_empty() => {
                    let c = self.source[span.start..].chars().next().unwrap_or(' ');
                    if c.is_ascii_graphic() {
                        self.token(Token::ErrorToken(c), span.start, span.end)?;
                    } else {
                        return Err(invalid_character(c, span.start));
                    }
                }
                Err(error) => return Err(error),
            }
        }
        self.end_of_file();
        Ok(Tokens {
            tokens: self.tokens,
            stopped_by: None,
        })
    }

    fn stopped_by(self, error: LexError) -> Tokens {
        Tokens {
            tokens: self.tokens,
            stopped_by: Some(error),
        }
    }

    fn push(&mut self, token: Token, start: usize, end: usize) {
        self.tokens.push((start, token, end));
    }

    fn token(&mut self, mut token: Token, start: usize, end: usize) -> Result<(), LexError> {
        match token {
            Token::Newline => {
                if self.fragment || !self.brackets.is_empty() {
                    return Ok(());
                }
                if self.line_has_tokens {
                    self.push(Token::Newline, start, end);
                    self.line_has_tokens = false;
                    self.reset_nesting();
                }
                self.at_line_start = true;
                return Ok(());
            }
            Token::Name(ref name) if !name.is_ascii() => {
                check_identifier(name, start)?;
                token = Token::Name(normalize_identifier(name));
            }
            _ => {}
        }
        self.line_has_tokens = true;
        self.guard_nesting(&token, start, end)?;
        match token {
            Token::LPar | Token::LSqb | Token::LBrace => {
                if self.brackets.len() >= MAX_BRACKETS {
                    return Err(LexError::syntax("too many nested parentheses", start, end));
                }
                let c = token.text().as_bytes()[0];
                self.brackets.push((c, start));
            }
            Token::RPar | Token::RSqb | Token::RBrace => {
                let c = token.text().as_bytes()[0];
                let Some((opening, opened_at)) = self.brackets.pop() else {
                    return Err(LexError::syntax(
                        format!("unmatched '{}'", c as char),
                        start,
                        end,
                    ));
                };
                let expected = match opening {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                };
                if c != expected {
                    let opened_line = super::line_number(self.source, opened_at);
                    let here = super::line_number(self.source, start);
                    let mut message = format!(
                        "closing parenthesis '{}' does not match opening parenthesis '{}'",
                        c as char, opening as char
                    );
                    if opened_line != here {
                        message.push_str(&format!(" on line {opened_line}"));
                    }
                    return Err(LexError::syntax(message, start, end));
                }
            }
            _ => {}
        }
        self.push(token, start, end);
        Ok(())
    }

    /// `\` must end its line; the next line continues this logical line.
    fn continuation(&mut self, end: usize) -> Result<(), LexError> {
        let rest = &self.source.as_bytes()[end..];
        let newline = match rest {
            [b'\r', b'\n', ..] => 2,
            [b'\n', ..] | [b'\r', ..] => 1,
            [] => {
                return Err(LexError::syntax(
                    "unexpected EOF while parsing",
                    end,
                    end + 1,
                ));
            }
            _ => {
                return Err(LexError::syntax(
                    "unexpected character after line continuation character",
                    end,
                    end + 1,
                ));
            }
        };
        if end + newline == self.source.len() {
            return Err(LexError::syntax(
                "unexpected EOF while parsing",
                end,
                end + 1,
            ));
        }
        self.lexer.bump(newline);
        Ok(())
    }

    /// Measure the indentation of the line starting at the lexer's
    /// position, and open or close blocks for it.
    fn read_indentation(&mut self) -> Result<(), LexError> {
        self.at_line_start = false;
        let line_start = self.lexer.span().end;
        let bytes = self.source.as_bytes();
        let mut here = Indentation {
            column: 0,
            tab_one_column: 0,
        };
        let mut pos = line_start;
        while let Some(&c) = bytes.get(pos) {
            match c {
                b' ' => {
                    here.column += 1;
                    here.tab_one_column += 1;
                }
                b'\t' => {
                    here.column = (here.column / 8 + 1) * 8;
                    here.tab_one_column += 1;
                }
                b'\x0c' => {
                    here = Indentation {
                        column: 0,
                        tab_one_column: 0,
                    }
                }
                _ => break,
            }
            pos += 1;
        }
        match bytes.get(pos) {
            // Blank and comment-only lines do not count for indentation.
            None | Some(b'#' | b'\n' | b'\r') => return Ok(()),
            _ => {}
        }
        let line_end = self.source[pos..]
            .find(['\n', '\r'])
            .map_or(self.source.len(), |i| pos + i);
        let top = *self.indents.last().unwrap_or(&here);
        let tab_error = || {
            LexError::syntax(
                "inconsistent use of tabs and spaces in indentation",
                pos,
                pos,
            )
            .with_kind_tab()
        };
        if here.column == top.column {
            if here.tab_one_column != top.tab_one_column {
                return Err(tab_error());
            }
        } else if here.column > top.column {
            // CPython allows 99 levels (`tok->indent + 1 >= MAXINDENT`).
            if self.indents.len() >= MAX_INDENT {
                let mut error = LexError::syntax("too many levels of indentation", pos, pos + 1)
                    .with_kind_indentation();
                error.no_caret = true;
                return Err(error);
            }
            if here.tab_one_column <= top.tab_one_column {
                return Err(tab_error());
            }
            self.indents.push(here);
            self.push(Token::Indent, line_start, pos);
        } else {
            while self.indents.len() > 1
                && here.column < self.indents[self.indents.len() - 1].column
            {
                self.indents.pop();
                self.push(Token::Dedent, pos, pos);
            }
            let top = self.indents[self.indents.len() - 1];
            if here.column != top.column {
                return Err(LexError::syntax(
                    "unindent does not match any outer indentation level",
                    line_end,
                    line_end + 1,
                )
                .with_kind_indentation());
            }
            if here.tab_one_column != top.tab_one_column {
                return Err(tab_error());
            }
        }
        Ok(())
    }

    fn end_of_file(&mut self) {
        let end = self.source.len();
        if self.fragment || !self.brackets.is_empty() {
            return;
        }
        if self.line_has_tokens {
            self.push(Token::Newline, end, end);
        }
        for _ in 1..self.indents.len() {
            self.push(Token::Dedent, end, end);
        }
    }

    fn reset_nesting(&mut self) {
        self.operators_per_level.clear();
        self.operators_per_level.push(0);
        self.open_lambdas.clear();
        self.open_lambdas.push(0);
        self.nesting = 0;
    }

    /// Refuse expressions nested so deeply that building, walking or
    /// dropping their tree could overflow the stack. Every token that can
    /// add a level to an expression tree counts; a comma ends an element
    /// (except between a lambda's parameters), so long flat lists cost
    /// nothing. The count is an upper bound on the depth of the tree.
    fn guard_nesting(&mut self, token: &Token, start: usize, end: usize) -> Result<(), LexError> {
        use Token::*;
        let top = self.operators_per_level.len() - 1;
        match token {
            Name(_) | Number(_) | String(_) | True | False | None | Ellipsis | Equal
            | PlusEqual | MinEqual | StarEqual | SlashEqual | PercentEqual | AmperEqual
            | VBarEqual | CircumflexEqual | LeftShiftEqual | RightShiftEqual | DoubleStarEqual
            | DoubleSlashEqual | AtEqual => {}
            Colon => {
                self.open_lambdas[top] = self.open_lambdas[top].saturating_sub(1);
            }
            Comma | Semi if self.open_lambdas[top] == 0 => {
                self.nesting -= self.operators_per_level[top];
                self.operators_per_level[top] = 0;
            }
            Comma | Semi => {}
            RPar | RSqb | RBrace => {
                if top > 0 {
                    let inner = self.operators_per_level.pop().unwrap_or(0);
                    self.open_lambdas.pop();
                    self.nesting -= inner;
                }
            }
            _ => {
                self.operators_per_level[top] += 1;
                self.nesting += 1;
                if *token == Lambda {
                    self.open_lambdas[top] += 1;
                }
                if matches!(token, LPar | LSqb | LBrace) {
                    self.operators_per_level.push(0);
                    self.open_lambdas.push(0);
                }
                if self.nesting > MAX_NESTING {
                    return Err(LexError::unsupported(
                        format!("an expression nested more than {MAX_NESTING} levels deep"),
                        start,
                        end,
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Python compares identifiers after NFKC normalization (PEP 3131): `ｘ`
/// (fullwidth) and `x` are the same name, and so are `µ` and `μ`.
fn normalize_identifier(name: &Rc<str>) -> Rc<str> {
    if name.nfkc().eq(name.chars()) {
        name.clone()
    } else {
        name.nfkc().collect::<String>().into()
    }
}

/// A non-ASCII identifier must be made of Unicode identifier characters.
fn check_identifier(name: &str, start: usize) -> Result<(), LexError> {
    for (i, c) in name.char_indices() {
        let ok = if i == 0 {
            c == '_' || is_xid_start(c)
        } else {
            is_xid_continue(c)
        };
        if !ok {
            return Err(invalid_character(c, start + i));
        }
    }
    Ok(())
}
