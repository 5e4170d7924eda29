//! Symbolic differentiation.
//!
//! [`derivative`] applies the textbook rules to the canonical form (so the result is canonical
//! but not simplified); [`diff`] simplifies it. Every function of the language has a derivative:
//! `abs'(x) = sign(x)` and `sign'(x) = 0` hold everywhere except at `x = 0`, where neither is
//! differentiable. `Li2'(x) = −log(1 − x)/x` (its limit 1 at `x = 0` is not written out), and
//! `lambertw'(x) = e^(−W)/(1 + W)`, which equals `W/(x·(1 + W))` and is `1` at `x = 0`.
//! The lower incomplete gamma function is differentiated in its second argument,
//! `∂γ(p, x)/∂x = |x|^(p−1)·e^(−x)`; a `p` that depends on the variable is refused.

mod size;

pub use size::{MAX_DERIVATIVE_NODES, derivative_size};

use crate::expr::{Expr, Func, Func2};
use crate::simplify::{Assumptions, MathError, check_defined, simplify_with};

/// `d e / d var`, canonical but not simplified.
pub fn derivative(e: &Expr, var: &str) -> Expr {
    match e {
        Expr::Num(_) | Expr::Const(_) => Expr::zero(),
        Expr::Sym(s) => {
            if &**s == var {
                Expr::one()
            } else {
                Expr::zero()
            }
        }
        Expr::Add(ts) => Expr::add(ts.iter().map(|t| derivative(t, var)).collect()),
        Expr::Mul(fs) => {
            let mut terms = Vec::with_capacity(fs.len());
            for (i, f) in fs.iter().enumerate() {
                if !f.contains_sym(var) {
                    continue;
                }
                let mut factors: Vec<Expr> = Vec::with_capacity(fs.len());
                factors.extend(fs[..i].iter().cloned());
                factors.push(derivative(f, var));
                factors.extend(fs[i + 1..].iter().cloned());
                terms.push(Expr::mul(factors));
            }
            Expr::add(terms)
        }
        Expr::Pow(b, x) => {
            let (b, x) = (&**b, &**x);
            if !x.contains_sym(var) {
                // d b^x = x·b^(x-1)·b'
                if !b.contains_sym(var) {
                    return Expr::zero();
                }
                Expr::mul(vec![
                    x.clone(),
                    Expr::pow(b.clone(), x.clone() - Expr::one()),
                    derivative(b, var),
                ])
            } else if b.is_zero() {
                // `0^x` is `0` wherever it is defined (`x > 0`), and so is its derivative.
                Expr::zero()
            } else {
                // d b^x = b^x·(x'·log(b) + x·b'/b)
                let db = derivative(b, var);
                let inner = Expr::mul(vec![derivative(x, var), Expr::func(Func::Log, b.clone())])
                    + Expr::mul(vec![x.clone(), db, b.clone().recip()]);
                Expr::mul(vec![e.clone(), inner])
            }
        }
        Expr::Func(f, a) => {
            if !a.contains_sym(var) {
                return Expr::zero();
            }
            Expr::mul(vec![outer_derivative(*f, a), derivative(a, var)])
        }
        Expr::Func2(f, a, b) => func2_derivative(*f, a, b, var),
    }
}

/// `d f(a, b)/d var`. `∂γ(p, x)/∂x = |x|^(p−1)·e^(−x)`; the derivative in `p` has no closed form
/// in the language, and where `p` depends on `var` the result is `0^-1`, undefined everywhere,
/// so that no caller can use it as a value ([`diff_with`] refuses such an input with a message
/// first).
fn func2_derivative(f: Func2, a: &Expr, b: &Expr, var: &str) -> Expr {
    match f {
        Func2::LowerGamma => {
            if a.contains_sym(var) {
                return Expr::pow(Expr::zero(), Expr::int(-1));
            }
            if !b.contains_sym(var) {
                return Expr::zero();
            }
            Expr::mul(vec![
                Expr::pow(Expr::func(Func::Abs, b.clone()), a.clone() - Expr::one()),
                Expr::func(Func::Exp, -b.clone()),
                derivative(b, var),
            ])
        }
    }
}

/// The first `γ(p, x)` in `e` whose `p` depends on `var`.
fn parameter_dependent(e: &Expr, var: &str) -> Option<Expr> {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().find_map(|x| parameter_dependent(x, var)),
        Expr::Pow(b, x) => parameter_dependent(b, var).or_else(|| parameter_dependent(x, var)),
        Expr::Func(_, a) => parameter_dependent(a, var),
        Expr::Func2(_, a, b) => {
            if a.contains_sym(var) {
                Some(e.clone())
            } else {
                parameter_dependent(b, var)
            }
        }
    }
}

/// `f'(a)` for each function of the language.
pub fn outer_derivative(f: Func, a: &Expr) -> Expr {
    let a = a.clone();
    let two = || Expr::int(2);
    match f {
        Func::Exp => Expr::func(Func::Exp, a),
        Func::Log => a.recip(),
        Func::Abs => Expr::func(Func::Sign, a),
        Func::Sign => Expr::zero(),
        Func::Sin => Expr::func(Func::Cos, a),
        Func::Cos => -Expr::func(Func::Sin, a),
        Func::Tan => Expr::one() + Expr::pow(Expr::func(Func::Tan, a), two()),
        Func::Atan => (Expr::one() + Expr::pow(a, two())).recip(),
        Func::Sinh => Expr::func(Func::Cosh, a),
        Func::Cosh => Expr::func(Func::Sinh, a),
        Func::Tanh => Expr::one() - Expr::pow(Expr::func(Func::Tanh, a), two()),
        Func::Asinh => Expr::pow(Expr::pow(a, two()) + Expr::one(), Expr::ratio(-1, 2)),
        Func::Softplus => Expr::func(Func::Sigmoid, a),
        Func::Sigmoid => {
            let s = Expr::func(Func::Sigmoid, a);
            Expr::mul(vec![s.clone(), Expr::one() - s])
        }
        // Li2'(x) = -log(1 - x)/x
        Func::Li2 => -Expr::mul(vec![
            Expr::func(Func::Log, Expr::one() - a.clone()),
            a.recip(),
        ]),
        // W'(x) = W/(x·(1 + W)) = e^(-W)/(1 + W), the second form also right at x = 0
        Func::LambertW => {
            let w = Expr::func(Func::LambertW, a);
            Expr::mul(vec![
                Expr::func(Func::Exp, -w.clone()),
                (Expr::one() + w).recip(),
            ])
        }
    }
}

/// `d e / d var`, simplified under the language's default facts.
pub fn diff(e: &Expr, var: &str) -> Result<Expr, MathError> {
    diff_with(e, var, &Assumptions::default())
}

/// `d e / d var`, simplified under `assumptions`.
///
/// Fails when `e` is undefined everywhere (`1/0 + t` has no derivative, though `d(1/0)/dt`
/// would be built as `0`), or when the unsimplified derivative would have more than
/// [`MAX_DERIVATIVE_NODES`] nodes (a product of thousands of factors).
pub fn diff_with(e: &Expr, var: &str, assumptions: &Assumptions) -> Result<Expr, MathError> {
    check_defined(e, assumptions)?;
    if let Some(g) = parameter_dependent(e, var) {
        return Err(MathError::no_closed_form(format!(
            "the derivative of `{}` in its first argument has no closed form in the language",
            crate::print::plain(&g)
        )));
    }
    let size = derivative_size(e, var);
    if size > MAX_DERIVATIVE_NODES {
        return Err(MathError::work_limit(format!(
            "the derivative would have more than {MAX_DERIVATIVE_NODES} nodes (the derivative \
             size limit; this one has about {size})"
        )));
    }
    simplify_with(&derivative(e, var), assumptions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    #[track_caller]
    fn derivative_is(input: &str, var: &str, expected: &str) {
        let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
        let d = diff(&e, var).unwrap_or_else(|err| panic!("{input}: {err}"));
        assert_eq!(plain(&d), expected, "d/d{var} {input}");
    }

    #[test]
    fn table() {
        derivative_is("t^2", "t", "2*t");
        derivative_is("u*log(u)", "u", "log(u) + 1");
        derivative_is("2*u - 2 - 2*log(u)", "u", "2 - 2/u");
        derivative_is("4*(exp(t/2) - t/2 - 1)", "t", "2*exp(t/2) - 2");
        derivative_is("sqrt(u)", "u", "1/(2*sqrt(u))");
        derivative_is("abs(t)", "t", "sign(t)");
        derivative_is("softplus(t)", "t", "sigmoid(t)");
        derivative_is("log(cosh(t))", "t", "tanh(t)");
        derivative_is("t^a", "t", "a*t^(a - 1)");
        derivative_is("a*u", "a", "u");
        derivative_is("a*u", "t", "0");
        derivative_is("exp(t) + exp(-t) - 2", "t", "exp(t) - exp(-t)");
        derivative_is("atan(t)", "t", "1/(t^2 + 1)");
        derivative_is("tanh(t)", "t", "1 - tanh(t)^2");
        derivative_is("2^t", "t", "2^t*log(2)");
        derivative_is("sin(t)", "t", "cos(t)");
        derivative_is("cos(t)", "t", "-sin(t)");
        derivative_is("Li2(t)", "t", "-log(-t + 1)/t");
        derivative_is("dilog(-exp(t))", "t", "-softplus(t)");
        derivative_is("lambertw(t)", "t", "exp(-lambertw(t))/(lambertw(t) + 1)");
    }
}
