//! Floats written as `{x}`, `{x:e}` and `{x:.1e}` write them, byte for byte, at a fraction of
//! the cost: a table of a thousand values spends most of its time in `core`'s float printing.
//!
//! The shortest digits that read back as the same float are unique up to ties, and both `core`
//! and [`zmij`] pick the one nearest the float; only the layout is done here. They differ on an
//! exact tie (`920494903234406.25` is `…406.3` for `core`, `…406.2` for zmij), and a tie or a
//! rounding-interval end with a short decimal expansion needs a float `m·2^e` with `m·5^(−e)`
//! below `10^18`, so `e ≥ −25`: every float that is a multiple of `2^−25` (integers, halves,
//! `0.125`, …) is left to `core`, as is anything not finite.
//!
//! Two significant digits (`{x:.1e}`) are the shortest digits rounded, which equals rounding the
//! float itself unless the shortest digits are three or fewer (a midpoint between two 2-digit
//! numbers has three, and it would lie inside the float's rounding interval): those are left to
//! `core` as well.

use std::fmt::Write;

/// The shortest round-trip digits of a finite float: `±d₁.d₂…dₙ × 10^exp`, `d₁ ≠ 0` unless the
/// float is zero, no trailing zeros.
struct Digits {
    negative: bool,
    digits: [u8; 32],
    len: usize,
    exp: i32,
}

impl Digits {
    /// The digits of a finite float from zmij's text of it (`-0.00123`, `12340000000.0`,
    /// `1.234e+33`), or `None` for a text of another shape.
    fn of(text: &str) -> Option<Digits> {
        let text = text.as_bytes();
        let (negative, text) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let split = text.iter().position(|&b| b == b'e');
        let (mantissa, exp) = match split {
            Some(i) => (&text[..i], exponent(&text[i + 1..])?),
            None => (text, 0),
        };
        let mut d = Digits {
            negative,
            digits: [0; 32],
            len: 0,
            exp: 0,
        };
        let (mut seen, mut leading_zeros, mut point) = (0i32, 0i32, None);
        for &b in mantissa {
            match b {
                b'.' => point = Some(seen),
                b'0' if d.len == 0 => {
                    leading_zeros += 1;
                    seen += 1;
                }
                b'0'..=b'9' => {
                    *d.digits.get_mut(d.len)? = b - b'0';
                    d.len += 1;
                    seen += 1;
                }
                _ => return None,
            }
        }
        while d.len > 0 && d.digits[d.len - 1] == 0 {
            d.len -= 1;
        }
        if d.len == 0 {
            d.len = 1;
            return Some(d);
        }
        d.exp = exp + point.unwrap_or(seen) - 1 - leading_zeros;
        Some(d)
    }

    /// The first three digits and the number of digits of zmij's `d.ddde±k` (the `e` at byte
    /// `e`), or `None` for a text of another shape; for [`two_digits_into`] only.
    fn of_scientific(text: &str, e: usize) -> Option<Digits> {
        let (mantissa, exp) = text.as_bytes().split_at(e);
        let (negative, mantissa) = match mantissa.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, mantissa),
        };
        let mut d = Digits {
            negative,
            digits: [0; 32],
            len: 0,
            exp: exponent(exp.get(1..)?)?,
        };
        match *mantissa {
            [first] => d.digits[0] = first.checked_sub(b'0')?,
            [first, b'.', ref rest @ ..] if !rest.is_empty() => {
                d.digits[0] = first.checked_sub(b'0')?;
                for (slot, &b) in d.digits[1..3].iter_mut().zip(rest) {
                    *slot = b.checked_sub(b'0')?;
                }
                d.len = rest.len();
            }
            _ => return None,
        }
        d.len += 1;
        Some(d).filter(|d| d.digits[..3].iter().all(|&b| b <= 9))
    }

    /// The digits held (only the first three after [`Digits::of_scientific`]).
    fn digits(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or(&self.digits)
    }

    fn sign(&self, out: &mut String) {
        if self.negative {
            out.push('-');
        }
    }

    /// As `{x}`: all the digits, without an exponent.
    fn plain_into(&self, out: &mut String) {
        self.sign(out);
        let digits = self.digits();
        let n = digits.len() as i32;
        if self.exp >= n - 1 {
            push_digits(out, digits);
            out.extend(std::iter::repeat_n('0', (self.exp - (n - 1)) as usize));
        } else if self.exp >= 0 {
            let (int, frac) = digits.split_at(self.exp as usize + 1);
            push_digits(out, int);
            out.push('.');
            push_digits(out, frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-self.exp - 1) as usize));
            push_digits(out, digits);
        }
    }

    /// As `{x:e}`: `d₁.d₂…dₙe±k`.
    fn scientific_into(&self, out: &mut String) {
        self.sign(out);
        let digits = self.digits();
        push_digits(out, &digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            push_digits(out, &digits[1..]);
        }
        push_exponent(out, self.exp);
    }

    /// As `{x:.1e}`, for more than three digits: the rest after the second is then never
    /// exactly one half.
    fn two_digits_into(&self, out: &mut String) {
        let digits = self.digits();
        let digit = |i: usize| u32::from(digits.get(i).copied().unwrap_or(0));
        let mut pair = 10 * digit(0) + digit(1) + u32::from(digit(2) >= 5);
        let mut exp = self.exp;
        if pair == 100 {
            pair = 10;
            exp += 1;
        }
        self.sign(out);
        out.push(char::from(b'0' + (pair / 10) as u8));
        out.push('.');
        out.push(char::from(b'0' + (pair % 10) as u8));
        push_exponent(out, exp);
    }
}

/// The `k` of the lowest set bit `2^k` of finite `x` (`i32::MAX` for zero).
fn lowest_bit_exponent(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if m == 0 {
        i32::MAX
    } else {
        e + m.trailing_zeros() as i32
    }
}

/// `+20`, `-7` or `5` as a number.
fn exponent(text: &[u8]) -> Option<i32> {
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let mut n = 0i32;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = 10 * n + i32::from(b - b'0');
    }
    Some(if negative { -n } else { n })
}

fn push_digits(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|&d| char::from(b'0' + d)));
}

/// `e-7`, `e0`, `e308`: the exponent as `core` writes it (a double's has at most three digits).
fn push_exponent(out: &mut String, exp: i32) {
    let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
    out.push('e');
    if exp < 0 {
        out.push('-');
    }
    let n = exp.unsigned_abs().min(999);
    if n >= 100 {
        out.push(digit(n / 100));
    }
    if n >= 10 {
        out.push(digit(n / 10));
    }
    out.push(digit(n));
}

/// zmij's text of `x` (`-0.00123`, `12340000000.0`, `1.234e+33`), `None` when `x` is not finite
/// or is a multiple of `2^−25` (see the module documentation).
fn shortest_text(buffer: &mut zmij::Buffer, x: f64) -> Option<&str> {
    if x.is_finite() && lowest_bit_exponent(x) < -25 {
        Some(buffer.format_finite(x))
    } else {
        None
    }
}

/// Where zmij's text has its exponent (`e`), if it has one: it is within the last five bytes.
fn exponent_at(text: &str) -> Option<usize> {
    let start = text.len().saturating_sub(5);
    let tail = text.as_bytes().get(start..)?;
    tail.iter().rposition(|&b| b == b'e').map(|i| start + i)
}

/// `x` appended to `out` as `write!(out, "{x}")` writes it.
pub(crate) fn plain_into(out: &mut String, x: f64) {
    let mut buffer = zmij::Buffer::new();
    match shortest_text(&mut buffer, x) {
        // zmij writes `1e-5 ≤ |x| < 1e16` without an exponent, as `{x}` does, but for the `.0`
        // of an integer.
        Some(text) if exponent_at(text).is_none() => {
            out.push_str(text.strip_suffix(".0").unwrap_or(text));
        }
        Some(text) => match Digits::of(text) {
            Some(d) => d.plain_into(out),
            None => {
                let _ = write!(out, "{x}");
            }
        },
        None => {
            let _ = write!(out, "{x}");
        }
    }
}

/// `x` appended to `out` as `write!(out, "{x:e}")` writes it.
pub(crate) fn scientific_into(out: &mut String, x: f64) {
    let mut buffer = zmij::Buffer::new();
    let text = shortest_text(&mut buffer, x);
    match text.map(|t| (t, exponent_at(t))) {
        // `1.234e+33` is `1.234e33` for `core`.
        Some((text, Some(e))) => {
            let (mantissa, exp) = text.split_at(e + 1);
            out.push_str(mantissa);
            out.push_str(exp.strip_prefix('+').unwrap_or(exp));
        }
        Some((text, None)) => match Digits::of(text) {
            Some(d) => d.scientific_into(out),
            None => {
                let _ = write!(out, "{x:e}");
            }
        },
        None => {
            let _ = write!(out, "{x:e}");
        }
    }
}

/// `x` appended to `out` as `write!(out, "{x:.1e}")` writes it: two significant digits.
pub(crate) fn two_digits_into(out: &mut String, x: f64) {
    let mut buffer = zmij::Buffer::new();
    let digits = shortest_text(&mut buffer, x).and_then(|text| match exponent_at(text) {
        Some(e) => Digits::of_scientific(text, e),
        None => Digits::of(text),
    });
    match digits {
        Some(d) if d.len > 3 => d.two_digits_into(out),
        _ => {
            let _ = write!(out, "{x:.1e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The three writers against `core`'s formatting of `x`.
    #[track_caller]
    fn same_as_core(x: f64) {
        let written = |f: fn(&mut String, f64)| {
            let mut s = String::new();
            f(&mut s, x);
            s
        };
        let bits = x.to_bits();
        assert_eq!(written(plain_into), format!("{x}"), "{{x}} of {bits:#x}");
        assert_eq!(
            written(scientific_into),
            format!("{x:e}"),
            "{{x:e}} of {bits:#x}"
        );
        assert_eq!(
            written(two_digits_into),
            format!("{x:.1e}"),
            "{{x:.1e}} of {bits:#x}"
        );
    }

    /// `x` and its neighbours, `k` floats either side.
    fn around(x: f64, k: i64) -> impl Iterator<Item = f64> {
        (-k..=k).filter_map(move |i| {
            let bits = x.to_bits().checked_add_signed(i)?;
            Some(f64::from_bits(bits))
        })
    }

    #[test]
    fn special_values() {
        for x in [0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            same_as_core(x);
        }
        for x in [
            1.0,
            -1.0,
            0.5,
            1e-4,
            1e15,
            123.0,
            0.1,
            0.3,
            1.0 / 3.0,
            2.0f64.sqrt(),
        ] {
            same_as_core(x);
        }
        for x in [f64::MIN_POSITIVE, f64::MAX, f64::MIN, f64::EPSILON] {
            same_as_core(x);
        }
        same_as_core(f64::from_bits(1)); // the smallest subnormal, 4.9e-324
        same_as_core(f64::from_bits((1 << 52) - 1)); // the largest subnormal
    }

    #[test]
    fn powers_of_ten_and_their_neighbours() {
        for k in -323..=308 {
            let p: f64 = format!("1e{k}").parse().unwrap();
            for x in around(p, 3) {
                same_as_core(x);
                same_as_core(-x);
            }
        }
    }

    #[test]
    fn switch_points_of_short() {
        for x in around(1e-4, 50).chain(around(1e15, 50)) {
            same_as_core(x);
        }
    }

    /// Numbers whose two significant digits sit on a tie or next to one: `d.d5·10^k`, the
    /// carries `9.95·10^k`, and short decimals that are not exactly representable.
    #[test]
    fn rounding_to_two_digits() {
        for k in -320..=305 {
            for m in [
                "1.25", "1.35", "2.5", "9.95", "9.96", "9.94", "1.05", "0.125", "4.45", "7.75",
            ] {
                let x: f64 = format!("{m}e{k}").parse().unwrap();
                for x in around(x, 2) {
                    same_as_core(x);
                }
            }
        }
        for n in 1..=2000u32 {
            same_as_core(f64::from(n) / 1000.0);
            same_as_core(f64::from(n) / 8.0);
        }
    }

    /// Floats with a short exact decimal expansion, `m/2^k`, where the shortest digits can be
    /// an exact tie: `920494903234406.25` (`…406.3` for `core`).
    #[test]
    fn ties_of_the_shortest_digits() {
        same_as_core(f64::from_bits(0x430a_297b_5dcc_7b32));
        same_as_core(f64::from_bits(0x4312_8bcc_d76b_9bfd));
        same_as_core(608782452769342.3);
        same_as_core(f64::from_bits(0x4301_4d79_aebe_11f2));
        let mut s = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let m = (s >> 11) as f64; // below 2^53: exact
            let k = (s % 30) as i32;
            same_as_core(m / 2f64.powi(k));
        }
    }

    /// A deterministic sweep over bit patterns (xorshift), every exponent reached.
    #[test]
    fn many_bit_patterns() {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            same_as_core(f64::from_bits(s));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn any_bit_pattern(bits in any::<u64>()) {
            same_as_core(f64::from_bits(bits));
        }

        #[test]
        fn any_subnormal(bits in 0u64..(1 << 52)) {
            same_as_core(f64::from_bits(bits));
        }

        #[test]
        fn any_value_short_prints(x in 1e-6f64..1e17) {
            same_as_core(x);
        }
    }
}
