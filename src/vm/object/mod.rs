//! Python's built-in object types, one file per concept.
//!
//! Two layers live here. The algorithm files (`float`, `int`, `hash`,
//! `dict_table`, `set_table`, `str_methods`, `str_repr`, `unicode`) know
//! nothing of the VM's `Value`: they work on Rust primitives and return
//! CPython's exact error messages in small error enums, so each can be tested
//! against CPython on its own. The object files (`str`, `dict`, `set`,
//! `function`, `exception`, `types`, ...) define the objects a `Value`
//! points to.

pub mod coroutine;
pub mod dict;
pub mod dict_table;
pub mod exception;
pub mod exception_group;
pub mod float;
pub mod function;
pub mod hash;
pub mod instance;
pub mod int;
pub mod iterator;
pub mod module;
pub mod num_error;
pub mod range;
pub mod set;
pub mod set_table;
pub mod slice;
pub mod str;
pub mod str_case;
pub mod str_methods;
pub mod str_repr;
pub mod types;
pub mod unicode;
#[rustfmt::skip]
pub(crate) mod unicode_tables;

#[cfg(test)]
pub(crate) mod test_vectors;
