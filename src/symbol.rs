//! Interned names.
//!
//! Every identifier the compiler emits (attribute names, global names,
//! keyword-argument names) and every method name the VM dispatches on is a
//! [`Symbol`]: a small integer standing for one string. Comparing two symbols
//! is one integer comparison, so `xs.append(v)` finds the list's `append`
//! method with a `match` on an integer instead of comparing strings.
//!
//! The names the VM itself knows about (`append`, `__init__`, `sep`, ...) are
//! interned first, in a fixed order, so they are compile-time constants in
//! [`sym`]: `sym::append`. Any other name gets the next free number when it is
//! first seen. The table lives in a thread-local: one interpreter runs on one
//! thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// An interned identifier. Cheap to copy, compare and hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

/// A table keyed by names (module attributes, type attributes, built-ins).
/// Symbols are small integers, so the hash is a multiplication (FxHash),
/// not the SipHash a `HashMap` uses by default against hostile keys.
pub type SymbolMap<V> = rustc_hash::FxHashMap<Symbol, V>;

struct Interner {
    by_text: HashMap<Rc<str>, Symbol>,
    texts: Vec<Rc<str>>,
}

impl Interner {
    fn new() -> Interner {
        let mut interner = Interner {
            by_text: HashMap::new(),
            texts: Vec::new(),
        };
        for text in WELL_KNOWN_TEXT {
            interner.intern(text);
        }
        interner
    }

    fn intern(&mut self, text: &str) -> Symbol {
        if let Some(&symbol) = self.by_text.get(text) {
            return symbol;
        }
        let symbol = Symbol(self.texts.len() as u32);
        let text: Rc<str> = Rc::from(text);
        self.texts.push(text.clone());
        self.by_text.insert(text, symbol);
        symbol
    }
}

thread_local! {
    static INTERNER: RefCell<Interner> = RefCell::new(Interner::new());
}

/// The symbol for `text`, creating it on first use.
pub fn intern(text: &str) -> Symbol {
    INTERNER.with(|interner| interner.borrow_mut().intern(text))
}

impl Symbol {
    /// The text this symbol stands for.
    pub fn text(self) -> Rc<str> {
        INTERNER.with(|interner| interner.borrow().texts[self.0 as usize].clone())
    }

    pub fn index(self) -> u32 {
        self.0
    }

    /// A dunder name (`__init__`) is special to the object protocol.
    pub fn is_dunder(self) -> bool {
        let text = self.text();
        text.len() > 4 && text.starts_with("__") && text.ends_with("__")
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.text())
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Declares the well-known symbols: each `name` (or `name = "text"` where
/// the text is not a Rust identifier) becomes a constant `sym::name`.
macro_rules! well_known_symbols {
    ($($name:ident $(= $text:literal)?),* $(,)?) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u32)]
        enum WellKnownIndex { $($name),* }

        /// The names the VM dispatches on, as constants.
        #[allow(non_upper_case_globals)]
        pub mod sym {
            use super::{Symbol, WellKnownIndex};
            $(pub const $name: Symbol = Symbol(WellKnownIndex::$name as u32);)*
        }

        const WELL_KNOWN_TEXT: &[&str] = &[$(well_known_symbols!(@text $name $($text)?)),*];
    };
    (@text $name:ident $text:literal) => { $text };
    (@text $name:ident) => { stringify!($name) };
}

well_known_symbols! {
    // str methods
    join, split, rsplit, splitlines, strip, lstrip, rstrip, upper, lower,
    casefold, replace, find, rfind, index, rindex, count, startswith,
    endswith, format, partition, rpartition, center, ljust, rjust, zfill,
    title, capitalize, swapcase, expandtabs, isdigit, isdecimal, isnumeric,
    isalpha, isalnum, isspace, islower, isupper, istitle, isidentifier,
    isprintable, isascii, encode, removeprefix, removesuffix,
    // list methods
    append, extend, insert, remove, pop, clear, copy, reverse, sort,
    // dict methods
    get, items, keys, values, setdefault, update, popitem, fromkeys,
    // set methods
    add, discard, union, intersection, difference, symmetric_difference,
    issubset, issuperset, isdisjoint, intersection_update,
    difference_update, symmetric_difference_update,
    // int / float methods
    bit_length, is_integer, conjugate, real, imag, as_integer_ratio,
    numerator, denominator, to_bytes, hex,
    // range attributes
    start, stop, step,
    // keyword arguments of builtins
    sep, end, file, flush, key, default, base, maxsplit, keepends,
    // exception attributes
    args, with_traceback, add_note, code,
    // dunder names
    __name__, __qualname__, __module__, __doc__, __class__, __dict__,
    __init__, __new__, __repr__, __str__, __eq__, __ne__, __lt__, __le__,
    __gt__, __ge__, __hash__, __len__, __iter__, __next__, __getitem__,
    __setitem__, __delitem__, __contains__, __call__, __bool__,
    __enter__, __exit__, __aenter__, __aexit__, __aiter__, __anext__,
    __await__, __cause__, __context__, __suppress_context__,
    __traceback__, __main__ = "__main__", __builtins__,
    // names with meaning to the compiler or VM
    self_ = "self", cls, value, name, msg, result, exception, done,
    cancelled, cancel, coro, obj, loop_ = "loop", timeout, delay, callback, context,
    return_exceptions, send, throw, close,
    // asyncio methods
    set_result, set_exception, add_done_callback, remove_done_callback,
    get_loop, get_name, set_name, get_coro, cancelling, uncancel,
    create_future, create_task, call_soon, call_later, call_at, is_running,
    is_closed, get_debug, when,
    // asyncio's synchronization primitives and queues
    acquire, release, locked, wait, wait_for, set, is_set, notify, notify_all,
    put, put_nowait, get_nowait, task_done, qsize, empty, full, maxsize,
    expired, reschedule, exceptions, message,
    // modules and their members
    asyncio, time, sys,
    // generator and async generator methods
    asend, athrow, aclose,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_symbols_are_interned_in_order() {
        assert_eq!(intern("append"), sym::append);
        assert_eq!(&*sym::self_.text(), "self");
        assert_eq!(&*sym::__init__.text(), "__init__");
        assert!(sym::__init__.is_dunder());
        assert!(!sym::append.is_dunder());
    }

    #[test]
    fn well_known_texts_are_unique() {
        // A duplicate would give two constants for one text, and the second
        // would not match what `intern` returns.
        let mut seen = std::collections::HashSet::new();
        for text in WELL_KNOWN_TEXT {
            assert!(seen.insert(text), "{text} is listed twice");
        }
    }

    #[test]
    fn new_names_get_fresh_symbols() {
        let a = intern("some_user_name");
        let b = intern("some_user_name");
        let c = intern("another_name");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(&*a.text(), "some_user_name");
    }
}
