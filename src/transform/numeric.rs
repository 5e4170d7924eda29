//! The derived side by quadrature, when it has no closed form; the quadrature cross-check of
//! every closed form; and the gradient check with either kind of side.

use super::{Correspondence, Direction, Value};
use crate::Error;
use crate::eval::{Compiled, Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR, rational_to_f64};
use crate::integrate::numeric::{TransformError, divergence_values, loss_values};
use crate::integrate::quad::Tolerance;

/// The tolerance of the values reported to the user.
pub const REPORT_TOLERANCE: Tolerance = Tolerance {
    rel: 1e-10,
    abs: 1e-14,
};

/// The tighter tolerance used inside the gradient check, whose derivatives of numeric sides
/// are finite differences of quadratures.
const CHECK_TOLERANCE: Tolerance = Tolerance {
    rel: 1e-12,
    abs: 1e-15,
};

/// Where a closed form is compared with quadrature before it is reported.
const PROBES_U: [f64; 5] = [0.05, 0.4, 1.7, 3.0, 20.0];
const PROBES_T: [f64; 5] = [-3.0, -0.6, 0.4, 1.3, 3.0];

fn quad_error(e: TransformError) -> Error {
    Error::Input(format!("the numeric transform failed: {e}"))
}

/// The points where `e` has a kink in `var`: the zeros of the arguments of `abs` and `sign`
/// that are linear in `var` with rational coefficients.
pub(super) fn kinks(e: &Expr, var: &str) -> Vec<f64> {
    fn walk(e: &Expr, var: &str, out: &mut Vec<f64>) {
        match e {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk(x, var, out)),
            Expr::Pow(b, x) => {
                walk(b, var, out);
                walk(x, var, out);
            }
            Expr::Func(f, a) => {
                if matches!(f, Func::Abs | Func::Sign) {
                    if let Some(z) = linear_zero(a, var) {
                        out.push(z);
                    }
                }
                walk(a, var, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(e, var, &mut out);
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The zero of `k·var + d` for exact rational `k ≠ 0` and `d`.
fn linear_zero(a: &Expr, var: &str) -> Option<f64> {
    let terms: &[Expr] = match a {
        Expr::Add(ts) => ts,
        other => std::slice::from_ref(other),
    };
    let mut k = None;
    let mut d = 0.0;
    for t in terms {
        let (c, rest) = t.split_coeff();
        match rest {
            Expr::Sym(s) if &*s == var => k = Some(rational_to_f64(&c)),
            r if r.is_one() => d += rational_to_f64(&c),
            _ => return None,
        }
    }
    k.filter(|k| *k != 0.0).map(|k| -d / k)
}

/// The given side compiled: `g'` for a loss, `f` for a divergence generator.
fn given_program(pair: &Correspondence) -> Result<(Compiled, Vec<f64>), Error> {
    let none = Params::new();
    match pair.direction {
        Direction::FromLoss => {
            let gp = pair
                .loss_derivative
                .as_ref()
                .ok_or_else(|| Error::Input("the loss has no derivative".into()))?;
            Ok((compile(gp, LOSS_VAR, &none)?, kinks(gp, LOSS_VAR)))
        }
        Direction::FromDivergence => {
            let f = pair
                .divergence
                .as_ref()
                .ok_or_else(|| Error::Input("the generator is missing".into()))?;
            Ok((compile(f, DIVERGENCE_VAR, &none)?, kinks(f, DIVERGENCE_VAR)))
        }
    }
}

/// The derived side at `xs` by quadrature of the given side.
fn numeric_values(
    pair: &Correspondence,
    xs: &[f64],
    tol: Tolerance,
) -> Result<Vec<crate::integrate::numeric::Value>, Error> {
    let (program, cuts) = given_program(pair)?;
    let values = match pair.direction {
        Direction::FromLoss => divergence_values(|t| program.eval(t), xs, tol, &cuts),
        Direction::FromDivergence => loss_values(|u| program.eval(u), xs, tol, &cuts),
    };
    values.map_err(quad_error)
}

/// The derived side of `pair` at `xs`, numerically.
pub(super) fn values(pair: &Correspondence, xs: &[f64]) -> Result<Vec<Value>, Error> {
    Ok(numeric_values(pair, xs, REPORT_TOLERANCE)?
        .into_iter()
        .map(|v| Value {
            x: v.x,
            value: v.value,
            error: Some(v.error),
        })
        .collect())
}

/// A closed form compiled with a rounding estimate: its top-level terms are evaluated
/// separately, and a value whose terms cancel by more than [`Conditioned::MAX_LOSS`] is
/// refused (`None`), so that the caller computes it another way.
pub(crate) struct Conditioned {
    whole: Compiled,
    terms: Vec<Compiled>,
}

impl Conditioned {
    /// The largest ratio `Σ|terms| / |value|` accepted: at most about 7 of 16 digits lost.
    pub(crate) const MAX_LOSS: f64 = 1e7;

    pub(crate) fn new(e: &Expr, var: &str) -> Result<Conditioned, Error> {
        let none = Params::new();
        let terms = match e {
            Expr::Add(ts) => ts
                .iter()
                .map(|t| compile(t, var, &none))
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        Ok(Conditioned {
            whole: compile(e, var, &none)?,
            terms,
        })
    }

    /// The value at `x`, or `None` when cancellation would cost more than `MAX_LOSS`.
    pub(crate) fn eval(&self, x: f64) -> Option<f64> {
        let v = self.whole.eval(x);
        if self.terms.is_empty() || !v.is_finite() {
            return Some(v);
        }
        let size: f64 = self.terms.iter().map(|t| t.eval(x).abs()).sum();
        if size == 0.0 || size <= Self::MAX_LOSS * v.abs() {
            Some(v)
        } else {
            None
        }
    }
}

/// Prove a derived closed form by the identity that defines it: `u·f'(u) − f(u) = g'(ln u)`
/// with `f(1) = 0` for a derived `f`; `g'(t) = e^t·f'(e^t) − f(e^t)` with `g(0) = f(1)` for a
/// derived `g`. `true` when the simplifier shows both; `false` is "not shown", not "false".
fn proved_by_identity(pair: &Correspondence) -> Result<bool, Error> {
    use crate::simplify::{expand, simplify};
    let vanishes = |e: Expr| -> Result<bool, Error> {
        let s = simplify(&e)?;
        Ok(s.is_zero()
            || expand(&s)
                .map(|x| simplify(&x))
                .transpose()?
                .is_some_and(|x| x.is_zero()))
    };
    let (Some(g), Some(gp), Some(f), Some(fp)) = (
        &pair.loss,
        &pair.loss_derivative,
        &pair.divergence,
        &pair.divergence_derivative,
    ) else {
        return Ok(false);
    };
    let u = Expr::sym(DIVERGENCE_VAR);
    let t = Expr::sym(LOSS_VAR);
    Ok(match pair.direction {
        Direction::FromLoss => {
            let log_u = Expr::func(Func::Log, u.clone());
            vanishes(u * fp.clone() - f.clone() - gp.substitute(LOSS_VAR, &log_u))?
                && vanishes(f.substitute(DIVERGENCE_VAR, &Expr::one()))?
        }
        Direction::FromDivergence => {
            let e_t = Expr::func(Func::Exp, t);
            vanishes(
                gp.clone() - e_t.clone() * fp.substitute(DIVERGENCE_VAR, &e_t)
                    + f.substitute(DIVERGENCE_VAR, &e_t),
            )? && vanishes(
                g.substitute(LOSS_VAR, &Expr::zero()) - f.substitute(DIVERGENCE_VAR, &Expr::one()),
            )?
        }
    })
}

/// Compare the derived closed form with quadrature of the given side at probe points; a
/// disagreement is a bug in fcorr, surfaced rather than printed as an answer.
pub(super) fn cross_check(pair: &Correspondence) -> Result<(), Error> {
    let (derived, var, probes) = match pair.direction {
        Direction::FromLoss => (&pair.divergence, DIVERGENCE_VAR, &PROBES_U[..]),
        Direction::FromDivergence => (&pair.loss, LOSS_VAR, &PROBES_T[..]),
    };
    let Some(derived) = derived else {
        return Ok(());
    };
    let program = Conditioned::new(derived, var)?;
    let numeric = numeric_values(pair, probes, REPORT_TOLERANCE)?;
    let mut compared = 0;
    for v in numeric {
        // Where the closed form cancels too much to be evaluated, it is not compared there.
        let Some(exact) = program.eval(v.x) else {
            continue;
        };
        compared += 1;
        let allowed = 10.0 * v.error + 1e-9 * exact.abs().max(1.0);
        if !exact.is_finite() || (exact - v.value).abs() > allowed {
            return Err(Error::Input(format!(
                "internal error: the closed form {} = {} gives {exact} at {var} = {}, but quadrature gives {} ± {:.1e}; please report this",
                if var == DIVERGENCE_VAR {
                    "f(u)"
                } else {
                    "g(t)"
                },
                crate::print::plain(derived),
                v.x,
                v.value,
                v.error
            )));
        }
    }
    if compared == 0 && !proved_by_identity(pair)? {
        return Err(Error::Input(format!(
            "internal error: the closed form {} could be neither evaluated stably at the probe points nor proved by its defining identity; please report this",
            crate::print::plain(derived)
        )));
    }
    Ok(())
}

/// A function of one variable: compiled, or the derived side by quadrature (NaN on failure,
/// which the gradient check reports as a non-finite value).
enum Side {
    Compiled(Conditioned),
    Numeric,
}

/// `d/dx h(x)` by a fourth-order central difference with a relative step.
fn derivative(h: &dyn Fn(f64) -> f64, x: f64, relative: bool) -> f64 {
    let step = 1e-3 * if relative { x.abs() } else { 1.0 };
    let at = |k: f64| h(x + k * step);
    (at(-2.0) - 8.0 * at(-1.0) + 8.0 * at(1.0) - at(2.0)) / (12.0 * step)
}

/// An estimate of the error of [`derivative`]: its truncation, by Richardson's comparison with
/// the same five-point difference at twice the step (`|D(h) − D(2h)| ≈ 15·error`, taken as 8
/// to stay on the safe side), and its round-off (the stencil's weights over the step times
/// the largest error `h_error` of the values it uses).
fn derivative_error(
    h: &dyn Fn(f64) -> f64,
    h_error: &dyn Fn(f64) -> f64,
    x: f64,
    relative: bool,
) -> f64 {
    let step = 1e-3 * if relative { x.abs() } else { 1.0 };
    let five = |step: f64| {
        let at = |k: f64| h(x + k * step);
        (at(-2.0) - 8.0 * at(-1.0) + 8.0 * at(1.0) - at(2.0)) / (12.0 * step)
    };
    // At twice the step the stencil still stays inside (0, ∞) for a relative step.
    let truncation = (five(step) - five(2.0 * step)).abs() / 8.0;
    let worst = [-2.0, -1.0, 1.0, 2.0]
        .iter()
        .fold(0.0f64, |m, k| m.max(h_error(x + k * step)));
    truncation + 18.0 / (12.0 * step) * worst
}

/// Run `body` with the pair's `g'`, `f` and `f'` as plain functions: closed forms compiled,
/// numeric sides by quadrature (with finite differences of quadratures for their derivatives).
/// A failed quadrature is NaN inside `body`, and its error is returned afterwards (as the
/// second value) so a caller can report it instead of a bare non-finite value.
pub(crate) fn with_functions<R>(
    pair: &Correspondence,
    body: impl FnOnce(&crate::check::Pair<'_>) -> R,
) -> Result<(R, Option<Error>), Error> {
    let side = |e: &Option<Expr>, var: &str| -> Result<Side, Error> {
        Ok(match e {
            Some(e) => Side::Compiled(Conditioned::new(e, var)?),
            None => Side::Numeric,
        })
    };
    let f_side = side(&pair.divergence, DIVERGENCE_VAR)?;
    let fp_side = side(&pair.divergence_derivative, DIVERGENCE_VAR)?;
    let gp_side = side(&pair.loss_derivative, LOSS_VAR)?;
    let failure: std::cell::RefCell<Option<Error>> = std::cell::RefCell::new(None);
    // The given side is compiled once; each numeric value is one quadrature from the origin
    // (also where a closed form cancels too much to be evaluated as written).
    let given = Some(given_program(pair)?);
    // The checks evaluate the same points many times (the models' ratios): remember them.
    let memo: std::cell::RefCell<std::collections::HashMap<u64, f64>> = Default::default();
    let errors: std::cell::RefCell<std::collections::HashMap<u64, f64>> = Default::default();
    let numeric_at = |x: f64| -> f64 {
        let Some((program, cuts)) = &given else {
            return f64::NAN;
        };
        if let Some(v) = memo.borrow().get(&x.to_bits()) {
            return *v;
        }
        let values = match pair.direction {
            Direction::FromLoss => {
                divergence_values(|t| program.eval(t), &[x], CHECK_TOLERANCE, cuts)
            }
            Direction::FromDivergence => {
                loss_values(|u| program.eval(u), &[x], CHECK_TOLERANCE, cuts)
            }
        };
        match values {
            Ok(v) => {
                let y = v.first().map_or(f64::NAN, |v| v.value);
                let e = v.first().map_or(f64::INFINITY, |v| v.error);
                memo.borrow_mut().insert(x.to_bits(), y);
                errors.borrow_mut().insert(x.to_bits(), e);
                y
            }
            Err(e) => {
                failure.borrow_mut().get_or_insert(quad_error(e));
                f64::NAN
            }
        }
    };
    let f = |u: f64| match &f_side {
        Side::Compiled(p) => p.eval(u).unwrap_or_else(|| numeric_at(u)),
        Side::Numeric => numeric_at(u),
    };
    let f_prime = |u: f64| match &fp_side {
        Side::Compiled(p) => p.eval(u).unwrap_or_else(|| derivative(&f, u, true)),
        Side::Numeric => derivative(&f, u, true),
    };
    let g_numeric = |t: f64| numeric_at(t);
    let g_prime = |t: f64| match &gp_side {
        Side::Compiled(p) => p
            .eval(t)
            .unwrap_or_else(|| derivative(&g_numeric, t, false)),
        Side::Numeric => derivative(&g_numeric, t, false),
    };
    let numeric_error = |x: f64| -> f64 {
        numeric_at(x);
        errors.borrow().get(&x.to_bits()).copied().unwrap_or(0.0)
    };
    let exact_at = |side: &Side, x: f64| matches!(side, Side::Compiled(p) if p.eval(x).is_some());
    let f_error = |u: f64| {
        if exact_at(&f_side, u) {
            0.0
        } else {
            numeric_error(u)
        }
    };
    let error = |which: crate::check::Function, x: f64| -> f64 {
        use crate::check::Function;
        match which {
            Function::F => f_error(x),
            Function::FPrime if exact_at(&fp_side, x) => 0.0,
            Function::FPrime => derivative_error(&f, &f_error, x, true),
            Function::GPrime if exact_at(&gp_side, x) => 0.0,
            Function::GPrime => derivative_error(&g_numeric, &numeric_error, x, false),
        }
    };
    let p = crate::check::Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: Some(&error),
    };
    let out = body(&p);
    Ok((out, failure.into_inner()))
}

/// The gradient check of `pair`; a quadrature failure is reported as itself.
pub(super) fn gradient_check(
    pair: &Correspondence,
    opts: &crate::check::CheckOptions,
) -> Result<crate::check::GradientCheck, Error> {
    match with_functions(pair, |p| crate::check::check(p, opts))? {
        (Ok(c), _) => Ok(c),
        (Err(_), Some(quad)) => Err(quad),
        (Err(e), None) => Err(e.into()),
    }
}
