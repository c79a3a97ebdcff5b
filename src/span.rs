//! Byte spans into the source text, and the lookup from a byte offset to a
//! (line, column) pair that every error message and line table needs.
//!
//! Spans are byte offsets (`start..end`) into the text of one source file.
//! Lines are 1-based, as Python reports them; columns are 0-based character
//! counts from the start of the line (CPython counts them in characters when
//! it draws a caret under the source line).

/// A half-open byte range `start..end` in one source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Maps byte offsets of one source text to 1-based line numbers, and gives
/// back the text of a line (for tracebacks and syntax-error carets).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut line_starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex {
            line_starts,
            len: source.len() as u32,
        }
    }

    /// The 1-based line that contains byte `offset` (an offset at the very
    /// end of the text belongs to the last line).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 0-based column of `offset` on its line, counted in characters.
    pub fn column_of(&self, source: &str, offset: u32) -> u32 {
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize - 1] as usize;
        let end = (offset as usize).min(source.len());
        source
            .get(start..end)
            .map(|s| s.chars().count() as u32)
            .unwrap_or(0)
    }

    /// Byte offset at which 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        let i = (line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        self.line_starts[i]
    }

    /// The text of 1-based `line`, without its line terminator.
    pub fn line_text<'a>(&self, source: &'a str, line: u32) -> &'a str {
        if line == 0 || line as usize > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line as usize - 1] as usize;
        let end = self
            .line_starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(source.len());
        source
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let src = "ab\ncd\n\nef";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(6), 3);
        assert_eq!(idx.line_of(7), 4);
        assert_eq!(idx.line_of(9), 4);
        assert_eq!(idx.column_of(src, 4), 1);
        assert_eq!(idx.line_text(src, 2), "cd");
        assert_eq!(idx.line_text(src, 3), "");
        assert_eq!(idx.line_text(src, 4), "ef");
        assert_eq!(idx.line_text(src, 5), "");
    }
}
