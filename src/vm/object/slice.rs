//! `slice` objects (`xs[1:10:2]` builds one), and the arithmetic that turns
//! a slice into concrete indices for a sequence of a given length, exactly as
//! CPython's `PySlice_AdjustIndices` does.

use crate::vm::value::Value;

pub struct PySlice {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

/// A slice resolved against a length: `start`, `stop`, `step` and the number
/// of items it selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceIndices {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    pub len: usize,
}

impl SliceIndices {
    /// Resolve optional `start`/`stop`/`step` (already converted to ints,
    /// `step != 0`) against a sequence of `length` items.
    pub fn resolve(
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
        length: usize,
    ) -> Self {
        let length = length as i64;
        let step = step.unwrap_or(1);
        let (lower, upper) = if step < 0 {
            (-1, length - 1)
        } else {
            (0, length)
        };
        let clamp = |index: Option<i64>, default: i64| match index {
            None => default,
            Some(i) if i < 0 => (i + length).max(lower),
            Some(i) => i.min(upper),
        };
        let start = clamp(start, if step < 0 { upper } else { lower });
        let stop = clamp(stop, if step < 0 { lower } else { upper });
        let len = if step < 0 {
            if stop < start {
                (start - stop - 1) / (-step) + 1
            } else {
                0
            }
        } else if start < stop {
            (stop - start - 1) / step + 1
        } else {
            0
        };
        SliceIndices {
            start,
            stop,
            step,
            len: len as usize,
        }
    }

    /// The sequence indices the slice selects, in order.
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..self.len).map(move |k| (self.start + k as i64 * self.step) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(start: Option<i64>, stop: Option<i64>, step: Option<i64>, n: usize) -> Vec<usize> {
        SliceIndices::resolve(start, stop, step, n)
            .indices()
            .collect()
    }

    #[test]
    fn like_python() {
        // Expected values from python3: list(range(6))[a:b:c]
        assert_eq!(pick(None, None, None, 6), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(pick(Some(1), Some(-1), None, 6), vec![1, 2, 3, 4]);
        assert_eq!(pick(None, None, Some(-1), 6), vec![5, 4, 3, 2, 1, 0]);
        assert_eq!(pick(None, None, Some(-2), 6), vec![5, 3, 1]);
        assert_eq!(pick(Some(-2), None, None, 6), vec![4, 5]);
        assert_eq!(pick(Some(10), None, None, 6), Vec::<usize>::new());
        assert_eq!(pick(Some(4), Some(1), Some(-1), 6), vec![4, 3, 2]);
        assert_eq!(pick(Some(-100), Some(100), Some(2), 6), vec![0, 2, 4]);
        assert_eq!(pick(Some(100), Some(-100), Some(-3), 6), vec![5, 2]);
    }
}
