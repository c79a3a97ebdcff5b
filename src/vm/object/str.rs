//! `str`: an immutable sequence of Unicode code points.
//!
//! Rust strings are UTF-8 bytes while Python indexes strings by code point,
//! so a [`PyStr`] remembers its length in code points and whether it is pure
//! ASCII: for ASCII text (nearly all text in teaching programs) a code-point
//! index is a byte index and `s[i]` is O(1). The hash is computed once, on
//! first use, and cached.
//!
//! The text is a [`CompactString`]: up to 24 bytes live inside the `PyStr`
//! itself, so the short strings programs make all the time (the pieces of a
//! `split`, a formatted number, a dict key) cost one allocation, not two.

use compact_str::CompactString;
use std::cell::Cell;
use std::rc::Rc;

pub struct PyStr {
    text: CompactString,
    /// Length in code points.
    char_len: usize,
    /// The cached hash; `NO_HASH` until first computed.
    hash: Cell<i64>,
}

/// CPython never gives -1 as a hash, so it can mark "not computed yet".
const NO_HASH: i64 = -1;

/// Length in code points: the byte length for ASCII text.
#[inline(always)]
fn char_count(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

impl PyStr {
    pub fn new(text: &str) -> PyStr {
        PyStr::from_compact(CompactString::new(text))
    }

    pub fn from_string(text: String) -> PyStr {
        PyStr::from_compact(CompactString::from(text))
    }

    fn from_compact(text: CompactString) -> PyStr {
        PyStr {
            char_len: char_count(&text),
            text,
            hash: Cell::new(NO_HASH),
        }
    }

    /// A new shared string, built in place in its `Rc` allocation rather
    /// than built on the stack and then copied in: strings are made by the
    /// million, and copying a freshly written 40-byte struct stalls on
    /// store forwarding.
    pub fn new_rc(text: &str) -> Rc<PyStr> {
        PyStr::compact_rc(CompactString::new(text))
    }

    /// As [`PyStr::new_rc`], taking an owned `String`.
    pub fn rc_from_string(text: String) -> Rc<PyStr> {
        PyStr::compact_rc(CompactString::from(text))
    }

    /// As [`PyStr::new_rc`], taking a `CompactString` (built in place by
    /// callers that know the length up front).
    #[inline(always)]
    pub fn compact_rc(text: CompactString) -> Rc<PyStr> {
        let char_len = char_count(&text);
        let mut rc = Rc::<PyStr>::new_uninit();
        let slot = Rc::get_mut(&mut rc)
            .expect("a new Rc is unique")
            .as_mut_ptr();
        // SAFETY: `slot` points to the uninitialised `PyStr` of a new,
        // unique `Rc`; every field is written exactly once before
        // `assume_init`.
        unsafe {
            std::ptr::addr_of_mut!((*slot).text).write(text);
            std::ptr::addr_of_mut!((*slot).char_len).write(char_len);
            std::ptr::addr_of_mut!((*slot).hash).write(Cell::new(NO_HASH));
            rc.assume_init()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points (Python's `len`).
    pub fn len(&self) -> usize {
        self.char_len
    }

    pub fn is_empty(&self) -> bool {
        self.char_len == 0
    }

    pub fn is_ascii(&self) -> bool {
        self.char_len == self.text.len()
    }

    /// The cached hash, computing it with `compute` the first time.
    pub fn hash_with(&self, compute: impl FnOnce(&str) -> i64) -> i64 {
        let cached = self.hash.get();
        if cached != NO_HASH {
            return cached;
        }
        let hash = compute(&self.text);
        self.hash.set(hash);
        hash
    }

    /// Byte offset of code point `index` (`index == len()` gives the end).
    pub fn byte_offset(&self, index: usize) -> usize {
        if self.is_ascii() {
            return index.min(self.text.len());
        }
        self.text
            .char_indices()
            .nth(index)
            .map(|(offset, _)| offset)
            .unwrap_or(self.text.len())
    }

    /// The code point at `index` as a string slice.
    pub fn char_at(&self, index: usize) -> Option<&str> {
        if index >= self.char_len {
            return None;
        }
        if self.is_ascii() {
            return self.text.get(index..index + 1);
        }
        let start = self.byte_offset(index);
        let len = self.text[start..].chars().next()?.len_utf8();
        Some(&self.text[start..start + len])
    }

    /// Code points `start..end` (clamped) as a string slice.
    pub fn slice_chars(&self, start: usize, end: usize) -> &str {
        if start >= end {
            return "";
        }
        let from = self.byte_offset(start);
        let to = self.byte_offset(end);
        &self.text[from..to]
    }

    /// Append in place. Only for a string no one else can see yet (the VM
    /// checks the reference count first, as CPython's `s += t` does).
    pub fn push_str(&mut self, more: &str) {
        self.text.push_str(more);
        self.char_len += if more.is_ascii() {
            more.len()
        } else {
            more.chars().count()
        };
        self.hash.set(NO_HASH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_by_code_point() {
        let s = PyStr::new("héllo");
        assert_eq!(s.len(), 5);
        assert!(!s.is_ascii());
        assert_eq!(s.char_at(1), Some("é"));
        assert_eq!(s.char_at(4), Some("o"));
        assert_eq!(s.char_at(5), None);
        assert_eq!(s.slice_chars(1, 3), "él");
    }

    #[test]
    fn ascii_fast_path() {
        let mut s = PyStr::new("abc");
        assert!(s.is_ascii());
        assert_eq!(s.char_at(2), Some("c"));
        s.push_str("dé");
        assert_eq!(s.len(), 5);
        assert!(!s.is_ascii());
    }
}
