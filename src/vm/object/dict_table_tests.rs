//! DictTable against a simple model: a vector of pairs in insertion order,
//! which is exactly the behaviour Python promises for dicts.

use std::convert::Infallible;

use super::*;
use crate::vm::object::hash::hash_i64;

fn same(a: &i64, b: &i64) -> Result<bool, Infallible> {
    Ok(a == b)
}

/// A small deterministic generator, so the test needs no crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// Keys whose hashes collide a lot, to exercise probing: -1 and -2 share
/// a hash, and multiples of 64 share low bits.
fn key_from(random: u64) -> i64 {
    match random % 4 {
        0 => (random / 4 % 50) as i64,
        1 => -((random / 4 % 3) as i64),
        2 => ((random / 4 % 20) * 64) as i64,
        _ => (random as i64).wrapping_mul(2654435761),
    }
}

#[test]
fn behaves_like_an_insertion_ordered_map() {
    let mut random = Lcg(42);
    for round in 0..200 {
        let mut table: DictTable<i64, i64> = DictTable::new();
        let mut model: Vec<(i64, i64)> = Vec::new();
        let operations = 10 + random.next(400);
        for step in 0..operations {
            let key = key_from(random.next(1 << 40));
            let hash = hash_i64(key);
            match random.next(10) {
                0..=4 => {
                    let value = step as i64;
                    let old = table.insert(hash, key, value, |k| same(k, &key)).unwrap();
                    match model.iter_mut().find(|(k, _)| *k == key) {
                        Some(pair) => {
                            assert_eq!(old, Some(pair.1));
                            pair.1 = value;
                        }
                        None => {
                            assert_eq!(old, None);
                            model.push((key, value));
                        }
                    }
                }
                5..=7 => {
                    let removed = table.remove(hash, |k| same(k, &key)).unwrap();
                    let position = model.iter().position(|(k, _)| *k == key);
                    assert_eq!(removed, position.map(|p| model.remove(p)));
                }
                8 => assert_eq!(table.pop_last(), model.pop()),
                _ => {
                    let got = table.get(hash, |k| same(k, &key)).unwrap().copied();
                    let expected = model.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                    assert_eq!(got, expected);
                }
            }
            assert_eq!(table.len(), model.len(), "round {round} step {step}");
        }
        let pairs: Vec<(i64, i64)> = table.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(pairs, model);
        let mut walked = Vec::new();
        let mut position = 0;
        while let Some((index, key, value)) = table.next_from(position) {
            walked.push((*key, *value));
            position = index + 1;
        }
        assert_eq!(walked, model);
    }
}

#[test]
fn reinserted_keys_go_to_the_end_and_popitem_is_lifo() {
    let mut table = DictTable::new();
    for key in [1i64, 2, 3] {
        table
            .insert(hash_i64(key), key, key * 10, |k| same(k, &key))
            .unwrap();
    }
    table.remove(hash_i64(1), |k| same(k, &1)).unwrap();
    table.insert(hash_i64(1), 1, 11, |k| same(k, &1)).unwrap();
    let keys: Vec<i64> = table.keys().copied().collect();
    assert_eq!(keys, [2, 3, 1]);
    assert_eq!(table.pop_last(), Some((1, 11)));
    assert_eq!(table.pop_last(), Some((3, 30)));
    let before = table.version();
    *table
        .value_at_mut(table.find(hash_i64(2), |k| same(k, &2)).unwrap().unwrap())
        .unwrap() = 5;
    assert_eq!(
        table.version(),
        before,
        "replacing a value is not a size change"
    );
    assert_eq!(table.get(hash_i64(2), |k| same(k, &2)).unwrap(), Some(&5));
}

#[test]
fn lookup_then_insert_vacant() {
    let mut table: DictTable<i64, &str> = DictTable::with_capacity(100);
    for key in 0..100 {
        match table.lookup(hash_i64(key), |k| same(k, &key)).unwrap() {
            Lookup::Vacant(slot) => {
                table.insert_vacant(slot, hash_i64(key), key, "v");
            }
            Lookup::Found(_) => panic!("absent key found"),
        }
    }
    assert_eq!(table.len(), 100);
    assert!(matches!(
        table.lookup(hash_i64(50), |k| same(k, &50)).unwrap(),
        Lookup::Found(50)
    ));
}

#[test]
fn many_deletions_keep_the_table_small() {
    // A queue pattern: add at the back, delete from the front.
    let mut table = DictTable::new();
    for key in 0..100_000i64 {
        table
            .insert(hash_i64(key), key, key, |k| same(k, &key))
            .unwrap();
        if key >= 10 {
            let old = key - 10;
            assert!(table
                .remove(hash_i64(old), |k| same(k, &old))
                .unwrap()
                .is_some());
        }
    }
    assert_eq!(table.len(), 10);
    assert!(table.indices.len() <= 64, "size {}", table.indices.len());
}
