//! The hash table behind `dict`: insertion-ordered, modelled on CPython's
//! "compact dict".
//!
//! Two arrays do the work:
//!
//! - `entries`, a dense vector of `(hash, key, value)` in insertion order.
//!   Iteration walks it, which is why dicts remember insertion order.
//!   Deleting leaves a hole (`None`, a tombstone) so that later entries
//!   keep their positions and deletion is O(1).
//! - `indices`, a sparse power-of-two array mapping hash slots to positions
//!   in `entries`, probed like CPython's: start at `hash & mask`, then
//!   `i = (i * 5 + perturb + 1) & mask` with `perturb` shifted right by 5
//!   each step, so every bit of the hash eventually matters. A slot whose
//!   entry was deleted holds `DUMMY`, which searches walk past.
//!
//! When `entries` fills its budget (two thirds of `indices`), the table is
//! rebuilt with the holes squeezed out, sized from the live count. Keys are
//! generic and may need the interpreter to compare, so lookups take the
//! key's hash and an equality closure that may fail with an error `E`.

/// An `indices` slot never used since the last rebuild: ends a search.
const EMPTY: u32 = u32::MAX;
/// An `indices` slot whose entry was deleted.
const DUMMY: u32 = u32::MAX - 1;
const MIN_SIZE: usize = 8;
const PERTURB_SHIFT: u32 = 5;

#[derive(Debug, Clone)]
struct Entry<K, V> {
    hash: i64,
    key: K,
    value: V,
}

/// An insertion-ordered hash map with CPython's dict semantics.
#[derive(Debug, Clone)]
pub struct DictTable<K, V> {
    indices: Vec<u32>,
    entries: Vec<Option<Entry<K, V>>>,
    /// Live entries: `len(d)`.
    used: usize,
    /// Insertions left before a rebuild. Like CPython's `dk_usable`, it
    /// counts every entry ever appended since the last rebuild: `popitem`
    /// drops trailing entries but leaves `DUMMY` slots behind, so it cannot
    /// give the budget back (the probe loops need some `EMPTY` slots).
    usable_left: usize,
    /// Bumped by every insertion of a new key and every removal, so an
    /// iterator can notice that the dict changed under it.
    version: u64,
}

impl<K, V> Default for DictTable<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The key is present, at this entry position.
    Found(usize),
    /// The key is absent; pass this to [`DictTable::insert_vacant`] to add
    /// it without searching again.
    Vacant(VacantSlot),
}

/// Proof of a failed search: where the key would go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VacantSlot {
    index_slot: usize,
    version: u64,
    table_size: usize,
}

impl<K, V> DictTable<K, V> {
    /// `{}`: allocates nothing until the first insertion.
    pub fn new() -> Self {
        DictTable {
            indices: Vec::new(),
            entries: Vec::new(),
            used: 0,
            usable_left: 0,
            version: 0,
        }
    }

    /// A table that can take `capacity` keys without rebuilding.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut table = Self::new();
        if capacity > 0 {
            let size = size_for(capacity);
            table.indices = vec![EMPTY; size];
            table.entries = Vec::with_capacity(usable(size));
            table.usable_left = usable(size);
        }
        table
    }

    /// `len(d)`.
    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Changes whenever a key is added or removed (not when a value is
    /// replaced). The VM compares it, with `len`, to raise
    /// `RuntimeError: dictionary changed size during iteration`.
    pub fn version(&self) -> u64 {
        self.version
    }

    fn mask(&self) -> usize {
        self.indices.len().wrapping_sub(1)
    }

    /// Searches for a key; on failure, reports the slot it would take.
    #[inline]
    pub fn lookup<E>(
        &self,
        hash: i64,
        mut eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Lookup, E> {
        let vacant = |index_slot| {
            Lookup::Vacant(VacantSlot {
                index_slot,
                version: self.version,
                table_size: self.indices.len(),
            })
        };
        if self.indices.is_empty() {
            return Ok(vacant(usize::MAX));
        }
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut slot = (hash as u64 as usize) & mask;
        let mut first_free = None;
        loop {
            match self.indices[slot] {
                EMPTY => return Ok(vacant(first_free.unwrap_or(slot))),
                DUMMY => {
                    if first_free.is_none() {
                        first_free = Some(slot);
                    }
                }
                position => {
                    if let Some(entry) = &self.entries[position as usize] {
                        if entry.hash == hash && eq(&entry.key)? {
                            return Ok(Lookup::Found(position as usize));
                        }
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            slot = (slot
                .wrapping_mul(5)
                .wrapping_add(perturb as usize)
                .wrapping_add(1))
                & mask;
        }
    }

    /// The entry position of a key, if present.
    #[inline]
    pub fn find<E>(
        &self,
        hash: i64,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<usize>, E> {
        Ok(match self.lookup(hash, eq)? {
            Lookup::Found(position) => Some(position),
            Lookup::Vacant(_) => None,
        })
    }

    /// `d.get(key)`.
    #[inline]
    pub fn get<E>(
        &self,
        hash: i64,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<&V>, E> {
        Ok(match self.find(hash, eq)? {
            Some(position) => self.entries[position].as_ref().map(|entry| &entry.value),
            None => None,
        })
    }

    /// `d[key] = value`. Returns the previous value when the key was
    /// present; like CPython, the dict then keeps its original key object.
    #[inline]
    pub fn insert<E>(
        &mut self,
        hash: i64,
        key: K,
        value: V,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<V>, E> {
        match self.lookup(hash, eq)? {
            Lookup::Found(position) => {
                let entry = self.entries[position]
                    .as_mut()
                    .expect("found entries are live");
                Ok(Some(std::mem::replace(&mut entry.value, value)))
            }
            Lookup::Vacant(slot) => {
                self.insert_vacant(slot, hash, key, value);
                Ok(None)
            }
        }
    }

    /// Adds a key that a [`lookup`](Self::lookup) just reported absent and
    /// returns its entry position. The slot is re-derived if the table
    /// changed since (the VM may have run Python code in between).
    pub fn insert_vacant(&mut self, slot: VacantSlot, hash: i64, key: K, value: V) -> usize {
        let mut index_slot = slot.index_slot;
        let stale = slot.version != self.version || slot.table_size != self.indices.len();
        if self.usable_left == 0 {
            // CPython grows to the power of two above three times the live count.
            self.rebuild((self.used * 3).max(MIN_SIZE).next_power_of_two());
            index_slot = self.free_slot_for(hash);
        } else if stale {
            index_slot = self.free_slot_for(hash);
        }
        let position = self.entries.len();
        self.indices[index_slot] = position as u32;
        self.entries.push(Some(Entry { hash, key, value }));
        self.usable_left -= 1;
        self.used += 1;
        self.version += 1;
        position
    }

    /// The first empty or dummy slot on `hash`'s probe path.
    fn free_slot_for(&self, hash: i64) -> usize {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut slot = (hash as u64 as usize) & mask;
        while self.indices[slot] < DUMMY {
            perturb >>= PERTURB_SHIFT;
            slot = (slot
                .wrapping_mul(5)
                .wrapping_add(perturb as usize)
                .wrapping_add(1))
                & mask;
        }
        slot
    }

    /// The `indices` slot that points at entry `position`.
    fn slot_of_position(&self, hash: i64, position: usize) -> usize {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut slot = (hash as u64 as usize) & mask;
        while self.indices[slot] != position as u32 {
            perturb >>= PERTURB_SHIFT;
            slot = (slot
                .wrapping_mul(5)
                .wrapping_add(perturb as usize)
                .wrapping_add(1))
                & mask;
        }
        slot
    }

    /// Rebuilds `indices` at `size` slots with the holes squeezed out of
    /// `entries`; order is kept.
    fn rebuild(&mut self, size: usize) {
        if self.entries.len() != self.used {
            self.entries.retain(Option::is_some);
        }
        self.indices.clear();
        self.indices.resize(size, EMPTY);
        let mask = size - 1;
        for (position, entry) in self.entries.iter().enumerate() {
            let hash = entry.as_ref().map_or(0, |e| e.hash);
            let mut perturb = hash as u64;
            let mut slot = (hash as u64 as usize) & mask;
            while self.indices[slot] != EMPTY {
                perturb >>= PERTURB_SHIFT;
                slot = (slot
                    .wrapping_mul(5)
                    .wrapping_add(perturb as usize)
                    .wrapping_add(1))
                    & mask;
            }
            self.indices[slot] = position as u32;
        }
        let wanted = usable(size);
        self.usable_left = wanted - self.entries.len();
        if self.entries.capacity() < wanted {
            self.entries.reserve(wanted - self.entries.len());
        }
    }

    /// Removes the entry at `position` (found by `find`), returning it.
    pub fn remove_at(&mut self, position: usize) -> Option<(K, V)> {
        let hash = self.entries.get(position)?.as_ref()?.hash;
        let slot = self.slot_of_position(hash, position);
        self.indices[slot] = DUMMY;
        let entry = self.entries[position].take()?;
        self.used -= 1;
        self.version += 1;
        Some((entry.key, entry.value))
    }

    /// `del d[key]` / `d.pop(key)`: the removed pair, or `None` when the
    /// key is absent (the VM raises `KeyError(key)`).
    pub fn remove<E>(
        &mut self,
        hash: i64,
        eq: impl FnMut(&K) -> Result<bool, E>,
    ) -> Result<Option<(K, V)>, E> {
        Ok(match self.find(hash, eq)? {
            Some(position) => self.remove_at(position),
            None => None,
        })
    }

    /// `d.popitem()`: removes the most recently inserted pair (LIFO).
    /// `None` means `KeyError: 'popitem(): dictionary is empty'`.
    pub fn pop_last(&mut self) -> Option<(K, V)> {
        if self.used == 0 {
            return None;
        }
        // Trailing holes can simply be dropped, as CPython does.
        while matches!(self.entries.last(), Some(None)) {
            self.entries.pop();
        }
        let position = self.entries.len() - 1;
        let removed = self.remove_at(position);
        self.entries.pop();
        removed
    }

    /// `d.clear()`.
    pub fn clear(&mut self) {
        self.indices = Vec::new();
        self.entries = Vec::new();
        self.used = 0;
        self.usable_left = 0;
        self.version += 1;
    }

    /// The key and value at an entry position, if it is live.
    #[inline]
    pub fn get_index(&self, position: usize) -> Option<(&K, &V)> {
        self.entries
            .get(position)?
            .as_ref()
            .map(|entry| (&entry.key, &entry.value))
    }

    /// The hash stored with the entry at `position`.
    pub fn hash_at(&self, position: usize) -> Option<i64> {
        self.entries.get(position)?.as_ref().map(|entry| entry.hash)
    }

    /// The value at an entry position, for updating in place.
    #[inline]
    pub fn value_at_mut(&mut self, position: usize) -> Option<&mut V> {
        self.entries
            .get_mut(position)?
            .as_mut()
            .map(|entry| &mut entry.value)
    }

    /// For the VM's dict iterators: the first live entry at or after
    /// `position`, as `(position, key, value)`; resume from `position + 1`.
    /// Positions stay valid until a key is added or removed.
    pub fn next_from(&self, position: usize) -> Option<(usize, &K, &V)> {
        self.entries
            .iter()
            .enumerate()
            .skip(position)
            .find_map(|(index, entry)| {
                entry
                    .as_ref()
                    .map(|entry| (index, &entry.key, &entry.value))
            })
    }

    /// Iterates `(key, value)` pairs in insertion order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + '_ {
        self.entries
            .iter()
            .filter_map(|entry| entry.as_ref().map(|entry| (&entry.key, &entry.value)))
    }

    /// Iterates `(hash, key, value)` in insertion order (for `set(d)`,
    /// `dict(d)` and `d | other`, which reuse stored hashes).
    pub fn iter_with_hashes(&self) -> impl Iterator<Item = (i64, &K, &V)> + '_ {
        self.entries.iter().filter_map(|entry| {
            entry
                .as_ref()
                .map(|entry| (entry.hash, &entry.key, &entry.value))
        })
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + '_ {
        self.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, value)| value)
    }
}

/// Entries a table of `size` index slots may hold before rebuilding.
fn usable(size: usize) -> usize {
    (size << 1) / 3
}

/// The smallest power-of-two size whose budget holds `wanted` entries.
fn size_for(wanted: usize) -> usize {
    let mut size = MIN_SIZE;
    while usable(size) < wanted {
        size <<= 1;
    }
    size
}

#[cfg(test)]
#[path = "dict_table_tests.rs"]
mod tests;
