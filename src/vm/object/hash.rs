//! `hash()` of the built-in types, bit for bit as CPython 3.11 computes it
//! on a 64-bit machine.
//!
//! Hashes matter beyond `hash()` itself: a set's iteration order follows
//! its hash table, so `print({3, 1, 2})` only matches CPython if ints hash
//! the same way. Numbers that compare equal hash equal across types
//! (`hash(2) == hash(2.0) == hash(True + 1)`), which CPython gets by
//! reducing every number modulo the Mersenne prime 2**61 - 1.
//!
//! -1 is never a hash: CPython uses it as an error signal, so a hash of -1
//! becomes -2 (`hash(-1) == -2`).
//!
//! Strings are the exception: CPython randomises their hash per process, so
//! no program can depend on it and any good hash will do here.

use num_bigint::{BigInt, Sign};

/// The modulus of numeric hashes: the Mersenne prime 2**61 - 1.
pub const HASH_MODULUS: u64 = (1 << 61) - 1;
const HASH_BITS: u32 = 61;
/// `hash(float('inf'))`; `-inf` hashes to its negation.
pub const HASH_INF: i64 = 314_159;

fn avoid_minus_one(hash: i64) -> i64 {
    if hash == -1 {
        -2
    } else {
        hash
    }
}

/// `hash(n)` for a small int.
#[inline]
pub fn hash_i64(n: i64) -> i64 {
    // Values inside (-2**61 + 1, 2**61 - 1) hash to themselves.
    if n.unsigned_abs() < HASH_MODULUS {
        return avoid_minus_one(n);
    }
    let reduced = (n.unsigned_abs() % HASH_MODULUS) as i64;
    avoid_minus_one(if n < 0 { -reduced } else { reduced })
}

/// `hash(n)` for a big int: `|n| mod (2**61 - 1)` with `n`'s sign.
pub fn hash_bigint(n: &BigInt) -> i64 {
    // 2**64 = 2**3 * 2**61, and 2**61 is 1 modulo the modulus.
    let mut reduced: u64 = 0;
    let digits: Vec<u64> = n.iter_u64_digits().collect();
    for &digit in digits.iter().rev() {
        let wide = ((reduced as u128) << 64) | digit as u128;
        reduced = (wide % HASH_MODULUS as u128) as u64;
    }
    let signed = reduced as i64;
    avoid_minus_one(if n.sign() == Sign::Minus {
        -signed
    } else {
        signed
    })
}

/// `hash(True)` is 1 and `hash(False)` is 0, like the ints they equal.
pub fn hash_bool(b: bool) -> i64 {
    i64::from(b)
}

/// `hash(None)`. CPython 3.11 hashes None by its address, which differs
/// from run to run; apy picks one fixed value of the same kind.
pub const HASH_NONE: i64 = 0x0000_0007_f5c4_0a68;

/// `hash(None)` as a function, for symmetry with the other hashes.
pub fn hash_none() -> i64 {
    HASH_NONE
}

/// The default hash of an object without `__hash__`, from its identity
/// (CPython's `_Py_HashPointer`: the address rotated right by 4 bits,
/// because the low bits of aligned addresses are always zero).
pub fn hash_pointer(identity: usize) -> i64 {
    let rotated = (identity as u64).rotate_right(4);
    avoid_minus_one(rotated as i64)
}

/// `hash(x)` for a float (`_Py_HashDouble`): a float equal to an int
/// hashes like that int, `inf` is 314159, and a NaN hashes by the identity
/// of the float object holding it (since 3.10), passed in as `identity`.
pub fn hash_f64(x: f64, identity: usize) -> i64 {
    if !x.is_finite() {
        if x.is_infinite() {
            return if x > 0.0 { HASH_INF } else { -HASH_INF };
        }
        return hash_pointer(identity);
    }
    if x == 0.0 {
        return 0;
    }
    // Fast path: floats holding small integers hash as those integers.
    if x == x.trunc() && x.abs() < 9.0e15 {
        return hash_i64(x as i64);
    }
    let (mut mantissa, mut exponent) = frexp(x);
    let sign: i64 = if mantissa < 0.0 {
        mantissa = -mantissa;
        -1
    } else {
        1
    };
    // Take the mantissa 28 bits at a time, reducing as we go.
    let mut accumulated: u64 = 0;
    while mantissa != 0.0 {
        accumulated = ((accumulated << 28) & HASH_MODULUS) | (accumulated >> (HASH_BITS - 28));
        mantissa *= 268_435_456.0; // 2**28
        exponent -= 28;
        let integer_part = mantissa as u64;
        mantissa -= integer_part as f64;
        accumulated += integer_part;
        if accumulated >= HASH_MODULUS {
            accumulated -= HASH_MODULUS;
        }
    }
    // Multiplying by 2**e modulo 2**61 - 1 is a rotation by e mod 61.
    let exponent = if exponent >= 0 {
        exponent % HASH_BITS as i32
    } else {
        HASH_BITS as i32 - 1 - ((-1 - exponent) % HASH_BITS as i32)
    } as u32;
    accumulated =
        ((accumulated << exponent) & HASH_MODULUS) | (accumulated >> (HASH_BITS - exponent));
    avoid_minus_one((accumulated as i64).wrapping_mul(sign))
}

/// C's `frexp`: `x == mantissa * 2**exponent` with `0.5 <= |mantissa| < 1`,
/// for finite non-zero `x`.
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: scale into the normal range first.
        let (mantissa, exponent) = frexp(x * 2f64.powi(64));
        return (mantissa, exponent - 64);
    }
    let mantissa_bits = (bits & !(0x7ffu64 << 52)) | (1022u64 << 52);
    (f64::from_bits(mantissa_bits), biased - 1022)
}

// CPython 3.11's tuple hash, derived from xxHash (64-bit constants).
const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `hash(t)` for a tuple, given the hashes of its items in order.
pub fn hash_tuple(item_hashes: &[i64]) -> i64 {
    let mut accumulator = XXPRIME_5;
    for &lane in item_hashes {
        accumulator = accumulator.wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
        accumulator = accumulator.rotate_left(31);
        accumulator = accumulator.wrapping_mul(XXPRIME_1);
    }
    // Mixing in the length keeps hash(()) at its historical value.
    accumulator = accumulator.wrapping_add(item_hashes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if accumulator == u64::MAX {
        return 1_546_275_796;
    }
    accumulator as i64
}

/// `hash(frozenset(...))`, given the hashes of its members (any order:
/// the hash is built with xor so that order does not matter).
pub fn hash_frozenset(member_hashes: &[i64]) -> i64 {
    fn shuffle_bits(hash: u64) -> u64 {
        ((hash ^ 89_869_747) ^ (hash << 16)).wrapping_mul(3_644_798_167)
    }
    let mut hash: u64 = 0;
    for &member in member_hashes {
        hash ^= shuffle_bits(member as u64);
    }
    hash ^= (member_hashes.len() as u64 + 1).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    if hash == u64::MAX {
        return 590_923_713;
    }
    hash as i64
}

/// `hash(s)` for a string. Any well-mixed hash is faithful (CPython's is
/// random per process); this one reads 8 bytes at a time (FxHash's step)
/// and finishes with a strong mix so that the low bits, which pick the
/// table slot, depend on every byte.
#[inline]
pub fn hash_str(text: &str) -> i64 {
    const MULTIPLIER: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let bytes = text.as_bytes();
    let mut hash: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(MULTIPLIER);
    }
    // Final avalanche (from SplitMix64).
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    avoid_minus_one(hash as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::object::test_vectors::{float_from_field, rows};

    const VECTORS: &str = include_str!("../../../tests/runtime_vectors/hash.tsv");

    #[test]
    fn hashes_match_cpython_vectors() {
        let mut checked = 0;
        for row in rows(VECTORS) {
            let expected: i64 = row.last().unwrap().parse().unwrap();
            let got = match row[0].as_str() {
                "int" => {
                    let n: BigInt = row[1].parse().unwrap();
                    let slow = hash_bigint(&n);
                    if let Ok(small) = i64::try_from(&n) {
                        assert_eq!(hash_i64(small), slow, "{n}");
                    }
                    slow
                }
                "float" => hash_f64(float_from_field(&row[1]), 0),
                "tuple" => {
                    let items: Vec<i64> = row[1]
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| hash_bigint(&s.parse().unwrap()))
                        .collect();
                    hash_tuple(&items)
                }
                "frozenset" => {
                    let items: Vec<i64> = row[1]
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| hash_bigint(&s.parse().unwrap()))
                        .collect();
                    hash_frozenset(&items)
                }
                kind => panic!("unknown kind {kind}"),
            };
            assert_eq!(got, expected, "{:?}", row);
            checked += 1;
        }
        assert!(checked > 1000);
    }

    #[test]
    fn special_values() {
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_bool(true), 1);
        assert_eq!(hash_f64(f64::INFINITY, 0), 314_159);
        assert_eq!(hash_f64(f64::NAN, 0x1000), hash_pointer(0x1000));
        assert_ne!(hash_str("a"), hash_str("b"));
        assert_eq!(hash_tuple(&[]), 5_740_354_900_026_072_187);
    }
}
