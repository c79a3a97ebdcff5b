//! Methods of `str`.
//!
//! The algorithms (Python's whitespace splitting, code-point indices,
//! Unicode case mapping) are in `object::str_methods` and `object::str_case`;
//! this file parses each method's arguments as CPython does and wraps the
//! results in values.

use super::arity;
use crate::symbol::{sym, Symbol};
use crate::vm::builtins::as_index;
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::str::PyStr;
use crate::vm::object::str_case as case;
use crate::vm::object::str_methods::{self as algo, StrError};
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

pub const METHODS: &[Symbol] = &[
    sym::join,
    sym::split,
    sym::rsplit,
    sym::splitlines,
    sym::strip,
    sym::lstrip,
    sym::rstrip,
    sym::upper,
    sym::lower,
    sym::casefold,
    sym::replace,
    sym::find,
    sym::rfind,
    sym::index,
    sym::rindex,
    sym::count,
    sym::startswith,
    sym::endswith,
    sym::format,
    sym::partition,
    sym::rpartition,
    sym::center,
    sym::ljust,
    sym::rjust,
    sym::zfill,
    sym::title,
    sym::capitalize,
    sym::swapcase,
    sym::expandtabs,
    sym::isdigit,
    sym::isdecimal,
    sym::isnumeric,
    sym::isalpha,
    sym::isalnum,
    sym::isspace,
    sym::islower,
    sym::isupper,
    sym::istitle,
    sym::isidentifier,
    sym::isprintable,
    sym::isascii,
    sym::removeprefix,
    sym::removesuffix,
];

fn str_error(e: StrError) -> PyErr {
    match e {
        StrError::TooLarge => exception::memory_error(""),
        other => exception::value_error(other.message()),
    }
}

/// A `str` argument, or CPython's `TypeError: must be str, not int`.
fn text_arg(v: &Value) -> PyResult<&str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(exception::type_error(format!(
            "must be str, not {}",
            other.type_name()
        ))),
    }
}

/// An optional start/end index (`None` allowed).
fn optional_index(v: Option<&Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(*b as i64)),
        Some(Value::BigInt(b)) => Ok(Some(if num_traits::Signed::is_negative(&**b) {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        })),
        Some(_) => Err(exception::type_error(
            "slice indices must be integers or None or have an __index__ method",
        )),
    }
}

/// `name() takes at least 1 argument (0 given)` / `at most 3`.
fn search_arity(name: &str, args: &[Value], kwargs: &[(Symbol, Value)]) -> PyResult<()> {
    if !kwargs.is_empty() {
        return Err(exception::type_error(format!(
            "str.{name}() takes no keyword arguments"
        )));
    }
    if args.is_empty() {
        return Err(exception::type_error(format!(
            "{name}() takes at least 1 argument (0 given)"
        )));
    }
    if args.len() > 3 {
        return Err(exception::type_error(format!(
            "{name}() takes at most 3 arguments ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// The most positional-or-keyword parameters a str method has.
const MAX_BOUND: usize = 2;

/// Positional-or-keyword arguments of a method: `names[i]` may come by
/// position or by keyword. Bound in a fixed array, not a `Vec`: this runs
/// for every `split` call.
fn bind<'a>(
    method: &str,
    names: &[&str],
    args: &'a [Value],
    kwargs: &'a [(Symbol, Value)],
) -> PyResult<[Option<&'a Value>; MAX_BOUND]> {
    debug_assert!(names.len() <= MAX_BOUND);
    if args.len() > names.len() {
        return Err(exception::type_error(format!(
            "{method}() takes at most {} argument{} ({} given)",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut bound = [None; MAX_BOUND];
    for (slot, arg) in bound.iter_mut().zip(args) {
        *slot = Some(arg);
    }
    for (k, v) in kwargs {
        let text = k.text();
        match names.iter().position(|n| **n == *text) {
            Some(i) if bound[i].is_none() => bound[i] = Some(v),
            Some(_) => {
                return Err(exception::type_error(format!(
                    "argument for {method}() given by name ('{text}') and position ({})",
                    names.iter().position(|n| **n == *text).unwrap_or(0) + 1
                )))
            }
            None => {
                return Err(exception::type_error(format!(
                    "'{text}' is an invalid keyword argument for {method}()"
                )))
            }
        }
    }
    Ok(bound)
}

/// Whether two str arguments are one object (CPython's `str1 == str2`).
fn same_object(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Str(a), Value::Str(b)) if Rc::ptr_eq(a, b))
}

fn strings(parts: Vec<&str>) -> Value {
    Value::list(parts.into_iter().map(Value::str).collect())
}

impl Vm {
    pub(super) fn str_method(
        &mut self,
        s: &Rc<PyStr>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let text = s.as_str();
        let check = |method: &str, min, max| arity("str", method, args, kwargs, min, max);
        let no_args = |method: &str| arity("str", method, args, kwargs, 0, 0);
        let predicate = |method: &str, f: fn(&str) -> bool| -> PyResult<Value> {
            no_args(method).map(|_| Value::Bool(f(text)))
        };
        let mapped = |method: &str, f: fn(&str) -> String| -> PyResult<Value> {
            no_args(method).map(|_| Value::string(f(text)))
        };
        Some(match name {
            sym::join => check("join", 1, 1).and_then(|_| self.str_join(text, &args[0])),
            n @ (sym::split | sym::rsplit) => {
                let method = if n == sym::split { "split" } else { "rsplit" };
                (|| {
                    let bound = bind(method, &["sep", "maxsplit"], args, kwargs)?;
                    let separator = match bound[0] {
                        None | Some(Value::None) => None,
                        Some(Value::Str(sep)) => Some(sep.as_str()),
                        Some(other) => {
                            return Err(exception::type_error(format!(
                                "must be str or None, not {}",
                                other.type_name()
                            )))
                        }
                    };
                    let max_split = match bound[1] {
                        None => -1,
                        Some(v) => as_index(v)?,
                    };
                    let parts = if n == sym::split {
                        algo::split(text, separator, max_split)
                    } else {
                        algo::rsplit(text, separator, max_split)
                    };
                    parts.map(strings).map_err(str_error)
                })()
            }
            sym::splitlines => (|| {
                let bound = bind("splitlines", &["keepends"], args, kwargs)?;
                let keep = match bound[0] {
                    Some(v) => self.is_true(v)?,
                    None => false,
                };
                Ok(strings(algo::splitlines(text, keep)))
            })(),
            n @ (sym::strip | sym::lstrip | sym::rstrip) => {
                let method = n.text();
                check(&method, 0, 1).and_then(|_| {
                    let chars = match args.first() {
                        None | Some(Value::None) => None,
                        Some(Value::Str(c)) => Some(c.as_str()),
                        Some(_) => {
                            return Err(exception::type_error(format!(
                                "{method} arg must be None or str"
                            )))
                        }
                    };
                    let stripped = if n == sym::strip {
                        algo::strip(text, chars)
                    } else if n == sym::lstrip {
                        algo::lstrip(text, chars)
                    } else {
                        algo::rstrip(text, chars)
                    };
                    Ok(if stripped.len() == text.len() {
                        Value::Str(s.clone())
                    } else {
                        Value::str(stripped)
                    })
                })
            }
            sym::upper | sym::lower if s.is_ascii() => {
                let upper = name == sym::upper;
                no_args(if upper { "upper" } else { "lower" }).map(|_| {
                    Value::Str(PyStr::build_ascii_rc(text.len(), |bytes| {
                        bytes.copy_from_slice(text.as_bytes());
                        if upper {
                            bytes.make_ascii_uppercase();
                        } else {
                            bytes.make_ascii_lowercase();
                        }
                    }))
                })
            }
            sym::upper => mapped("upper", case::upper),
            sym::lower => mapped("lower", case::lower),
            sym::casefold => mapped("casefold", case::casefold),
            sym::title => mapped("title", case::title),
            sym::capitalize => mapped("capitalize", case::capitalize),
            sym::swapcase => mapped("swapcase", case::swapcase),
            sym::isdigit => predicate("isdigit", case::isdigit),
            sym::isdecimal => predicate("isdecimal", case::isdecimal),
            sym::isnumeric => predicate("isnumeric", case::isnumeric),
            sym::isalpha => predicate("isalpha", case::isalpha),
            sym::isalnum => predicate("isalnum", case::isalnum),
            sym::isspace => predicate("isspace", case::isspace),
            sym::islower => predicate("islower", case::islower),
            sym::isupper => predicate("isupper", case::isupper),
            sym::istitle => predicate("istitle", case::istitle),
            sym::isidentifier => predicate("isidentifier", case::isidentifier),
            sym::isprintable => predicate("isprintable", case::isprintable),
            sym::isascii => predicate("isascii", case::isascii),
            sym::replace => (|| {
                if !kwargs.is_empty() {
                    return Err(exception::type_error(
                        "str.replace() takes no keyword arguments",
                    ));
                }
                if args.len() < 2 || args.len() > 3 {
                    return Err(exception::type_error(format!(
                        "replace expected {} arguments, got {}",
                        if args.len() < 2 {
                            "at least 2"
                        } else {
                            "at most 3"
                        },
                        args.len()
                    )));
                }
                let old = text_arg(&args[0])?;
                let new = text_arg(&args[1])?;
                let count = match args.get(2) {
                    Some(c) => as_index(c)?,
                    None => -1,
                };
                // CPython hands back the string itself when there is
                // nothing to replace, and when `old` and `new` are the same
                // object (`s.replace(",", ",")` of two equal literals).
                let unchanged = || Ok(Value::Str(s.clone()));
                if same_object(&args[0], &args[1]) || (old.is_empty() && new.is_empty()) {
                    return unchanged();
                }
                // One ASCII byte for another in ASCII text: the result is
                // written straight into the new string.
                if let ([from], [to], true, true) =
                    (old.as_bytes(), new.as_bytes(), s.is_ascii(), count < 0)
                {
                    if to.is_ascii() && text.as_bytes().contains(from) {
                        let (from, to) = (*from, *to);
                        return Ok(Value::Str(PyStr::build_ascii_rc(text.len(), |bytes| {
                            for (out, byte) in bytes.iter_mut().zip(text.as_bytes()) {
                                *out = if *byte == from { to } else { *byte };
                            }
                        })));
                    }
                }
                match algo::replace(text, old, new, count) {
                    std::borrow::Cow::Borrowed(_) => unchanged(),
                    std::borrow::Cow::Owned(replaced) => Ok(Value::string(replaced)),
                }
            })(),
            n @ (sym::find | sym::rfind | sym::index | sym::rindex | sym::count) => {
                let method = n.text();
                (|| {
                    search_arity(&method, args, kwargs)?;
                    let sub = text_arg(&args[0])?;
                    let start = optional_index(args.get(1))?;
                    let end = optional_index(args.get(2))?;
                    Ok(Value::Int(match &*method {
                        "find" => algo::find(text, sub, start, end),
                        "rfind" => algo::rfind(text, sub, start, end),
                        "index" => algo::index(text, sub, start, end).map_err(str_error)? as i64,
                        "rindex" => algo::rindex(text, sub, start, end).map_err(str_error)? as i64,
                        _ => algo::count(text, sub, start, end) as i64,
                    }))
                })()
            }
            n @ (sym::startswith | sym::endswith) => {
                let method = n.text();
                (|| {
                    search_arity(&method, args, kwargs)?;
                    let start = optional_index(args.get(1))?;
                    let end = optional_index(args.get(2))?;
                    let test = |affix: &str| {
                        if n == sym::startswith {
                            algo::startswith(text, affix, start, end)
                        } else {
                            algo::endswith(text, affix, start, end)
                        }
                    };
                    match &args[0] {
                        Value::Str(affix) => Ok(Value::Bool(test(affix.as_str()))),
                        Value::Tuple(options) => {
                            for option in options.items.iter() {
                                match option {
                                    Value::Str(affix) => {
                                        if test(affix.as_str()) {
                                            return Ok(Value::Bool(true));
                                        }
                                    }
                                    other => {
                                        return Err(exception::type_error(format!(
                                            "tuple for {method} must only contain str, not {}",
                                            other.type_name()
                                        )))
                                    }
                                }
                            }
                            Ok(Value::Bool(false))
                        }
                        other => Err(exception::type_error(format!(
                            "{method} first arg must be str or a tuple of str, not {}",
                            other.type_name()
                        ))),
                    }
                })()
            }
            sym::format => self.str_format(text, args, kwargs).map(Value::string),
            n @ (sym::partition | sym::rpartition) => {
                let method = n.text();
                check(&method, 1, 1).and_then(|_| {
                    let separator = text_arg(&args[0])?;
                    let (a, b, c) = if n == sym::partition {
                        algo::partition(text, separator)
                    } else {
                        algo::rpartition(text, separator)
                    }
                    .map_err(str_error)?;
                    Ok(Value::tuple(vec![
                        Value::str(a),
                        Value::str(b),
                        Value::str(c),
                    ]))
                })
            }
            n @ (sym::center | sym::ljust | sym::rjust) => {
                let method = n.text();
                (|| {
                    if !kwargs.is_empty() {
                        return Err(exception::type_error(format!(
                            "str.{method}() takes no keyword arguments"
                        )));
                    }
                    if args.is_empty() || args.len() > 2 {
                        return Err(exception::type_error(format!(
                            "{method} expected {} argument{}, got {}",
                            if args.is_empty() {
                                "at least 1"
                            } else {
                                "at most 2"
                            },
                            if args.is_empty() { "" } else { "s" },
                            args.len()
                        )));
                    }
                    let width = as_index(&args[0])?;
                    let fill = match args.get(1) {
                        None => ' ',
                        Some(Value::Str(f)) if f.len() == 1 => {
                            f.as_str().chars().next().unwrap_or(' ')
                        }
                        Some(Value::Str(_)) => {
                            return Err(exception::type_error(
                                "The fill character must be exactly one character long",
                            ))
                        }
                        Some(other) => {
                            return Err(exception::type_error(format!(
                                "{method}() argument 2 must be str, not {}",
                                other.type_name()
                            )))
                        }
                    };
                    let padded = match &*method {
                        "center" => algo::center(text, width, fill),
                        "ljust" => algo::ljust(text, width, fill),
                        _ => algo::rjust(text, width, fill),
                    }
                    .map_err(str_error)?;
                    Ok(Value::str(&padded))
                })()
            }
            sym::zfill => check("zfill", 1, 1).and_then(|_| {
                let width = as_index(&args[0])?;
                Ok(Value::str(&algo::zfill(text, width).map_err(str_error)?))
            }),
            sym::expandtabs => (|| {
                let bound = bind("expandtabs", &["tabsize"], args, kwargs)?;
                let size = match bound[0] {
                    Some(v) => as_index(v)?,
                    None => 8,
                };
                Ok(Value::str(
                    &algo::expandtabs(text, size).map_err(str_error)?,
                ))
            })(),
            n @ (sym::removeprefix | sym::removesuffix) => {
                let method = n.text();
                check(&method, 1, 1).and_then(|_| {
                    let affix = text_arg(&args[0])?;
                    Ok(Value::str(if n == sym::removeprefix {
                        algo::removeprefix(text, affix)
                    } else {
                        algo::removesuffix(text, affix)
                    }))
                })
            }
            _ => return None,
        })
    }

    /// `sep.join(iterable)`: every item must be a str.
    fn str_join(&mut self, separator: &str, iterable: &Value) -> PyResult<Value> {
        let items = self.collect_iterable(iterable).map_err(|e| {
            if e.class.name.as_ref() == "TypeError" {
                exception::type_error("can only join an iterable")
            } else {
                e
            }
        })?;
        let mut parts: Vec<&str> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Str(p) => parts.push(p.as_str()),
                other => {
                    return Err(exception::type_error(format!(
                        "sequence item {i}: expected str instance, {} found",
                        other.type_name()
                    )))
                }
            }
        }
        Ok(Value::string(algo::join(separator, &parts)))
    }
}
