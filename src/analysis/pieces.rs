//! A kinked closed form also written piece by piece, as a mathematician writes it.
//!
//! The integration table returns one expression in `abs` and `sign` for a kinked side (Huber's
//! generator is `-u*exp(abs(1 - log(u))/2 - abs(log(u) + 1)/2) + u + …`). Between its kinks
//! each `abs` and `sign` has one sign, so each piece is an ordinary closed form
//! (`u - 1 - log(u)` for `exp(-1) < u < e`). A generator is split in `u` where its kinks are
//! rational, otherwise in `t = log(u)` (Huber's at `t = ±1`, so `u = e^{±1}`); a loss in `t`.
//! Each piece is checked against the whole expression at a point inside it, and the pieces are
//! shown only when together they are simpler than the expression.

use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::integrate::kinks::pieces_on;
use crate::simplify::{complexity, present::present, simplify};
use num_rational::BigRational;
use num_traits::Zero;

/// One piece: `expr` for `from < var < to` (`None` for an infinite end; a generator's first
/// piece starts at `u = 0`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shown {
    pub from: Option<Expr>,
    pub to: Option<Expr>,
    pub expr: Expr,
}

/// `e` (in `var`, `u` or `t`) piece by piece, when it has kinks with exact roots and the pieces
/// read more simply than `e`.
pub(crate) fn pieces(e: &Expr, var: &str) -> Option<Vec<Shown>> {
    let shown = split(e, var)?;
    let simpler = shown.iter().map(|p| complexity(&p.expr)).sum::<usize>() < complexity(e);
    simpler.then_some(shown)
}

/// `e` (in `var`, `u` or `t`) piece by piece, each piece checked against `e` inside it, when it
/// has kinks with exact roots (at least two pieces).
pub(crate) fn split(e: &Expr, var: &str) -> Option<Vec<Shown>> {
    if !has_kink(e) {
        return None;
    }
    let shown = if var == DIVERGENCE_VAR {
        in_u(e).or_else(|| through_log(e))?
    } else {
        let parts = pieces_on(e, LOSS_VAR, (None, None))?;
        parts
            .into_iter()
            .map(|((a, b), p)| {
                Some(Shown {
                    from: a.map(Expr::num),
                    to: b.map(Expr::num),
                    expr: present(&simplify(&p).ok()?),
                })
            })
            .collect::<Option<Vec<_>>>()?
    };
    (shown.len() >= 2 && agrees(e, var, &shown)).then_some(shown)
}

/// Whether `e` has an `abs` or a `sign`.
fn has_kink(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(has_kink),
        Expr::Pow(b, x) => has_kink(b) || has_kink(x),
        Expr::Func(Func::Abs | Func::Sign, _) => true,
        Expr::Func(_, a) => has_kink(a),
        Expr::Func2(_, a, b) => has_kink(a) || has_kink(b),
    }
}

/// A generator split in `u`, at rational kinks.
fn in_u(e: &Expr) -> Option<Vec<Shown>> {
    let parts = pieces_on(e, DIVERGENCE_VAR, (Some(BigRational::zero()), None))?;
    parts
        .into_iter()
        .map(|((a, b), p)| {
            Some(Shown {
                from: a.filter(|a| !a.is_zero()).map(Expr::num),
                to: b.map(Expr::num),
                expr: present(&simplify(&p).ok()?),
            })
        })
        .collect()
}

/// A generator split in `t = log(u)` at rational kinks, each piece and end written back in `u`.
fn through_log(e: &Expr) -> Option<Vec<Shown>> {
    let t = Expr::sym(LOSS_VAR);
    let in_t = simplify(&e.substitute(DIVERGENCE_VAR, &Expr::func(Func::Exp, t))).ok()?;
    let parts = pieces_on(&in_t, LOSS_VAR, (None, None))?;
    let log_u = Expr::func(Func::Log, Expr::sym(DIVERGENCE_VAR));
    let end = |r: BigRational| simplify(&Expr::func(Func::Exp, Expr::num(r))).ok();
    parts
        .into_iter()
        .map(|((a, b), p)| {
            Some(Shown {
                from: match a {
                    Some(a) => Some(end(a)?),
                    None => None,
                },
                to: match b {
                    Some(b) => Some(end(b)?),
                    None => None,
                },
                expr: present(&simplify(&p.substitute(LOSS_VAR, &log_u)).ok()?),
            })
        })
        .collect()
}

/// Whether every piece equals `e` (to 1e-9 relative) at a point inside it.
fn agrees(e: &Expr, var: &str, shown: &[Shown]) -> bool {
    let params = crate::eval::Params::new();
    let Ok(whole) = crate::eval::compile(e, var, &params) else {
        return false;
    };
    // An end's value: `Some(None)` for an infinite end, `None` when it cannot be evaluated.
    let value = |x: &Option<Expr>| match x {
        None => Some(None),
        Some(x) => crate::eval::eval_constant(x, &params)
            .ok()
            .filter(|v| v.is_finite())
            .map(Some),
    };
    shown.iter().all(|p| {
        let (Some(a), Some(b)) = (value(&p.from), value(&p.to)) else {
            return false;
        };
        let x = match (a, b) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            (Some(a), None) if var == DIVERGENCE_VAR => 2.0 * a,
            (Some(a), None) => a + 1.0,
            (None, Some(b)) if var == DIVERGENCE_VAR => b / 2.0,
            (None, Some(b)) => b - 1.0,
            (None, None) => 1.0,
        };
        let Ok(piece) = crate::eval::compile(&p.expr, var, &params) else {
            return false;
        };
        let (w, v) = (whole.eval(x), piece.eval(x));
        w.is_finite() && v.is_finite() && (w - v).abs() <= 1e-9 * w.abs().max(v.abs()).max(1.0)
    })
}

/// A piece's range: `exp(-1) < u < e`, `u > 1`, `t < -1`.
pub(crate) fn range(p: &Shown, var: &str, show: impl Fn(&Expr) -> String) -> String {
    match (&p.from, &p.to) {
        (Some(a), Some(b)) => format!("{} < {var} < {}", show(a), show(b)),
        (Some(a), None) => format!("{var} > {}", show(a)),
        (None, Some(b)) => format!("{var} < {}", show(b)),
        (None, None) => format!("every {var}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::plain;

    #[track_caller]
    fn shown(e: &str, var: &str) -> Option<String> {
        let e = crate::parse::parse(e).unwrap();
        pieces(&e, var).map(|ps| {
            ps.iter()
                .map(|p| format!("{} for {}", plain(&p.expr), range(p, var, plain)))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    #[test]
    fn kinked_closed_forms_piece_by_piece() {
        for (e, var, expected) in [
            // Huber's generator: kinks at t = ±1, so u = e^{±1}.
            (
                "-u*exp(abs(1 - log(u))/2 - abs(log(u) + 1)/2) + u + abs(1 - log(u))/2 - abs(log(u) + 1)/2",
                "u",
                Some(
                    "u - e*u + 1 for u < exp(-1); u - 1 - log(u) for exp(-1) < u < e; u - u*exp(-1) - 1 for u > e",
                ),
            ),
            // A rational kink in u.
            (
                "abs(u - 1)^3 + abs(u - 1)*(u - 1)^2",
                "u",
                Some("-2*(u - 1)^3 for u < 1; 2*(u - 1)^3 for u > 1"),
            ),
            // `max(t, 0)^2`'s generator.
            (
                "-2*max(log(u), 0) + 2*sqrt(u)*exp(abs(log(u))/2) - 2",
                "u",
                Some("0 for u < 1; 2*u - 2 - 2*log(u) for u > 1"),
            ),
            ("abs(u - 1)^3", "u", None),
            // As simple as its pieces: one expression.
            ("abs(u - 1)/2", "u", None),
            ("abs(t)/2", "t", None),
            ("t^2", "t", None),
        ] {
            assert_eq!(shown(e, var).as_deref(), expected, "{e}");
        }
    }
}
