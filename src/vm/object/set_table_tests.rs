//! Replays the scenarios of `tests/runtime_vectors/set.tsv` (made by
//! `gen_hash_sets.py` with CPython 3.11) and compares iteration orders.

use std::collections::BTreeMap;
use std::convert::Infallible;

use num_bigint::BigInt;

use super::*;
use crate::vm::object::hash::{hash_bigint, hash_i64};
use crate::vm::object::test_vectors::rows;

const VECTORS: &str = include_str!("../../../tests/runtime_vectors/set.tsv");

fn hash_of(key: i128) -> i64 {
    match i64::try_from(key) {
        Ok(small) => hash_i64(small),
        Err(_) => hash_bigint(&BigInt::from(key)),
    }
}

fn same(a: &i128, b: &i128) -> Result<bool, Infallible> {
    Ok(a == b)
}

fn add(set: &mut SetTable<i128>, key: i128) {
    set.add(hash_of(key), key, |k| same(k, &key)).unwrap();
}

fn parse_keys(text: &str) -> Vec<i128> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

fn hashed(keys: &str) -> Vec<Result<(i64, i128), Infallible>> {
    parse_keys(keys)
        .into_iter()
        .map(|k| Ok((hash_of(k), k)))
        .collect()
}

fn listed(set: &SetTable<i128>) -> String {
    let items: Vec<String> = set.iter().map(|k| k.to_string()).collect();
    format!("[{}]", items.join(","))
}

fn replay(steps: &str) -> String {
    let mut sets: BTreeMap<String, SetTable<i128>> = BTreeMap::new();
    let mut popped = Vec::new();
    for step in steps.split(' ') {
        if let Some((target, rest)) = step.split_once('=').filter(|(t, _)| t.len() == 1) {
            if let Some(keys) = rest.strip_prefix("add:") {
                let mut set = SetTable::new();
                for key in parse_keys(keys) {
                    add(&mut set, key);
                }
                sets.insert(target.to_string(), set);
                continue;
            }
            if let Some(keys) = rest.strip_prefix("dict:") {
                // set(dict): room for the dict first, then its keys in order.
                let mut unique: Vec<i128> = Vec::new();
                for key in parse_keys(keys) {
                    if !unique.contains(&key) {
                        unique.push(key);
                    }
                }
                let mut set = SetTable::new();
                set.reserve_for_dict_update(unique.len());
                for key in unique {
                    add(&mut set, key);
                }
                sets.insert(target.to_string(), set);
                continue;
            }
            if let Some(keys) = rest.strip_prefix("merge:") {
                let mut constant = SetTable::new();
                for key in parse_keys(keys) {
                    add(&mut constant, key);
                }
                let mut set = SetTable::new();
                set.merge(&constant, same).unwrap();
                sets.insert(target.to_string(), set);
                continue;
            }
            if let Some(source) = rest.strip_suffix(".copy") {
                let copy = sets[source].copy();
                sets.insert(target.to_string(), copy);
                continue;
            }
            // C=A|B and friends.
            let (a, b) = (&sets[&rest[0..1]], &sets[&rest[2..3]]);
            let result = match &rest[1..2] {
                "|" => a.union(b, same),
                "&" => a.intersection(b, same),
                "-" => a.difference(b, same),
                "^" => a.symmetric_difference(b, same),
                op => panic!("unknown operator {op}"),
            }
            .unwrap();
            sets.insert(target.to_string(), result);
            continue;
        }
        if let Some((target, rest)) = step.split_once('.') {
            let set = sets.get_mut(target).unwrap();
            if let Some(keys) = rest.strip_prefix("add:") {
                for key in parse_keys(keys) {
                    add(set, key);
                }
            } else if let Some(keys) = rest.strip_prefix("discard:") {
                for key in parse_keys(keys) {
                    set.discard(hash_of(key), |k| same(k, &key)).unwrap();
                }
            } else if let Some(keys) = rest.strip_prefix("update:") {
                set.update_with_keys(hashed(keys), same).unwrap();
            } else if let Some(keys) = rest.strip_prefix("difference_update:") {
                set.difference_update_with_keys(hashed(keys), same).unwrap();
            } else if let Some(keys) = rest.strip_prefix("intersection_update:") {
                set.intersection_update_with_keys(hashed(keys), same)
                    .unwrap();
            } else if let Some(count) = rest.strip_prefix("pop:") {
                for _ in 0..count.parse::<usize>().unwrap() {
                    if let Some(key) = set.pop() {
                        popped.push(key);
                    }
                }
            } else if rest == "clear" {
                set.clear();
            } else {
                panic!("unknown step {step}");
            }
            continue;
        }
        // A|=B and friends.
        let (target, op, source) = (&step[0..1], &step[1..3], &step[3..4]);
        let other = sets[source].clone();
        let set = sets.get_mut(target).unwrap();
        match op {
            "|=" => set.merge(&other, same),
            "&=" => set.intersection_update(&other, same),
            "-=" => set.difference_update(&other, same),
            "^=" => set.symmetric_difference_update(&other, same),
            _ => panic!("unknown step {step}"),
        }
        .unwrap();
    }
    let mut parts: Vec<String> = sets
        .iter()
        .map(|(name, set)| format!("{}:{}", name, listed(set)))
        .collect();
    let popped: Vec<String> = popped.iter().map(|k| k.to_string()).collect();
    parts.push(format!("popped:[{}]", popped.join(",")));
    parts.join(";")
}

#[test]
fn set_orders_match_cpython() {
    let mut failures = Vec::new();
    let all = rows(VECTORS);
    for row in &all {
        let got = replay(&row[1]);
        if got != row[2] {
            failures.push(format!(
                "{}\n  got      {}\n  expected {}",
                row[1], got, row[2]
            ));
        }
    }
    assert!(all.len() > 500);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        all.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn simple_examples() {
    let mut set = SetTable::new();
    for key in [3, 1, 2] {
        add(&mut set, key);
    }
    assert_eq!(listed(&set), "[1,2,3]");
    assert_eq!(set.len(), 3);
    assert_eq!(set.pop(), Some(1));
    assert!(set.contains(hash_of(2), |k| same(k, &2)).unwrap());
    assert!(!set.contains(hash_of(1), |k| same(k, &1)).unwrap());
}
