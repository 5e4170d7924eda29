//! The table of closed-form integration methods.
//!
//! As the simplifier is a list of named rules, closed-form integration is a list of named
//! [`Method`]s: each recognises an integrand and returns an antiderivative, or `None`. The table
//! tries them in order and keeps the first antiderivative that **differentiates back** to the
//! integrand ([`verify`]): exactly, as rational functions of one exponential, or symbolically to
//! zero after simplification, or else to 1e-9 relative at rational probe points. A method's
//! mistake is therefore a refusal, never a wrong closed form; the transform then cross-checks the
//! definite integral against quadrature as well.
//!
//! A new method (integration by parts into the dilogarithm, splitting `abs`/`sign` at their
//! roots) is one more entry in [`METHODS`].

use super::closed::{decompose, integrate_from_zero as exp_poly_from_zero};
use super::{dilog, gamma, kinks, rational};
use crate::diff::derivative;
use crate::eval::{Params, compile};
use crate::expr::Expr;
use crate::simplify::{MathError, expand, simplify};
use num_rational::BigRational;

/// A named integration method: `apply(integrand, var)` is an antiderivative in `var` (up to a
/// constant), or `None` when the method does not recognise the integrand.
#[derive(Clone, Copy)]
pub struct Method {
    /// The method's name, for reports and tests.
    pub name: &'static str,
    /// The method.
    pub apply: fn(&Expr, &str) -> Option<Expr>,
}

impl std::fmt::Debug for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every method, in the order they are tried.
pub static METHODS: &[Method] = &[
    Method {
        name: "exp-polynomial",
        apply: exp_polynomial,
    },
    Method {
        name: "rational-in-exponential",
        apply: rational::antiderivative,
    },
    Method {
        name: "log-exponential",
        apply: dilog::log_exponential,
    },
    Method {
        name: "power-gamma",
        apply: gamma::power_exponential,
    },
    Method {
        name: "split-at-kinks",
        apply: kinks::split,
    },
    Method {
        name: "by-parts",
        apply: dilog::by_parts,
    },
];

/// `∫ Σ c·τ^n·e^{aτ} dτ` ([`super::closed`]), the antiderivative that vanishes at `0`.
fn exp_polynomial(e: &Expr, var: &str) -> Option<Expr> {
    let p = decompose(e, var)?;
    Some(exp_poly_from_zero(&p, &Expr::sym(var)))
}

/// A verified antiderivative and the method that found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Antiderivative {
    /// The method's name.
    pub method: &'static str,
    /// `F` with `F' = integrand`.
    pub expr: Expr,
}

/// A verified antiderivative of `integrand` in `var`: the first method's that differentiates
/// back, or else, by linearity, the sum of the terms' antiderivatives (each term's factors free
/// of `var`, parameters included, taken outside), each found and verified the same way.
pub fn antiderivative(integrand: &Expr, var: &str) -> Option<Antiderivative> {
    by_method(integrand, var).or_else(|| by_linearity(integrand, var))
}

fn by_method(integrand: &Expr, var: &str) -> Option<Antiderivative> {
    METHODS.iter().find_map(|m| {
        let f = (m.apply)(integrand, var)?;
        verify(&f, integrand, var).then_some(Antiderivative {
            method: m.name,
            expr: f,
        })
    })
}

/// `∫ Σ c_i·h_i = Σ c_i·∫ h_i` with `c_i` free of `var`.
fn by_linearity(integrand: &Expr, var: &str) -> Option<Antiderivative> {
    let terms = match expand(integrand)? {
        Expr::Add(ts) => ts,
        one => vec![one],
    };
    let mut parts = Vec::with_capacity(terms.len());
    for term in &terms {
        let factors: &[Expr] = match term {
            Expr::Mul(fs) => fs,
            other => std::slice::from_ref(other),
        };
        let (constant, varying): (Vec<Expr>, Vec<Expr>) =
            factors.iter().cloned().partition(|f| !f.contains_sym(var));
        if terms.len() == 1 && constant.is_empty() {
            return None;
        }
        let a = by_method(&Expr::mul(varying), var)?;
        parts.push(Expr::mul(constant) * a.expr);
    }
    Some(Antiderivative {
        method: "linearity",
        expr: Expr::add(parts),
    })
}

/// `∫_0^upper integrand d var` in closed form (not simplified), or `None` when no method
/// applies; an error when the antiderivative is undefined at `0`.
pub fn integrate_from_zero(
    integrand: &Expr,
    var: &str,
    upper: &Expr,
) -> Result<Option<Expr>, MathError> {
    let Some(a) = antiderivative(integrand, var) else {
        return Ok(None);
    };
    let at_zero = simplify(&a.expr.substitute(var, &Expr::zero()))?;
    Ok(Some(a.expr.substitute(var, upper) - at_zero))
}

/// Probe points for the numeric comparison in [`verify`].
const PROBES: [f64; 6] = [-2.5, -1.0, -0.25, 0.5, 1.5, 3.0];

/// Rational probe values of `s = e^{τ/q}` for the exact comparison in [`verify`].
const EXACT_PROBES: [(i64, i64); 8] = [
    (2, 1),
    (3, 1),
    (1, 2),
    (5, 3),
    (7, 1),
    (1, 3),
    (11, 4),
    (2, 9),
];

/// Expressions larger than this (in nodes) are not converted to polynomials or simplified for
/// the comparison: their exact values at [`EXACT_PROBES`] are compared instead.
const SYMBOLIC_SIZE: usize = 150;

/// Whether `d/d var F = integrand`, in the first of these that applies: as rational functions of
/// one exponential `s = e^{τ/q}`, exactly (polynomial identity of numerators and denominators);
/// exactly at eight rational values of `s` when the expressions are too large to convert; by
/// simplification to zero; or else to 1e-9 relative at six points `τ` (parameters set to fixed
/// values).
pub fn verify(f: &Expr, integrand: &Expr, var: &str) -> bool {
    let d = derivative(f, var);
    let small = d.size() + integrand.size() <= SYMBOLIC_SIZE;
    let q = rational::common_base(&(d.clone() + integrand.clone()), var);
    if let Some(q) = &q {
        if small {
            // the integrand first: its form is remembered from the method that integrated it
            let of_integrand = rational::in_exponentials(integrand, var);
            if let (Some((q1, r1)), Some((q2, r2))) =
                (rational::in_exponentials(&d, var), of_integrand)
            {
                if q1 == q2 {
                    return r1 == r2;
                }
            }
        }
        let exact = EXACT_PROBES.iter().map(|&(n, m)| {
            let s = BigRational::new(n.into(), m.into());
            Some(rational::value_at(&d, var, q, &s)? == rational::value_at(integrand, var, q, &s)?)
        });
        if let Some(all) = exact.collect::<Option<Vec<bool>>>() {
            return all.into_iter().all(|x| x);
        }
    }
    let difference = d.clone() - integrand.clone();
    if difference.is_zero() {
        return true;
    }
    if super::closed::vanishes(&difference, var) {
        return true;
    }
    if small {
        if let Ok(s) = simplify(&difference) {
            if s.is_zero()
                || expand(&s)
                    .and_then(|x| simplify(&x).ok())
                    .is_some_and(|x| x.is_zero())
            {
                return true;
            }
        }
    }
    numerically_equal(&d, integrand, var)
}

/// `a = b` at every probe point to 1e-9 relative to the larger value (absolute below 1).
fn numerically_equal(a: &Expr, b: &Expr, var: &str) -> bool {
    let mut params = Params::new();
    for (i, s) in a.symbols().iter().chain(b.symbols().iter()).enumerate() {
        if &**s != var {
            params.set(&**s, 1.25 + 0.375 * i as f64);
        }
    }
    let (Ok(ca), Ok(cb)) = (compile(a, var, &params), compile(b, var, &params)) else {
        return false;
    };
    PROBES.iter().all(|&x| {
        let (va, vb) = (ca.eval(x), cb.eval(x));
        va.is_finite()
            && vb.is_finite()
            && (va - vb).abs() <= 1e-9 * va.abs().max(vb.abs()).max(1.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    /// `∫_0^var integrand` simplified prints as `expected`.
    #[track_caller]
    fn integrates_to(integrand: &str, var: &str, expected: &str) {
        let e = parse(integrand).unwrap();
        let r = integrate_from_zero(&e, var, &Expr::sym(var))
            .unwrap()
            .unwrap_or_else(|| panic!("no method integrates {integrand}"));
        assert_eq!(
            plain(&simplify(&r).unwrap()),
            expected,
            "∫_0^{var} {integrand}"
        );
    }

    #[track_caller]
    fn refused(integrand: &str) {
        let e = parse(integrand).unwrap();
        assert!(
            antiderivative(&e, "t").is_none(),
            "{integrand} should be refused"
        );
    }

    #[test]
    fn table() {
        integrates_to("2*t", "t", "t^2");
        integrates_to(
            "pi*tanh(t)*exp(-t)",
            "t",
            "pi*(exp(-t) + 2*atan(exp(t))) - pi*(1 + pi/2)",
        );
        integrates_to(
            "exp(t)/(exp(2*t) + 3*exp(t) + 1)",
            "t",
            "log((2*exp(t) + 3 - sqrt(5))/(2*exp(t) + 3 + sqrt(5)))/sqrt(5) - log(-(sqrt(5) - 5)/(5 + sqrt(5)))/sqrt(5)",
        );
        integrates_to(
            "(c + tanh(t))*exp(-t)",
            "t",
            "exp(-t) - c*exp(-t) + 2*atan(exp(t)) + c - 1 - pi/2",
        );
        integrates_to("t*exp(t)", "t", "(t - 1)*exp(t) + 1");
        integrates_to("tanh(t)", "t", "-t + softplus(2*t) - log(2)");
        integrates_to("sigmoid(t)", "t", "softplus(t) - log(2)");
        integrates_to("1/cosh(t)", "t", "2*atan(exp(t)) - pi/2");
        integrates_to(
            "tanh(t)*exp(-t)",
            "t",
            "exp(-t) + 2*atan(exp(t)) - 1 - pi/2",
        );
        integrates_to("tanh(t)*exp(t)", "t", "exp(t) + pi/2 - 1 - 2*atan(exp(t))");
        integrates_to(
            "1/(1 + exp(t))^2",
            "t",
            "t + log(2) + sigmoid(-t) - 1/2 - softplus(t)",
        );
        integrates_to("1/(1 + exp(t/2))", "t", "t + 2*log(2) - 2*softplus(t/2)");
        integrates_to(
            "exp(t)/(exp(2*t) + exp(t) + 1)",
            "t",
            "2*atan((2*exp(t) + 1)/sqrt(3))/sqrt(3) - 2*pi/(3*sqrt(3))",
        );
    }

    #[test]
    fn dilogarithm_table() {
        integrates_to("softplus(t)", "t", "-pi^2/12 - Li2(-exp(t))");
        integrates_to(
            "softplus(t) - log(2)",
            "t",
            "-t*log(2) - pi^2/12 - Li2(-exp(t))",
        );
        integrates_to("log(1 + exp(2*t))", "t", "-pi^2/24 - Li2(-exp(2*t))/2");
        integrates_to(
            "log(3 + exp(-t))",
            "t",
            "t*log(3) + Li2(-exp(-t)/3) - Li2(-1/3)",
        );
        integrates_to(
            "exp(-t)*softplus(t)",
            "t",
            "-exp(-t)*softplus(t) + t + 2*log(2) - softplus(t)",
        );
        integrates_to(
            "t*sigmoid(-t)",
            "t",
            "t^2/2 - t*softplus(t) - pi^2/12 - Li2(-exp(t))",
        );
        integrates_to(
            "t*tanh(t)",
            "t",
            "-t^2/2 + t*softplus(2*t) + Li2(-exp(2*t))/2 + pi^2/24",
        );
        integrates_to(
            "log(cosh(t))",
            "t",
            "t^2/2 + t*log(cosh(t)) - t*softplus(2*t) - pi^2/24 - Li2(-exp(2*t))/2",
        );
        integrates_to(
            "exp(-t)*log(1 + exp(2*t))",
            "t",
            "-exp(-t)*softplus(2*t) + log(2) + 2*atan(exp(t)) - pi/2",
        );
    }

    #[test]
    fn split_at_kinks_table() {
        integrates_to("exp(-t)*sign(t)", "t", "exp(-t)*abs(exp(t) - 1)");
        integrates_to("sign(t)/2", "t", "abs(t)/2");
        integrates_to(
            "exp(t)*sign(exp(t) - 1)/2 - abs(exp(t) - 1)/2",
            "t",
            "abs(t)/2",
        );
        integrates_to("abs(t)", "t", "t^2*sign(t)/2");
        integrates_to("abs(2*t - 1)", "t", "(t^2 - t + 1/4)*sign(t - 1/2) + 1/4");
        integrates_to(
            "sign(t - 1)*exp(-t)",
            "t",
            "exp(-1) - 1 - (exp(-t) - exp(-1))*sign(t - 1)",
        );
        integrates_to(
            "sign(t)*softplus(t)",
            "t",
            "-(Li2(-exp(t)) + pi^2/12)*sign(t)",
        );
        integrates_to(
            "max(t, 0)*exp(-t)",
            "t",
            "-(t + 1)*exp(-t)/2 + 1/2 - ((t + 1)*exp(-t)/2 - 1/2)*sign(t)",
        );
    }

    #[test]
    fn refusals() {
        refused("t*softplus(t)");
        // the roots ±1 of a non-monotone argument are not looked for
        refused("sign(t^2 - 1)");
        refused("sign(log(1 + exp(t)) - 1)");
        // an irrational root, log(2)
        refused("sign(exp(t) - 2)");
        refused("log(2*exp(t) - 1)");
        refused("1/(exp(t) - 2)");
        refused("1/(exp(2*t) - 3*exp(t) + 1)");
        refused("1/(exp(2*t) + exp(t) - 1)");
        refused("1/(exp(3*t) + 2)");
        refused("1/(exp(4*t) + 1)");
        refused("exp(t^2)");
        refused("tanh(t)*exp(t^2) + 1");
    }

    #[test]
    fn wrong_antiderivatives_fail_verification() {
        for (f, integrand) in [
            ("2*atan(exp(t))", "2/cosh(t)"),
            ("softplus(t)", "sigmoid(-t)"),
            ("log(exp(2*t) + 1)", "tanh(t)"),
            ("t^2/2 + exp(t)", "t"),
            ("a*t^2", "a*t"),
            // large enough for the exact comparison at rational s
            (
                "1/(exp(t) + 1)^5 + 1/(exp(t) + 1)^4 + 1/(exp(t) + 1)^3 + 1/(exp(t) + 1)^2 + 1/(exp(t) + 2)",
                "sigmoid(t)^5 + sigmoid(t)^4 + sigmoid(t)^3 + sigmoid(t)^2 + sigmoid(t)",
            ),
        ] {
            let (f, h) = (parse(f).unwrap(), parse(integrand).unwrap());
            assert!(!verify(&f, &h, "t"), "{f} accepted as ∫ {h}");
        }
        let f = parse("2*atan(exp(t))").unwrap();
        assert!(verify(&f, &parse("1/cosh(t)").unwrap(), "t"));
    }

    #[test]
    fn every_method_differentiates_back() {
        for integrand in [
            "t^3*exp(-2*t)",
            "tanh(t)*exp(-t)",
            "sigmoid(t)^3",
            "1/(1 + exp(t))^3 + exp(t/3)",
            "cosh(t)/(1 + cosh(t))",
            "1/(exp(2*t) + 3*exp(t) + 1)",
            "sigmoid(t)^6 + tanh(t)^4",
            "exp(t)/((exp(t) + 1)^2*(exp(2*t) + 1))",
            "softplus(t)",
            "log(3 + exp(-t))",
            "exp(-t)*softplus(t)",
            "t*tanh(t)",
            "log(cosh(t))",
            "exp(-t)*sign(t)",
            "abs(2*t - 1)",
            "sign(t)*softplus(t)",
            "(t*sign(1 - abs(t)) + 2*t + 2*sign(t) - abs(1 - abs(t))*sign(t) - sign(t)*sign(1 - abs(t)))*exp(-t)",
        ] {
            let e = parse(integrand).unwrap();
            let mut found = false;
            for m in METHODS {
                if let Some(f) = (m.apply)(&e, "t") {
                    found = true;
                    assert!(verify(&f, &e, "t"), "{}: {integrand}", m.name);
                    assert!(
                        numerically_equal(&derivative(&f, "t"), &e, "t"),
                        "{}: {integrand}",
                        m.name
                    );
                }
            }
            assert!(found, "no method applies to {integrand}");
        }
    }
}
