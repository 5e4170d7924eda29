//! What a person reads: the report lines, and the regions table in Markdown and in LaTeX.
//!
//! The table has one row per cell of the line cut at the critical values (an open piece or a
//! point), with `f(0+)`, `f'(∞)` as expressions in the parameter, the three verdicts and the
//! named divergences there.

use super::{Cell, FamilyRegions, Identified, LimitRegion, Method, ParamLimit, Verdicts};
use crate::expr::Expr;
use crate::print::{latex, unicode};

/// The parameter as a person writes it in text (`α` for `alpha`).
fn name_text(r: &FamilyRegions) -> String {
    unicode(&Expr::sym(&r.parameter))
}

/// The parameter in LaTeX (`\alpha`).
fn name_latex(r: &FamilyRegions) -> String {
    latex(&Expr::sym(&r.parameter))
}

/// A limit in text: `∞`, `−∞`, the expression, `finite` or `unknown (why)`.
fn limit_text(l: &ParamLimit) -> String {
    match l {
        ParamLimit::PlusInfinity => "∞".into(),
        ParamLimit::MinusInfinity => "−∞".into(),
        ParamLimit::Finite { expr: Some(e), .. } => unicode(e),
        ParamLimit::Finite {
            expr: None,
            value: Some(v),
        } => format!("finite ({v:.6} at the member read)"),
        ParamLimit::Finite { .. } => "finite".into(),
        ParamLimit::Unknown { reason } => format!("unknown ({reason})"),
    }
}

fn limit_latex(l: &ParamLimit) -> String {
    match l {
        ParamLimit::PlusInfinity => "\\infty".into(),
        ParamLimit::MinusInfinity => "-\\infty".into(),
        ParamLimit::Finite { expr: Some(e), .. } => latex(e),
        ParamLimit::Finite { .. } => "\\text{finite}".into(),
        ParamLimit::Unknown { .. } => "?".into(),
    }
}

fn limits_text(ls: &[LimitRegion], name: &str) -> String {
    ls.iter()
        .map(|l| format!("{} for {}", limit_text(&l.limit), l.region.text(name)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn verdict_text(v: &Verdicts, name: &str) -> String {
    let mut out = v.holds.text(name);
    if !v.undecided.is_empty() {
        out.push_str(&format!(" (undecided for {})", v.undecided.text(name)));
    }
    out
}

fn method_text(m: &Method, name: &str) -> String {
    let at = |x| super::set::rational_unicode(x);
    match m {
        Method::Signs { at: x } => format!("exact (signs read at {name} = {})", at(x)),
        Method::Member {
            at: x,
            proved,
            guaranteed,
        } => format!(
            "member {name} = {} ({}{})",
            at(x),
            if *proved { "exact" } else { "numeric" },
            if *guaranteed {
                ""
            } else {
                ", not guaranteed for the whole piece"
            }
        ),
        Method::Undefined { reason } => format!("undefined: {reason}"),
    }
}

/// An identification in text: `1/2 × Neyman χ²(q‖pθ)`, `α-divergence D_α(q‖pθ) with alpha = a`.
fn identified_text(id: &Identified) -> String {
    let scale = if id.scale.is_one() {
        String::new()
    } else {
        format!("{} × ", unicode(&id.scale))
    };
    // `α = α` says nothing: the family's parameter is the divergence's own.
    let arg = id
        .argument
        .as_ref()
        .filter(|a| a.value != Expr::sym(a.name))
        .map(|a| {
            let name = unicode(&Expr::sym(a.name));
            // `α = −α` would say two things with one name: the divergence's own is named so.
            if a.value.contains_sym(a.name) {
                format!(
                    " with the divergence's {name} = {} (the family's {name})",
                    unicode(&a.value)
                )
            } else {
                format!(" with {name} = {}", unicode(&a.value))
            }
        })
        .unwrap_or_default();
    format!("{scale}{}{arg}{}", id.name, offset_term(id, unicode))
}

/// ` + a` for the constant `a` of `id`, ` − b` when `a` is written with a leading minus
/// (`b = −a`), empty when it is `0`; `show` writes the expression.
fn offset_term(id: &Identified, show: fn(&Expr) -> String) -> String {
    if id.offset.is_zero() {
        return String::new();
    }
    if unicode(&id.offset).starts_with(['−', '-']) {
        let minus = -id.offset.clone();
        let b = crate::simplify::simplify(&minus).unwrap_or(minus);
        format!(" − {}", show(&b))
    } else {
        format!(" + {}", show(&id.offset))
    }
}

fn identified_latex(id: &Identified) -> String {
    let scale = if id.scale.is_one() {
        String::new()
    } else {
        format!("${} \\times$ ", latex(&id.scale))
    };
    let arg = id
        .argument
        .as_ref()
        .filter(|a| a.value != Expr::sym(a.name))
        .map(|a| {
            let name = latex(&Expr::sym(a.name));
            if a.value.contains_sym(a.name) {
                format!(
                    ", the divergence's ${name} = {}$ (the family's ${name}$)",
                    latex(&a.value)
                )
            } else {
                format!(", ${name} = {}$", latex(&a.value))
            }
        })
        .unwrap_or_default();
    let offset = offset_term(id, |e| format!("${}$", latex(e))).replacen('−', "$-$", 1);
    format!("{scale}{}{arg}{offset}", latex_name(&id.name))
}

/// A catalog name in LaTeX text mode, its symbols in math mode (`KL(q$\|$$p_\theta$)`).
fn latex_name(name: &str) -> String {
    [
        ("D_α", "$D_\\alpha$"),
        ("D_GAN", "$D_{\\mathrm{GAN}}$"),
        ("pθ", "$p_\\theta$"),
        ("‖", "$\\|$"),
        ("χ²", "$\\chi^2$"),
        ("H²", "$H^2$"),
        ("α", "$\\alpha$"),
        ("Δ", "$\\Delta$"),
        ("–", "--"),
    ]
    .iter()
    .fold(name.to_string(), |s, (from, to)| s.replace(from, to))
    .replace("$$", "")
}

/// How the text names the quantity behind a critical value.
fn source_text(s: &super::Source) -> &'static str {
    use super::Source as S;
    match s {
        S::Coefficient => "coefficient",
        S::Rate => "rate",
        S::RateOne => "rate − 1",
        S::RateDifference => "difference of rates",
        S::Power => "power of t",
        S::PowerMinusOne => "power of t + 1",
        S::PowerDifference => "difference of powers",
        S::Curvature => "in g''",
    }
}

/// The report lines, `label  text` with the labels padded to 16 columns.
pub fn text(r: &FamilyRegions) -> String {
    rows(r)
        .into_iter()
        .map(|(l, t)| format!("{l:<16}{t}\n"))
        .collect()
}

/// The report's `(label, text)` rows, in the order they are printed.
pub fn rows(r: &FamilyRegions) -> Vec<(&'static str, String)> {
    let n = name_text(r);
    let mut lines: Vec<(&str, String)> = Vec::new();
    lines.push(("parameter", format!("{n}: {}", r.allowed.text(&n))));
    let critical = r
        .critical
        .iter()
        .map(|c| {
            format!(
                "{n} = {} ({}: {})",
                super::set::rational_unicode(&c.value),
                source_text(&c.source),
                unicode(&c.quantity)
            )
        })
        .collect::<Vec<_>>();
    lines.push((
        "critical values",
        if critical.is_empty() {
            "none".into()
        } else {
            critical.join(", ")
        },
    ));
    lines.push(("zero-forcing", verdict_text(&r.zero_forcing, &n)));
    lines.push(("zero-avoiding", verdict_text(&r.zero_avoiding, &n)));
    lines.push(("convex", verdict_text(&r.convex, &n)));
    lines.push(("f(0+)", limits_text(&r.f_at_0, &n)));
    lines.push(("f'(∞)", limits_text(&r.f_prime_at_inf, &n)));
    match &r.normalization {
        Ok(norm) => {
            lines.push((
                "normalization",
                if norm.f_at_1.is_zero() {
                    format!(
                        "f(1) = {}, f'(1) = g'(0) = {}",
                        unicode(&norm.f_at_1),
                        unicode(&norm.f_prime_at_1)
                    )
                } else {
                    format!(
                        "f(1) = {}, f'(1) = {}, g'(0) = {}",
                        unicode(&norm.f_at_1),
                        unicode(&norm.f_prime_at_1),
                        unicode(&norm.g_prime_at_0)
                    )
                },
            ));
            let sides: Vec<String> = [
                norm.canonical_generator
                    .as_ref()
                    .map(|f| format!("f(u) = {}", unicode(f))),
                norm.canonical_loss
                    .as_ref()
                    .map(|g| format!("g(t) = {}", unicode(g))),
            ]
            .into_iter()
            .flatten()
            .collect();
            lines.push(("canonical", sides.join(" ↔ ")));
        }
        Err(u) => lines.push(("normalization", format!("not available: {}", u.reason))),
    }
    match &r.identified {
        Ok(ids) if ids.is_empty() => lines.push(("identified", "no named divergence".into())),
        Ok(ids) => {
            for id in ids {
                lines.push((
                    "identified",
                    format!("{} → {}", id.region.text(&n), identified_text(id)),
                ));
            }
        }
        Err(u) => lines.push(("identified", format!("not available: {}", u.reason))),
    }
    for c in &r.cells {
        lines.push((
            "decided",
            format!(
                "{}: tails {}; convexity {}",
                c.region.text(&n),
                method_text(&c.tails_method, &n),
                method_text(&c.convexity_method, &n)
            ),
        ));
    }
    lines
}

/// A cell's limit in a table: `?` when it was read at a member that the structure does not
/// extend to the piece.
fn cell_limit(c: &Cell, l: &ParamLimit, write: fn(&ParamLimit) -> String) -> String {
    if matches!(
        c.tails_method,
        Method::Member {
            guaranteed: false,
            ..
        }
    ) {
        "?".into()
    } else {
        write(l)
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "?",
    }
}

/// The named divergences on a cell: those whose region contains it.
fn named_on<'a>(r: &'a FamilyRegions, c: &Cell) -> Vec<&'a Identified> {
    match &r.identified {
        Ok(ids) => ids
            .iter()
            .filter(|id| c.region.minus(&id.region).is_empty())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The regions table in Markdown, one row per cell.
pub fn markdown(r: &FamilyRegions) -> String {
    let n = name_text(r);
    let mut out = String::from(
        "| region | f(0+) | f'(∞) | zero-forcing | zero-avoiding | convex | divergence |\n|---|---|---|---|---|---|---|\n",
    );
    for c in &r.cells {
        let named: Vec<String> = named_on(r, c).into_iter().map(identified_text).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            c.region.text(&n),
            md(&cell_limit(c, &c.f_at_0, limit_text)),
            md(&cell_limit(c, &c.f_prime_at_inf, limit_text)),
            yes_no(c.zero_forcing),
            yes_no(c.zero_avoiding),
            yes_no(c.convex),
            if named.is_empty() {
                "—".into()
            } else {
                md(&named.join("; "))
            },
        ));
    }
    out
}

/// Text made safe inside a Markdown table cell (`|` and `*` escaped).
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('*', "\\*")
}

/// The regions table in LaTeX (`tabular`, booktabs rules), one row per cell.
pub fn latex_table(r: &FamilyRegions) -> String {
    let n = name_latex(r);
    let mut out = String::from(
        "\\begin{tabular}{lllllll}\n\\toprule\nregion & $f(0^+)$ & $f'(\\infty)$ & zero-forcing & zero-avoiding & convex & divergence \\\\\n\\midrule\n",
    );
    for c in &r.cells {
        let named: Vec<String> = named_on(r, c).into_iter().map(identified_latex).collect();
        out.push_str(&format!(
            "${}$ & ${}$ & ${}$ & {} & {} & {} & {} \\\\\n",
            c.region.latex(&n),
            cell_limit(c, &c.f_at_0, limit_latex),
            cell_limit(c, &c.f_prime_at_inf, limit_latex),
            yes_no(c.zero_forcing),
            yes_no(c.zero_avoiding),
            yes_no(c.convex),
            if named.is_empty() {
                "---".into()
            } else {
                named.join("; ")
            },
        ));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    out
}
