//! The iteration protocol: `iter(x)`, `next(it)`, and what is built on
//! them — `for` loops, unpacking (`a, *b = xs`), `in`, and every built-in
//! that consumes an iterable.

use super::object::exception::{self, PyResult};
use super::object::iterator::{DictPart, IterState, PyIterator};
use super::value::Value;
use super::Vm;

impl Vm {
    /// Python's `iter(v)`.
    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        let state = match v {
            Value::List(list) => IterState::List {
                list: list.clone(),
                index: 0,
            },
            Value::Tuple(tuple) => IterState::Tuple {
                tuple: tuple.clone(),
                index: 0,
            },
            Value::Str(text) => IterState::Str {
                text: text.clone(),
                offset: 0,
            },
            Value::Range(r) => IterState::Range {
                next: r.start,
                remaining: r.len(),
                step: r.step,
            },
            Value::Dict(dict) => IterState::Dict {
                dict: dict.clone(),
                part: DictPart::Keys,
                position: 0,
                size: dict.len(),
            },
            Value::DictView(view) => IterState::Dict {
                dict: view.dict.clone(),
                part: view.part,
                position: 0,
                size: view.dict.len(),
            },
            Value::Set(set) => IterState::Set {
                set: set.clone(),
                position: 0,
                size: set.len(),
            },
            Value::Iterator(_) => return Ok(v.clone()),
            Value::Generator(g) if !g.is_async_generator() => return Ok(v.clone()),
            Value::Instance(_) => return self.user_iter(v),
            other => {
                return Err(exception::type_error(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )))
            }
        };
        Ok(PyIterator::new_value(state))
    }

    /// Python's `next(it)`: `Ok(None)` when the iterator is exhausted.
    pub fn next(&mut self, iterator: &Value) -> PyResult<Option<Value>> {
        if let Value::Generator(generator) = iterator {
            if !generator.is_async_generator() {
                return Ok(match self.resume_generator(generator, Value::None)? {
                    super::generators::GeneratorStep::Yielded(v) => Some(v),
                    super::generators::GeneratorStep::Returned(_) => None,
                });
            }
        }
        let Value::Iterator(it) = iterator else {
            if let Value::Instance(_) = iterator {
                return self.user_next(iterator);
            }
            return Err(exception::type_error(format!(
                "'{}' object is not an iterator",
                iterator.type_name()
            )));
        };
        // Iterators that call Python code must not hold the borrow while
        // they do; they take what they need out of the state first.
        let mut state = it.state.borrow_mut();
        let item = match &mut *state {
            IterState::List { list, index } => {
                let items = list.items.borrow();
                let item = items.get(*index).cloned();
                if item.is_some() {
                    *index += 1;
                }
                item
            }
            IterState::ReversedList { list, remaining } => {
                let items = list.items.borrow();
                if *remaining > 0 && *remaining <= items.len() {
                    *remaining -= 1;
                    Some(items[*remaining].clone())
                } else {
                    *remaining = 0;
                    None
                }
            }
            IterState::Tuple { tuple, index } => {
                let item = tuple.items.get(*index).cloned();
                if item.is_some() {
                    *index += 1;
                }
                item
            }
            IterState::Str { text, offset } => {
                let rest = &text.as_str()[*offset..];
                rest.chars().next().map(|c| {
                    *offset += c.len_utf8();
                    let mut buf = [0u8; 4];
                    Value::str(c.encode_utf8(&mut buf))
                })
            }
            IterState::Range {
                next,
                remaining,
                step,
            } => {
                if *remaining > 0 {
                    let v = *next;
                    *next = next.wrapping_add(*step);
                    *remaining -= 1;
                    Some(Value::Int(v))
                } else {
                    None
                }
            }
            IterState::Dict {
                dict,
                part,
                position,
                size,
            } => {
                if dict.len() != *size {
                    *size = usize::MAX;
                    return Err(exception::runtime_error(
                        "dictionary changed size during iteration",
                    ));
                }
                match dict.next_from(*position) {
                    Some((at, key, value)) => {
                        *position = at + 1;
                        Some(match part {
                            DictPart::Keys => key,
                            DictPart::Values => value,
                            DictPart::Items => Value::tuple(vec![key, value]),
                        })
                    }
                    None => None,
                }
            }
            IterState::Set {
                set,
                position,
                size,
            } => {
                if set.len() != *size {
                    *size = usize::MAX;
                    return Err(exception::runtime_error(
                        "Set changed size during iteration",
                    ));
                }
                match set.next_from(*position) {
                    Some((at, item)) => {
                        *position = at + 1;
                        Some(item)
                    }
                    None => None,
                }
            }
            IterState::Values { items, index } => {
                let item = items.get(*index).cloned();
                if item.is_some() {
                    *index += 1;
                }
                item
            }
            IterState::Enumerate { inner, count } => {
                let inner = inner.clone();
                let n = *count;
                drop(state);
                let item = self.next(&inner)?;
                if item.is_some() {
                    if let IterState::Enumerate { count, .. } = &mut *it.state.borrow_mut() {
                        *count += 1;
                    }
                }
                return Ok(item.map(|v| Value::tuple(vec![Value::Int(n), v])));
            }
            IterState::Zip { inners } => {
                let inners = inners.clone();
                drop(state);
                let mut items = Vec::with_capacity(inners.len());
                for inner in &inners {
                    match self.next(inner)? {
                        Some(v) => items.push(v),
                        None => return Ok(None),
                    }
                }
                return Ok(if inners.is_empty() {
                    None
                } else {
                    Some(Value::tuple(items))
                });
            }
            IterState::Map { function, inners } => {
                let (function, inners) = (function.clone(), inners.clone());
                drop(state);
                let mut args = Vec::with_capacity(inners.len());
                for inner in &inners {
                    match self.next(inner)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                return self.call(&function, &args, &[]).map(Some);
            }
            IterState::Filter { function, inner } => {
                let (function, inner) = (function.clone(), inner.clone());
                drop(state);
                loop {
                    let Some(item) = self.next(&inner)? else {
                        return Ok(None);
                    };
                    let keep = if function.is_none() {
                        self.is_true(&item)?
                    } else {
                        let verdict = self.call(&function, std::slice::from_ref(&item), &[])?;
                        self.is_true(&verdict)?
                    };
                    if keep {
                        return Ok(Some(item));
                    }
                }
            }
            IterState::GetItem { sequence, index } => {
                let (sequence, at) = (sequence.clone(), *index);
                drop(state);
                let item = self.user_get_item(&sequence, &Value::Int(at));
                let types = super::object::types::builtin_types();
                return match item {
                    Ok(v) => {
                        if let IterState::GetItem { index, .. } = &mut *it.state.borrow_mut() {
                            *index += 1;
                        }
                        Ok(Some(v))
                    }
                    Err(e)
                        if e.is_instance_of(&types.exceptions.index_error)
                            || e.is_instance_of(&types.exceptions.stop_iteration) =>
                    {
                        *it.state.borrow_mut() = IterState::Exhausted;
                        Ok(None)
                    }
                    Err(e) => Err(e),
                };
            }
            IterState::Exhausted => None,
            IterState::AsCompleted { fs, timeout } => {
                let (fs, timeout) = (fs.clone(), timeout.clone());
                *state = IterState::Exhausted;
                drop(state);
                let coroutines = self.as_completed_start(&fs, &timeout)?;
                let first = coroutines.first().cloned();
                *it.state.borrow_mut() = IterState::Values {
                    items: coroutines,
                    index: 1,
                };
                return Ok(first);
            }
        };
        if item.is_none() {
            *state = IterState::Exhausted;
        }
        Ok(item)
    }

    /// All items of an iterable, in order.
    pub fn collect_iterable(&mut self, iterable: &Value) -> PyResult<Vec<Value>> {
        match iterable {
            Value::List(list) => return Ok(list.items.borrow().clone()),
            Value::Tuple(t) => return Ok(t.items.to_vec()),
            _ => {}
        }
        let it = self.get_iter(iterable)?;
        let mut items = Vec::new();
        while let Some(item) = self.next(&it)? {
            items.push(item);
        }
        Ok(items)
    }

    /// `UNPACK_SEQUENCE n`: push exactly `n` items, the first on top.
    pub(crate) fn unpack_sequence(&mut self, v: Value, n: usize) -> PyResult<()> {
        let items = match &v {
            Value::Tuple(t) => t.items.to_vec(),
            Value::List(l) => l.items.borrow().clone(),
            _ => {
                if !self.is_iterable(&v) {
                    return Err(exception::type_error(format!(
                        "cannot unpack non-iterable {} object",
                        v.type_name()
                    )));
                }
                // Take one more than needed to detect "too many".
                let it = self.get_iter(&v)?;
                let mut items = Vec::with_capacity(n);
                while items.len() <= n {
                    match self.next(&it)? {
                        Some(item) => items.push(item),
                        None => break,
                    }
                }
                items
            }
        };
        if items.len() < n {
            return Err(exception::value_error(format!(
                "not enough values to unpack (expected {n}, got {})",
                items.len()
            )));
        }
        if items.len() > n {
            return Err(exception::value_error(format!(
                "too many values to unpack (expected {n})"
            )));
        }
        self.fiber.extend(items.into_iter().rev());
        Ok(())
    }

    /// `UNPACK_EX`: `a, *b, c = xs`.
    pub(crate) fn unpack_ex(&mut self, v: Value, before: usize, after: usize) -> PyResult<()> {
        if !self.is_iterable(&v) {
            return Err(exception::type_error(format!(
                "cannot unpack non-iterable {} object",
                v.type_name()
            )));
        }
        let mut items = self.collect_iterable(&v)?;
        if items.len() < before + after {
            return Err(exception::value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                before + after,
                items.len()
            )));
        }
        let tail = items.split_off(items.len() - after);
        let middle = items.split_off(before);
        for item in tail.into_iter().rev() {
            self.fiber.push(item);
        }
        self.fiber.push(Value::list(middle));
        for item in items.into_iter().rev() {
            self.fiber.push(item);
        }
        Ok(())
    }

    fn is_iterable(&self, v: &Value) -> bool {
        if let Value::Instance(_) = v {
            return self
                .special_method(v, crate::symbol::sym::__iter__)
                .is_some()
                || self
                    .special_method(v, crate::symbol::sym::__getitem__)
                    .is_some();
        }
        matches!(
            v,
            Value::List(_)
                | Value::Tuple(_)
                | Value::Str(_)
                | Value::Range(_)
                | Value::Dict(_)
                | Value::DictView(_)
                | Value::Set(_)
                | Value::Iterator(_)
        ) || matches!(v, Value::Generator(g) if !g.is_async_generator())
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.as_str().contains(sub.as_str())),
                other => Err(exception::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ))),
            },
            Value::Dict(d) => self.dict_contains(d, item),
            Value::DictView(view) => match view.part {
                super::object::iterator::DictPart::Keys => self.dict_contains(&view.dict, item),
                super::object::iterator::DictPart::Values => {
                    let values = view.dict.values();
                    self.any_equal(&values, item)
                }
                super::object::iterator::DictPart::Items => {
                    let Value::Tuple(pair) = item else {
                        return Ok(false);
                    };
                    if pair.items.len() != 2 {
                        return Ok(false);
                    }
                    match self.dict_get(&view.dict, &pair.items[0])? {
                        Some(v) => Ok(v.is(&pair.items[1]) || self.eq(&v, &pair.items[1])?),
                        None => Ok(false),
                    }
                }
            },
            Value::Set(s) => self.set_contains(s, item),
            Value::Range(r) => Ok(match item {
                Value::Int(n) => r.contains(*n),
                Value::Bool(b) => r.contains(*b as i64),
                _ => {
                    let items = self.collect_iterable(container)?;
                    self.any_equal(&items, item)?
                }
            }),
            Value::List(l) => {
                let items = l.items.borrow().clone();
                self.any_equal(&items, item)
            }
            Value::Tuple(t) => {
                let t = t.clone();
                self.any_equal(&t.items, item)
            }
            Value::Instance(_) => self.user_contains(container, item),
            Value::Iterator(_) | Value::Generator(_) => {
                while let Some(v) = self.next(container)? {
                    if v.is(item) || self.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            other => Err(exception::type_error(format!(
                "argument of type '{}' is not iterable",
                other.type_name()
            ))),
        }
    }

    fn any_equal(&mut self, items: &[Value], item: &Value) -> PyResult<bool> {
        for v in items {
            if v.is(item) || self.eq(v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
