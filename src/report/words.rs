//! The sentences of the text report: the analysis holds data (enums, numbers, expressions) and
//! these functions word it, so that the JSON and every text format say the same thing.

use crate::analysis::convexity::{Convexity, Method, sig};
use crate::analysis::tails::Undecided;
use crate::print::plain;

/// What non-convexity means for the pair.
pub(crate) const NOT_A_DIVERGENCE: &str = "f is not convex, so D_f is only a pseudo-divergence: it can be negative and need not vanish only at q = pθ";

/// One line: `convex (proved: f'' = 2/u^2)`,
/// `convex on the scanned range (numeric, min f'' = 1.2e-9 at u = 1e8)` or
/// `not convex: f''(0.3) = -1.2`.
pub fn convexity_text(c: &Convexity) -> String {
    let name = if c.variable == crate::expr::LOSS_VAR {
        "g''"
    } else {
        "f''"
    };
    if c.method == Method::Proved {
        let d2 = c.second_derivative.as_ref().map_or(String::new(), plain);
        return match &c.quotient {
            None => format!("convex (proved: {name} = {d2})"),
            Some(q) => format!("convex (proved: {name} = {d2} = {})", plain(q)),
        };
    }
    match (c.witness, c.drop) {
        (Some((u, v)), _) => format!("not convex: f''({}) = {}", sig(u), sig(v)),
        // A loss's scan watches `g'`, at `t = ln u`: its values are not those of `f'`.
        (None, Some((u, from, to))) if c.variable == crate::expr::LOSS_VAR => format!(
            "not convex: g' drops from {} to {} near t = {}",
            sig(from),
            sig(to),
            // the scan's grid is symmetric about `u = 1`: `ln u` of its middle is `0` up to rounding
            sig(if u.ln().abs() < 1e-9 { 0.0 } else { u.ln() })
        ),
        (None, Some((u, from, to))) => format!(
            "not convex: f' drops from {} to {} near u = {}",
            sig(from),
            sig(to),
            sig(u)
        ),
        (None, None) => {
            let skipped = if c.skipped > 0 {
                format!(", {} points where f'' is not finite skipped", c.skipped)
            } else {
                String::new()
            };
            format!(
                "convex on the scanned range (numeric, min f'' = {} at u = {}{skipped})",
                sig(c.min_value.unwrap_or(f64::NAN)),
                sig(c.min_at.unwrap_or(f64::NAN))
            )
        }
    }
}

/// What non-convexity means for the pair, when `c` is not convex.
pub fn convexity_note(c: &Convexity) -> Option<&'static str> {
    (!c.convex).then_some(NOT_A_DIVERGENCE)
}

/// Why a limit is undecided, as a phrase.
pub fn undecided_text(u: &Undecided) -> String {
    match u {
        Undecided::NotFinite(e) => format!("the limit `{}` has no finite value", plain(e)),
        Undecided::NoClearSign => "∫_0^∞ g'(τ) e^{−τ} dτ diverges with no clear sign".into(),
        Undecided::Quadrature(e) => format!("∫_0^∞ g'(τ) e^{{−τ}} dτ: {e}"),
        Undecided::NotANumber { what, at } => format!("{what}: not a number at t = {at}"),
        Undecided::Overflows { what } => format!("{what}: overflows without a clear direction"),
        Undecided::Unsettled { what, values: v } => format!(
            "{what}: the values {:.3e}, {:.3e}, {:.3e}, {:.3e} neither settle nor grow steadily",
            v[0], v[1], v[2], v[3]
        ),
    }
}
