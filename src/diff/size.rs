//! The size of a derivative, known before it is built.
//!
//! The product rule copies every other factor once per factor, so the derivative of a product
//! of `n` factors has about `n²` nodes: a 35 KB product of 3,000 logarithms would need gigabytes.
//! [`derivative_size`] follows the rules of [`super::derivative`] with counts instead of trees,
//! in time proportional to the input, so that [`super::diff_with`] can refuse such an input
//! with a clear error instead of exhausting memory.

use crate::expr::Expr;

/// The largest derivative (in nodes, before simplification) that is built: 250,000, about
/// 100 times the derivative of the deepest nesting the parser accepts (`log1p` 127 deep).
pub const MAX_DERIVATIVE_NODES: usize = 250_000;

/// An upper estimate of the number of nodes of `derivative(e, var)` (saturating).
pub fn derivative_size(e: &Expr, var: &str) -> usize {
    sizes(e, var).1
}

/// `(size of e, estimated size of d e/d var)`.
fn sizes(e: &Expr, var: &str) -> (usize, usize) {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => (1, 1),
        Expr::Add(ts) => {
            let mut size = 1usize;
            let mut d = 1usize;
            for t in ts {
                let (s, dt) = sizes(t, var);
                size = size.saturating_add(s);
                d = d.saturating_add(dt);
            }
            (size, d)
        }
        Expr::Mul(fs) => {
            let parts: Vec<(usize, usize, bool)> = fs
                .iter()
                .map(|f| {
                    let (s, d) = sizes(f, var);
                    (s, d, f.contains_sym(var))
                })
                .collect();
            let size = parts
                .iter()
                .fold(1usize, |acc, (s, _, _)| acc.saturating_add(*s));
            let d = parts
                .iter()
                .filter(|(_, _, has)| *has)
                .fold(1usize, |acc, (s, d, _)| {
                    acc.saturating_add(size.saturating_sub(*s).saturating_add(*d))
                });
            (size, d)
        }
        Expr::Pow(b, x) => {
            let (sb, db) = sizes(b, var);
            let (sx, dx) = sizes(x, var);
            let size = 1usize.saturating_add(sb).saturating_add(sx);
            let d = size
                .saturating_mul(2)
                .saturating_add(sb.saturating_mul(2))
                .saturating_add(sx)
                .saturating_add(db)
                .saturating_add(dx)
                .saturating_add(8);
            (size, d)
        }
        Expr::Func(_, a) => {
            let (sa, da) = sizes(a, var);
            let d = sa.saturating_mul(2).saturating_add(da).saturating_add(10);
            (sa.saturating_add(1), d)
        }
        // `γ(p, x)' = |x|^(p−1)·e^(−x)·x'`
        Expr::Func2(_, p, x) => {
            let (sp, _) = sizes(p, var);
            let (sx, dx) = sizes(x, var);
            let d = sx
                .saturating_mul(2)
                .saturating_add(sp)
                .saturating_add(dx)
                .saturating_add(12);
            (sp.saturating_add(sx).saturating_add(1), d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::derivative;
    use crate::parse::parse;

    #[track_caller]
    fn estimate_bounds(input: &str) {
        let e = parse(input).unwrap();
        let actual = derivative(&e, "t").size();
        let estimate = derivative_size(&e, "t");
        assert!(actual <= estimate, "{input}: {actual} > {estimate}");
    }

    #[test]
    #[rustfmt::skip]
    fn the_estimate_is_an_upper_bound() {
        estimate_bounds("t^2");
        estimate_bounds("t*sin(t)*exp(t)*log(2 + t)");
        estimate_bounds("t^t");
        estimate_bounds("sigmoid(t^3 + t)*softplus(t)");
        estimate_bounds("log1p(log1p(log1p(log1p(t))))");
        estimate_bounds("(1 + t)^(1/2)*(2 + t)^(-3)*atan(t)/t");
        estimate_bounds("asinh(tanh(t)) + a*t");
        estimate_bounds("sigmoid(sigmoid(sigmoid(t)))");
        estimate_bounds("tan(tan(t))*t^t^t");
    }
}
