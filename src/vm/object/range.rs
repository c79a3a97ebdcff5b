//! `range`: an immutable arithmetic sequence, computed, never stored.

/// `range(start, stop, step)`; `step` is never 0.
pub struct PyRange {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl PyRange {
    /// Number of items, as `len(range(...))`.
    pub fn len(&self) -> i64 {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let len = if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        len as i64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index` (already made non-negative and checked).
    pub fn item(&self, index: i64) -> i64 {
        self.start + index * self.step
    }

    /// Whether `n` is one of the items.
    pub fn contains(&self, n: i64) -> bool {
        let in_bounds = if self.step > 0 {
            self.start <= n && n < self.stop
        } else {
            self.stop < n && n <= self.start
        };
        in_bounds && (n as i128 - self.start as i128) % self.step as i128 == 0
    }

    /// Python's `repr`: `range(0, 5)` or `range(0, 10, 2)`.
    pub fn repr(&self) -> String {
        if self.step == 1 {
            format!("range({}, {})", self.start, self.stop)
        } else {
            format!("range({}, {}, {})", self.start, self.stop, self.step)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        let r = |start, stop, step| PyRange { start, stop, step }.len();
        assert_eq!(r(0, 10, 1), 10);
        assert_eq!(r(0, 10, 3), 4);
        assert_eq!(r(10, 0, -3), 4);
        assert_eq!(r(5, 5, 1), 0);
        assert_eq!(r(5, 0, 1), 0);
        assert_eq!(r(i64::MIN, i64::MAX, i64::MAX), 3);
    }

    #[test]
    fn membership() {
        let r = PyRange {
            start: 10,
            stop: 0,
            step: -3,
        };
        assert!(r.contains(10));
        assert!(r.contains(1));
        assert!(!r.contains(0));
        assert!(!r.contains(9));
    }
}
