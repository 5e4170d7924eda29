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
    if let (Method::Proved, false, Some(j)) = (c.method, c.convex, &c.jump) {
        let f = &name[..1];
        return format!(
            "not convex (proved: {f} jumps by {} at {} = {})",
            plain(&j.rise),
            c.variable,
            plain(&crate::Expr::num(j.at.clone()))
        );
    }
    if let (Method::Proved, false, Some(a)) = (c.method, c.convex, &c.apart) {
        let at = plain(&crate::Expr::num(a.at.clone()));
        return format!(
            "not convex (proved: f({at}) = {}, but f → {} on either side of u = {at})",
            plain(&a.value),
            plain(&a.limit),
        );
    }
    if c.method == Method::Proved && !c.convex {
        if let Some(k) = c.kinks.first() {
            let slope = &name[..name.len() - 1];
            return format!(
                "not convex (proved: {slope} falls by {} at {} = {})",
                plain(&crate::simplify::present::present(&-k.rise.clone())),
                c.variable,
                plain(&crate::Expr::num(k.at.clone()))
            );
        }
    }
    if c.method == Method::Proved && !c.pieces.is_empty() {
        return on_pieces(c, name);
    }
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

/// `convex (proved on pieces: g'' = 0 for t < -1, 1 for -1 < t < 1, 0 for t > 1; g'
/// continuous at t = -1 and t = 1)`: a kinked function proved convex piece by piece.
fn on_pieces(c: &Convexity, second: &str) -> String {
    let var = c.variable;
    let slope = &second[..second.len() - 1];
    let number = |r: &num_rational::BigRational| plain(&crate::Expr::num(r.clone()));
    let pieces: Vec<String> = c
        .pieces
        .iter()
        .map(|p| {
            let on = match (&p.from, &p.to) {
                (Some(a), Some(b)) => format!("{} < {var} < {}", number(a), number(b)),
                (Some(a), None) => format!("{var} > {}", number(a)),
                (None, Some(b)) => format!("{var} < {}", number(b)),
                (None, None) => format!("every {var}"),
            };
            format!("{} for {on}", plain(&p.second_derivative))
        })
        .collect();
    let (continuous, rising): (Vec<_>, Vec<_>) = c.kinks.iter().partition(|k| k.rise.is_zero());
    let mut kinks = Vec::new();
    if !continuous.is_empty() {
        let at: Vec<String> = continuous
            .iter()
            .map(|k| format!("{var} = {}", number(&k.at)))
            .collect();
        kinks.push(format!("{slope} continuous at {}", at.join(" and ")));
    }
    for k in rising {
        kinks.push(format!(
            "{slope} rises by {} at {var} = {}",
            plain(&k.rise),
            number(&k.at)
        ));
    }
    format!(
        "convex (proved on pieces: {second} = {}; {})",
        pieces.join(", "),
        kinks.join(", ")
    )
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
