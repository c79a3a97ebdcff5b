//! The `builtins` namespace: every name a program can use without
//! importing it — the built-in functions (`print`, `len`, `sorted`, ...), the
//! built-in types (`int`, `str`, `list`, ...) and the exception classes.
//!
//! Each built-in function is a Rust function with the signature
//! [`BuiltinFn`](crate::vm::object::function::BuiltinFn), declared as a
//! `static` [`BuiltinFunction`] so a `Value::Builtin` is just a pointer.
//! This module also holds the argument-checking helpers that reproduce
//! CPython's two styles of arity error (`len() takes exactly one argument
//! (2 given)` and `divmod expected 2 arguments, got 1`).

mod constructors;
mod functions;
pub(crate) use functions::LEN;
pub mod modules;
mod sort;

use super::object::exception::{self, PyResult};
use super::object::function::Keywords;
use super::object::types::builtin_types;
use super::value::Value;
use crate::symbol::{intern, Symbol};

pub use functions::sort_with_options;
pub use sort::sort_values;

/// Declare `static` built-in functions: `NAME: "python_name" => rust_fn`.
#[macro_export]
macro_rules! builtin_functions {
    ($module:expr; $($static_name:ident : $name:literal => $func:path),* $(,)?) => {
        $(
            pub static $static_name: $crate::vm::object::function::BuiltinFunction =
                $crate::vm::object::function::BuiltinFunction {
                    name: $name,
                    module: $module,
                    call: $func,
                };
        )*
    };
}

/// The whole `builtins` namespace, by name.
pub fn builtins_table() -> crate::symbol::SymbolMap<Value> {
    let mut table = crate::symbol::SymbolMap::default();
    for f in functions::FUNCTIONS {
        table.insert(intern(f.name), Value::Builtin(f));
    }
    let types = builtin_types();
    for t in [
        &types.int,
        &types.float,
        &types.str_,
        &types.bool_,
        &types.list,
        &types.tuple,
        &types.dict,
        &types.set,
        &types.range,
        &types.slice,
        &types.type_,
        &types.object,
        &types.staticmethod,
        &types.classmethod,
        &types.property,
        &types.super_,
    ] {
        table.insert(intern(&t.name), Value::Type(t.clone()));
    }
    for class in types.exceptions.all() {
        if &*class.module == "builtins" {
            table.insert(intern(&class.name), Value::Type(class.clone()));
        }
    }
    table.insert(intern("None"), Value::None);
    table.insert(
        intern("NotImplemented"),
        crate::vm::dunders::not_implemented(),
    );
    table.insert(intern("Ellipsis"), Value::Ellipsis);
    table
}

// ----- argument checking ------------------------------------------------------

/// `name() takes no keyword arguments`.
pub fn no_keywords(name: &str, kwargs: Keywords) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        Err(exception::type_error(format!(
            "{name}() takes no keyword arguments"
        )))
    }
}

/// CPython's `METH_O` check: `len() takes exactly one argument (2 given)`.
pub fn exactly_one<'a>(name: &str, args: &'a [Value], kwargs: Keywords) -> PyResult<&'a Value> {
    no_keywords(name, kwargs)?;
    match args {
        [one] => Ok(one),
        _ => Err(exception::type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            args.len()
        ))),
    }
}

/// CPython's `unpack_tuple` style: `divmod expected 2 arguments, got 1`,
/// `range expected at least 1 argument, got 0`.
pub fn expect_count(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    let n = args.len();
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    if min == max && n != min {
        return Err(exception::type_error(format!(
            "{name} expected {min} {}, got {n}",
            plural(min)
        )));
    }
    if n < min {
        return Err(exception::type_error(format!(
            "{name} expected at least {min} {}, got {n}",
            plural(min)
        )));
    }
    if n > max {
        return Err(exception::type_error(format!(
            "{name} expected at most {max} {}, got {n}",
            plural(max)
        )));
    }
    Ok(())
}

/// The value of keyword argument `name`, rejecting any keyword not in
/// `allowed` with CPython's message.
#[inline]
pub fn keyword<'a>(
    function: &str,
    kwargs: &'a [(Symbol, Value)],
    name: &str,
    allowed: &[&str],
) -> PyResult<Option<&'a Value>> {
    if kwargs.is_empty() {
        return Ok(None);
    }
    keyword_slow(function, kwargs, name, allowed)
}

#[inline(never)]
fn keyword_slow<'a>(
    function: &str,
    kwargs: &'a [(Symbol, Value)],
    name: &str,
    allowed: &[&str],
) -> PyResult<Option<&'a Value>> {
    let mut found = None;
    for (k, v) in kwargs {
        let text = k.text();
        if !allowed.contains(&&*text) {
            return Err(exception::type_error(format!(
                "{function}() got an unexpected keyword argument '{text}'"
            )));
        }
        if &*text == name {
            found = Some(v);
        }
    }
    Ok(found)
}

/// An `int` argument (bools count), with CPython's message otherwise.
pub fn as_index(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(exception::overflow_error(
            "Python int too large to convert to C ssize_t",
        )),
        other => Err(exception::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}
