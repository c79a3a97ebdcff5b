//! Subscripts: `x[i]`, `x[a:b:c]`, `x[i] = v`, `del x[i]` on lists,
//! tuples, strings, ranges and dicts, with Python's negative indices,
//! slice clamping and error messages.

use super::object::exception::{self, PyResult};
use super::object::range::PyRange;
use super::object::slice::{PySlice, SliceIndices};
use super::value::Value;
use super::Vm;
use std::rc::Rc;

/// An index or slice, resolved against a sequence length.
enum Position {
    Index(usize),
    Slice(SliceIndices),
}

impl Vm {
    pub fn get_item(&mut self, container: &Value, key: &Value) -> PyResult<Value> {
        match container {
            Value::Dict(d) => match self.dict_get(d, key)? {
                Some(v) => Ok(v),
                None => Err(exception::key_error(key.clone())),
            },
            Value::List(list) => {
                let items = list.items.borrow();
                match self.position(key, items.len(), "list")? {
                    Position::Index(i) => Ok(items[i].clone()),
                    Position::Slice(s) => {
                        Ok(Value::list(s.indices().map(|i| items[i].clone()).collect()))
                    }
                }
            }
            Value::Tuple(t) => match self.position(key, t.items.len(), "tuple")? {
                Position::Index(i) => Ok(t.items[i].clone()),
                Position::Slice(s) => Ok(Value::tuple(
                    s.indices().map(|i| t.items[i].clone()).collect(),
                )),
            },
            Value::Str(text) => match self.position(key, text.len(), "string")? {
                Position::Index(i) => Ok(Value::str(text.char_at(i).unwrap_or(""))),
                Position::Slice(s) => {
                    if s.step == 1 {
                        return Ok(Value::str(
                            text.slice_chars(s.start as usize, s.start as usize + s.len),
                        ));
                    }
                    let chars: Vec<char> = text.as_str().chars().collect();
                    Ok(Value::string(s.indices().map(|i| chars[i]).collect()))
                }
            },
            Value::Range(r) => match self.position(key, r.len() as usize, "range object")? {
                Position::Index(i) => Ok(Value::Int(r.item(i as i64))),
                Position::Slice(s) => Ok(Value::Range(Rc::new(PyRange {
                    start: r.item(s.start),
                    stop: r.item(s.stop),
                    step: s.step * r.step,
                }))),
            },
            Value::Instance(_) => self.user_get_item(container, key),
            other => Err(exception::type_error(format!(
                "'{}' object is not subscriptable",
                other.type_name()
            ))),
        }
    }

    pub fn set_item(&mut self, container: &Value, key: Value, value: Value) -> PyResult<()> {
        match container {
            Value::Dict(d) => self.dict_set(d, key, value),
            Value::List(list) => {
                if let Value::Slice(_) = key {
                    let len = list.items.borrow().len();
                    let Position::Slice(s) = self.position(&key, len, "list")? else {
                        unreachable!("a slice key resolves to a slice")
                    };
                    let replacement = self.collect_iterable(&value).map_err(|_| {
                        exception::type_error(if s.step == 1 {
                            "can only assign an iterable"
                        } else {
                            "must assign iterable to extended slice"
                        })
                    })?;
                    let mut items = list.items.borrow_mut();
                    if s.step == 1 {
                        let start = s.start as usize;
                        items.splice(start..start + s.len, replacement);
                        return Ok(());
                    }
                    if replacement.len() != s.len {
                        return Err(exception::value_error(format!(
                            "attempt to assign sequence of size {} to extended slice of size {}",
                            replacement.len(),
                            s.len
                        )));
                    }
                    for (i, v) in s.indices().zip(replacement) {
                        items[i] = v;
                    }
                    return Ok(());
                }
                let len = list.items.borrow().len();
                match self.position(&key, len, "list assignment")? {
                    Position::Index(i) => {
                        list.items.borrow_mut()[i] = value;
                        Ok(())
                    }
                    Position::Slice(_) => unreachable!("slices handled above"),
                }
            }
            Value::Tuple(_) | Value::Str(_) | Value::Range(_) => {
                Err(exception::type_error(format!(
                    "'{}' object does not support item assignment",
                    container.type_name()
                )))
            }
            Value::Instance(_) => self.user_set_item(container, key, value),
            other => Err(exception::type_error(format!(
                "'{}' object does not support item assignment",
                other.type_name()
            ))),
        }
    }

    pub fn del_item(&mut self, container: &Value, key: &Value) -> PyResult<()> {
        match container {
            Value::Dict(d) => match self.dict_remove(d, key)? {
                Some(_) => Ok(()),
                None => Err(exception::key_error(key.clone())),
            },
            Value::List(list) => {
                let len = list.items.borrow().len();
                match self.position(key, len, "list assignment")? {
                    Position::Index(i) => {
                        list.items.borrow_mut().remove(i);
                    }
                    Position::Slice(s) => {
                        let doomed: std::collections::HashSet<usize> = s.indices().collect();
                        let mut i = 0;
                        list.items.borrow_mut().retain(|_| {
                            let keep = !doomed.contains(&i);
                            i += 1;
                            keep
                        });
                    }
                }
                Ok(())
            }
            Value::Instance(_) => self.user_del_item(container, key),
            other => Err(exception::type_error(format!(
                "'{}' object doesn't support item deletion",
                other.type_name()
            ))),
        }
    }

    /// Resolve an index or slice against a sequence of `len` items, with
    /// CPython's errors: `IndexError: list index out of range`,
    /// `TypeError: list indices must be integers or slices, not str`.
    fn position(&mut self, key: &Value, len: usize, what: &str) -> PyResult<Position> {
        let index = match key {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            Value::BigInt(_) => {
                return Err(exception::index_error(
                    "cannot fit 'int' into an index-sized integer",
                ))
            }
            Value::Slice(slice) => return Ok(Position::Slice(self.slice_indices(slice, len)?)),
            other if what == "string" => {
                return Err(exception::type_error(format!(
                    "string indices must be integers, not '{}'",
                    other.type_name()
                )))
            }
            other => {
                let what = match what {
                    "range object" => "range",
                    "list assignment" => "list",
                    other => other,
                };
                return Err(exception::type_error(format!(
                    "{what} indices must be integers or slices, not {}",
                    other.type_name()
                )));
            }
        };
        let resolved = if index < 0 { index + len as i64 } else { index };
        if resolved < 0 || resolved >= len as i64 {
            return Err(exception::index_error(format!("{what} index out of range")));
        }
        Ok(Position::Index(resolved as usize))
    }

    pub(crate) fn slice_indices(&mut self, slice: &PySlice, len: usize) -> PyResult<SliceIndices> {
        let bound = |v: &Value| -> PyResult<Option<i64>> {
            match v {
                Value::None => Ok(None),
                Value::Int(i) => Ok(Some(*i)),
                Value::Bool(b) => Ok(Some(*b as i64)),
                Value::BigInt(b) => Ok(Some(if num_traits::Signed::is_negative(&**b) {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                })),
                _ => Err(exception::type_error(
                    "slice indices must be integers or None or have an __index__ method",
                )),
            }
        };
        let step = bound(&slice.step)?;
        if step == Some(0) {
            return Err(exception::value_error("slice step cannot be zero"));
        }
        Ok(SliceIndices::resolve(
            bound(&slice.start)?,
            bound(&slice.stop)?,
            step,
            len,
        ))
    }
}
