//! Sorting for `sorted()` and `list.sort()`.
//!
//! Python sorts with nothing but `<`, which may raise (comparing an int with
//! a str) or be inconsistent (NaN). Rust's `sort_by` wants a total order and
//! cannot stop on an error, so this is a plain stable merge sort over a
//! fallible `less` that stops at the first exception. Stability is what
//! Python guarantees: equal items keep their order, so sorting by key twice
//! works as expected.

use crate::vm::object::exception::PyResult;
use crate::vm::value::Value;
use crate::vm::Vm;

/// Sort `items` (with their `keys`, compared instead when given) in place,
/// stably; `reverse` sorts descending while keeping equal items in order.
pub fn sort_values(
    vm: &mut Vm,
    items: &mut Vec<Value>,
    keys: Option<Vec<Value>>,
    reverse: bool,
) -> PyResult<()> {
    let keys = keys.unwrap_or_else(|| items.clone());
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Python's reverse sort is stable too: reverse, sort, reverse back.
    if reverse {
        order.reverse();
    }
    let mut less = |a: usize, b: usize| -> PyResult<bool> { vm.less_than(&keys[a], &keys[b]) };
    merge_sort(&mut order, &mut less)?;
    if reverse {
        order.reverse();
    }
    let sorted: Vec<Value> = order.iter().map(|&i| items[i].clone()).collect();
    *items = sorted;
    Ok(())
}

fn merge_sort(
    v: &mut [usize],
    less: &mut impl FnMut(usize, usize) -> PyResult<bool>,
) -> PyResult<()> {
    if v.len() <= 16 {
        // Insertion sort: stable, and few comparisons on short runs.
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && less(v[j], v[j - 1])? {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return Ok(());
    }
    let mid = v.len() / 2;
    merge_sort(&mut v[..mid], less)?;
    merge_sort(&mut v[mid..], less)?;
    // Already in order: nothing to merge.
    if !less(v[mid], v[mid - 1])? {
        return Ok(());
    }
    let left = v[..mid].to_vec();
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < left.len() && j < v.len() {
        // Take from the right only when strictly smaller: stable.
        if less(v[j], left[i])? {
            v[k] = v[j];
            j += 1;
        } else {
            v[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    while i < left.len() {
        v[k] = left[i];
        i += 1;
        k += 1;
    }
    Ok(())
}

impl Vm {
    /// `a < b` as a truth value.
    pub fn less_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            return Ok(x < y);
        }
        let r = self.compare(crate::bytecode::op::CompareKind::Less, a, b)?;
        self.is_true(&r)
    }
}
