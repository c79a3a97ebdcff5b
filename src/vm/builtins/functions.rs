//! The built-in functions, one Rust function each.

use super::{as_index, exactly_one, expect_count, keyword, no_keywords, sort_values};
use crate::builtin_functions;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::float::{float_divmod, float_round, float_round_to_int};
use crate::vm::object::function::{BuiltinFunction, Keywords};
use crate::vm::object::int::{self as int_ops, int_to_prefixed_radix, IntValue};
use crate::vm::object::iterator::{IterState, PyIterator};
use crate::vm::object::str_repr::escape_non_ascii;
use crate::vm::object::types::{type_of, TypeObject};
use crate::vm::ops::{int_value_to_value, num_error};
use crate::vm::value::Value;
use crate::vm::Vm;
use num_bigint::BigInt;
use num_traits::Signed;
use std::rc::Rc;

builtin_functions! { None;
    PRINT: "print" => print,
    LEN: "len" => len,
    REPR: "repr" => repr,
    ASCII: "ascii" => ascii,
    ABS: "abs" => abs,
    MIN: "min" => min,
    MAX: "max" => max,
    SUM: "sum" => sum,
    SORTED: "sorted" => sorted,
    REVERSED: "reversed" => reversed,
    ENUMERATE: "enumerate" => enumerate,
    ZIP: "zip" => zip,
    MAP: "map" => map,
    FILTER: "filter" => filter,
    ANY: "any" => any,
    ALL: "all" => all,
    ISINSTANCE: "isinstance" => isinstance,
    ISSUBCLASS: "issubclass" => issubclass,
    ROUND: "round" => round,
    DIVMOD: "divmod" => divmod,
    HASH: "hash" => hash,
    ID: "id" => id,
    INPUT: "input" => input,
    ITER: "iter" => iter,
    NEXT: "next" => next,
    ORD: "ord" => ord,
    CHR: "chr" => chr,
    CALLABLE: "callable" => callable,
    POW: "pow" => pow,
    BIN: "bin" => bin,
    HEX: "hex" => hex,
    OCT: "oct" => oct,
    FORMAT: "format" => format,
    GETATTR: "getattr" => getattr,
    HASATTR: "hasattr" => hasattr,
    SETATTR: "setattr" => setattr,
}

/// Every built-in function, for the `builtins` table.
pub static FUNCTIONS: &[&BuiltinFunction] = &[
    &PRINT,
    &LEN,
    &REPR,
    &ASCII,
    &ABS,
    &MIN,
    &MAX,
    &SUM,
    &SORTED,
    &REVERSED,
    &ENUMERATE,
    &ZIP,
    &MAP,
    &FILTER,
    &ANY,
    &ALL,
    &ISINSTANCE,
    &ISSUBCLASS,
    &ROUND,
    &DIVMOD,
    &HASH,
    &ID,
    &INPUT,
    &ITER,
    &NEXT,
    &ORD,
    &CHR,
    &CALLABLE,
    &POW,
    &BIN,
    &HEX,
    &OCT,
    &FORMAT,
    &GETATTR,
    &HASATTR,
    &SETATTR,
];

fn print(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["sep", "end", "file", "flush"];
    let text_option = |vm: &mut Vm, name: &str, default: &str| -> PyResult<String> {
        match keyword("print", kwargs, name, &allowed)? {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => {
                let _ = vm;
                Err(exception::type_error(format!(
                    "{name} must be None or a string, not {}",
                    other.type_name()
                )))
            }
        }
    };
    let sep = text_option(vm, "sep", " ")?;
    let end = text_option(vm, "end", "\n")?;
    if let Some(file) = keyword("print", kwargs, "file", &allowed)? {
        if !file.is_none() {
            return Err(exception::not_implemented_error(
                "print(file=...) is not supported by apy",
            ));
        }
    }
    let flush = match keyword("print", kwargs, "flush", &allowed)? {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    let mut line = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            line.push_str(&sep);
        }
        match arg {
            Value::Str(s) => line.push_str(s.as_str()),
            other => line.push_str(&vm.str_of(other)?),
        }
    }
    line.push_str(&end);
    vm.output.write_stdout(&line);
    if flush {
        vm.output.flush();
    }
    Ok(Value::None)
}

/// `len(x)` as a Rust number.
pub fn length_of(v: &Value) -> PyResult<usize> {
    Ok(match v {
        Value::Str(s) => s.len(),
        Value::List(l) => l.items.borrow().len(),
        Value::Tuple(t) => t.items.len(),
        Value::Dict(d) => d.len(),
        Value::DictView(v) => v.dict.len(),
        Value::Set(s) => s.len(),
        Value::Range(r) => r.len() as usize,
        other => {
            return Err(exception::type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            )))
        }
    })
}

fn len(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("len", args, kwargs)?;
    if let Value::Instance(_) = v {
        return Ok(Value::Int(vm.user_len(v)? as i64));
    }
    Ok(Value::Int(length_of(v)? as i64))
}

fn repr(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("repr", args, kwargs)?;
    Ok(Value::string(vm.repr(v)?))
}

/// `ascii(x)`: `repr(x)` with every non-ASCII character escaped.
fn ascii(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("ascii", args, kwargs)?;
    let repr = vm.repr(v)?;
    Ok(Value::string(escape_non_ascii(&repr)))
}

fn abs(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    match exactly_one("abs", args, kwargs)? {
        v @ Value::Instance(_)
            if vm
                .special_method(v, crate::symbol::intern("__abs__"))
                .is_some() =>
        {
            let r = vm.call_special(v, crate::symbol::intern("__abs__"), &[])?;
            Ok(r.unwrap_or(Value::None))
        }
        Value::Int(i) => Ok(match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => Value::from_bigint(BigInt::from(*i).abs()),
        }),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::BigInt(b) => Ok(Value::from_bigint(b.abs())),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        other => Err(exception::type_error(format!(
            "bad operand type for abs(): '{}'",
            other.type_name()
        ))),
    }
}

/// `min` and `max`: of an iterable, or of several arguments.
fn min_max(
    vm: &mut Vm,
    args: &[Value],
    kwargs: Keywords,
    name: &str,
    want_max: bool,
) -> PyResult<Value> {
    let allowed = ["key", "default"];
    let key = keyword(name, kwargs, "key", &allowed)?
        .filter(|k| !k.is_none())
        .cloned();
    let default = keyword(name, kwargs, "default", &allowed)?.cloned();
    let items = match args {
        [] => {
            return Err(exception::type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )))
        }
        [iterable] => vm.collect_iterable(iterable)?,
        many => {
            if default.is_some() {
                return Err(exception::type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            many.to_vec()
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => vm.call(f, std::slice::from_ref(&item), &[])?,
            None => item.clone(),
        };
        best = Some(match best {
            None => (item, k),
            Some((best_item, best_key)) => {
                // CPython asks `item > best` for max and `item < best` for min.
                let kind = if want_max {
                    crate::bytecode::op::CompareKind::Greater
                } else {
                    crate::bytecode::op::CompareKind::Less
                };
                let verdict = vm.compare(kind, &k, &best_key)?;
                let better = vm.is_true(&verdict)?;
                if better {
                    (item, k)
                } else {
                    (best_item, best_key)
                }
            }
        });
    }
    match best {
        Some((item, _)) => Ok(item),
        None => default
            .ok_or_else(|| exception::value_error(format!("{name}() arg is an empty sequence"))),
    }
}

fn min(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    min_max(vm, args, kwargs, "min", false)
}

fn max(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    min_max(vm, args, kwargs, "max", true)
}

fn sum(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let start_kw = keyword("sum", kwargs, "start", &["start"])?;
    let (iterable, start) = match args {
        [] => {
            return Err(exception::type_error(
                "sum() takes at least 1 positional argument (0 given)",
            ))
        }
        [it] => (it, start_kw.cloned().unwrap_or(Value::Int(0))),
        [it, start] => (it, start.clone()),
        _ => {
            return Err(exception::type_error(format!(
                "sum() takes at most 2 arguments ({} given)",
                args.len()
            )))
        }
    };
    if let Value::Str(_) = start {
        return Err(exception::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let mut total = start;
    let it = vm.get_iter(iterable)?;
    while let Some(item) = vm.next(&it)? {
        total = match (&total, &item) {
            (Value::Int(a), Value::Int(b)) if a.checked_add(*b).is_some() => Value::Int(a + b),
            (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
            _ => vm.binary_op(crate::bytecode::op::BinaryOpKind::Add, total, item)?,
        };
    }
    Ok(total)
}

fn sorted(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    expect_count("sorted", args, 1, 1)?;
    let mut items = vm.collect_iterable(&args[0])?;
    sort_with_options(vm, &mut items, kwargs, "sort")?;
    Ok(Value::list(items))
}

/// The `key=` and `reverse=` options of `sorted` and `list.sort`.
pub fn sort_with_options(
    vm: &mut Vm,
    items: &mut Vec<Value>,
    kwargs: Keywords,
    name: &str,
) -> PyResult<()> {
    let allowed = ["key", "reverse"];
    let key = keyword(name, kwargs, "key", &allowed)?
        .filter(|k| !k.is_none())
        .cloned();
    let reverse = match keyword(name, kwargs, "reverse", &allowed)? {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    let keys = match key {
        Some(f) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items.iter() {
                keys.push(vm.call(&f, std::slice::from_ref(item), &[])?);
            }
            Some(keys)
        }
        None => None,
    };
    sort_values(vm, items, keys, reverse)
}

fn reversed(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("reversed", kwargs)?;
    expect_count("reversed", args, 1, 1)?;
    let state = match &args[0] {
        Value::List(list) => IterState::ReversedList {
            list: list.clone(),
            remaining: list.items.borrow().len(),
        },
        Value::Tuple(_) | Value::Str(_) | Value::Range(_) | Value::Dict(_) => {
            let mut items = vm.collect_iterable(&args[0])?;
            items.reverse();
            IterState::Values { items, index: 0 }
        }
        other => {
            return Err(exception::type_error(format!(
                "'{}' object is not reversible",
                other.type_name()
            )))
        }
    };
    Ok(PyIterator::new_value(state))
}

fn enumerate(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let start = keyword("enumerate", kwargs, "start", &["start", "iterable"])?;
    let (iterable, start) = match (args, start) {
        ([], _) => {
            return Err(exception::type_error(
                "enumerate() missing required argument 'iterable'",
            ))
        }
        ([it], Some(s)) => (it, s.clone()),
        ([it], None) => (it, Value::Int(0)),
        ([it, s], _) => (it, s.clone()),
        _ => {
            return Err(exception::type_error(format!(
                "enumerate() takes at most 2 arguments ({} given)",
                args.len()
            )))
        }
    };
    let count = as_index(&start)?;
    let inner = vm.get_iter(iterable)?;
    Ok(PyIterator::new_value(IterState::Enumerate { inner, count }))
}

fn zip(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("zip", kwargs)?;
    let mut inners = Vec::with_capacity(args.len());
    for a in args {
        inners.push(vm.get_iter(a)?);
    }
    Ok(PyIterator::new_value(IterState::Zip { inners }))
}

fn map(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("map", kwargs)?;
    if args.len() < 2 {
        return Err(exception::type_error(
            "map() must have at least two arguments.",
        ));
    }
    let mut inners = Vec::with_capacity(args.len() - 1);
    for a in &args[1..] {
        inners.push(vm.get_iter(a)?);
    }
    Ok(PyIterator::new_value(IterState::Map {
        function: args[0].clone(),
        inners,
    }))
}

fn filter(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("filter", kwargs)?;
    expect_count("filter", args, 2, 2)?;
    let inner = vm.get_iter(&args[1])?;
    Ok(PyIterator::new_value(IterState::Filter {
        function: args[0].clone(),
        inner,
    }))
}

fn any(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let it = vm.get_iter(exactly_one("any", args, kwargs)?)?;
    while let Some(item) = vm.next(&it)? {
        if vm.is_true(&item)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn all(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let it = vm.get_iter(exactly_one("all", args, kwargs)?)?;
    while let Some(item) = vm.next(&it)? {
        if !vm.is_true(&item)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

/// `isinstance(value, class_or_tuple)`.
pub fn is_instance(value: &Value, class: &Value, function: &str) -> PyResult<bool> {
    match class {
        Value::Type(t) => Ok(type_of(value).is_subclass_of(t)),
        Value::Tuple(classes) => {
            for c in classes.items.iter() {
                if is_instance(value, c, function)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(exception::type_error(format!(
            "{function}() arg 2 must be a type, a tuple of types, or a union"
        ))),
    }
}

fn isinstance(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("isinstance", kwargs)?;
    expect_count("isinstance", args, 2, 2)?;
    is_instance(&args[0], &args[1], "isinstance").map(Value::Bool)
}

fn issubclass(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("issubclass", kwargs)?;
    expect_count("issubclass", args, 2, 2)?;
    let Value::Type(sub) = &args[0] else {
        return Err(exception::type_error("issubclass() arg 1 must be a class"));
    };
    fn check(sub: &Rc<TypeObject>, class: &Value) -> PyResult<bool> {
        match class {
            Value::Type(t) => Ok(sub.is_subclass_of(t)),
            Value::Tuple(classes) => {
                for c in classes.items.iter() {
                    if check(sub, c)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(exception::type_error(
                "issubclass() arg 2 must be a class, a tuple of classes, or a union",
            )),
        }
    }
    check(sub, &args[1]).map(Value::Bool)
}

fn round(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let allowed = ["number", "ndigits"];
    let number = keyword("round", kwargs, "number", &allowed)?;
    let ndigits_kw = keyword("round", kwargs, "ndigits", &allowed)?;
    let (number, ndigits) = match args {
        [] => match number {
            Some(n) => (n.clone(), ndigits_kw.cloned()),
            None => {
                return Err(exception::type_error(
                    "round() missing required argument 'number' (pos 1)",
                ))
            }
        },
        [n] => (n.clone(), ndigits_kw.cloned()),
        [n, d] => (n.clone(), Some(d.clone())),
        _ => {
            return Err(exception::type_error(format!(
                "round() takes at most 2 arguments ({} given)",
                args.len()
            )))
        }
    };
    let ndigits = ndigits.filter(|d| !d.is_none());
    match (&number, ndigits) {
        (Value::Float(f), None) => float_round_to_int(*f)
            .map(int_value_to_value)
            .map_err(num_error),
        (Value::Float(f), Some(d)) => float_round(*f, as_index(&d)?)
            .map(Value::Float)
            .map_err(num_error),
        (Value::Int(_) | Value::BigInt(_) | Value::Bool(_), None) => vm.unary_positive(number),
        (Value::Int(_) | Value::BigInt(_) | Value::Bool(_), Some(d)) => {
            let d = as_index(&d)?;
            if d >= 0 {
                return vm.unary_positive(number);
            }
            // Round to a multiple of 10**-d, halves to even.
            let n = match &number {
                Value::Int(i) => BigInt::from(*i),
                Value::Bool(b) => BigInt::from(*b as i64),
                Value::BigInt(b) => (**b).clone(),
                _ => unreachable!(),
            };
            let unit = BigInt::from(10).pow((-d).min(10_000) as u32);
            let (q, r) = int_ops::divmod_bigint(&n, &unit).map_err(num_error)?;
            let twice = &r * 2;
            let q = if twice > unit || (twice == unit && (&q % 2) != BigInt::from(0)) {
                q + 1
            } else {
                q
            };
            Ok(Value::from_bigint(q * unit))
        }
        (other, _) => Err(exception::type_error(format!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

fn divmod(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("divmod", kwargs)?;
    expect_count("divmod", args, 2, 2)?;
    let (a, b) = (&args[0], &args[1]);
    match (a, b) {
        (Value::Float(_), _) | (_, Value::Float(_)) => {
            let x = to_float(a, b)?;
            let y = to_float(b, a)?;
            let (q, r) = float_divmod(x, y).map_err(num_error)?;
            Ok(Value::tuple(vec![Value::Float(q), Value::Float(r)]))
        }
        _ => {
            let q = vm
                .binary_op(
                    crate::bytecode::op::BinaryOpKind::FloorDivide,
                    a.clone(),
                    b.clone(),
                )
                .map_err(|e| divmod_error(e, a, b))?;
            let r = vm.binary_op(
                crate::bytecode::op::BinaryOpKind::Remainder,
                a.clone(),
                b.clone(),
            )?;
            Ok(Value::tuple(vec![q, r]))
        }
    }
}

fn divmod_error(e: exception::PyErr, a: &Value, b: &Value) -> exception::PyErr {
    if e.class.name.as_ref() == "TypeError" {
        exception::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))
    } else {
        e
    }
}

fn to_float(v: &Value, other: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::BigInt(b) => int_ops::bigint_to_f64(b).map_err(num_error),
        _ => Err(exception::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            v.type_name(),
            other.type_name()
        ))),
    }
}

fn hash(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("hash", args, kwargs)?;
    vm.hash(v).map(Value::Int)
}

fn id(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("id", args, kwargs)?;
    Ok(Value::Int(v.identity() as i64))
}

fn input(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("input", kwargs)?;
    if args.len() > 1 {
        return Err(exception::type_error(format!(
            "input expected at most 1 argument, got {}",
            args.len()
        )));
    }
    if let Some(prompt) = args.first() {
        let text = vm.str_of(prompt)?;
        vm.output.write_stdout(&text);
    }
    vm.output.flush();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) => Err(exception::eof_error("EOF when reading a line")),
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
            }
            Ok(Value::string(line))
        }
        Err(e) => Err(exception::runtime_error(format!("input(): {e}"))),
    }
}

fn iter(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("iter", kwargs)?;
    expect_count("iter", args, 1, 1)?;
    vm.get_iter(&args[0])
}

fn next(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("next", kwargs)?;
    expect_count("next", args, 1, 2)?;
    if let Value::Generator(generator) = &args[0] {
        if !generator.is_async_generator() {
            return match vm.resume_generator(generator, Value::None)? {
                crate::vm::generators::GeneratorStep::Yielded(v) => Ok(v),
                crate::vm::generators::GeneratorStep::Returned(v) => match args.get(1) {
                    Some(default) => Ok(default.clone()),
                    None => Err(crate::vm::generators::stop_iteration_with(v)),
                },
            };
        }
    }
    if let Value::Instance(_) = args[0] {
        return vm.user_next_builtin(&args[0], args.get(1));
    }
    if !matches!(args[0], Value::Iterator(_)) {
        return Err(exception::type_error(format!(
            "'{}' object is not an iterator",
            args[0].type_name()
        )));
    }
    match vm.next(&args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(default) => Ok(default.clone()),
            None => Err(exception::stop_iteration(None)),
        },
    }
}

fn ord(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    match exactly_one("ord", args, kwargs)? {
        Value::Str(s) if s.len() == 1 => Ok(Value::Int(
            s.as_str().chars().next().map(|c| c as i64).unwrap_or(0),
        )),
        Value::Str(s) => Err(exception::type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.len()
        ))),
        other => Err(exception::type_error(format!(
            "ord() expected string of length 1, but {} found",
            other.type_name()
        ))),
    }
}

fn chr(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("chr", args, kwargs)?;
    let code = match v {
        Value::BigInt(_) => {
            return Err(exception::overflow_error(
                "Python int too large to convert to C int",
            ))
        }
        other => as_index(other)?,
    };
    if !(0..0x110000).contains(&code) {
        return Err(exception::value_error("chr() arg not in range(0x110000)"));
    }
    // Lone surrogates cannot be Rust chars; apy cannot represent them.
    match char::from_u32(code as u32) {
        Some(c) => Ok(Value::string(c.to_string())),
        None => Err(exception::value_error(
            "chr() of a surrogate code point is not supported by apy",
        )),
    }
}

fn callable(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let v = exactly_one("callable", args, kwargs)?;
    if let Value::Instance(_) = v {
        let call = vm.special_method(v, crate::symbol::sym::__call__);
        return Ok(Value::Bool(call.is_some()));
    }
    Ok(Value::Bool(matches!(
        v,
        Value::Function(_) | Value::Builtin(_) | Value::BoundMethod(_) | Value::Type(_)
    )))
}

fn pow(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("pow", kwargs)?;
    match args {
        [] => Err(exception::type_error(
            "pow() missing required argument 'base' (pos 1)",
        )),
        [_] => Err(exception::type_error(
            "pow() missing required argument 'exp' (pos 2)",
        )),
        [base, exp] => vm.binary_op(
            crate::bytecode::op::BinaryOpKind::Power,
            base.clone(),
            exp.clone(),
        ),
        [base, exp, modulus] if modulus.is_none() => vm.binary_op(
            crate::bytecode::op::BinaryOpKind::Power,
            base.clone(),
            exp.clone(),
        ),
        [base, exp, modulus] => {
            let int = |v: &Value| match v {
                Value::Int(i) => Some(IntValue::Small(*i)),
                Value::Bool(b) => Some(IntValue::Small(*b as i64)),
                Value::BigInt(b) => Some(IntValue::Big((**b).clone())),
                _ => None,
            };
            match (int(base), int(exp), int(modulus)) {
                (Some(b), Some(e), Some(m)) => {
                    int_ops::int_pow_mod(&b.to_bigint(), &e.to_bigint(), &m.to_bigint())
                        .map(int_value_to_value)
                        .map_err(num_error)
                }
                _ => Err(exception::type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                )),
            }
        }
        _ => Err(exception::type_error(format!(
            "pow() takes at most 3 arguments ({} given)",
            args.len()
        ))),
    }
}

fn radix(name: &str, args: &[Value], kwargs: Keywords, base: u32) -> PyResult<Value> {
    let v = exactly_one(name, args, kwargs)?;
    let n = match v {
        Value::Int(i) => IntValue::Small(*i),
        Value::Bool(b) => IntValue::Small(*b as i64),
        Value::BigInt(b) => IntValue::Big((**b).clone()),
        other => {
            return Err(exception::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    Ok(Value::string(int_to_prefixed_radix(&n, base)))
}

fn bin(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    radix("bin", args, kwargs, 2)
}

fn hex(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    radix("hex", args, kwargs, 16)
}

fn oct(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    radix("oct", args, kwargs, 8)
}

fn format(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("format", kwargs)?;
    expect_count("format", args, 1, 2)?;
    let spec = match args.get(1) {
        None => String::new(),
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(other) => {
            return Err(exception::type_error(format!(
                "format() argument 2 must be str, not {}",
                other.type_name()
            )))
        }
    };
    vm.format_with_spec(&args[0], &spec).map(Value::string)
}

fn attribute_name(function: &str, v: &Value) -> PyResult<crate::symbol::Symbol> {
    match v {
        Value::Str(s) => Ok(crate::symbol::intern(s.as_str())),
        other => Err(exception::type_error(format!(
            "{function}(): attribute name must be string, not '{}'",
            other.type_name()
        ))),
    }
}

fn getattr(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("getattr", kwargs)?;
    expect_count("getattr", args, 2, 3)?;
    let name = attribute_name("getattr", &args[1])?;
    match vm.lookup_attr(&args[0], name)? {
        Some(v) => Ok(v),
        None => match args.get(2) {
            Some(default) => Ok(default.clone()),
            None => vm.get_attr(&args[0], name),
        },
    }
}

fn hasattr(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("hasattr", kwargs)?;
    expect_count("hasattr", args, 2, 2)?;
    let name = attribute_name("hasattr", &args[1])?;
    Ok(Value::Bool(vm.lookup_attr(&args[0], name)?.is_some()))
}

fn setattr(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_keywords("setattr", kwargs)?;
    expect_count("setattr", args, 3, 3)?;
    let name = attribute_name("setattr", &args[1])?;
    vm.set_attr(&args[0], name, args[2].clone())?;
    Ok(Value::None)
}
