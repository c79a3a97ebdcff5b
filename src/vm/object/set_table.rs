//! The hash table behind `set`, a faithful copy of CPython 3.11's
//! `Objects/setobject.c`.
//!
//! Why copy it so closely? Because a set prints in table order:
//! `print({3, 1, 2})`, `print(set(range(20)) - {5})` and `s.pop()` show the
//! slot layout to the user, so apy must place every key in the same slot
//! CPython would. That fixes everything here: the table sizes (powers of
//! two, at least 8), the probe sequence (up to 9 linear probes, then
//! perturbed jumps), when it grows (`fill * 5 >= mask * 3`, to
//! `used * 4`), how deleted slots become dummies that searches walk past,
//! where `pop` starts looking, and which algorithm each operator uses
//! (`a & b` walks the smaller set, `a - b` sometimes copies and deletes...).
//!
//! Keys are generic and may need the interpreter to compare (`__eq__` can
//! run Python code or fail), so every lookup takes the key's precomputed
//! `hash` and an equality closure that may return an error `E`.
//!
//! Which method builds what, so orders match CPython 3.11:
//!
//! | Python                                   | here                                   |
//! |------------------------------------------|----------------------------------------|
//! | `{a, b}` (any non-constant display), `set(list)`, `{x for ...}`, `s.add` | `new` + `add` in order |
//! | `{1, 2, 3}` (3+ constants: compiled to a frozenset constant + `SET_UPDATE`) | `add`s into a constant table, then `new` + `merge` |
//! | `set(s)`, `s.copy()`                     | `copy`                                 |
//! | `set(d)`, `s.update(d)` for a dict       | `reserve_for_dict_update(len(d))`, then `add` each key in dict order |
//! | `s.update(iterable)`, `s.intersection(iterable)`, `s.difference_update(iterable)` | the `*_with_keys` methods |
//! | `a \| b`, `a & b`, `a - b`, `a ^ b`     | `union`, `intersection`, `difference`, `symmetric_difference` |
//! | `a \|= b`, `a &= b`, `a -= b`, `a ^= b` | `merge`, `intersection_update`, `difference_update`, `symmetric_difference_update` |
//! | `s.pop()`, `s.discard(x)`, `s.clear()`   | `pop`, `discard`, `clear`              |

/// One slot of the table.
#[derive(Debug, Clone)]
enum Slot<K> {
    /// Never used since the last resize: ends every search.
    Empty,
    /// Held a key that was removed: searches continue past it, and an
    /// insertion may reuse it.
    Dummy,
    Active {
        hash: i64,
        key: K,
    },
}

/// `PySet_MINSIZE`: the smallest table, used by every new set.
const MIN_SIZE: usize = 8;
/// How many neighbouring slots a probe inspects before jumping.
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// An unordered set of keys laid out exactly as CPython lays out a `set`.
#[derive(Debug, Clone)]
pub struct SetTable<K> {
    slots: Vec<Slot<K>>,
    /// Active plus dummy slots: what decides when to resize.
    fill: usize,
    /// Active slots: the set's length.
    used: usize,
    /// Where the next `pop` starts searching.
    finger: usize,
}

impl<K> Default for SetTable<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of a search: the key's slot, or where it would go.
enum Probe {
    Found(usize),
    /// Not present; insert at this empty slot, or at the last dummy seen.
    Vacant {
        empty: usize,
        dummy: Option<usize>,
    },
}

impl<K> SetTable<K> {
    /// `set()`.
    pub fn new() -> Self {
        SetTable {
            slots: empty_slots(MIN_SIZE),
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    /// `len(s)`.
    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The probe loop shared by lookups and insertions (`set_lookkey` and
    /// the first half of `set_add_entry`).
    fn probe<E>(&self, hash: i64, mut eq: impl FnMut(&K) -> Result<bool, E>) -> Result<Probe, E> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut index = (hash as u64 as usize) & mask;
        let mut last_dummy = None;
        loop {
            // Inspect slot `index` and, if they exist, the 9 after it.
            let probes = if index + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for slot_index in index..=index + probes {
                match &self.slots[slot_index] {
                    Slot::Empty => {
                        return Ok(Probe::Vacant {
                            empty: slot_index,
                            dummy: last_dummy,
                        })
                    }
                    Slot::Active {
                        hash: slot_hash,
                        key,
                    } => {
                        if *slot_hash == hash && eq(key)? {
                            return Ok(Probe::Found(slot_index));
                        }
                    }
                    // CPython remembers the *last* dummy on the path.
                    Slot::Dummy => last_dummy = Some(slot_index),
                }
            }
            perturb >>= PERTURB_SHIFT;
            index = (index
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// `key in s`.
    pub fn contains<E>(&self, hash: i64, eq: impl FnMut(&K) -> Result<bool, E>) -> Result<bool, E> {
        Ok(matches!(self.probe(hash, eq)?, Probe::Found(_)))
    }

    /// The stored key equal to the one described, if any.
    pub fn get<E>(
        &self,
        hash: i64,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<&K>, E> {
        Ok(match self.probe(hash, eq)? {
            Probe::Found(index) => match &self.slots[index] {
                Slot::Active { key, .. } => Some(key),
                _ => None,
            },
            Probe::Vacant { .. } => None,
        })
    }

    /// `s.add(key)` (`set_add_entry`). Returns whether the key was new; an
    /// equal key already present is kept and `key` is dropped.
    pub fn add<E>(
        &mut self,
        hash: i64,
        key: K,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        match self.probe(hash, eq)? {
            Probe::Found(_) => Ok(false),
            Probe::Vacant {
                dummy: Some(index), ..
            } => {
                // Reusing a dummy slot changes neither fill nor table size.
                self.slots[index] = Slot::Active { hash, key };
                self.used += 1;
                Ok(true)
            }
            Probe::Vacant { empty, dummy: None } => {
                self.slots[empty] = Slot::Active { hash, key };
                self.fill += 1;
                self.used += 1;
                if self.fill * 5 >= self.mask() * 3 {
                    self.resize(self.growth_target());
                }
                Ok(true)
            }
        }
    }

    fn growth_target(&self) -> usize {
        if self.used > 50_000 {
            self.used * 2
        } else {
            self.used * 4
        }
    }

    /// `s.discard(key)`: returns the removed key (`s.remove` raises
    /// `KeyError(key)` when this is `None`).
    pub fn discard<E>(
        &mut self,
        hash: i64,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<K>, E> {
        match self.probe(hash, eq)? {
            Probe::Found(index) => Ok(self.take_slot(index)),
            Probe::Vacant { .. } => Ok(None),
        }
    }

    /// Turns an active slot into a dummy and returns its key.
    fn take_slot(&mut self, index: usize) -> Option<K> {
        match std::mem::replace(&mut self.slots[index], Slot::Dummy) {
            Slot::Active { key, .. } => {
                self.used -= 1;
                Some(key)
            }
            other => {
                self.slots[index] = other;
                None
            }
        }
    }

    /// `s.pop()`: removes and returns an arbitrary key, the one CPython
    /// would pick (`None` means `KeyError: 'pop from an empty set'`).
    pub fn pop(&mut self) -> Option<K> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut index = self.finger & mask;
        while !matches!(self.slots[index], Slot::Active { .. }) {
            index = if index == mask { 0 } else { index + 1 };
        }
        self.finger = index + 1;
        self.take_slot(index)
    }

    /// `s.clear()`: back to an empty 8-slot table (the pop finger stays).
    pub fn clear(&mut self) {
        self.slots = empty_slots(MIN_SIZE);
        self.fill = 0;
        self.used = 0;
    }

    /// `set_table_resize`: a new table with room for more than `min_used`
    /// keys, re-inserting the active keys in slot order (dummies vanish).
    fn resize(&mut self, min_used: usize) {
        let mut new_size = MIN_SIZE;
        while new_size <= min_used {
            new_size <<= 1;
        }
        if new_size == MIN_SIZE && self.slots.len() == MIN_SIZE && self.fill == self.used {
            return; // a small table without dummies: nothing to gain
        }
        let old_slots = std::mem::replace(&mut self.slots, empty_slots(new_size));
        self.fill = self.used;
        for slot in old_slots {
            if let Slot::Active { hash, key } = slot {
                self.insert_clean(hash, key);
            }
        }
    }

    /// Places a key known to be absent into a table without dummies
    /// (`set_insert_clean`); fill and used are the caller's business.
    fn insert_clean(&mut self, hash: i64, key: K) {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut index = (hash as u64 as usize) & mask;
        loop {
            let probes = if index + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for slot_index in index..=index + probes {
                if matches!(self.slots[slot_index], Slot::Empty) {
                    self.slots[slot_index] = Slot::Active { hash, key };
                    return;
                }
            }
            perturb >>= PERTURB_SHIFT;
            index = (index
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// Iterates the keys in table order: the order `print(s)` shows.
    pub fn iter(&self) -> impl Iterator<Item = &K> + '_ {
        self.slots.iter().filter_map(|slot| match slot {
            Slot::Active { key, .. } => Some(key),
            _ => None,
        })
    }

    /// Iterates `(hash, key)` pairs in table order.
    pub fn iter_with_hashes(&self) -> impl Iterator<Item = (i64, &K)> + '_ {
        self.slots.iter().filter_map(|slot| match slot {
            Slot::Active { hash, key } => Some((*hash, key)),
            _ => None,
        })
    }

    /// For the VM's set iterator (`set_next`): the first active slot at or
    /// after `position`, as `(slot index, key)`. Resume from `index + 1`.
    /// (The VM raises `RuntimeError: Set changed size during iteration`
    /// itself when `len()` differs from what it was at the start.)
    pub fn next_from(&self, position: usize) -> Option<(usize, &K)> {
        self.slots
            .iter()
            .enumerate()
            .skip(position)
            .find_map(|(index, slot)| match slot {
                Slot::Active { key, .. } => Some((index, key)),
                _ => None,
            })
    }

    /// Makes room before a bulk insertion of `incoming` keys, as
    /// `set_update` does for a dict argument (`set(d)`, `s.update(d)`):
    /// call it, then `add` the dict's keys in the dict's order.
    pub fn reserve_for_dict_update(&mut self, incoming: usize) {
        if (self.fill + incoming) * 5 >= self.mask() * 3 {
            self.resize((self.used + incoming) * 2);
        }
    }

    /// `frozenset` hash inputs: the hashes of the members in table order.
    pub fn member_hashes(&self) -> Vec<i64> {
        self.iter_with_hashes().map(|(hash, _)| hash).collect()
    }
}

fn empty_slots<K>(size: usize) -> Vec<Slot<K>> {
    let mut slots = Vec::with_capacity(size);
    slots.resize_with(size, || Slot::Empty);
    slots
}

/// The operations that build new sets need to copy keys, and compare keys
/// of two sets with each other: `eq(stored, probe)`.
impl<K: Clone> SetTable<K> {
    /// `s.update(other_set)`, `set(other_set)`, `s |= other`, and the
    /// `SET_UPDATE` that 3.11 compiles a display of 3+ constants to
    /// (`set_merge`). Do not call with `other` being `self` (a no-op in
    /// Python; Rust's borrows forbid it anyway).
    pub fn merge<E>(
        &mut self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        if other.used == 0 {
            return Ok(());
        }
        // One big resize first, expecting few duplicates.
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.slots.len() == other.slots.len() && other.fill == other.used {
            // Same size, no dummies: the layout can be copied slot for slot.
            self.slots = other.slots.clone();
            self.fill = other.fill;
            self.used = other.used;
            return Ok(());
        }
        if self.fill == 0 {
            self.fill = other.used;
            self.used = other.used;
            for (hash, key) in other.iter_with_hashes() {
                self.insert_clean(hash, key.clone());
            }
            return Ok(());
        }
        for (hash, key) in other.iter_with_hashes() {
            self.add(hash, key.clone(), |stored| eq(stored, key))?;
        }
        Ok(())
    }

    /// `s.copy()` and `set(s)`.
    pub fn copy(&self) -> SetTable<K> {
        let mut copy = SetTable::new();
        // Merging into an empty table never compares keys.
        let _ = copy.merge(self, |_, _| Ok::<bool, ()>(false));
        copy
    }

    /// `a | b` (`set_or`: copy `a`, then merge `b`). For `a | a` use `copy`.
    pub fn union<E>(
        &self,
        other: &SetTable<K>,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = self.copy();
        result.merge(other, eq)?;
        Ok(result)
    }

    /// `a & b` between two sets (`set_intersection`): walks the smaller
    /// set (the right-hand one on a tie) and keeps *its* key objects.
    pub fn intersection<E>(
        &self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let (larger, smaller) = if other.used > self.used {
            (other, self)
        } else {
            (self, other)
        };
        let mut result = SetTable::new();
        for (hash, key) in smaller.iter_with_hashes() {
            if larger.contains(hash, |stored| eq(stored, key))? {
                result.add(hash, key.clone(), |stored| eq(stored, key))?;
            }
        }
        Ok(result)
    }

    /// `a &= b` (`set_intersection_update`): the intersection's table
    /// replaces this one (the pop finger stays, as CPython's body swap
    /// leaves it).
    pub fn intersection_update<E>(
        &mut self,
        other: &SetTable<K>,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        let result = self.intersection(other, eq)?;
        self.slots = result.slots;
        self.fill = result.fill;
        self.used = result.used;
        Ok(())
    }

    /// `a -= b` with a set `b` (`set_difference_update_internal`). For
    /// `a -= a` use `clear`.
    pub fn difference_update<E>(
        &mut self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        if (other.used >> 3) > self.used {
            // `other` is much bigger: only the common keys matter.
            let common = self.intersection(other, &mut eq)?;
            self.discard_all(&common, &mut eq)?;
        } else {
            self.discard_all(other, &mut eq)?;
        }
        self.purge_dummies_after_bulk_delete();
        Ok(())
    }

    fn discard_all<E>(
        &mut self,
        other: &SetTable<K>,
        eq: &mut impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for (hash, key) in other.iter_with_hashes() {
            self.discard(hash, |stored| eq(stored, key))?;
        }
        Ok(())
    }

    /// After `difference_update` (with any iterable): if more than a
    /// quarter of the slots are dummies, rebuild the table. A VM doing
    /// `s.difference_update(iterable)` with `discard` calls must call this
    /// at the end to keep CPython's layout.
    pub fn purge_dummies_after_bulk_delete(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            self.resize(self.growth_target());
        }
    }

    /// `a - b` between two sets (`set_difference`).
    pub fn difference<E>(
        &self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        if (self.used >> 2) > other.used {
            // Much bigger than `other`: copy, then delete the few common keys.
            let mut result = self.copy();
            result.difference_update(other, eq)?;
            return Ok(result);
        }
        let mut result = SetTable::new();
        for (hash, key) in self.iter_with_hashes() {
            if !other.contains(hash, |stored| eq(stored, key))? {
                result.add(hash, key.clone(), |stored| eq(stored, key))?;
            }
        }
        Ok(result)
    }

    /// `a ^= b` with a set `b` (`set_symmetric_difference_update`): walk
    /// `b`, removing keys `a` has and adding those it lacks. For `a ^= a`
    /// use `clear`.
    pub fn symmetric_difference_update<E>(
        &mut self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for (hash, key) in other.iter_with_hashes() {
            if self.discard(hash, |stored| eq(stored, key))?.is_none() {
                self.add(hash, key.clone(), |stored| eq(stored, key))?;
            }
        }
        Ok(())
    }

    /// `a ^ b` (`set_symmetric_difference`): a copy of `b`, updated with `a`.
    pub fn symmetric_difference<E>(
        &self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = other.copy();
        result.symmetric_difference_update(self, &mut eq)?;
        Ok(result)
    }

    /// `a <= b` (`issubset` with a set).
    pub fn is_subset<E>(
        &self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        if self.used > other.used {
            return Ok(false);
        }
        for (hash, key) in self.iter_with_hashes() {
            if !other.contains(hash, |stored| eq(stored, key))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `a.isdisjoint(b)` with a set: walks the smaller one.
    pub fn is_disjoint<E>(
        &self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let (larger, smaller) = if other.used > self.used {
            (other, self)
        } else {
            (self, other)
        };
        for (hash, key) in smaller.iter_with_hashes() {
            if larger.contains(hash, |stored| eq(stored, key))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `s.update(iterable)` for an iterable that is not a set or dict: adds
    /// each `(hash, key)` in order. The iterator yields `Err` when iterating
    /// or hashing fails, which stops the update there, as in CPython.
    pub fn update_with_keys<E>(
        &mut self,
        keys: impl IntoIterator<Item = Result<(i64, K), E>>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for item in keys {
            let (hash, key) = item?;
            let probe = key.clone();
            self.add(hash, key, |stored| eq(stored, &probe))?;
        }
        Ok(())
    }

    /// `s.difference_update(iterable)` (and `s - iterable` after a copy):
    /// discards each key, then purges dummies like CPython.
    pub fn difference_update_with_keys<E>(
        &mut self,
        keys: impl IntoIterator<Item = Result<(i64, K), E>>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for item in keys {
            let (hash, key) = item?;
            self.discard(hash, |stored| eq(stored, &key))?;
        }
        self.purge_dummies_after_bulk_delete();
        Ok(())
    }

    /// `s.intersection(iterable)`: keeps the iterable's keys that `s` has,
    /// and stops consuming the iterable once the result is as big as `s`.
    pub fn intersection_with_keys<E>(
        &self,
        keys: impl IntoIterator<Item = Result<(i64, K), E>>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = SetTable::new();
        for item in keys {
            let (hash, key) = item?;
            if self.contains(hash, |stored| eq(stored, &key))? {
                let probe = key.clone();
                result.add(hash, key, |stored| eq(stored, &probe))?;
                if result.used >= self.used {
                    break;
                }
            }
        }
        Ok(result)
    }

    /// `s.intersection_update(iterable)`.
    pub fn intersection_update_with_keys<E>(
        &mut self,
        keys: impl IntoIterator<Item = Result<(i64, K), E>>,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        let result = self.intersection_with_keys(keys, eq)?;
        self.slots = result.slots;
        self.fill = result.fill;
        self.used = result.used;
        Ok(())
    }

    /// `a == b` between sets: same length and `a <= b`.
    pub fn set_equals<E>(
        &self,
        other: &SetTable<K>,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        Ok(self.used == other.used && self.is_subset(other, eq)?)
    }
}

#[cfg(test)]
#[path = "set_table_tests.rs"]
mod tests;
