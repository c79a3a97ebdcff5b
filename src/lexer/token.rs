//! The tokens of apy: what the lexer hands to the parser.
//!
//! `Token` is a [logos] enum: the `#[token]`/`#[regex]` attributes describe
//! the *regular* tokens (names, keywords, operators), and logos turns them
//! into one fast state machine. Numbers and strings start with a short
//! regex and are finished by hand-written scanners (`number.rs`,
//! `string.rs`), because their error messages must match CPython's. The
//! layout tokens (`Newline`, `Indent`, `Dedent`) are never matched by logos:
//! the layout pass in `layout.rs` inserts them.

use logos::Logos;
use num_bigint::BigInt;
use std::rc::Rc;

use super::number::scan_number;
use super::string::{scan_string, StringLiteral};
use super::LexError;

/// A numeric literal, already converted to its value.
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    Int(BigInt),
    Float(f64),
}

/// One token. Spans live beside it in the `(start, token, end)` triples.
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(error = LexError)]
// The extras hold how deeply the surrounding expression is already nested,
// so that the expressions inside an f-string count on from there.
#[logos(extras = usize)]
#[logos(skip r"[ \t\x0C]+")]
#[logos(skip(r"#[^\r\n]*", allow_greedy = true))]
pub enum Token {
    /// An identifier. Non-ASCII letters are allowed as in Python; the
    /// layout pass checks them against Unicode's identifier rules.
    #[regex(r"[A-Za-z_\u{80}-\u{10FFFF}][A-Za-z0-9_\u{80}-\u{10FFFF}]*", |lex| Rc::<str>::from(lex.slice()))]
    Name(Rc<str>),
    #[regex(r"[0-9]|\.[0-9]", scan_number)]
    Number(Number),
    /// A string, bytes or f-string literal (one token; adjacent literals are
    /// concatenated by the parser).
    #[regex(r#"([rRbBfFuU]|[rR][bBfF]|[bBfF][rR])?["']"#, scan_string)]
    String(Box<StringLiteral>),

    /// End of a logical line (inserted by the layout pass).
    #[regex(r"\r\n|\r|\n")]
    Newline,
    /// The start of an indented block (inserted by the layout pass).
    Indent,
    /// The end of an indented block: zero width, at the dedented line.
    Dedent,
    /// Never in the token stream of a file: the parser module puts one of
    /// these two in front of the tokens to pick what the grammar parses (a
    /// whole module, or the expression of an f-string field). One grammar
    /// with two modes keeps the generated parser half the size of two.
    StartModule,
    StartExpression,
    /// A `\` that joins the next line onto this one; the layout pass
    /// consumes it.
    #[regex(r"\\")]
    Backslash,

    // Keywords.
    #[token("False")]
    False,
    #[token("None")]
    None,
    #[token("True")]
    True,
    #[token("and")]
    And,
    #[token("as")]
    As,
    #[token("assert")]
    Assert,
    #[token("async")]
    Async,
    #[token("await")]
    Await,
    #[token("break")]
    Break,
    #[token("class")]
    Class,
    #[token("continue")]
    Continue,
    #[token("def")]
    Def,
    #[token("del")]
    Del,
    #[token("elif")]
    Elif,
    #[token("else")]
    Else,
    #[token("except")]
    Except,
    #[token("finally")]
    Finally,
    #[token("for")]
    For,
    #[token("from")]
    From,
    #[token("global")]
    Global,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("in")]
    In,
    #[token("is")]
    Is,
    #[token("lambda")]
    Lambda,
    #[token("nonlocal")]
    Nonlocal,
    #[token("not")]
    Not,
    #[token("or")]
    Or,
    #[token("pass")]
    Pass,
    #[token("raise")]
    Raise,
    #[token("return")]
    Return,
    #[token("try")]
    Try,
    #[token("while")]
    While,
    #[token("with")]
    With,
    #[token("yield")]
    Yield,

    // Brackets.
    #[token("(")]
    LPar,
    #[token(")")]
    RPar,
    #[token("[")]
    LSqb,
    #[token("]")]
    RSqb,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,

    // Operators and delimiters.
    #[token(":")]
    Colon,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("|")]
    VBar,
    #[token("&")]
    Amper,
    #[token("<")]
    Less,
    #[token(">")]
    Greater,
    #[token("=")]
    Equal,
    #[token(".")]
    Dot,
    #[token("%")]
    Percent,
    #[token("==")]
    EqEqual,
    #[token("!=")]
    NotEqual,
    #[token("<=")]
    LessEqual,
    #[token(">=")]
    GreaterEqual,
    #[token("~")]
    Tilde,
    #[token("^")]
    Circumflex,
    #[token("<<")]
    LeftShift,
    #[token(">>")]
    RightShift,
    #[token("**")]
    DoubleStar,
    #[token("+=")]
    PlusEqual,
    #[token("-=")]
    MinEqual,
    #[token("*=")]
    StarEqual,
    #[token("/=")]
    SlashEqual,
    #[token("%=")]
    PercentEqual,
    #[token("&=")]
    AmperEqual,
    #[token("|=")]
    VBarEqual,
    #[token("^=")]
    CircumflexEqual,
    #[token("<<=")]
    LeftShiftEqual,
    #[token(">>=")]
    RightShiftEqual,
    #[token("**=")]
    DoubleStarEqual,
    #[token("//")]
    DoubleSlash,
    #[token("//=")]
    DoubleSlashEqual,
    #[token("@")]
    At,
    #[token("@=")]
    AtEqual,
    #[token("->")]
    RArrow,
    #[token("...")]
    Ellipsis,
    #[token(":=")]
    ColonEqual,
    /// A character that starts no token (`$`, `?`, `` ` ``). Like CPython's
    /// tokenizer, the lexer passes it on and the parser reports "invalid
    /// syntax" when it gets there.
    ErrorToken(char),
    /// A lone `!`: not an operator in Python, but f-strings use it for
    /// conversions (`{x!r}`), and a clean token gives a clean error.
    #[token("!")]
    Exclamation,
}

impl Token {
    /// How the token is spelled in source, for error messages
    /// (`'(' was never closed`).
    pub fn text(&self) -> &'static str {
        use Token::*;
        match self {
            Name(_) => "name",
            Number(_) => "number",
            String(_) => "string",
            Newline => "newline",
            Indent => "indent",
            Dedent => "dedent",
            StartModule | StartExpression => "start",
            Backslash => "\\",
            False => "False",
            None => "None",
            True => "True",
            And => "and",
            As => "as",
            Assert => "assert",
            Async => "async",
            Await => "await",
            Break => "break",
            Class => "class",
            Continue => "continue",
            Def => "def",
            Del => "del",
            Elif => "elif",
            Else => "else",
            Except => "except",
            Finally => "finally",
            For => "for",
            From => "from",
            Global => "global",
            If => "if",
            Import => "import",
            In => "in",
            Is => "is",
            Lambda => "lambda",
            Nonlocal => "nonlocal",
            Not => "not",
            Or => "or",
            Pass => "pass",
            Raise => "raise",
            Return => "return",
            Try => "try",
            While => "while",
            With => "with",
            Yield => "yield",
            LPar => "(",
            RPar => ")",
            LSqb => "[",
            RSqb => "]",
            LBrace => "{",
            RBrace => "}",
            Colon => ":",
            Comma => ",",
            Semi => ";",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            VBar => "|",
            Amper => "&",
            Less => "<",
            Greater => ">",
            Equal => "=",
            Dot => ".",
            Percent => "%",
            EqEqual => "==",
            NotEqual => "!=",
            LessEqual => "<=",
            GreaterEqual => ">=",
            Tilde => "~",
            Circumflex => "^",
            LeftShift => "<<",
            RightShift => ">>",
            DoubleStar => "**",
            PlusEqual => "+=",
            MinEqual => "-=",
            StarEqual => "*=",
            SlashEqual => "/=",
            PercentEqual => "%=",
            AmperEqual => "&=",
            VBarEqual => "|=",
            CircumflexEqual => "^=",
            LeftShiftEqual => "<<=",
            RightShiftEqual => ">>=",
            DoubleStarEqual => "**=",
            DoubleSlash => "//",
            DoubleSlashEqual => "//=",
            At => "@",
            AtEqual => "@=",
            RArrow => "->",
            Ellipsis => "...",
            ColonEqual => ":=",
            Exclamation => "!",
            ErrorToken(_) => "error",
        }
    }

    /// True for the keywords Python reserves (they can never be names).
    pub fn is_keyword(&self) -> bool {
        use Token::*;
        matches!(
            self,
            False
                | None
                | True
                | And
                | As
                | Assert
                | Async
                | Await
                | Break
                | Class
                | Continue
                | Def
                | Del
                | Elif
                | Else
                | Except
                | Finally
                | For
                | From
                | Global
                | If
                | Import
                | In
                | Is
                | Lambda
                | Nonlocal
                | Not
                | Or
                | Pass
                | Raise
                | Return
                | Try
                | While
                | With
                | Yield
        )
    }
}
