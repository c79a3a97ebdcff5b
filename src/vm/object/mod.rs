//! The algorithms behind Python's built-in types, one file per concept.
//!
//! Nothing here knows about the VM's `Value`: every function works on Rust
//! primitives (`i64`, `f64`, `BigInt`, `&str`, generic keys) and returns
//! plain Rust results, with CPython's exact error messages in small error
//! enums that the VM maps to exception types.

pub mod dict_table;
pub mod float;
pub mod hash;
pub mod int;
pub mod num_error;
pub mod set_table;
pub mod str_case;
pub mod str_methods;
pub mod str_repr;
pub mod unicode;
#[rustfmt::skip]
pub(crate) mod unicode_tables;

#[cfg(test)]
pub(crate) mod test_vectors;
