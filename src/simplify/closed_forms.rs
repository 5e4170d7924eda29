//! Exact values that closed-form integrals leave behind: the antiderivatives of the rational
//! integration method are evaluated at `s = 1`, which gives `atan` of simple algebraic numbers.

use super::{Assumptions, Rule};
use crate::expr::{Constant, Expr, Func};
use num_rational::BigRational;
use num_traits::Signed;

/// The family's rules.
pub static RULES: &[Rule] = &[Rule {
    name: "atan_special_value",
    apply: atan_special_value,
}];

/// `atan(1) = π/4`, `atan(√3) = π/3`, `atan(1/√3) = π/6` (and their negatives, `atan` being odd).
fn atan_special_value(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Atan, x) = e else {
        return None;
    };
    if !x.is_constant() {
        return None;
    }
    let (c, _) = x.split_coeff();
    let square = Expr::pow((**x).clone(), Expr::int(2));
    let square = square.as_num()?;
    let denominator = [(1, 1, 4), (3, 1, 3), (1, 3, 6)]
        .into_iter()
        .find(|&(n, d, _)| *square == BigRational::new(n.into(), d.into()))
        .map(|(_, _, k)| k)?;
    let value = Expr::constant(Constant::Pi) * Expr::ratio(1, denominator);
    Some(if c.is_negative() { -value } else { value })
}

#[cfg(test)]
mod tests {
    use crate::simplify::tests::simplifies_to;

    #[test]
    fn atan_values() {
        simplifies_to("atan(1)", "pi/4");
        simplifies_to("atan(-1)", "-pi/4");
        simplifies_to("atan(sqrt(3))", "pi/3");
        simplifies_to("atan(1/sqrt(3))", "pi/6");
        simplifies_to("atan(sqrt(3)/3)", "pi/6");
        simplifies_to("atan(2)", "atan(2)");
        simplifies_to("2*atan(u) - 2*atan(1)", "2*atan(u) - pi/2");
    }
}
