//! Reads the CPython-generated test vectors in `tests/runtime_vectors/`
//! (tab-separated; text escaped with `\\`, `\t`, `\n`, `\u{HEX}`).

/// Splits a vector file into rows of decoded fields, skipping blank lines.
pub(crate) fn rows(data: &str) -> Vec<Vec<String>> {
    data.lines()
        .filter(|line| !line.is_empty())
        .map(|line| line.split('\t').map(unescape).collect())
        .collect()
}

pub(crate) fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let mut hex = String::new();
                for h in chars.by_ref() {
                    match h {
                        '{' => {}
                        '}' => break,
                        _ => hex.push(h),
                    }
                }
                let code = u32::from_str_radix(&hex, 16).expect("bad \\u escape");
                out.push(char::from_u32(code).expect("bad code point"));
            }
            other => panic!("bad escape {:?}", other),
        }
    }
    out
}

/// Decodes a float written by `fbits` in the generator.
pub(crate) fn float_from_field(field: &str) -> f64 {
    if field == "nan" {
        f64::NAN
    } else {
        f64::from_bits(u64::from_str_radix(field, 16).expect("bad float bits"))
    }
}

/// Encodes a float the way the generator does, for comparisons.
pub(crate) fn float_field(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else {
        format!("{:016x}", x.to_bits())
    }
}
