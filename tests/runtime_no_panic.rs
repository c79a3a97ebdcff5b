//! The interpreter must never panic on user input. This throws random and
//! extreme inputs at the runtime algorithms (in debug builds, so integer
//! overflow would panic too) and only checks that they return.

use std::convert::Infallible;

use apy::vm::format_spec::{format_bigint, format_f64, format_i64, format_str};
use apy::vm::format_string::parse_format_template;
use apy::vm::object::float::*;
use apy::vm::object::int::*;
use apy::vm::object::set_table::SetTable;
use apy::vm::object::str_case::*;
use apy::vm::object::str_methods::*;
use num_bigint::BigInt;

/// How many random cases each test tries (`APY_NO_PANIC_ROUNDS` raises it
/// for a longer hunt).
fn rounds() -> usize {
    std::env::var("APY_NO_PANIC_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
    fn text(&mut self, alphabet: &[char], max_length: u64) -> String {
        let length = self.below(max_length + 1);
        (0..length)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize])
            .collect()
    }
    fn extreme_int(&mut self) -> i64 {
        const VALUES: [i64; 12] = [
            0,
            1,
            -1,
            2,
            -2,
            7,
            64,
            -64,
            i64::MAX,
            i64::MIN,
            i64::MAX - 1,
            i64::MIN + 1,
        ];
        if self.below(2) == 0 {
            VALUES[self.below(VALUES.len() as u64) as usize]
        } else {
            self.next() as i64
        }
    }
    fn option_int(&mut self) -> Option<i64> {
        if self.below(3) == 0 {
            None
        } else {
            Some(self.extreme_int())
        }
    }
}

const SPEC_CHARS: &[char] = &[
    '<', '>', '^', '=', '+', '-', ' ', 'z', '#', '0', '1', '9', ',', '_', '.', 'd', 'f', 'e', 'g',
    'x', 'X', 'b', 'o', 'c', 'n', '%', 's', 'G', 'E', 'F', 'é', '{', '}', '\0',
];
const TEXT_CHARS: &[char] = &[
    'a', 'B', ' ', '\t', '\n', '\r', 'Σ', 'ß', 'ǅ', 'İ', '😀', '_', '0', '9', '-', '+', '.', 'e',
    'x', '{', '}', '[', ']', '!', ':', 'r', '\u{85}', '\u{2028}', '\u{345}', '٣',
];

#[test]
fn formatting_never_panics() {
    let mut random = Lcg(1);
    for _ in 0..rounds() {
        let spec = random.text(SPEC_CHARS, 8);
        let n = random.extreme_int();
        let _ = format_i64(n, &spec);
        let _ = format_bigint(&(BigInt::from(n) * BigInt::from(n) * 3), &spec);
        let _ = format_f64(f64::from_bits(random.next() << 11 | random.next()), &spec);
        let _ = format_f64(n as f64 / 7.0, &spec);
        let _ = format_str(&random.text(TEXT_CHARS, 5), &spec);
        let template = random.text(TEXT_CHARS, 12);
        let _ = parse_format_template(&template);
        let percent = format!("%{}", random.text(SPEC_CHARS, 6));
        let parsed = apy::vm::format_percent::parse_percent_template(&percent);
        for piece in &parsed.pieces {
            if let apy::vm::format_percent::PercentPiece::Conversion(conversion) = piece {
                let field = conversion.resolve(
                    Some(random.extreme_int() % 50),
                    Some(random.extreme_int() % 50),
                );
                let mut out = String::new();
                let _ = apy::vm::format_percent::write_percent_int(
                    &mut out,
                    apy::vm::format_spec::IntArg::Small(n),
                    &field,
                );
                let _ =
                    apy::vm::format_percent::write_percent_float(&mut out, n as f64 / 3.0, &field);
                let _ = apy::vm::format_percent::write_percent_text(&mut out, &template, &field);
            }
        }
    }
}

#[test]
fn huge_precisions_and_widths_never_panic() {
    for spec in [
        ".70000f", ".70000e", ".70000g", "#.70000g", ".70000%", "70000", ".70000",
    ] {
        let _ = format_f64(1.5, spec);
        let _ = format_i64(7, spec);
        let _ = format_str("abc", spec);
    }
    for template in [
        "%.70000f",
        "%.70000e",
        "%70000d",
        "%.70000d",
        "%70000s",
        "%.2147483647f",
    ] {
        let _ = apy::vm::format_percent::parse_percent_template(template);
    }
    let field = apy::vm::format_percent::PercentField {
        flags: Default::default(),
        width: Some(10),
        precision: Some(100_000),
        kind: 'g',
    };
    let mut out = String::new();
    apy::vm::format_percent::write_percent_float(&mut out, 1.0 / 3.0, &field).unwrap();
    assert!(out.starts_with("0.333"));
    let huge = apy::vm::format_percent::PercentField {
        width: Some(1 << 40),
        ..field
    };
    assert!(apy::vm::format_percent::write_percent_text(&mut out, "x", &huge).is_err());
}

#[test]
fn numbers_never_panic() {
    let mut random = Lcg(2);
    for _ in 0..rounds() {
        let text = random.text(TEXT_CHARS, 10);
        let _ = parse_float(&text);
        let _ = parse_int(&text, [0, 2, 10, 16, 36, 37, -5][random.below(7) as usize]);
        let x = f64::from_bits(random.next() << 11 | random.next());
        let y = f64::from_bits(random.next() << 11 | random.next());
        let _ = (
            float_floor_div(x, y),
            float_mod(x, y),
            float_divmod(x, y),
            float_pow(x, y),
        );
        let _ = (
            float_round(x, random.extreme_int()),
            float_round_to_int(x),
            float_to_int(x),
        );
        let _ = compare_int_float(&IntValue::Small(random.extreme_int()), x);
        let (a, b) = (random.extreme_int(), random.extreme_int());
        let _ = (
            floor_div_i64(a, b),
            mod_i64(a, b),
            divmod_i64(a, b),
            true_div_i64(a, b),
        );
        let _ = (
            shl_i64(a, b % 130),
            shr_i64(a, b),
            pow_i64(a, (b % 70).abs()),
        );
        let _ = int_pow(&IntValue::Small(a % 1000), &IntValue::Small(b % 40));
        let (big_a, big_b) = (BigInt::from(a) << 70u32, BigInt::from(b));
        let _ = (
            true_div_bigint(&big_a, &big_b),
            floor_div_bigint(&big_a, &big_b),
        );
        let _ = int_pow_mod(&big_a, &big_b, &BigInt::from(random.extreme_int()));
        let _ = (
            shl_bigint(&big_a, &IntValue::Small(b % 200)),
            shr_bigint(&big_a, &IntValue::Small(b)),
        );
        let _ = int_round(&big_a, random.extreme_int());
    }
}

#[test]
fn str_methods_never_panic() {
    let mut random = Lcg(3);
    for _ in 0..rounds() {
        let text = random.text(TEXT_CHARS, 12);
        let sub = random.text(TEXT_CHARS, 2);
        let (start, end) = (random.option_int(), random.option_int());
        let _ = (
            find(&text, &sub, start, end),
            rfind(&text, &sub, start, end),
        );
        let _ = (
            count(&text, &sub, start, end),
            index(&text, &sub, start, end),
        );
        let _ = (
            startswith(&text, &sub, start, end),
            endswith(&text, &sub, start, end),
        );
        let step = random.extreme_int();
        if step != 0 {
            let _ = slice(&text, start, end, step);
        }
        let limit = random.extreme_int();
        let _ = (split(&text, Some(&sub), limit), rsplit(&text, None, limit));
        let _ = (
            splitlines(&text, true),
            partition(&text, &sub),
            rpartition(&text, &sub),
        );
        let _ = (strip(&text, Some(&sub)), replace(&text, &sub, "xy", limit));
        let width = random.extreme_int() % 100;
        let _ = (
            center(&text, width, '*'),
            zfill(&text, width),
            expandtabs(&text, width),
        );
        let _ = (
            repeat(&text, random.extreme_int()),
            center(&text, random.extreme_int(), 'é'),
        );
        let _ = (
            upper(&text),
            lower(&text),
            title(&text),
            capitalize(&text),
            swapcase(&text),
        );
        let _ = (
            casefold(&text),
            istitle(&text),
            isidentifier(&text),
            isnumeric(&text),
        );
    }
}

#[test]
fn sets_survive_heavy_churn() {
    let mut random = Lcg(4);
    let mut set: SetTable<i64> = SetTable::new();
    let same = |a: &i64, b: i64| Ok::<bool, Infallible>(*a == b);
    for _ in 0..200_000 {
        let key = (random.below(5000) as i64) - 2500;
        let hash = apy::vm::object::hash::hash_i64(key);
        match random.below(4) {
            0 | 1 => {
                let _ = set.add(hash, key, |k| same(k, key));
            }
            2 => {
                let _ = set.discard(hash, |k| same(k, key));
            }
            _ => {
                let _ = set.pop();
            }
        }
    }
    assert_eq!(set.iter().count(), set.len());
}
