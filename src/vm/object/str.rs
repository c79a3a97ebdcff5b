//! `str`: an immutable sequence of Unicode code points.
//!
//! Rust strings are UTF-8 bytes while Python indexes strings by code point,
//! so a [`PyStr`] remembers its length in code points and whether it is pure
//! ASCII: for ASCII text (nearly all text in teaching programs) a code-point
//! index is a byte index and `s[i]` is O(1). The hash is computed once, on
//! first use, and cached.
//!
//! Texts of up to [`INLINE`] bytes live inside the `PyStr` itself, so the
//! short strings programs make all the time (the pieces of a `split`, a
//! formatted number, a dict key) cost one allocation, not two. A new string
//! is written straight into its `Rc` allocation: its bytes are copied once,
//! from where they were made to where they stay.

use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::ptr::{addr_of, addr_of_mut, NonNull};
use std::rc::Rc;

/// The longest text kept inside the `PyStr` (longer text is on the heap).
pub const INLINE: usize = 16;

pub struct PyStr {
    /// Length in bytes. It decides where the bytes are: inline up to
    /// [`INLINE`], on the heap beyond.
    byte_len: usize,
    /// Length in code points.
    char_len: usize,
    /// The cached hash; `NO_HASH` until first computed.
    hash: Cell<i64>,
    bytes: Bytes,
}

/// Where the UTF-8 bytes are.
union Bytes {
    /// The first `byte_len` bytes are the text (the rest are not
    /// initialised).
    inline: [u8; INLINE],
    /// The buffer of a `String` of length `byte_len` that this string
    /// owns.
    heap: Heap,
}

#[derive(Clone, Copy)]
struct Heap {
    pointer: NonNull<u8>,
    capacity: usize,
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

/// Take over the buffer of a string longer than [`INLINE`].
fn heap_of(text: String) -> Heap {
    debug_assert!(text.len() > INLINE);
    let mut text = ManuallyDrop::new(text);
    Heap {
        // SAFETY: a `String` of non-zero length has a non-null buffer.
        pointer: unsafe { NonNull::new_unchecked(text.as_mut_ptr()) },
        capacity: text.capacity(),
    }
}

impl PyStr {
    pub fn new(text: &str) -> PyStr {
        PyStr::from_string(text.to_owned())
    }

    pub fn from_string(text: String) -> PyStr {
        let len = text.len();
        let char_len = char_count(&text);
        let bytes = if len <= INLINE {
            let mut inline = [0u8; INLINE];
            inline[..len].copy_from_slice(text.as_bytes());
            Bytes { inline }
        } else {
            Bytes {
                heap: heap_of(text),
            }
        };
        PyStr {
            byte_len: len,
            char_len,
            hash: Cell::new(NO_HASH),
            bytes,
        }
    }

    /// A new shared string, built in place in its `Rc` allocation rather
    /// than built on the stack and then copied in: strings are made by the
    /// million, and copying a freshly written struct stalls on store
    /// forwarding.
    pub fn new_rc(text: &str) -> Rc<PyStr> {
        if text.len() <= INLINE {
            PyStr::inline_rc(text.len(), char_count(text), [text])
        } else {
            PyStr::heap_rc(text.to_owned(), char_count(text))
        }
    }

    /// As [`PyStr::new_rc`], taking an owned `String` (whose buffer a long
    /// text keeps).
    pub fn rc_from_string(text: String) -> Rc<PyStr> {
        let char_len = char_count(&text);
        if text.len() <= INLINE {
            PyStr::inline_rc(text.len(), char_len, [text.as_str()])
        } else {
            PyStr::heap_rc(text, char_len)
        }
    }

    /// The concatenation of `pieces`, whose lengths add up to `len` bytes
    /// (`BUILD_STRING` of an f-string).
    pub fn concat_rc<'a>(
        len: usize,
        pieces: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Rc<PyStr> {
        if len <= INLINE && pieces.clone().into_iter().all(|p| p.is_ascii()) {
            return PyStr::inline_rc(len, len, pieces);
        }
        let mut text = String::with_capacity(len);
        for piece in pieces {
            text.push_str(piece);
        }
        debug_assert_eq!(text.len(), len);
        PyStr::rc_from_string(text)
    }

    /// A new ASCII string of `len` bytes, written by `fill` straight into
    /// its storage (for `upper()`, `lower()`, a one-byte `replace()` of
    /// ASCII text): no `String` is built and copied on the way. Panics if
    /// `fill` leaves a byte that is not ASCII.
    pub fn build_ascii_rc(len: usize, fill: impl FnOnce(&mut [u8])) -> Rc<PyStr> {
        if len > INLINE {
            let mut bytes = vec![0u8; len];
            fill(&mut bytes);
            assert!(
                bytes.is_ascii(),
                "build_ascii_rc: fill wrote a non-ASCII byte"
            );
            // SAFETY: ASCII is UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return PyStr::heap_rc(text, len);
        }
        // SAFETY: `fill` sees the `len` zeroed bytes, which are checked to
        // be ASCII (so UTF-8) after.
        unsafe {
            PyStr::inline_with(len, len, |start| {
                start.write_bytes(0, len);
                let bytes = std::slice::from_raw_parts_mut(start, len);
                fill(bytes);
                assert!(
                    bytes.is_ascii(),
                    "build_ascii_rc: fill wrote a non-ASCII byte"
                );
            })
        }
    }

    /// A string of at most [`INLINE`] bytes, copied from `pieces` straight
    /// into the new allocation.
    #[inline(always)]
    fn inline_rc<'a>(
        len: usize,
        char_len: usize,
        pieces: impl IntoIterator<Item = &'a str>,
    ) -> Rc<PyStr> {
        // SAFETY: the pieces, `len` bytes of UTF-8 in all (checked as they
        // are copied), fill the text's bytes.
        unsafe {
            PyStr::inline_with(len, char_len, |start| {
                let mut written = 0;
                for piece in pieces {
                    assert!(written + piece.len() <= len, "pieces longer than promised");
                    std::ptr::copy_nonoverlapping(piece.as_ptr(), start.add(written), piece.len());
                    written += piece.len();
                }
                // Fewer bytes would leave some of the text uninitialised.
                assert_eq!(written, len, "pieces shorter than promised");
            })
        }
    }

    /// A new string of at most [`INLINE`] bytes, built in its `Rc`
    /// allocation: `write` gets the start of the inline bytes.
    ///
    /// # Safety
    /// `write` must write `len` bytes of UTF-8 with `char_len` code points
    /// there.
    #[inline(always)]
    unsafe fn inline_with(len: usize, char_len: usize, write: impl FnOnce(*mut u8)) -> Rc<PyStr> {
        debug_assert!(len <= INLINE);
        // SAFETY: `write` fills the inline bytes, as the caller promises;
        // the bytes beyond `len` are never read.
        unsafe {
            PyStr::in_place(len, char_len, |bytes| {
                write(addr_of_mut!((*bytes).inline).cast::<u8>())
            })
        }
    }

    fn heap_rc(text: String, char_len: usize) -> Rc<PyStr> {
        let len = text.len();
        let heap = heap_of(text);
        // SAFETY: the heap buffer holds `len` bytes of UTF-8 and is owned
        // by the new string from here on.
        unsafe {
            PyStr::in_place(len, char_len, |bytes| {
                addr_of_mut!((*bytes).heap).write(heap)
            })
        }
    }

    /// A new string built in its `Rc` allocation: the header is written
    /// here, the bytes by `write`.
    ///
    /// # Safety
    /// `write` must initialise the `Bytes` as a text of `len` bytes (inline
    /// up to [`INLINE`], else on the heap) of UTF-8 with `char_len` code
    /// points.
    #[inline(always)]
    unsafe fn in_place(len: usize, char_len: usize, write: impl FnOnce(*mut Bytes)) -> Rc<PyStr> {
        let mut rc = Rc::<PyStr>::new_uninit();
        let slot = Rc::get_mut(&mut rc)
            .expect("a new Rc is unique")
            .as_mut_ptr();
        // SAFETY: `slot` points to the uninitialised `PyStr` of a new,
        // unique `Rc`; every field is written before `assume_init` (the
        // bytes by `write`, as the caller promises).
        unsafe {
            addr_of_mut!((*slot).byte_len).write(len);
            addr_of_mut!((*slot).char_len).write(char_len);
            addr_of_mut!((*slot).hash).write(Cell::new(NO_HASH));
            write(addr_of_mut!((*slot).bytes));
            rc.assume_init()
        }
    }

    #[inline(always)]
    pub fn as_str(&self) -> &str {
        // SAFETY: the first `byte_len` bytes, inline or on the heap (as
        // `byte_len` says), are initialised UTF-8 copied from a `str`.
        unsafe {
            let start = if self.byte_len <= INLINE {
                addr_of!(self.bytes.inline).cast::<u8>()
            } else {
                self.bytes.heap.pointer.as_ptr().cast_const()
            };
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(start, self.byte_len))
        }
    }

    /// Length in code points (Python's `len`).
    pub fn len(&self) -> usize {
        self.char_len
    }

    pub fn is_empty(&self) -> bool {
        self.char_len == 0
    }

    pub fn is_ascii(&self) -> bool {
        self.char_len == self.byte_len
    }

    /// The cached hash, computing it with `compute` the first time.
    pub fn hash_with(&self, compute: impl FnOnce(&str) -> i64) -> i64 {
        let cached = self.hash.get();
        if cached != NO_HASH {
            return cached;
        }
        let hash = compute(self.as_str());
        self.hash.set(hash);
        hash
    }

    /// Byte offset of code point `index` (`index == len()` gives the end).
    pub fn byte_offset(&self, index: usize) -> usize {
        if self.is_ascii() {
            return index.min(self.byte_len);
        }
        self.as_str()
            .char_indices()
            .nth(index)
            .map(|(offset, _)| offset)
            .unwrap_or(self.byte_len)
    }

    /// The code point at `index` as a string slice.
    pub fn char_at(&self, index: usize) -> Option<&str> {
        if index >= self.char_len {
            return None;
        }
        let text = self.as_str();
        if self.is_ascii() {
            return text.get(index..index + 1);
        }
        let start = self.byte_offset(index);
        let len = text[start..].chars().next()?.len_utf8();
        Some(&text[start..start + len])
    }

    /// Code points `start..end` (clamped) as a string slice.
    pub fn slice_chars(&self, start: usize, end: usize) -> &str {
        if start >= end {
            return "";
        }
        let from = self.byte_offset(start);
        let to = self.byte_offset(end);
        &self.as_str()[from..to]
    }
}

impl Drop for PyStr {
    fn drop(&mut self) {
        if self.byte_len > INLINE {
            // SAFETY: a long text's bytes are the buffer of a `String` of
            // this length and capacity, which this string owns.
            unsafe {
                let Heap { pointer, capacity } = self.bytes.heap;
                drop(String::from_raw_parts(
                    pointer.as_ptr(),
                    self.byte_len,
                    capacity,
                ));
            }
        }
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
        let s = PyStr::new("abc");
        assert!(s.is_ascii());
        assert_eq!(s.char_at(2), Some("c"));
    }

    #[test]
    fn short_and_long_texts_by_every_constructor() {
        let texts = [
            "",
            "a",
            "sixteen bytes!!!",
            "seventeen bytes!!",
            "héllo wörld, this is longer",
            "ünïcödé",
        ];
        for text in texts {
            for s in [
                PyStr::new(text),
                PyStr::from_string(text.to_owned()),
                Rc::try_unwrap(PyStr::new_rc(text)).ok().unwrap(),
                Rc::try_unwrap(PyStr::rc_from_string(text.to_owned()))
                    .ok()
                    .unwrap(),
            ] {
                assert_eq!(s.as_str(), text);
                assert_eq!(s.len(), text.chars().count());
            }
        }
    }

    #[test]
    fn builds_ascii_in_place() {
        for text in ["", "abc", "sixteen bytes!!!", "seventeen bytes!!"] {
            let s = PyStr::build_ascii_rc(text.len(), |b| {
                b.copy_from_slice(text.as_bytes());
                b.make_ascii_uppercase();
            });
            assert_eq!(s.as_str(), text.to_ascii_uppercase());
            assert_eq!(s.len(), text.len());
        }
    }

    #[test]
    #[should_panic(expected = "non-ASCII")]
    fn refuses_to_build_non_ascii() {
        PyStr::build_ascii_rc(2, |b| b.copy_from_slice(&[0xc3, 0xa9]));
    }

    #[test]
    fn concatenates_across_the_inline_limit() {
        for (pieces, expected) in [
            (vec!["ab", "cd"], "abcd"),
            (vec!["0123456789", "abcdef"], "0123456789abcdef"),
            (vec!["0123456789", "abcdefg"], "0123456789abcdefg"),
            (vec!["é", "x"], "éx"),
            (vec![], ""),
        ] {
            let len = pieces.iter().map(|p| p.len()).sum();
            let s = PyStr::concat_rc(len, pieces.iter().copied());
            assert_eq!(s.as_str(), expected);
            assert_eq!(s.len(), expected.chars().count());
        }
    }
}
