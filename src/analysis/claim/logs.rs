//! Logarithms of rational constants split over primes, `log(4) = 2·log(2)`, so that a claimed
//! generator and a derived one written with different constants compare exactly (the derived GAN
//! generator's `log(4*u/(u + 1))` against the catalog's `2·log(2)`).

use crate::expr::{Expr, Func};
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// The largest numerator or denominator factored: `log(n)` beyond it is left whole.
const FACTORED_UP_TO: u64 = 1 << 32;

/// `e` with every `log(n/m)` of a positive rational constant written as `Σ k_p·log(p)` over
/// the primes `p` of `n` and `m` (exponent `k_p` negative for `m`), when both are at most
/// [`FACTORED_UP_TO`].
pub(super) fn split_constant_logs(e: &Expr) -> Expr {
    crate::simplify::present::map_bottom_up(e, &|x| {
        let Expr::Func(Func::Log, arg) = x else {
            return None;
        };
        let r = arg.as_num()?;
        let numer = factors(r.numer())?;
        let denom = factors(r.denom())?;
        if denom.is_empty() && matches!(numer.as_slice(), [(_, 1)]) {
            return None; // a prime
        }
        let term = |(p, k): (u64, i64), sign: i64| {
            Expr::int(sign * k) * Expr::func(Func::Log, Expr::int(p as i64))
        };
        let terms: Vec<Expr> = numer
            .into_iter()
            .map(|f| term(f, 1))
            .chain(denom.into_iter().map(|f| term(f, -1)))
            .collect();
        Some(terms.into_iter().fold(Expr::zero(), |s, t| s + t))
    })
}

/// The prime factors of a positive `n ≤` [`FACTORED_UP_TO`] with their exponents, by trial
/// division (`None` beyond it or for `n ≤ 0`; empty for `1`).
fn factors(n: &BigInt) -> Option<Vec<(u64, i64)>> {
    let mut n = n.to_u64().filter(|n| (1..=FACTORED_UP_TO).contains(n))?;
    let mut out = Vec::new();
    let mut p = 2u64;
    while p * p <= n {
        let mut k = 0;
        while n % p == 0 {
            n /= p;
            k += 1;
        }
        if k > 0 {
            out.push((p, k));
        }
        p += 1;
    }
    if n > 1 {
        out.push((n, 1));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::simplify::simplify;

    #[track_caller]
    fn splits_to(input: &str, expected: &str) {
        let e = simplify(&parse(input).unwrap()).unwrap();
        let got = simplify(&split_constant_logs(&e)).unwrap();
        let want = simplify(&parse(expected).unwrap()).unwrap();
        assert_eq!(got, want, "{input}");
    }

    #[test]
    fn table() {
        splits_to("log(4)", "2*log(2)");
        splits_to("log(12)", "2*log(2) + log(3)");
        splits_to("log(3/4)", "log(3) - 2*log(2)");
        splits_to("log(1/2)", "-log(2)");
        splits_to("log(2)", "log(2)");
        splits_to("log(7)", "log(7)");
        splits_to("u*log(4) - 2*u*log(2)", "0");
        splits_to("log(u)", "log(u)");
        splits_to("log(8589934592)", "log(8589934592)"); // 2^33, beyond the bound
    }
}
