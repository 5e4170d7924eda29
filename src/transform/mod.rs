//! The loss ↔ divergence transform (Hu et al. 2025, Thm 4.1 and Remark 4.3).
//!
//! With the residual `t = log q − log pθ` and the ratio `u = e^t = q/pθ`:
//!
//! - loss → divergence: `f(u) = u ∫_0^{ln u} g'(τ) e^{−τ} dτ`;
//! - divergence → loss: `g(t) = f(e^t) − ∫_0^t f(e^τ) dτ`, computed numerically as
//!   `f(1) + ∫_0^t g'(τ) dτ` with `g'(ln u) = u f'(u) − f(u)` simplified first (see [`crate::integrate::numeric`]).
//!
//! Then `∇θ E_{x∼pθ}[g(t(x))] = ∇θ D_f(q‖pθ)` with the sampling held fixed. The derived side is
//! a closed form when a method of the integration table integrates it
//! ([`crate::integrate::table`]), and numeric otherwise. A loss written on the model-minus-target
//! residual `r = log pθ − log q` is reflected first, `g(t) := G(−t)`
//! ([`Residual::ModelMinusTarget`]): that is the sign trap the README explains.

mod anchor;
mod bindings;
pub(crate) mod defect;
pub(crate) mod defined;
mod model_residual;
pub(crate) mod numeric;
pub(crate) mod rational;
mod remembered;

pub use bindings::Bindings;

use crate::Error;
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::integrate::table::integrate_from_zero;
use crate::simplify::{Assumptions, simplify, simplify_with};
pub use model_residual::{
    MODEL_RESIDUAL_FORMULA, MODEL_RESIDUAL_VAR, model_minus_target_loss, written_in_r,
};

/// Which residual a loss is written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Residual {
    /// `t = log q − log pθ`, target minus model (Hu et al.); the default.
    #[default]
    TargetMinusModel,
    /// `r = log pθ − log q`, model minus target (the trajectory-balance form); the loss `G(r)` is
    /// reflected to `g(t) = G(−t)` before the transform.
    ModelMinusTarget,
}

impl Residual {
    /// The residual as a formula, e.g. `t = log q − log pθ`.
    pub fn formula(self) -> &'static str {
        match self {
            Residual::TargetMinusModel => "t = log q − log pθ",
            Residual::ModelMinusTarget => "t = log pθ − log q",
        }
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Residual::TargetMinusModel => "target-minus-model",
            Residual::ModelMinusTarget => "model-minus-target",
        }
    }
}

/// Which side the user gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A loss `g(t)` was given; the divergence generator `f(u)` is derived.
    FromLoss,
    /// A divergence generator `f(u)` was given; the loss `g(t)` is derived.
    FromDivergence,
}

/// The divergence a pair trains, with its arguments.
pub const DIVERGENCE: &str = "D_f(q‖pθ) = E_pθ[f(q/pθ)]";

/// A loss and a divergence generator that have the same expected gradient.
///
/// Both sides are in the convention of Hu et al. 2025 (`t = log q − log pθ`, `u = q/pθ`); when the
/// input was written on the model-minus-target residual, [`Correspondence::written`] keeps it as
/// written and [`Correspondence::loss`] is its reflection.
#[derive(Clone, Debug, PartialEq)]
pub struct Correspondence {
    /// Which side was given.
    pub direction: Direction,
    /// The residual the user's loss is written on.
    pub residual: Residual,
    /// The input as written (after parameter values were substituted).
    pub written: Expr,
    /// `g(t)` on `t = log q − log pθ`: the given loss reflected if needed, or the derived loss
    /// (`None` when it has no closed form).
    pub loss: Option<Expr>,
    /// `f(u)`: the given generator, or the derived one (`None` when it has no closed form).
    pub divergence: Option<Expr>,
    /// `g'(t)`, when `g` is known in closed form.
    pub loss_derivative: Option<Expr>,
    /// `f'(u)`, when `f` is known in closed form.
    pub divergence_derivative: Option<Expr>,
    /// Facts the user must see (`g(0) ≠ 0`, …), each a sentence without a final period.
    pub notes: Vec<String>,
}

/// A value of a derived function at a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Value {
    /// The point (`u` for a divergence generator, `t` for a loss).
    pub x: f64,
    /// The value there.
    pub value: f64,
    /// The estimated absolute error of a numeric value, or the rounding bound of a closed form
    /// evaluated in double precision where it exceeds `1e-12` of the value; `None` for a closed
    /// form good to a few units in its last place.
    pub error: Option<f64>,
}

/// A derived value that is not given, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// The point (`u` for a divergence generator, `t` for a loss).
    pub x: f64,
    /// Why there is no value, a phrase without a final period (the range of numeric values, a
    /// failed quadrature, an error estimate above the tolerance).
    pub reason: String,
}

/// The derived side at one point: a value, or why it is refused.
pub type Point = Result<Value, Refused>;

impl Correspondence {
    /// The pair with every merged logarithm of its sides split again
    /// ([`crate::simplify::present::expand_logs`]): the form the symbolic analyses (reward,
    /// class, tails, conjugate) work on, while the pair itself keeps the presented form.
    pub fn with_expanded_logs(&self) -> Correspondence {
        use crate::simplify::present::expand_logs;
        let each = |e: &Option<Expr>| e.as_ref().map(expand_logs);
        Correspondence {
            loss: each(&self.loss),
            divergence: each(&self.divergence),
            loss_derivative: each(&self.loss_derivative),
            divergence_derivative: each(&self.divergence_derivative),
            ..self.clone()
        }
    }

    /// Whether the derived side is a closed form.
    pub fn closed_form(&self) -> bool {
        self.loss.is_some() && self.divergence.is_some()
    }

    /// Whether both gradients are zero by the closed forms themselves: `g' = 0`, and `f'` a
    /// constant (a constant loss and `f = 0`, or the generator `2*u`, whose `D_f = 2` is the
    /// same for every model). A check of the pair then holds exactly on every model, though its
    /// numbers compare `0` with `0`.
    pub fn zero_by_closed_forms(&self) -> bool {
        let zero = self.loss_derivative.as_ref().is_some_and(Expr::is_zero);
        let constant = self
            .divergence_derivative
            .as_ref()
            .is_some_and(|d| !d.contains_sym(DIVERGENCE_VAR));
        zero && constant
    }

    /// The gradient theorem checked exactly on random softmax models: the loss side
    /// `∇θ E_pθ[g(t)]` (sampling held fixed) against `∇θ D_f(q‖pθ)`.
    pub fn gradient_check(
        &self,
        opts: &crate::check::CheckOptions,
    ) -> Result<crate::check::GradientCheck, Error> {
        numeric::gradient_check(self, opts)
    }

    /// The derived side at the points `xs` (`u > 0` for a derived `f`, any real `t` for a
    /// derived `g`), in closed form or by quadrature; the first refused point is an error (see
    /// [`Correspondence::derived_points`] for each point on its own).
    pub fn derived_values(&self, xs: &[f64]) -> Result<Vec<Value>, Error> {
        self.derived_points(xs)?
            .into_iter()
            .map(|p| {
                p.map_err(|r| {
                    let var = match self.direction {
                        Direction::FromLoss => DIVERGENCE_VAR,
                        Direction::FromDivergence => LOSS_VAR,
                    };
                    Error::Quadrature(format!("no value at {var} = {}: {}", r.x, r.reason))
                })
            })
            .collect()
    }

    /// The derived side at `xs` by quadrature alone, even where it has a closed form (a
    /// cross-check): each point a value within the tolerance of
    /// [`Correspondence::derived_points`], or the reason it is refused (a point outside the
    /// range of numeric values among them).
    pub fn numeric_points(&self, xs: &[f64]) -> Result<Vec<Point>, Error> {
        numeric::values(self, xs)
    }

    /// The derived side at each of the points `xs`, each on its own: a value (in closed form, or
    /// by quadrature with an error estimate within `1e-10` relative, or `1e-12` absolute near
    /// zero), or the reason it is refused. A value never depends on the other
    /// points. A point outside the domain (`u ≤ 0`, or not finite) is an error of the input.
    pub fn derived_points(&self, xs: &[f64]) -> Result<Vec<Point>, Error> {
        let (expr, var) = match self.direction {
            Direction::FromLoss => (self.divergence.as_ref(), DIVERGENCE_VAR),
            Direction::FromDivergence => (self.loss.as_ref(), LOSS_VAR),
        };
        points_in_domain(var, xs)?;
        match expr {
            Some(e) => {
                // A closed form is evaluated as written where that is well conditioned; where
                // its terms cancel (high powers of log(u), or near u = 1, or Jensen–Shannon's
                // `−t·log(2) − π²/12 − Li2(−e^t)` near t = 0) so that its propagated rounding
                // bound exceeds the tolerance, the value comes from quadrature instead, with its
                // error estimate; at the anchor (`t = 0`, `u = 1`) it is the closed form's exact
                // value when that is a rational number.
                let conditioned = remembered::conditioned(e, var)?;
                let mut out = Vec::with_capacity(xs.len());
                // The points left to quadrature, integrated along one curve (each value as if
                // alone), then put in their places.
                let mut numeric_at = Vec::new();
                for (i, &x) in xs.iter().enumerate() {
                    match conditioned.eval_within(x, closed_form_tolerance) {
                        Some((value, ..)) if !value.is_finite() => out.push(Err(Refused {
                            x,
                            reason: format!(
                                "the closed form is not finite here in double precision (it gives {value})"
                            ),
                        })),
                        Some((value, true, bound)) => out.push(Ok(Value {
                            x,
                            value,
                            error: rounding_shown(bound, || conditioned.error(x), value),
                        })),
                        _ => match anchor::exact_at_anchor(e, var, x) {
                            Some(value) => out.push(Ok(Value {
                                x,
                                value,
                                error: None,
                            })),
                            None => {
                                numeric_at.push(i);
                                // A placeholder, replaced below.
                                out.push(Err(Refused {
                                    x,
                                    reason: String::new(),
                                }));
                            }
                        },
                    }
                }
                if !numeric_at.is_empty() {
                    let at: Vec<f64> = numeric_at.iter().map(|&i| xs[i]).collect();
                    for (i, v) in numeric_at.into_iter().zip(numeric::values(self, &at)?) {
                        out[i] = v;
                    }
                }
                Ok(out)
            }
            None => numeric::values(self, xs),
        }
    }
}

/// Whether every point of `xs` is a value of `var`: finite, and positive for `u` (the ratio
/// `q/pθ`); the first that is not is an [`Error::OutOfDomain`] naming it. Every command that
/// reads points (`--at`) asks this.
pub fn points_in_domain(var: &str, xs: &[f64]) -> Result<(), Error> {
    if var == DIVERGENCE_VAR {
        if let Some(bad) = xs.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
            let why = if bad.is_finite() {
                "is outside the domain u > 0"
            } else {
                "is not a finite number"
            };
            return Err(Error::OutOfDomain(format!(
                "u = {} {why} (u is the ratio q/pθ)",
                crate::report::short(*bad)
            )));
        }
    } else if let Some(bad) = xs.iter().find(|x| !x.is_finite()) {
        return Err(Error::OutOfDomain(format!(
            "{var} = {bad} is not a finite number"
        )));
    }
    Ok(())
}

/// The largest propagated rounding bound ([`crate::eval::Compiled::eval_with_error`]) with
/// which a closed form's value is printed: [`numeric::REPORT_TOLERANCE`] relative, with no
/// absolute floor (Jensen–Shannon's `g(10⁻³) ≈ 2.5·10⁻⁷` is a difference of terms near
/// `π²/12`, and as written is right to 1e-9 only); a value beyond it comes from quadrature.
/// The relative rounding bound past which a closed form's value is given with that bound as its
/// error: about four of its sixteen digits lost.
const ROUNDING_SHOWN_BEYOND: f64 = 1e-12;

/// The error shown for a closed form's value `value`: none (the value is good to a few units in
/// its last place) unless its precise rounding bound exceeds [`ROUNDING_SHOWN_BEYOND`] of it
/// (linex at `α = 0.999999` is `26630666014209` at `u = 1e12` for `26630666013447.51`, within its
/// bound `2.4e3`, and printed it as exact). `bound` decided the value: the precise bound is
/// computed only where it was the cheap one and that is too loose to decide.
fn rounding_shown(bound: numeric::Bound, precise: impl FnOnce() -> f64, value: f64) -> Option<f64> {
    let beyond = ROUNDING_SHOWN_BEYOND * value.abs();
    let precise = match bound {
        numeric::Bound::Cheap(b) if b <= beyond => return None,
        numeric::Bound::Cheap(_) => precise(),
        numeric::Bound::Precise(b) => b,
    };
    (precise > beyond).then_some(precise)
}

fn closed_form_tolerance(value: f64) -> f64 {
    numeric::REPORT_TOLERANCE.rel * value.abs()
}

/// Check that `e` uses only `allowed` of the two variables and has no unset parameter.
fn check_variables(e: &Expr, allowed: &str, what: &str) -> Result<(), Error> {
    for s in e.symbols() {
        if &*s == allowed {
            continue;
        }
        if &*s == LOSS_VAR || &*s == DIVERGENCE_VAR {
            return Err(Error::Input(format!(
                "{what} is written in `{allowed}`, but this one uses `{s}`"
            )));
        }
        return Err(Error::UnknownParameter(format!(
            "parameter `{s}` has no value"
        )));
    }
    Ok(())
}

/// `f(u) = u ∫_0^{ln u} g'(τ) e^{−τ} dτ` in closed form, when a method of the integration
/// table ([`crate::integrate::table`]) integrates it.
pub fn divergence_of(g: &Expr) -> Result<Option<Expr>, Error> {
    let gp = diff(g, LOSS_VAR)?;
    let t = Expr::sym(LOSS_VAR);
    let integrand = simplify(&(gp * Expr::func(Func::Exp, -t)))?;
    let u = Expr::sym(DIVERGENCE_VAR);
    let upper = Expr::func(Func::Log, u.clone());
    let Some(integral) = integrate_from_zero(&integrand, LOSS_VAR, &upper)? else {
        return Ok(None);
    };
    Ok(Some(tidy(&(u * integral))?))
}

/// `g(t) = f(1) + ∫_0^t g'(τ) dτ` with `g'(ln u) = u·f'(u) − f(u)` in closed form, when a method
/// of the integration table integrates `g'`. Integrating `g'` rather than `f(e^τ)` leaves no
/// difference of two terms that both grow like `e^t`.
pub fn loss_of(f: &Expr) -> Result<Option<Expr>, Error> {
    let t = Expr::sym(LOSS_VAR);
    let u = Expr::sym(DIVERGENCE_VAR);
    let fp = diff(f, DIVERGENCE_VAR)?;
    let gp_of_u = simplify(&(u.clone() * fp - f.clone()))?;
    let gp = simplify(&gp_of_u.substitute(DIVERGENCE_VAR, &Expr::func(Func::Exp, t.clone())))?;
    let Some(integral) = integrate_from_zero(&gp, LOSS_VAR, &t)? else {
        return Ok(None);
    };
    let f1 = simplify(&f.substitute(DIVERGENCE_VAR, &Expr::one()))?;
    Ok(Some(tidy(&(f1 + integral))?))
}

/// A result as it is shown: a piecewise expression written as one piece at a clamped argument
/// when that is shorter ([`crate::integrate::kinks::clamp_form`], in `t = log u` for a
/// function of `u`), then logarithms merged ([`crate::simplify::present::present`]). The
/// rewrite is kept only when it is shorter and equal at probe points.
pub(crate) fn shown(e: &Expr) -> Expr {
    use crate::simplify::present::{present, same_values};
    fn has_kink(e: &Expr) -> bool {
        match e {
            Expr::Func(Func::Abs | Func::Sign, _) => true,
            Expr::Func(_, x) => has_kink(x),
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(has_kink),
            Expr::Pow(b, x) => has_kink(b) || has_kink(x),
            Expr::Func2(_, a, b) => has_kink(a) || has_kink(b),
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
        }
    }
    let clamped = if !has_kink(e) {
        None
    } else if e.contains_sym(DIVERGENCE_VAR) {
        let t = Expr::sym(LOSS_VAR);
        simplify(&e.substitute(DIVERGENCE_VAR, &Expr::func(Func::Exp, t)))
            .ok()
            .and_then(|in_t| crate::integrate::kinks::clamp_form(&in_t, LOSS_VAR))
            .and_then(|c| {
                let log_u = Expr::func(Func::Log, Expr::sym(DIVERGENCE_VAR));
                simplify(&c.substitute(LOSS_VAR, &log_u)).ok()
            })
    } else {
        crate::integrate::kinks::clamp_form(e, LOSS_VAR)
    };
    let e = match clamped {
        Some(c)
            if crate::simplify::complexity(&c) < crate::simplify::complexity(e)
                && same_values(e, &c) =>
        {
            c
        }
        _ => e.clone(),
    };
    present(&e)
}

/// Simplify, and multiply products of sums out when that is what a person writes: the
/// transform's raw results are `u·(…)` products whose factors cancel.
fn tidy(e: &Expr) -> Result<Expr, Error> {
    let s = simplify(e)?;
    // an expansion that changes nothing would simplify to `s` again (simplification is
    // idempotent)
    if let Some(expanded) = crate::simplify::expand(&s).filter(|x| *x != s) {
        let x = simplify(&expanded)?;
        if crate::simplify::complexity(&x) <= crate::simplify::complexity(&s) {
            return Ok(x);
        }
    }
    Ok(s)
}

/// `name − c` as a person writes it: `g(t) + 1/2` for `c = −1/2` (not `g(t) − -1/2`), and
/// `g(t) + log(2) - 1` for `c = 1 − log(2)` (not `g(t) − 1 - log(2)`, which is another number).
fn minus_constant(name: &str, c: &Expr) -> Result<String, Error> {
    let text = crate::print::plain(c);
    let sum = matches!(c, Expr::Add(_));
    if !sum && !text.starts_with('-') {
        return Ok(format!("{name} − {text}"));
    }
    let negated = crate::print::plain(&simplify(&-c.clone())?);
    Ok(if negated.starts_with('-') {
        format!("{name} − ({text})")
    } else {
        format!("{name} + {negated}")
    })
}

/// Derive the divergence generator of a loss.
///
/// `loss` is `g` written on `residual`; parameters are substituted from `bindings` exactly.
pub fn from_loss(
    loss: &Expr,
    residual: Residual,
    bindings: &Bindings,
) -> Result<Correspondence, Error> {
    let written = simplify(&bindings.apply(loss))?;
    check_variables(&written, LOSS_VAR, "a loss")?;
    let g = match residual {
        Residual::TargetMinusModel => written.clone(),
        Residual::ModelMinusTarget => {
            simplify(&written.substitute(LOSS_VAR, &-Expr::sym(LOSS_VAR)))?
        }
    };
    let mut notes = Vec::new();
    let g0 = simplify(&g.substitute(LOSS_VAR, &Expr::zero())).map_err(|e| {
        Error::Undefined(format!(
            "the loss is undefined at t = 0, where the model matches the target: {e}"
        ))
    })?;
    defined::defined_everywhere(&written, LOSS_VAR, "the loss")?;
    defect::refuse_apart_at_matching_point(&g, LOSS_VAR)?;
    if !g0.is_zero() {
        notes.push(format!(
            "g(0) = {} ≠ 0: a constant does not change the gradient, so f pairs with {}",
            crate::print::plain(&g0),
            minus_constant("g(t)", &g0)?
        ));
    }
    let gp = shown(&diff(&g, LOSS_VAR)?);
    if gp.is_zero() {
        notes.push(if g.contains_sym(LOSS_VAR) {
            // `sign(t)`: it depends on `t`, but only by jumps, which no gradient sees.
            "g' = 0 wherever g is differentiable (g is piecewise constant): the loss has zero gradient and trains nothing (f = 0)"
                .to_string()
        } else {
            "g does not depend on t: a constant loss has zero gradient and trains nothing (f = 0)"
                .to_string()
        });
    }
    let f = divergence_of(&g)?;
    let fp = match &f {
        Some(f) => Some(shown(&diff(f, DIVERGENCE_VAR)?)),
        None => None,
    };
    let f = f.as_ref().map(shown);
    let pair = Correspondence {
        direction: Direction::FromLoss,
        residual,
        written,
        loss: Some(g),
        divergence: f,
        loss_derivative: Some(gp),
        divergence_derivative: fp,
        notes,
    };
    numeric::cross_check(&pair)?;
    Ok(pair)
}

/// Derive the loss of a divergence generator.
///
/// The derived loss is on `t = log q − log pθ`; with [`Residual::ModelMinusTarget`] the report
/// also gives it as `G(r) = g(−r)` for a loss written on the model-minus-target residual.
pub fn from_divergence(
    divergence: &Expr,
    residual: Residual,
    bindings: &Bindings,
) -> Result<Correspondence, Error> {
    let written = simplify_with(&bindings.apply(divergence), &Assumptions::default())?;
    check_variables(&written, DIVERGENCE_VAR, "a divergence generator")?;
    let mut notes = Vec::new();
    let f1 = simplify(&written.substitute(DIVERGENCE_VAR, &Expr::one())).map_err(|e| {
        Error::Undefined(format!(
            "the generator is undefined at u = 1, where the model matches the target: {e}"
        ))
    })?;
    defined::defined_everywhere(&written, DIVERGENCE_VAR, "the generator")?;
    defect::refuse_apart_at_matching_point(&written, DIVERGENCE_VAR)?;
    if !f1.is_zero() {
        notes.push(format!(
            "f(1) = {} ≠ 0: D_f of two equal distributions is not zero",
            crate::print::plain(&f1)
        ));
    }
    let fp = shown(&diff(&written, DIVERGENCE_VAR)?);
    let g = loss_of(&written)?;
    let gp = match &g {
        Some(g) => Some(shown(&diff(g, LOSS_VAR)?)),
        None => None,
    };
    let g = g.as_ref().map(shown);
    let mut pair = Correspondence {
        direction: Direction::FromDivergence,
        residual,
        written: written.clone(),
        loss: g,
        divergence: Some(written),
        loss_derivative: gp,
        divergence_derivative: Some(fp),
        notes,
    };
    if residual == Residual::ModelMinusTarget {
        let on = format!(
            "on the model-minus-target residual {MODEL_RESIDUAL_FORMULA} the loss is G(r) = g(−r)"
        );
        pair.notes.push(match model_minus_target_loss(&pair) {
            Some(big_g) => format!("{on} = {}", crate::print::plain(&big_g)),
            None => on,
        });
    }
    numeric::cross_check(&pair)?;
    Ok(pair)
}

#[cfg(test)]
mod tests;
