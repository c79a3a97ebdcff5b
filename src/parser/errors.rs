//! Turning a parse failure into CPython's `SyntaxError`.
//!
//! lalrpop reports *where* the parse failed (the unexpected token) and which
//! tokens would have been accepted there. CPython 3.11 words its errors with
//! a second, more careful pass over the tokens (the `invalid_*` rules of its
//! grammar); this module recognises the common situations from the tokens
//! around the failure and uses CPython's words for them:
//!
//! - a block header with no indented block ("expected an indented block
//!   after 'if' statement on line 3"), an `INDENT` nobody expected
//!   ("unexpected indent"), a missing `:` ("expected ':'");
//! - a bracket still open at the end of the file ("'(' was never closed");
//! - two expressions side by side inside brackets ("invalid syntax. Perhaps
//!   you forgot a comma?"), `print "x"`, `f(a.b=1)`, `{1: }`;
//! - constructs apy refuses by name: `:=`, `match`, `except*`.
//!
//! Everything else is "invalid syntax" at the offending token, which is
//! also what CPython falls back to.

use lalrpop_util::ParseError;

use crate::diagnostics::{SyntaxDiagnostic, SyntaxErrorKind};
use crate::lexer::{Spanned, Token};
use crate::span::{LineIndex, Span};

/// Explain a parse error in CPython's words.
pub(super) fn explain(
    error: ParseError<usize, Token, SyntaxDiagnostic>,
    tokens: &[Spanned],
    source: &str,
    in_fstring: bool,
) -> SyntaxDiagnostic {
    let (at, expected) = match error {
        ParseError::User { error } => return after_literals(error, tokens),
        ParseError::InvalidToken { location } => {
            return SyntaxDiagnostic::syntax("invalid syntax", Span::new(location, location + 1));
        }
        ParseError::UnrecognizedEof { expected, .. } => (tokens.len(), expected),
        ParseError::UnrecognizedToken {
            token: (start, token, end),
            expected,
        } => {
            let at = tokens
                .iter()
                .position(|(s, t, e)| *s == start && *e == end && *t == token)
                .unwrap_or(tokens.len());
            (at, expected)
        }
        ParseError::ExtraToken {
            token: (start, token, end),
        } => {
            let at = tokens
                .iter()
                .position(|(s, t, e)| *s == start && *e == end && *t == token)
                .unwrap_or(tokens.len());
            (at, vec![])
        }
    };
    // CPython joins (and checks) adjacent string literals before it looks
    // at the token after them, and its error recovery parses the literals
    // at the failure too: an error inside those literals comes first.
    if let Some(error) =
        literal_error_before(at, tokens, source).or_else(|| literal_error_from(at, tokens, source))
    {
        return after_literals(error, tokens);
    }
    let context = Context {
        tokens,
        source,
        at,
        expected,
        index: LineIndex::new(source),
        in_fstring,
    };
    context.explain()
}

/// Did the parser run out of tokens (rather than fail on one)? When the
/// lexer cut the tokens short, its error is then the one to report.
pub(super) fn reached_the_end(error: &ParseError<usize, Token, SyntaxDiagnostic>) -> bool {
    matches!(error, ParseError::UnrecognizedEof { .. })
}

/// The error, if any, in the string literals just before token `at`.
fn literal_error_before(at: usize, tokens: &[Spanned], source: &str) -> Option<SyntaxDiagnostic> {
    let end = at.min(tokens.len());
    let mut start = end;
    while start > 0 && matches!(tokens[start - 1].1, Token::String(_)) {
        start -= 1;
    }
    literal_error(&tokens[start..end], source)
}

/// The error, if any, in the string literals starting at token `at`.
fn literal_error_from(at: usize, tokens: &[Spanned], source: &str) -> Option<SyntaxDiagnostic> {
    let start = at.min(tokens.len());
    let mut end = start;
    while end < tokens.len() && matches!(tokens[end].1, Token::String(_)) {
        end += 1;
    }
    literal_error(&tokens[start..end], source)
}

/// The error, if any, in joining the string tokens `group`.
fn literal_error(group: &[Spanned], source: &str) -> Option<SyntaxDiagnostic> {
    if group.is_empty() {
        return None;
    }
    let group = group
        .iter()
        .filter_map(|(s, token, e)| match token {
            Token::String(literal) => Some((*s, literal.clone(), *e)),
            _ => None,
        })
        .collect();
    super::strings::concatenate(group, source).err()
}

/// Errors about the contents of string literals (a bad escape, a malformed
/// f-string, bytes mixed with text) are reported at the end of a literal;
/// CPython reports them at the token *after* the literals, which can be on
/// the next line (`f(f'{'` newline `)` reports line 2).
fn after_literals(mut error: SyntaxDiagnostic, tokens: &[Spanned]) -> SyntaxDiagnostic {
    let at = error.span.start as usize;
    let ends_a_literal = tokens
        .iter()
        .any(|(_, token, end)| *end == at && matches!(token, Token::String(_)));
    if ends_a_literal {
        if let Some(&(start, _, end)) = tokens
            .iter()
            .find(|(start, token, _)| *start >= at && !matches!(token, Token::String(_)))
        {
            error.span = Span::new(start, end.max(start + 1));
        }
    }
    error
}

/// Everything known about one parse failure.
struct Context<'a> {
    tokens: &'a [Spanned],
    source: &'a str,
    /// Index of the offending token (`tokens.len()` for the end of input).
    at: usize,
    /// The terminals the grammar would have accepted, as lalrpop names them
    /// (`"\":\""`, `"INDENT"`).
    expected: Vec<String>,
    index: LineIndex,
    /// Parsing an f-string field, which CPython parses as `(...)`.
    in_fstring: bool,
}

impl Context<'_> {
    fn token(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i).map(|t| &t.1)
    }

    fn span_of(&self, i: usize) -> Span {
        match self.tokens.get(i) {
            Some(&(start, _, end)) => Span::new(start, end),
            None => Span::new(self.source.len(), self.source.len()),
        }
    }

    fn line_of(&self, offset: u32) -> u32 {
        self.index.line_of(offset)
    }

    fn expects(&self, terminal: &str) -> bool {
        self.expected.iter().any(|e| e == terminal)
    }

    /// Index of the first token of the logical line holding token `i`.
    fn line_start(&self, i: usize) -> usize {
        let mut j = i.min(self.tokens.len());
        while j > 0 {
            match self.tokens[j - 1].1 {
                Token::Newline | Token::Indent | Token::Dedent => break,
                _ => j -= 1,
            }
        }
        j
    }

    /// Index of the `Newline` that ends the logical line holding token `i`.
    fn line_end(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.tokens.len() && self.tokens[j].1 != Token::Newline {
            j += 1;
        }
        j
    }

    fn at_end_of_input(&self) -> bool {
        self.tokens[self.at.min(self.tokens.len())..]
            .iter()
            .all(|t| matches!(t.1, Token::Newline | Token::Dedent))
    }

    fn explain(&self) -> SyntaxDiagnostic {
        if let Some(refusal) = self.refusal() {
            return refusal;
        }
        if let Some(unclosed) = self.unclosed_bracket() {
            return unclosed;
        }
        if let Some(indentation) = self.indentation() {
            return indentation;
        }
        if let Some(specific) = self.specific() {
            return specific;
        }
        self.invalid_syntax()
    }

    /// "invalid syntax" at the offending token. At the end of the input
    /// CPython points at the last line, without a caret.
    fn invalid_syntax(&self) -> SyntaxDiagnostic {
        if self.at >= self.tokens.len() {
            return self.at_last_line("invalid syntax", SyntaxErrorKind::SyntaxError);
        }
        SyntaxDiagnostic::syntax("invalid syntax", self.span_of(self.at))
    }

    /// An error at the end of the file, reported on the last line that
    /// holds a token, without a caret (as CPython shows it).
    fn at_last_line(&self, message: &str, kind: SyntaxErrorKind) -> SyntaxDiagnostic {
        let last = self
            .tokens
            .iter()
            .rev()
            .find(|t| !matches!(t.1, Token::Newline | Token::Dedent | Token::Indent))
            .map_or(0, |t| t.0);
        let mut d = SyntaxDiagnostic::new(kind, message, Span::new(last, last)).without_caret();
        d.line = Some(self.line_of(last as u32));
        d
    }

    /// Constructs apy refuses, seen where the parse stopped.
    fn refusal(&self) -> Option<SyntaxDiagnostic> {
        let span = self.span_of(self.at);
        let refuse = |construct: &str, span: Span| {
            Some(SyntaxDiagnostic::unsupported(construct, span, self.source))
        };
        if self.token(self.at) == Some(&Token::ColonEqual) {
            return refuse("':=' (assignment expressions)", span);
        }
        let start = self.line_start(self.at);
        let end = self.line_end(self.at);
        if let Some(Token::Name(first)) = self.token(start) {
            let ends_with_colon = end > start && self.token(end - 1) == Some(&Token::Colon);
            if &**first == "match" && ends_with_colon && self.at > start {
                return Some(SyntaxDiagnostic::unsupported_plural(
                    "'match' statements",
                    self.span_of(start),
                    self.source,
                ));
            }
            if &**first == "type"
                && self.at == start + 2
                && matches!(self.token(start + 1), Some(Token::Name(_)))
            {
                return Some(SyntaxDiagnostic::unsupported_plural(
                    "'type' statements",
                    self.span_of(start),
                    self.source,
                ));
            }
        }
        if self.token(self.at) == Some(&Token::Star)
            && self.at > 0
            && self.token(self.at - 1) == Some(&Token::Except)
        {
            return refuse("'except*'", self.span_of(self.at - 1).to(span));
        }
        None
    }

    /// A bracket left open: CPython reports it when the parse fails at the
    /// end of the input, or on a line after the one the bracket opened.
    fn unclosed_bracket(&self) -> Option<SyntaxDiagnostic> {
        let mut open: Vec<(char, usize)> = Vec::new();
        for (start, token, _) in self.tokens {
            match token {
                Token::LPar | Token::LSqb | Token::LBrace => {
                    open.push((token.text().chars().next().unwrap_or('('), *start));
                }
                Token::RPar | Token::RSqb | Token::RBrace => {
                    open.pop();
                }
                _ => {}
            }
        }
        let &(bracket, opened_at) = open.last()?;
        let error_line = self.line_of(self.span_of(self.at).start);
        let bracket_line = self.line_of(opened_at as u32);
        if self.at >= self.tokens.len() || bracket_line < error_line {
            return Some(SyntaxDiagnostic::syntax(
                format!("'{bracket}' was never closed"),
                Span::new(opened_at, opened_at + 1),
            ));
        }
        None
    }

    /// Indentation errors: an unexpected `INDENT`, or a block header with
    /// no indented block after it.
    fn indentation(&self) -> Option<SyntaxDiagnostic> {
        if self.token(self.at) == Some(&Token::Indent) {
            let span = self.span_of(self.at);
            return Some(
                SyntaxDiagnostic::indentation(
                    "unexpected indent",
                    Span::new(span.end as usize, span.end as usize),
                )
                .without_caret(),
            );
        }
        if !self.expects("INDENT") || self.at == 0 {
            return None;
        }
        // The header is the logical line that ended just before the error.
        let header = self.line_start(self.at - 1);
        let mut keyword = self.token(header)?;
        let mut keyword_at = header;
        if *keyword == Token::Async {
            keyword_at += 1;
            keyword = self.token(keyword_at)?;
        }
        let what = match keyword {
            Token::Def => "function definition".to_string(),
            Token::Class => "class definition".to_string(),
            Token::If
            | Token::Elif
            | Token::Else
            | Token::While
            | Token::For
            | Token::Try
            | Token::Except
            | Token::Finally
            | Token::With => format!("'{}' statement", keyword.text()),
            _ => return None,
        };
        let line = self.line_of(self.span_of(header).start);
        let message = format!("expected an indented block after {what} on line {line}");
        if self.at_end_of_input() {
            let mut d =
                SyntaxDiagnostic::indentation(message, self.span_of(header)).without_caret();
            d.line = Some(line);
            return Some(d);
        }
        let span = self.span_of(self.at);
        Some(SyntaxDiagnostic::indentation(
            message,
            Span::new(span.start as usize, span.start as usize + 1),
        ))
    }

    /// The specific messages of CPython's `invalid_*` rules that apy knows.
    fn specific(&self) -> Option<SyntaxDiagnostic> {
        let here = self.token(self.at);
        let span = self.span_of(self.at);
        let previous = if self.at > 0 {
            self.token(self.at - 1)
        } else {
            None
        };
        let start = self.line_start(self.at);
        let first = self.token(start);
        let syntax = |message: &str, span: Span| Some(SyntaxDiagnostic::syntax(message, span));

        // `try:` and its block, then neither `except` nor `finally`.
        if self.expects("\"except\"") && self.expects("\"finally\"") {
            let message = "expected 'except' or 'finally' block";
            if self.at_end_of_input() {
                return Some(self.at_last_line(message, SyntaxErrorKind::SyntaxError));
            }
            let at = self.span_of(self.at).start as usize;
            return syntax(message, Span::new(at, at + 1));
        }
        // `from m import a,`
        if first == Some(&Token::From)
            && previous == Some(&Token::Comma)
            && here == Some(&Token::Newline)
        {
            return syntax(
                "trailing comma not allowed without surrounding parentheses",
                span,
            );
        }
        // `[x, y for x, y in z]`
        if here == Some(&Token::For) {
            if let Some((Token::LSqb | Token::LBrace, open)) = self.innermost_bracket() {
                let mut depth = 0;
                let mut comma = false;
                for (_, token, _) in &self.tokens[open + 1..self.at] {
                    match token {
                        Token::LPar | Token::LSqb | Token::LBrace => depth += 1,
                        Token::RPar | Token::RSqb | Token::RBrace => depth -= 1,
                        Token::Comma if depth == 0 => comma = true,
                        _ => {}
                    }
                }
                if comma {
                    return syntax(
                        "did you forget parentheses around the comprehension target?",
                        self.span_of(open + 1).to(self.span_of(self.at - 1)),
                    );
                }
            }
        }
        // `def f:` and a missing `:` after a block header.
        if previous.is_some_and(|p| matches!(p, Token::Name(_)))
            && self.at >= 2
            && self.token(self.at - 2) == Some(&Token::Def)
            && here != Some(&Token::LPar)
        {
            return syntax("expected '('", span);
        }
        let forced_colon = matches!(previous, Some(Token::Try | Token::Else | Token::Finally));
        let header_line = matches!(
            first,
            Some(
                Token::If
                    | Token::Elif
                    | Token::Else
                    | Token::While
                    | Token::For
                    | Token::Try
                    | Token::Except
                    | Token::Finally
                    | Token::With
                    | Token::Def
                    | Token::Class
                    | Token::Async
            )
        );
        if self.expects("\":\"") && (forced_colon || (header_line && here == Some(&Token::Newline)))
        {
            return syntax("expected ':'", span);
        }

        // `print "hello"`, `exec code`: Python 2's statements.
        if let Some(Token::Name(name)) = previous {
            let legacy = &**name == "print" || &**name == "exec";
            let attribute = self.at >= 2 && self.token(self.at - 2) == Some(&Token::Dot);
            if legacy && !attribute && here.is_some_and(starts_expression) {
                let end = self.line_end(self.at);
                let last = self.span_of(end.saturating_sub(1));
                return Some(SyntaxDiagnostic::syntax(
                    format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?"),
                    self.span_of(self.at - 1).to(last),
                ));
            }
        }
        // `except A, B:`
        if first == Some(&Token::Except)
            && here == Some(&Token::Comma)
            && self.innermost_bracket().is_none()
            && self.at > start + 1
        {
            // Underline the types, up to the `as` or the `:`.
            let mut last = self.at + 1;
            while matches!(self.token(last + 1), Some(t) if !matches!(t, Token::As | Token::Colon | Token::Newline))
            {
                last += 1;
            }
            return syntax(
                "multiple exception types must be parenthesized",
                self.span_of(start + 1).to(self.span_of(last)),
            );
        }

        // `yield = 1`
        if here == Some(&Token::Equal) && first == Some(&Token::Yield) {
            return syntax(
                "assignment to yield expression not possible",
                self.span_of(start).to(self.span_of(self.at - 1)),
            );
        }
        // `x = a if b` with no `else`.
        if self.expects("\"else\"") && here != Some(&Token::Else) && self.at > 0 {
            return syntax(
                "expected 'else' after 'if' expression",
                self.span_of(self.at - 1),
            );
        }

        let innermost = self.innermost_bracket();
        // `if x = 1:` (at the top level of an `if`/`elif`/`while` test).
        if here == Some(&Token::Equal)
            && innermost.is_none()
            && matches!(first, Some(Token::If | Token::Elif | Token::While))
        {
            if let Some(diagnostic) = self.assignment_in_test(start) {
                return Some(diagnostic);
            }
        }
        // `{1: 2, 3}`
        if innermost.as_ref().is_some_and(|(t, _)| *t == Token::LBrace)
            && self.expects("\":\"")
            && matches!(here, Some(Token::Comma | Token::RBrace))
        {
            let begin = self.expression_start(self.at - 1);
            return syntax(
                "':' expected after dictionary key",
                self.span_of(begin).to(self.span_of(self.at - 1)),
            );
        }
        // `{1: }`
        if previous == Some(&Token::Colon)
            && matches!(here, Some(Token::Comma | Token::RBrace))
            && innermost.as_ref().is_some_and(|(t, _)| *t == Token::LBrace)
        {
            return syntax(
                "expression expected after dictionary key and ':'",
                self.span_of(self.at - 1),
            );
        }
        // `f(a.b=1)`
        if here == Some(&Token::Equal) && previous.is_some_and(ends_expression) {
            if let Some((Token::LPar, open)) = innermost.clone() {
                let is_call = open > 0
                    && matches!(
                        self.token(open - 1),
                        Some(Token::Name(_) | Token::RPar | Token::RSqb)
                    );
                if is_call {
                    let mut arg_start = self.at;
                    while arg_start > open + 1
                        && !matches!(self.token(arg_start - 1), Some(Token::Comma))
                    {
                        arg_start -= 1;
                    }
                    return syntax(
                        "expression cannot contain assignment, perhaps you meant \"==\"?",
                        self.span_of(arg_start).to(span),
                    );
                }
            }
        }
        // Two expressions side by side inside brackets: a missing comma.
        // (An f-string field counts as inside brackets; a name then a
        // string is not flagged, as in CPython.)
        let name_then_string = matches!(previous, Some(Token::Name(_)))
            && matches!(here, Some(Token::String(_)))
            && self.expression_start(self.at - 1) == self.at - 1;
        let parameter_list = innermost.as_ref().is_some_and(|&(_, open)| {
            open >= 2
                && matches!(self.token(open - 1), Some(Token::Name(_)))
                && self.token(open - 2) == Some(&Token::Def)
        });
        if (innermost.is_some() || self.in_fstring)
            && here.is_some_and(starts_expression)
            && previous.is_some_and(ends_expression)
            && !name_then_string
            && !parameter_list
        {
            let begin = self.expression_start(self.at - 1);
            return syntax(
                "invalid syntax. Perhaps you forgot a comma?",
                self.span_of(begin).to(span),
            );
        }
        None
    }

    /// `if x = 1:`: CPython suggests `==` (or `:=` after a bare name).
    fn assignment_in_test(&self, line_start: usize) -> Option<SyntaxDiagnostic> {
        let end = self.at.checked_sub(1)?;
        let begin = self.expression_start(end);
        if begin <= line_start {
            return None;
        }
        let span = self.span_of(begin).to(self.span_of(end));
        if begin == end {
            let what = match self.token(end)? {
                Token::Name(_) => {
                    return Some(SyntaxDiagnostic::syntax(
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                        span.to(self.span_of(self.at + 1)),
                    ));
                }
                Token::Number(_) | Token::String(_) => "literal",
                _ => return None,
            };
            return Some(SyntaxDiagnostic::syntax(
                format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"),
                span,
            ));
        }
        let what = match self.token(end)? {
            Token::Name(_) if self.token(end - 1) == Some(&Token::Dot) => "attribute",
            Token::RSqb => "subscript",
            Token::RPar if self.token(begin) != Some(&Token::LPar) => "function call",
            _ => return None,
        };
        Some(SyntaxDiagnostic::syntax(
            format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"),
            span,
        ))
    }

    /// The innermost bracket open at the offending token: its kind and
    /// index.
    fn innermost_bracket(&self) -> Option<(Token, usize)> {
        let mut open: Vec<usize> = Vec::new();
        for (i, (_, token, _)) in self.tokens[..self.at.min(self.tokens.len())]
            .iter()
            .enumerate()
        {
            match token {
                Token::LPar | Token::LSqb | Token::LBrace => open.push(i),
                Token::RPar | Token::RSqb | Token::RBrace => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.last().map(|&i| (self.tokens[i].1.clone(), i))
    }

    /// Walk back from token `i` (the end of an expression) to where that
    /// expression starts, over calls, subscripts, attributes and adjacent
    /// strings: enough to underline `"a" "b"` in `print("a" "b" c)`.
    fn expression_start(&self, i: usize) -> usize {
        let mut j = i;
        loop {
            match self.token(j) {
                Some(Token::RPar | Token::RSqb | Token::RBrace) => {
                    let mut depth = 0;
                    while j > 0 {
                        match self.token(j) {
                            Some(Token::RPar | Token::RSqb | Token::RBrace) => depth += 1,
                            Some(Token::LPar | Token::LSqb | Token::LBrace) => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j -= 1;
                    }
                }
                Some(Token::String(_)) => {
                    while j > 0 && matches!(self.token(j - 1), Some(Token::String(_))) {
                        j -= 1;
                    }
                    return j;
                }
                _ => {}
            }
            if j >= 2
                && self.token(j - 1) == Some(&Token::Dot)
                && matches!(self.token(j), Some(Token::Name(_)))
            {
                j -= 2;
                continue;
            }
            if j >= 1
                && matches!(self.token(j), Some(Token::LPar | Token::LSqb))
                && self.token(j - 1).is_some_and(ends_expression)
            {
                j -= 1;
                continue;
            }
            // Unary operators in front: `-n` in `[-n "x"]`.
            while j >= 1
                && matches!(
                    self.token(j - 1),
                    Some(Token::Minus | Token::Plus | Token::Tilde | Token::Not | Token::Await)
                )
                && !(j >= 2 && self.token(j - 2).is_some_and(ends_expression))
            {
                j -= 1;
            }
            return j;
        }
    }
}

/// Tokens that can begin an expression.
fn starts_expression(token: &Token) -> bool {
    matches!(
        token,
        Token::Name(_)
            | Token::Number(_)
            | Token::String(_)
            | Token::None
            | Token::True
            | Token::False
            | Token::Ellipsis
            | Token::LPar
            | Token::LSqb
            | Token::LBrace
            | Token::Lambda
            | Token::Not
            | Token::Tilde
            | Token::Await
    )
}

/// Tokens that can end an expression.
fn ends_expression(token: &Token) -> bool {
    matches!(
        token,
        Token::Name(_)
            | Token::Number(_)
            | Token::String(_)
            | Token::None
            | Token::True
            | Token::False
            | Token::Ellipsis
            | Token::RPar
            | Token::RSqb
            | Token::RBrace
    )
}
