//! Identities of the Lambert W function (the dilogarithm's are its exact values `Li2(0) = 0`,
//! `Li2(1) = π²/6`, `Li2(−1) = −π²/12`, applied by the constructor), and `|x|·sign(x) = x`,
//! which the derivatives of `min` and `max` (written with `abs`) produce.

use super::{Assumptions, Rule};
use crate::expr::{Expr, Func};

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "lambertw_times_exp",
        apply: lambertw_times_exp,
    },
    Rule {
        name: "lambertw_of_x_exp_x",
        apply: lambertw_of_x_exp_x,
    },
    Rule {
        name: "abs_times_sign",
        apply: abs_times_sign,
    },
];

/// `|x|·sign(x) = x` for every real `x`.
fn abs_times_sign(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Mul(fs) = e else {
        return None;
    };
    let (i, j, x) = fs.iter().enumerate().find_map(|(i, f)| {
        let Expr::Func(Func::Abs, x) = f else {
            return None;
        };
        let j = fs
            .iter()
            .position(|g| matches!(g, Expr::Func(Func::Sign, y) if y == x))?;
        Some((i, j, x))
    })?;
    Some(replace_pair(fs, i, j, x))
}

/// `W(x)·e^(W(x)) = x`, the defining equation of `W`: every `x` where `W(x)` is defined.
fn lambertw_times_exp(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Mul(fs) = e else {
        return None;
    };
    let (i, x) = fs.iter().enumerate().find_map(|(i, f)| match f {
        Expr::Func(Func::LambertW, x) => Some((i, x)),
        _ => None,
    })?;
    let w = &fs[i];
    let j = fs
        .iter()
        .position(|f| matches!(f, Expr::Func(Func::Exp, y) if **y == *w))?;
    Some(replace_pair(fs, i, j, x))
}

/// The product `fs` with its factors `i` and `j` replaced by `x`.
fn replace_pair(fs: &[Expr], i: usize, j: usize, x: &Expr) -> Expr {
    let mut rest: Vec<Expr> = fs
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != i && *k != j)
        .map(|(_, f)| f.clone())
        .collect();
    rest.push(x.clone());
    Expr::mul(rest)
}

/// `W(y·e^y) = y` for `y ≥ −1`, where the principal branch inverts `y·e^y` (decided for a
/// number `y ≥ −1` or a `y` known to be non-negative); so `W(e) = 1`, `W(−1/e) = −1`.
fn lambertw_of_x_exp_x(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::LambertW, arg) = e else {
        return None;
    };
    let fs = match &**arg {
        Expr::Mul(fs) => fs.clone(),
        // e = 1·e^1
        Expr::Const(crate::expr::Constant::E) => return Some(Expr::one()),
        _ => return None,
    };
    let j = fs
        .iter()
        .position(|f| matches!(f, Expr::Func(Func::Exp, _)))?;
    let Expr::Func(_, y) = &fs[j] else {
        return None;
    };
    let others: Vec<Expr> = fs
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != j)
        .map(|(_, f)| f.clone())
        .collect();
    let at_least_minus_one = match &**y {
        Expr::Num(n) => *n >= -num_rational::BigRational::from_integer(1.into()),
        y => a.is_nonneg(y),
    };
    (Expr::mul(others) == **y && at_least_minus_one).then(|| (**y).clone())
}

#[cfg(test)]
mod tests {
    use crate::simplify::tests::{is_undefined, simplifies_to};

    #[test]
    fn identities() {
        simplifies_to("lambertw(t)*exp(lambertw(t))", "t");
        simplifies_to("3*u*lambertw(u)*exp(lambertw(u))", "3*u^2");
        simplifies_to("lambertw(u*exp(u))", "u");
        simplifies_to("lambertw(t*exp(t))", "lambertw(t*exp(t))");
        simplifies_to("lambertw(e)", "1");
        simplifies_to("lambertw(-1/e)", "-1");
        simplifies_to("lambertw(-2*exp(-2))", "lambertw(-2*exp(-2))");
        simplifies_to("lambertw(0)", "0");
        simplifies_to("Li2(0)", "0");
        simplifies_to("dilog(1)", "pi^2/6");
        simplifies_to("Li2(-1)", "-pi^2/12");
        simplifies_to("Li2(-u)", "Li2(-u)");
        simplifies_to("abs(t)*sign(t)", "t");
        simplifies_to("3*abs(t - 1)*sign(t - 1)*u", "3*u*(t - 1)");
    }

    #[test]
    fn outside_the_domain() {
        is_undefined("Li2(2)");
        is_undefined("Li2(u + 1)");
        is_undefined("lambertw(-1)");
        is_undefined("lambertw(-u - 1/2)");
    }
}
