//! The constant of an identification. Identification compares canonical members, so a
//! generator is named up to the class and a positive scale: `f = k·f_named + a + c·(u − 1)`.
//! The class term changes nothing, but the constant does: for normalised distributions
//! `E_pθ[a + c·(q/pθ − 1)] = a`, so `D_f = k·D_named + a`. The GAN divergence is
//! Jensen–Shannon's minus `2·log(2)`, and the identification says so rather than "exact" alone.

use crate::Error;
use crate::eval::{Params, compile, eval_constant};
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::simplify;

/// `a = f(1) − k·f_named(1)`, exactly (`k` the exact scale), with its value. Logarithms of
/// numbers are split into logarithms of primes first, so that the constants of a generator
/// whose logarithms were split (`log(4) − 2·log(2)`) cancel.
pub(super) fn exact(f: &Expr, k: &Expr, named: &Expr) -> Result<(Expr, f64), Error> {
    let one = Expr::one();
    let at_one = |e: &Expr| e.substitute(DIVERGENCE_VAR, &one);
    let a = simplify(&(at_one(f) - k.clone() * at_one(named)))?;
    let split = crate::simplify::present::map_bottom_up(&a, &prime_logs);
    let a = if split == a { a } else { simplify(&split)? };
    let value = eval_constant(&a, &Params::new())?;
    Ok((a, value))
}

/// The largest numerator or denominator whose logarithm is split into primes.
const LARGEST_SPLIT: u64 = 1 << 20;

/// `log(n/d) = Σ e_p·log(p)` over the primes of `n` and `d` (both at most [`LARGEST_SPLIT`]),
/// when that is not `log(n/d)` itself.
fn prime_logs(e: &Expr) -> Option<Expr> {
    use num_traits::ToPrimitive;
    let Expr::Func(crate::expr::Func::Log, arg) = e else {
        return None;
    };
    let r = arg.as_num()?;
    let (n, d) = (r.numer().to_u64()?, r.denom().to_u64()?);
    if n == 0 || n > LARGEST_SPLIT || d > LARGEST_SPLIT {
        return None;
    }
    let mut terms: Vec<(u64, i64)> = Vec::new();
    for (mut x, sign) in [(n, 1), (d, -1)] {
        let mut p = 2;
        while x > 1 {
            if p * p > x {
                p = x;
            }
            while x % p == 0 {
                x /= p;
                match terms.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, k)) => *k += sign,
                    None => terms.push((p, sign)),
                }
            }
            p += 1;
        }
    }
    if let [(_, 1)] = terms.as_slice() {
        return None;
    }
    Some(Expr::add(
        terms
            .into_iter()
            .map(|(p, k)| Expr::int(k) * Expr::func(crate::expr::Func::Log, Expr::int(p as i64)))
            .collect(),
    ))
}

/// `a = f(1) − k·f_named(1)` from the value `f1 = f(1)` of a numeric generator; `0` when it is
/// within the rounding of its two terms.
pub(super) fn numeric(f1: f64, k: f64, named: &Expr) -> Result<f64, Error> {
    let theirs = k * compile(named, DIVERGENCE_VAR, &Params::new())?.eval(1.0);
    let a = f1 - theirs;
    let rounding = 64.0 * f64::EPSILON * (f1.abs() + theirs.abs());
    Ok(if a.abs() <= rounding { 0.0 } else { a })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    #[track_caller]
    fn exact_offset_is(f: &str, k: &str, named: &str, a: &str) {
        let (got, value) = exact(
            &parse(f).unwrap(),
            &parse(k).unwrap(),
            &parse(named).unwrap(),
        )
        .unwrap();
        assert_eq!(plain(&got), a, "{f} against {k} × {named}");
        let want = eval_constant(&parse(a).unwrap(), &Params::new()).unwrap();
        assert!(
            (value - want).abs() <= 1e-15 * want.abs().max(1.0),
            "{value} vs {want}"
        );
    }

    #[rustfmt::skip]
    #[test]
    fn exact_offsets() {
        let js = "u*log(u) - (u + 1)*(log(u + 1) - log(2))";
        let gan = "u*log(u) - (u + 1)*log(u + 1)";
        exact_offset_is(js, "1", gan, "2*log(2)");
        exact_offset_is(gan, "1", js, "-2*log(2)");
        exact_offset_is("2*u*log(u) + 3", "2", "u*log(u)", "3");
        exact_offset_is("u*log(u) - u + 1", "1", "u*log(u)", "0");
        exact_offset_is(gan, "3", gan, "4*log(2)");
        // The JS and GAN generators with their logarithms split, `log(4*u/(u + 1))`.
        let split = "u*log(4) + u*log(u) - u*log(u + 1) - log(u + 1)";
        exact_offset_is(split, "1", js, "0");
        exact_offset_is(split, "1", gan, "2*log(2)");
        exact_offset_is("u*log(u) + log(12/5)", "1", "u*log(u)", "2*log(2) + log(3) - log(5)");
    }

    #[test]
    fn numeric_offsets() {
        let gan = parse("u*log(u) - (u + 1)*log(u + 1)").unwrap();
        let kl = parse("u*log(u)").unwrap();
        for (f1, k, named, a) in [
            (0.0, 1.0, &gan, 2.0 * std::f64::consts::LN_2),
            (0.0, 0.5, &gan, std::f64::consts::LN_2),
            (0.0, 1.0, &kl, 0.0),
            (1e-17, 1.0, &kl, 1e-17),
            (-2.0 * std::f64::consts::LN_2, 1.0, &gan, 0.0),
        ] {
            assert_eq!(numeric(f1, k, named).unwrap(), a, "{f1} {k}");
        }
    }
}
