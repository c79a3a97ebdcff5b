//! Rough timings of the runtime algorithms on the hot paths the benchmarks
//! exercise. Not a pass/fail test: run by hand with
//! `cargo test --release --test runtime_perf -- --ignored --nocapture`.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::Instant;

use apy::vm::format_spec::{format_float_into, format_int_into, FormatSpec, IntArg};
use apy::vm::object::dict_table::DictTable;
use apy::vm::object::float::write_float_repr;
use apy::vm::object::hash::{hash_i64, hash_str};
use apy::vm::object::str_case::upper;
use apy::vm::object::str_methods::{replace, split, strip};

fn time(label: &str, iterations: usize, mut body: impl FnMut(usize)) {
    let start = Instant::now();
    for i in 0..iterations {
        body(i);
    }
    let elapsed = start.elapsed();
    println!(
        "{label:<40} {:>8.1} ns/op",
        elapsed.as_nanos() as f64 / iterations as f64
    );
}

#[test]
#[ignore]
fn hot_paths() {
    const N: usize = 1_000_000;
    let mut out = String::with_capacity(64);
    time("float repr of i / 7", N, |i| {
        out.clear();
        write_float_repr(&mut out, i as f64 / 7.0);
        black_box(&out);
    });
    let fixed = FormatSpec::parse(".2f").unwrap();
    time("format {i / 7:.2f}", N, |i| {
        out.clear();
        format_float_into(&mut out, i as f64 / 7.0, &fixed).unwrap();
        black_box(&out);
    });
    let right4 = FormatSpec::parse(">4").unwrap();
    time("format {i * 3 % 17:>4}", N, |i| {
        out.clear();
        format_int_into(&mut out, IntArg::Small((i * 3 % 17) as i64), &right4, "int").unwrap();
        black_box(&out);
    });
    let comma = FormatSpec::parse(",").unwrap();
    time("format {i * 1000:,}", N, |i| {
        out.clear();
        format_int_into(&mut out, IntArg::Small((i * 1000) as i64), &comma, "int").unwrap();
        black_box(&out);
    });
    time("parse spec '>4' + format", N, |i| {
        out.clear();
        let spec = FormatSpec::parse(">4").unwrap();
        format_int_into(&mut out, IntArg::Small(i as i64), &spec, "int").unwrap();
        black_box(&out);
    });
    let same = |a: &i64, b: i64| Ok::<bool, Infallible>(*a == b);
    let mut dict: DictTable<i64, i64> = DictTable::new();
    time("dict d[k] = d.get(k, 0) + 1 (1000 keys)", N, |i| {
        let key = (i % 1000) as i64;
        let hash = hash_i64(key);
        let old = dict
            .get(hash, |k| same(k, key))
            .unwrap()
            .copied()
            .unwrap_or(0);
        dict.insert(hash, key, old + 1, |k| same(k, key)).unwrap();
    });
    let mut big: DictTable<i64, i64> = DictTable::new();
    time("dict insert 1M distinct keys", N, |i| {
        let key = i as i64;
        big.insert(hash_i64(key), key, key, |k| same(k, key))
            .unwrap();
    });
    time("hash_str of a short word", N, |i| {
        black_box(hash_str(if i % 2 == 0 { "hello" } else { "world!" }));
    });
    let line = "  the quick brown fox jumps over the lazy dog  ";
    time("split() of a 9-word line", N, |_| {
        black_box(split(black_box(line), None, -1).unwrap());
    });
    time("strip() of that line", N, |_| {
        black_box(strip(black_box(line), None));
    });
    time("replace('o', '0') in that line", N, |_| {
        black_box(replace(black_box(line), "o", "0", -1));
    });
    time("upper() of that line", N, |_| {
        black_box(upper(black_box(line)));
    });
}
