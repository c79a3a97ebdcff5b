//! The one error type of the number algorithms.
//!
//! Arithmetic can fail in a handful of ways, each of which CPython reports as
//! a specific exception with a specific message. The algorithms return a
//! `NumError` carrying CPython's exact message text; the VM only has to map
//! the variant to the exception type (see each variant's doc).

use std::borrow::Cow;
use std::fmt;

/// A failed numeric operation, with CPython's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// Raise `ZeroDivisionError(message)`.
    ZeroDivision(Cow<'static, str>),
    /// Raise `OverflowError(message)`.
    Overflow(Cow<'static, str>),
    /// Raise `ValueError(message)`.
    Value(Cow<'static, str>),
    /// Raise `MemoryError()` (CPython gives it no message): a result far too
    /// big to build, such as `1 << (1 << 64)`.
    Memory,
    /// A negative float raised to a fractional power. CPython 3.11 returns a
    /// `complex` here (`(-8.0) ** (1/3)`); apy has no complex numbers, so the
    /// VM must refuse the operation, for example with
    /// `ValueError(NumError::COMPLEX_MESSAGE)`.
    ComplexResult,
}

impl NumError {
    /// The message apy suggests for [`NumError::ComplexResult`].
    pub const COMPLEX_MESSAGE: &'static str =
        "apy has no complex numbers: a negative number raised to a fractional power is complex";

    /// The name of the Python exception this error becomes.
    pub fn exception_name(&self) -> &'static str {
        match self {
            NumError::ZeroDivision(_) => "ZeroDivisionError",
            NumError::Overflow(_) => "OverflowError",
            NumError::Value(_) | NumError::ComplexResult => "ValueError",
            NumError::Memory => "MemoryError",
        }
    }

    /// The exception's message (empty for `MemoryError`).
    pub fn message(&self) -> &str {
        match self {
            NumError::ZeroDivision(m) | NumError::Overflow(m) | NumError::Value(m) => m,
            NumError::Memory => "",
            NumError::ComplexResult => Self::COMPLEX_MESSAGE,
        }
    }

    pub(crate) fn zero_division(message: &'static str) -> Self {
        NumError::ZeroDivision(Cow::Borrowed(message))
    }

    pub(crate) fn overflow(message: &'static str) -> Self {
        NumError::Overflow(Cow::Borrowed(message))
    }

    pub(crate) fn value(message: impl Into<Cow<'static, str>>) -> Self {
        NumError::Value(message.into())
    }
}

/// Prints the way the last line of a CPython traceback does:
/// `ZeroDivisionError: division by zero`.
impl fmt::Display for NumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message().is_empty() {
            f.write_str(self.exception_name())
        } else {
            write!(f, "{}: {}", self.exception_name(), self.message())
        }
    }
}

impl std::error::Error for NumError {}
