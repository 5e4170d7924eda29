//! The conjugate in words, one sentence shared by the report and the catalog so that both
//! state the same pieces and domain: `f*(y) = y for -1/2 < y ≤ 1/2, -1/2 for y ≤ -1/2, +∞ for
//! y > 1/2`.

use crate::analysis::conjugate::{Bound, Conjugate, Domain, LowerPiece};
use crate::print::{latex, plain};

/// The sentence after `f*(y) = ` (the report) or in the catalog's `conjugate f*(y)` row:
/// the closed form with its interval and, when `f'(0+)` is finite, the constant piece below it
/// and the `+∞` piece above a finite upper end; or, without a closed form, the domain, the
/// constant piece and values at a few points.
pub(crate) fn text(c: &Conjugate) -> String {
    let mut out = pieces(c);
    if c.unchecked {
        out.push_str(
            " (not compared with the numeric supremum: f64 loses the digits of one side at \
             every point tried)",
        );
    }
    out
}

/// [`text`] without the note on a closed form that could not be compared.
fn pieces(c: &Conjugate) -> String {
    match &c.expr {
        Some(e) => match &c.lower_piece {
            None => format!("{} for {}", plain(e), c.domain),
            Some(piece) => format!(
                "{} for {}, {}{}",
                plain(e),
                above(piece, &c.domain.upper),
                below(piece),
                infinite_above(&c.domain.upper)
            ),
        },
        None => {
            let mut out = format!("sup_u (u·y − f(u)): numeric, finite for {}", c.domain);
            if let Some(piece) = &c.lower_piece {
                out.push_str(&format!(" ({})", below(piece)));
            }
            let values: Vec<String> = c
                .values
                .iter()
                .map(|(y, v)| format!("f*({}) = {}", rounded(*y), rounded(*v)))
                .collect();
            if !values.is_empty() {
                out.push_str(&format!("; {}", values.join(", ")));
            }
            out
        }
    }
}

/// `-2 < y` (no upper end) or `-1/2 < y ≤ 1/2`: where the closed form holds above the piece.
fn above(piece: &LowerPiece, upper: &Bound) -> String {
    let t = plain(&piece.threshold);
    match upper {
        Bound::Infinite => format!("y > {t}"),
        Bound::Finite { closed, .. } => {
            let rel = if *closed == Some(true) { "≤" } else { "<" };
            format!("{t} < y {rel} {upper}")
        }
    }
}

/// `-1 for y ≤ -2`.
fn below(piece: &LowerPiece) -> String {
    format!(
        "{} for y ≤ {}",
        plain(&piece.value),
        plain(&piece.threshold)
    )
}

/// `, +∞ for y > 1/2` (or `≥` for an open end), nothing without an upper end.
fn infinite_above(upper: &Bound) -> String {
    match upper {
        Bound::Infinite => String::new(),
        Bound::Finite { closed, .. } => {
            let rel = if *closed == Some(true) { ">" } else { "≥" };
            format!(", +∞ for y {rel} {upper}")
        }
    }
}

/// A value to 12 significant digits, as Rust writes the rounded `f64` (`0.5`, `1.375`), so
/// that the last digits of a numeric supremum cannot change what a person reads; a size below
/// `1e-5` or from `1e16` up in scientific notation (`-7.82270733765e-86`), which Rust's plain
/// form would write with dozens of zeros.
fn rounded(v: f64) -> String {
    match format!("{v:.11e}").parse::<f64>() {
        Ok(0.0) => "0".into(),
        Ok(r) if !(1e-5..1e16).contains(&r.abs()) => format!("{r:e}"),
        Ok(r) => r.to_string(),
        Err(_) => v.to_string(),
    }
}

/// Where the closed form itself holds, the domain or above the constant piece, in LaTeX:
/// `y < \log 2`, `-\frac{1}{2} < y \le \frac{1}{2}`, `y \in \mathbb{R}`.
pub(crate) fn latex_interval(c: &Conjugate) -> String {
    let y = crate::analysis::conjugate::CONJUGATE_VAR;
    match &c.lower_piece {
        None => latex_domain(&c.domain),
        Some(piece) => {
            let t = latex(&piece.threshold);
            match &c.domain.upper {
                Bound::Infinite => format!("{y} > {t}"),
                upper @ Bound::Finite { closed, .. } => {
                    let rel = if *closed == Some(true) { r"\le" } else { "<" };
                    format!("{t} < {y} {rel} {}", latex_bound(upper))
                }
            }
        }
    }
}

/// A domain in LaTeX, as [`crate::analysis::conjugate::Domain`]'s `Display` writes it in
/// text; an end whose closedness is undecided is said in `\text{…}`.
fn latex_domain(d: &Domain) -> String {
    let y = crate::analysis::conjugate::CONJUGATE_VAR;
    let rel = |closed: &Option<bool>| if *closed == Some(true) { r"\le" } else { "<" };
    let mut out = match (&d.lower, &d.upper) {
        (Bound::Infinite, Bound::Infinite) => format!(r"{y} \in \mathbb{{R}}"),
        (Bound::Infinite, hi @ Bound::Finite { closed, .. }) => {
            format!("{y} {} {}", rel(closed), latex_bound(hi))
        }
        (lo @ Bound::Finite { closed, .. }, Bound::Infinite) => {
            format!("{} {} {y}", latex_bound(lo), rel(closed))
        }
        (lo @ Bound::Finite { closed: c0, .. }, hi @ Bound::Finite { closed: c1, .. }) => format!(
            "{} {} {y} {} {}",
            latex_bound(lo),
            rel(c0),
            rel(c1),
            latex_bound(hi)
        ),
    };
    for b in [&d.lower, &d.upper] {
        if let Bound::Finite { closed: None, .. } = b {
            out.push_str(&format!(
                r"\ \text{{(whether $f^{{*}}$ is finite at ${y} = {}$ itself is not decided)}}",
                latex_bound(b)
            ));
        }
    }
    out
}

/// An end point in LaTeX: its exact form, or its digits with `\times 10^{k}` for the exponent
/// the text writes as `e`.
fn latex_bound(b: &Bound) -> String {
    match b {
        Bound::Infinite => r"\infty".into(),
        Bound::Finite { exact: Some(e), .. } => latex(e),
        Bound::Finite { .. } => {
            let text = b.to_string();
            match text.split_once('e') {
                Some((digits, exponent)) => format!(r"{digits} \times 10^{{{exponent}}}"),
                None => text,
            }
        }
    }
}

/// `,\; -1 \quad (y \le -2)` and `,\; +\infty \quad (y > 1/2)` after a closed form's LaTeX,
/// for the pieces [`text`] states.
pub(crate) fn latex_pieces(c: &Conjugate) -> String {
    let Some(piece) = &c.lower_piece else {
        return String::new();
    };
    let mut out = format!(
        r",\; {} \quad (y \le {})",
        latex(&piece.value),
        latex(&piece.threshold)
    );
    if let Bound::Finite { closed, .. } = &c.domain.upper {
        let rel = if *closed == Some(true) { ">" } else { r"\ge" };
        let end = latex_bound(&c.domain.upper);
        out.push_str(&format!(r",\; +\infty \quad (y {rel} {end})"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Bound, latex_bound, rounded};

    #[test]
    fn numeric_end_points_in_latex() {
        let at = |value: f64| Bound::Finite {
            exact: None,
            value,
            closed: Some(true),
        };
        for (b, tex) in [
            (at(0.5), "0.5"),
            (at(-2.0), "-2"),
            (at(1.5e-7), r"1.5 \times 10^{-7}"),
            (at(2.5e300), r"2.5 \times 10^{300}"),
            (Bound::Infinite, r"\infty"),
        ] {
            assert_eq!(latex_bound(&b), tex, "{b}");
        }
    }

    #[test]
    fn values_are_rounded_and_short() {
        for (v, text) in [
            (0.5, "0.5"),
            (-0.328427124746_f64, "-0.328427124746"),
            (118408.0, "118408"),
            (1e-5, "0.00001"),
            (1e15, "1000000000000000"),
            (-7.822707337647553e-86, "-7.82270733765e-86"),
            (1e16, "1e16"),
            (2.5e300, "2.5e300"),
            (1e-300, "1e-300"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(rounded(v), text, "{v:e}");
        }
    }
}
