//! The virtual machine's runtime library.
//!
//! For now this holds the pure algorithms the VM's values are built on:
//! number arithmetic, hashing, the dict and set tables, string methods and
//! the format-spec mini-language, each written against Rust primitives so it
//! can be tested against CPython on its own, before any `Value` exists.

pub mod format_percent;
pub mod format_spec;
pub mod format_string;
pub mod object;
