//! Snapshot tests of the lexer: every `tests/cases/lex/*.apy` file becomes a
//! list of tokens, one per line, with `line:column` positions (1-based
//! lines, 0-based columns, as CPython reports them), or the rendered error.
//! Error cases (`err_*.apy`) open with `# python3: <its last stderr line>`,
//! and apy's last line must be the same.

use apy::lexer::{tokenize, FStringPiece, Spanned, StringLiteral, Token};
use apy::span::LineIndex;

fn position(index: &LineIndex, source: &str, offset: usize) -> String {
    let offset = offset as u32;
    format!(
        "{}:{}",
        index.line_of(offset),
        index.column_of(source, offset)
    )
}

fn describe_pieces(pieces: &[FStringPiece], index: &LineIndex, source: &str) -> String {
    let mut parts = Vec::new();
    for piece in pieces {
        match piece {
            FStringPiece::Literal(text) => parts.push(format!("{text:?}")),
            FStringPiece::Field(field) => {
                let tokens: Vec<String> = field
                    .tokens
                    .iter()
                    .map(|t| describe(t, index, source))
                    .collect();
                let mut text = format!("{{{}", tokens.join(" "));
                if let Some(c) = field.conversion {
                    text.push_str(&format!(" !{c}"));
                }
                if let Some(spec) = &field.spec {
                    text.push_str(&format!(" :[{}]", describe_pieces(spec, index, source)));
                }
                text.push('}');
                parts.push(text);
            }
        }
    }
    parts.join(" ")
}

fn describe(spanned: &Spanned, index: &LineIndex, source: &str) -> String {
    let (start, token, end) = spanned;
    let what = match token {
        Token::String(literal) => match &**literal {
            StringLiteral::Str(s) => format!("Str({s:?})"),
            StringLiteral::Bytes(b) => format!("Bytes(b'{}')", b.escape_ascii()),
            StringLiteral::FString(pieces) => {
                format!("FString[{}]", describe_pieces(pieces, index, source))
            }
            StringLiteral::Invalid(error) => format!("InvalidString({:?})", error.message),
        },
        other => format!("{other:?}"),
    };
    format!(
        "{}-{} {what}",
        position(index, source, *start),
        position(index, source, *end)
    )
}

#[test]
fn lex_cases() {
    let mut disagreements = Vec::new();
    insta::glob!("cases/lex/*.apy", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let index = LineIndex::new(&source);
        let output = match tokenize(&source) {
            Ok(tokens) => tokens
                .iter()
                .map(|t| describe(t, &index, &source))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(error) => {
                let name = path.file_name().unwrap().to_string_lossy();
                let rendered = error.render(&name, &source);
                // An error case's first line records what python3 says.
                let first = source.lines().next().unwrap_or("");
                if let Some(python) = first.strip_prefix("# python3: ") {
                    let last = rendered.lines().last().unwrap_or("");
                    if last != python {
                        disagreements.push(format!("{name}: apy {last:?}, python3 {python:?}"));
                    }
                }
                rendered
            }
        };
        insta::assert_snapshot!(output);
    });
    assert!(
        disagreements.is_empty(),
        "apy and python3 disagree:\n{}",
        disagreements.join("\n")
    );
}
