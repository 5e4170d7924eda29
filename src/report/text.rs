//! The report's rows for text and Markdown, rendered from its data ([`super::model::ReportData`]),
//! the same values the JSON is serialised from.

use super::model::{AnalysisData, Part, RefusedPart, ReportData, TailsData, ValueData};
use super::{DIVERGENCE, catalog::yes_no, gradient_text, noise_suffix};
use super::{parameters_text, short, short_into};
use crate::transform::MODEL_RESIDUAL_FORMULA;

/// `not available: {reason}`, the row of a part that could not be computed.
fn unavailable(r: &RefusedPart) -> String {
    format!("not available: {}", r.refused)
}

/// The `input` row: the loss as written (`G(r)` when it is on the model-minus-target residual:
/// `on_r`, the loss in `r`, where the report has it) or the generator.
pub(crate) fn input_row(
    from_loss: bool,
    reflected: bool,
    written: &str,
    on_r: Option<&str>,
) -> String {
    match (from_loss, reflected, on_r) {
        (true, _, Some(big_g)) => format!("loss G(r) = {big_g}"),
        (true, false, None) => format!("loss g(t) = {written}"),
        (true, true, None) => format!("loss G(t) = {written}"),
        (false, ..) => format!("divergence generator f(u) = {written}"),
    }
}

/// The `residual` row: the residual `t = log q − log pθ`, or the reflection of a loss written on
/// the model-minus-target residual.
pub(crate) fn residual_row(from_loss: bool, reflected: bool) -> String {
    if from_loss && reflected {
        "G written on log pθ − log q (model minus target): reflected to g(t) = G(−t) on t = log q − log pθ"
            .to_string()
    } else {
        format!(
            "{} (target minus model)",
            crate::transform::Residual::TargetMinusModel.formula()
        )
    }
}

/// The `residual` row with the loss on the model-minus-target residual in `r`: `G(r)` and its
/// reflection for a loss (`in_r`: it could be written in `r`), the loss `G(r) = g(−r)` beside
/// `g(t)` for a generator (`where_g` says where it is printed).
pub(crate) fn residual_row_in_r(
    from_loss: bool,
    reflected: bool,
    in_r: bool,
    where_g: &str,
) -> String {
    let tmm = crate::transform::Residual::TargetMinusModel.formula();
    match (from_loss, reflected) {
        (true, true) if in_r => format!(
            "{MODEL_RESIDUAL_FORMULA} (model minus target) in G(r); g(t) = G(−t) on {tmm} (target minus model)"
        ),
        (false, true) => format!(
            "{tmm} (target minus model) in g(t); the loss on {MODEL_RESIDUAL_FORMULA} (model minus target) is G(r) = g(−r), {where_g}"
        ),
        _ => residual_row(from_loss, reflected),
    }
}

/// `(label, text)` rows as aligned text: each label padded to the longest, two spaces, the text.
pub(crate) fn aligned(rows: Vec<(String, String)>) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        let pad = width - k.chars().count();
        out.push_str(&format!("{k}{}  {v}\n", " ".repeat(pad)));
    }
    out
}

/// The report as `(label, text)` rows, in the order they are printed.
/// The derived side piece by piece, under its closed form: `= u - e*u + 1 for u < exp(-1);
/// u - 1 - log(u) for exp(-1) < u < e; …`.
fn pieces_row(side: &super::SideReport, rows: &mut Vec<(String, String)>) {
    if side.pieces.is_empty() {
        return;
    }
    let pieces: Vec<String> = side
        .pieces
        .iter()
        .map(|p| format!("{} for {}", p.expr, p.range))
        .collect();
    rows.push((String::new(), format!("= {}", pieces.join("; "))));
}

pub(crate) fn rows(d: &ReportData) -> Vec<(String, String)> {
    let from_loss = d.direction == "from-loss";
    let reflected = d.residual == crate::transform::Residual::ModelMinusTarget.name();
    let mut rows: Vec<(String, String)> = Vec::new();
    let on_r = d
        .model_minus_target
        .as_ref()
        .and_then(|m| m.loss.as_deref());
    rows.push((
        "input".into(),
        input_row(from_loss, reflected, &d.written, on_r),
    ));
    if !d.parameters.is_empty() {
        rows.push(("parameters".into(), parameters_text(&d.parameters)));
    }
    rows.push((
        "residual".into(),
        residual_row_in_r(from_loss, reflected, on_r.is_some(), "in the note"),
    ));
    rows.push(("divergence".into(), DIVERGENCE.to_string()));
    let label = if d.closed_form {
        "closed form"
    } else {
        "numeric"
    };
    if from_loss {
        if reflected && let Some(g) = &d.loss.expr {
            rows.push(("g(t)".into(), g.clone()));
        }
        rows.push((
            "f(u)".into(),
            match &d.divergence.expr {
                Some(f) => format!("{f}    ({label})"),
                None => format!("numeric: u ∫_0^ln(u) g'(τ) e^(−τ) dτ    ({label})"),
            },
        ));
        pieces_row(&d.divergence, &mut rows);
        rows.push((
            "f'(u)".into(),
            d.divergence
                .derivative
                .clone()
                .unwrap_or_else(|| "(f(u) + g'(ln u))/u".into()),
        ));
        if let Some(gp) = &d.loss.derivative {
            rows.push(("g'(t)".into(), gp.clone()));
        }
    } else {
        rows.push((
            "g(t)".into(),
            match &d.loss.expr {
                Some(g) => format!("{g}    ({label})"),
                None => format!("numeric: f(1) + ∫_0^t g'(τ) dτ    ({label})"),
            },
        ));
        pieces_row(&d.loss, &mut rows);
        rows.push((
            "g'(t)".into(),
            d.loss
                .derivative
                .clone()
                .unwrap_or_else(|| "e^t f'(e^t) − f(e^t)".into()),
        ));
        if let Some(fp) = &d.divergence.derivative {
            rows.push(("f'(u)".into(), fp.clone()));
        }
    }
    match &d.gradient_check {
        Some(Part::Value(c)) => rows.push(("gradient check".into(), gradient_text(c))),
        Some(Part::Refused(r)) => rows.push(("gradient check".into(), unavailable(r))),
        None => {}
    }
    if let Some(a) = &d.analysis {
        analysis_rows(a, &mut rows);
    }
    for n in &d.notes {
        rows.push(("note".into(), n.clone()));
    }
    rows
}

fn analysis_rows(a: &AnalysisData, rows: &mut Vec<(String, String)>) {
    match (&a.normalization, &a.canonical) {
        (Part::Value(n), Part::Value(c)) => {
            let e = &n.exact;
            rows.push((
                "normalization".into(),
                format!(
                    "f(1) = {}, f'(1) = {}, g(0) = {}, g'(0) = {}",
                    e.f_at_1.expr, e.f_prime_at_1.expr, e.g_at_0.expr, e.g_prime_at_0.expr
                ),
            ));
            let canonical = match (&c.expr, &c.loss) {
                (Some(f), Some(g)) => format!("f(u) = {f} ↔ g(t) = {g}"),
                (Some(f), None) => format!("f(u) = {f}"),
                (None, Some(g)) => format!("g(t) = {g}"),
                (None, None) => "(numeric)".into(),
            };
            rows.push((
                "canonical".into(),
                format!("{canonical}   (f'(1) = g'(0) = 0)"),
            ));
        }
        (Part::Refused(r), _) | (_, Part::Refused(r)) => {
            rows.push(("normalization".into(), unavailable(r)));
        }
    }
    match &a.identified {
        Part::Value(ids) if ids.is_empty() => rows.push((
            "identified".into(),
            "no named divergence (up to the class and scale)".into(),
        )),
        Part::Value(ids) => {
            for i in ids {
                let scale = match &i.exact_scale {
                    Some(Some(s)) => s.clone(),
                    _ => short(i.scale),
                };
                rows.push((
                    "identified".into(),
                    format!(
                        "{scale} × {}   ({})",
                        super::with_offset(&i.name, &i.offset_term),
                        i.method
                    ),
                ));
            }
        }
        Part::Refused(r) => rows.push(("identified".into(), unavailable(r))),
    }
    rows.push((
        "class".into(),
        match &a.class {
            Part::Value(c) => format!(
                "g + c·t ↔ f + c·(u − 1){}; with c = {}: max |ΔD_f| = {:.1e}, max |Δ∇θ D_f| = {:.1e} on {} random models",
                match c.symbolic {
                    Some(true) => " (proved symbolically)",
                    Some(false) => " (not proved symbolically)",
                    None => " (by linearity; numeric side)",
                },
                short(c.c),
                c.max_divergence_difference,
                c.max_gradient_difference,
                c.models
            ) + &noise_suffix(c.verdict, c.max_rel_noise, "the shift's effect"),
            Part::Refused(r) => unavailable(r),
        },
    ));
    match &a.reward {
        Part::Value(r) => {
            let numeric = "(numeric)";
            rows.push((
                "reward".into(),
                format!(
                    "R = (f◇)'(v) = {} for this pair's D_f(q‖pθ) = D_f◇(pθ‖q), v = pθ/q, descended (the weight w = g'(t) = −R is ascended); for D_f(pθ‖q), R = f'(v) = {}",
                    r.reward_in_v.as_deref().unwrap_or(numeric),
                    r.forward_reward_in_v.as_deref().unwrap_or(numeric),
                ),
            ));
            rows.push((
                "reward check".into(),
                format!(
                    "E_pθ[R·∇θ log pθ] = −E_pθ[w·∇θ log pθ] vs finite differences of D_f(q‖pθ): max relative error {:.1e}",
                    r.max_rel_error
                ) + &noise_suffix(r.verdict, r.max_rel_noise, "the gradient"),
            ));
        }
        Part::Refused(r) => rows.push(("reward".into(), unavailable(r))),
    }
    match &a.convexity {
        Part::Value(c) => {
            rows.push(("convexity".into(), c.description.clone()));
            if let Some(n) = c.note {
                rows.push(("".into(), n.to_string()));
            }
        }
        Part::Refused(r) => rows.push(("convexity".into(), unavailable(r))),
    }
    rows.push((
        "tails".into(),
        match &a.tails {
            Part::Value(t) => tails_text(t),
            Part::Refused(r) => unavailable(r),
        },
    ));
    match (&a.dual.expr, &a.dual.refused) {
        (Some(_), _) if a.dual.self_dual => {
            rows.push(("dual".into(), "f◇(u) = u·f(1/u) = f(u) (self-dual)".into()))
        }
        (Some(d), _) => rows.push(("dual".into(), format!("f◇(u) = u·f(1/u) = {d}"))),
        (None, Some(r)) => rows.push(("dual".into(), unavailable(r))),
        (None, None) => {}
    }
    rows.push((
        "conjugate".into(),
        match &a.conjugate {
            super::model::ConjugateData::Value { text, .. } => format!("f*(y) = {text}"),
            super::model::ConjugateData::Refused { refused, .. } => {
                format!("not available: {refused}")
            }
        },
    ));
    if let Some(rg) = &a.regime {
        rows.push((
            "regime".into(),
            match (&rg.generator, rg.max_rel_error, rg.verdict, &rg.refused) {
                (Some(g), Some(e), Some(v), _) => {
                    format!(
                        "{}: f(u) = {g}, gradient check max relative error {e:.1e}",
                        rg.name
                    ) + &noise_suffix(v, rg.max_rel_noise.unwrap_or(f64::NAN), "the gradient")
                }
                (_, _, _, refused) => format!(
                    "{}: not available: {}",
                    rg.name,
                    refused.as_deref().unwrap_or("")
                ),
            },
        ));
    }
}

/// A limit as the report prints it: the exact value, `∞`, a numeric value, or why unknown.
fn limit_text(exact: Option<&str>, value: Option<f64>, unknown: Option<&str>) -> String {
    match (exact, value) {
        (Some("inf"), _) => "∞".to_string(),
        (Some("-inf"), _) => "−∞".to_string(),
        (Some(e), _) => e.to_string(),
        (None, Some(v)) => format!("{} (numeric)", short(v)),
        (None, None) => format!("unknown ({})", unknown.unwrap_or("")),
    }
}

/// `f(0+)` as the report prints it.
pub(crate) fn f_at_0_text(t: &TailsData) -> String {
    limit_text(
        t.f_at_0_exact.as_deref(),
        t.f_at_0,
        t.f_at_0_unknown.as_deref(),
    )
}

/// `f'(∞)` as the report prints it.
pub(crate) fn f_prime_at_inf_text(t: &TailsData) -> String {
    limit_text(
        t.f_prime_at_inf_exact.as_deref(),
        t.f_prime_at_inf,
        t.f_prime_at_inf_unknown.as_deref(),
    )
}

/// `f(0+) = …, f'(∞) = …: zero-forcing (mode-seeking) …, zero-avoiding (mass-covering) …`.
fn tails_text(t: &TailsData) -> String {
    format!(
        "f(0+) = {}, f'(∞) = {}: zero-forcing (mode-seeking) {}, zero-avoiding (mass-covering) {}",
        f_at_0_text(t),
        f_prime_at_inf_text(t),
        yes_no(t.zero_forcing),
        yes_no(t.zero_avoiding)
    )
}

/// `fill` written into `cell`, then pushed onto `out` right-aligned in `width` characters, as
/// `{:>width$}` aligns it.
fn right(out: &mut String, cell: &mut String, width: usize, fill: impl FnOnce(&mut String)) {
    const SPACES: &str = "                                ";
    cell.clear();
    fill(cell);
    // A number is ASCII: one byte a character, counted without decoding.
    let len = if cell.is_ascii() {
        cell.len()
    } else {
        cell.chars().count()
    };
    let pad = width.saturating_sub(len);
    match SPACES.get(..pad) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', pad)),
    }
    out.push_str(cell);
}

/// `n` spaces pushed onto `out`.
fn pad(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    match SPACES.get(..n) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', n)),
    }
}

/// The error column of a value in closed form.
const CLOSED_FORM: &str = "closed form";
const _: () = assert!(CLOSED_FORM.len() >= 10);

/// The values of the derived side as an aligned table (empty without values).
pub(crate) fn values_table(d: &ReportData) -> String {
    let mut out = String::new();
    if d.values.is_empty() {
        return out;
    }
    let (x, y) = if d.direction == "from-loss" {
        ("u", "f(u)")
    } else {
        ("t", "g(t)")
    };
    // The points, written first: their column is 12 characters wide, or as wide as the widest
    // (a point given with 17 digits is 21), so that the columns stay aligned.
    let mut points = String::with_capacity(12 * d.values.len());
    let mut ends = Vec::with_capacity(d.values.len());
    let mut width = 12;
    for v in &d.values {
        let start = points.len();
        short_into(&mut points, v.point());
        // A number is ASCII: its length in bytes is its width.
        width = width.max(points.len() - start);
        ends.push(points.len());
    }
    out.push_str(&format!("\n{x:>width$}  {y:>24}  {:>10}\n", "± error"));
    out.reserve((48 + width) * d.values.len());
    let mut cell = String::new();
    let mut start = 0;
    for (v, end) in d.values.iter().zip(ends) {
        let point = &points[start..end];
        start = end;
        let (value, error, refused) = match v {
            ValueData::Divergence {
                f, error, refused, ..
            } => (*f, *error, refused),
            ValueData::Loss {
                g, error, refused, ..
            } => (*g, *error, refused),
        };
        // Written into `out` through one reused cell: a table may have many rows.
        pad(&mut out, width - point.len());
        out.push_str(point);
        out.push_str("  ");
        match (value, refused) {
            (Some(value), _) => {
                right(&mut out, &mut cell, 24, |c| short_into(c, value));
                out.push_str("  ");
                match error {
                    Some(e) => right(&mut out, &mut cell, 10, |c| {
                        super::decimal::two_digits_into(c, e)
                    }),
                    // Wider than its column: written as it is.
                    None => out.push_str(CLOSED_FORM),
                }
            }
            (None, refused) => {
                right(&mut out, &mut cell, 24, |c| c.push_str("refused"));
                out.push_str("  ");
                out.push_str(refused.as_deref().unwrap_or(""));
            }
        }
        out.push('\n');
    }
    out
}
