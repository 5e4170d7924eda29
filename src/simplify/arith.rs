//! Expansion of products and powers of sums, kept only when simpler.

use super::{Assumptions, Rule, complexity};
use crate::expr::Expr;

/// The family's rules.
pub static RULES: &[Rule] = &[Rule {
    name: "expand_if_simpler",
    apply: expand_if_simpler,
}];

/// The most terms an expansion may produce before it is abandoned.
pub const MAX_EXPANDED_TERMS: usize = 256;
/// The largest integer power of a sum that is expanded.
pub const MAX_EXPANDED_POWER: i64 = 8;

/// `(a + b)·(c + d) = a·c + a·d + b·c + b·d` (and integer powers of sums), when the expanded
/// form is less complex (`(u - 1)·(u + 1) = u^2 - 1`, `(t + 1)^2 - t^2 = 2·t + 1`).
fn expand_if_simpler(e: &Expr, _: &Assumptions) -> Option<Expr> {
    if !has_product_of_sum(e) {
        return None;
    }
    let out = expand(e)?;
    (complexity(&out) < complexity(e)).then_some(out)
}

/// Whether `e` is, or is a sum with a term that is, a product with a sum factor or a small
/// integer power of a sum: where [`expand_if_simpler`] multiplies out.
pub(super) fn has_product_of_sum(e: &Expr) -> bool {
    match e {
        Expr::Mul(fs) => fs
            .iter()
            .any(|f| matches!(f, Expr::Add(_)) || is_sum_power(f)),
        Expr::Pow(..) => is_sum_power(e),
        Expr::Add(ts) => ts.iter().any(has_product_of_sum),
        _ => false,
    }
}

fn is_sum_power(e: &Expr) -> bool {
    match e {
        Expr::Pow(b, p) => {
            matches!(**b, Expr::Add(_))
                && matches!(&**p, Expr::Num(n) if n.is_integer() && *n > num_rational::BigRational::from_integer(1.into()) && *n <= num_rational::BigRational::from_integer(MAX_EXPANDED_POWER.into()))
        }
        _ => false,
    }
}

fn terms(e: &Expr) -> Vec<Expr> {
    match e {
        Expr::Add(ts) => ts.clone(),
        other => vec![other.clone()],
    }
}

/// Fully expand products and small integer powers of sums (not inside function arguments).
/// `None` when the expansion would exceed [`MAX_EXPANDED_TERMS`] terms.
pub fn expand(e: &Expr) -> Option<Expr> {
    match e {
        Expr::Add(ts) => {
            let mut out = Vec::new();
            for t in ts {
                out.extend(terms(&expand(t)?));
                if out.len() > MAX_EXPANDED_TERMS {
                    return None;
                }
            }
            Some(Expr::add(out))
        }
        Expr::Mul(fs) => {
            // Expand each factor once; count the terms of the product before building it.
            let mut plain = Vec::new();
            let mut sums: Vec<Vec<Expr>> = Vec::new();
            let mut count = 1usize;
            for f in fs {
                match expand(f)? {
                    Expr::Add(ts) => {
                        count = count.checked_mul(ts.len())?;
                        if count > MAX_EXPANDED_TERMS {
                            return None;
                        }
                        sums.push(ts);
                    }
                    other => plain.push(other),
                }
            }
            if sums.is_empty() {
                return Some(Expr::mul(plain));
            }
            let mut acc = vec![Expr::mul(plain)];
            for ts in sums {
                acc = acc
                    .iter()
                    .flat_map(|a| ts.iter().map(move |b| a.clone() * b.clone()))
                    .collect();
            }
            Some(Expr::add(acc))
        }
        Expr::Pow(b, p) if is_sum_power(e) => {
            // Multiply out one factor at a time, collecting like terms after each step, so
            // `(t + 1)^8` passes through 2, 3, …, 9 terms rather than 256 products.
            let n: i64 = p.as_num().and_then(|n| n.to_integer().try_into().ok())?;
            let base = expand(b)?;
            let mut acc = base.clone();
            for _ in 1..n {
                // `Expr::Mul` built directly on purpose: `expand` multiplies it out.
                acc = expand(&Expr::Mul(vec![acc, base.clone()]))?;
            }
            Some(acc)
        }
        _ => Some(e.clone()),
    }
}
