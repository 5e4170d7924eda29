//! The family report as text, Markdown and LaTeX, rendered from its data
//! ([`crate::report::model::FamilyData`], which the JSON is serialised from).

use super::{CaseKind, Family};
use crate::check::Verdict;
use crate::report::model::{CaseData, FamilyData, Part, Versioned};
use crate::transform::Direction;

impl Family {
    /// The report as data: the keys of its JSON.
    pub fn data(&self) -> FamilyData {
        FamilyData::of(self)
    }

    /// The report as a JSON value (command `family`).
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(Versioned::new("family", self.data()))
            .unwrap_or(serde_json::Value::Null)
    }

    /// The report as `(label, text)` rows, in the order they are printed.
    pub fn rows(&self) -> Vec<(String, String)> {
        rows(&self.data())
    }

    /// The report as aligned text for a terminal.
    pub fn text(&self) -> String {
        crate::report::text::aligned(self.rows())
    }

    /// The report as a Markdown table of the same rows.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| | |\n|---|---|\n");
        for (k, v) in self.rows() {
            let k = k.trim();
            out.push_str(&format!("| {k} | {} |\n", v.replace('|', "\\|")));
        }
        if let Ok(r) = &self.regions {
            out.push('\n');
            out.push_str(&super::regions::render::markdown(r));
        }
        out
    }

    /// Each case's formulas as lines for a LaTeX `align` environment, its conditions in a
    /// comment.
    pub fn latex(&self) -> String {
        use crate::print::latex;
        let mut out = format!(
            "% fcorr: the family in {}; {}; D_f(q||p_theta) = E_{{p_theta}}[f(q/p_theta)]\n",
            self.param,
            match (self.residual, self.direction) {
                (crate::transform::Residual::TargetMinusModel, _) => "t = log q - log p_theta",
                (crate::transform::Residual::ModelMinusTarget, Direction::FromLoss) =>
                    "input G(r) on r = log p_theta - log q, reflected: g(t) = G(-t) on t = log q - log p_theta",
                (crate::transform::Residual::ModelMinusTarget, Direction::FromDivergence) =>
                    "t = log q - log p_theta; on r = log p_theta - log q the loss is G(r) = g(-r)",
            }
        );
        // `(is_formula, text)`: formulas end in `\\` except the last of all.
        let mut lines: Vec<(bool, String)> = Vec::new();
        for c in &self.cases {
            let conditions: Vec<String> = c
                .conditions
                .iter()
                .map(|x| super::assume::text(x, &self.param))
                .collect();
            lines.push((
                false,
                format!("% case ({}): {}", kind_word(c.kind), conditions.join(", ")),
            ));
            match &c.pair {
                Ok(p) => {
                    let on_r = crate::transform::model_minus_target_loss(p);
                    let (g_of_r, big_g_of_r) = match self.direction {
                        Direction::FromLoss => (on_r, None),
                        Direction::FromDivergence => (None, on_r),
                    };
                    for (lhs, e) in [
                        ("G(r)", &g_of_r),
                        ("g(t)", &p.loss),
                        ("G(r) = g(-r)", &big_g_of_r),
                        ("g'(t)", &p.loss_derivative),
                        ("f(u)", &p.divergence),
                        ("f'(u)", &p.divergence_derivative),
                    ] {
                        if let Some(e) = e {
                            lines.push((true, format!("{lhs} &= {}", latex(e))));
                        }
                    }
                }
                Err(u) => lines.push((false, format!("% not available: {}", u.reason))),
            }
        }
        let last = lines.iter().rposition(|(formula, _)| *formula);
        for (i, (formula, text)) in lines.iter().enumerate() {
            out.push_str(text);
            if *formula && Some(i) != last {
                out.push_str(" \\\\");
            }
            out.push('\n');
        }
        if let Ok(r) = &self.regions {
            out.push_str("% the regions of the parameter (booktabs)\n");
            out.push_str(&super::regions::render::latex_table(r));
        }
        out
    }

    /// Why the family report is not a success, or `None`: the gradient check of the generic
    /// pair fails or is inconclusive at a value, or no case has a member.
    pub fn failure(&self) -> Option<String> {
        let failed: Vec<String> = self
            .gradient_checks
            .iter()
            .filter(|g| g.check.as_ref().is_ok_and(|c| c.verdict != Verdict::Holds))
            .map(|g| {
                format!(
                    "{} = {}",
                    self.param,
                    super::ratfun::rational_text(&g.value)
                )
            })
            .collect();
        if !failed.is_empty() {
            return Some(format!(
                "the gradient check of the generic pair does not hold at {}",
                failed.join(", ")
            ));
        }
        if self.cases.iter().all(|c| c.pair.is_err()) {
            return Some("no member of the family could be derived".into());
        }
        None
    }
}

fn kind_word(k: CaseKind) -> &'static str {
    match k {
        CaseKind::Generic => "generic",
        CaseKind::Value => "special value",
        CaseKind::Limit => "special value, as a limit",
        CaseKind::Undefined => "undefined",
    }
}

fn case_rows(d: &FamilyData, c: &CaseData, rows: &mut Vec<(String, String)>) {
    let from_loss = d.direction == "from-loss";
    let p = &d.parameter;
    let conditions: Vec<&str> = c.conditions.iter().map(|x| x.text.as_str()).collect();
    let what = if from_loss { "loss" } else { "generator" };
    let head = match (c.kind, &c.value) {
        (CaseKind::Generic, _) if conditions.is_empty() && d.assumptions.is_empty() => {
            "every value (generic)".to_string()
        }
        (CaseKind::Generic, _) if conditions.is_empty() => {
            "every value assumed (generic)".to_string()
        }
        (CaseKind::Generic, _) => format!("{} (generic)", conditions.join(", ")),
        (CaseKind::Value, Some(v)) => format!("{p} = {v}: derived with the value"),
        (CaseKind::Limit, Some(v)) => format!(
            "{p} = {v}: the {what} is undefined ({}); the member is its limit {p} → {v}",
            c.undefined.as_deref().unwrap_or("")
        ),
        (CaseKind::Undefined, _) => format!(
            "{}: the {what} is undefined ({})",
            conditions.join(", "),
            c.undefined.as_deref().unwrap_or("")
        ),
        _ => conditions.join(", "),
    };
    rows.push(("case".into(), head));
    if c.kind == CaseKind::Undefined {
        return;
    }
    let m = match &c.member {
        Part::Value(m) => m,
        Part::Refused(r) => {
            rows.push(("  member".into(), format!("not available: {}", r.refused)));
            return;
        }
    };
    let label = if m.closed_form {
        "closed form"
    } else {
        "numeric"
    };
    let numeric = |e: &Option<String>, n: &str| e.clone().unwrap_or_else(|| n.to_string());
    let reflected = d.residual == crate::transform::Residual::ModelMinusTarget.name();
    if from_loss {
        if c.kind != CaseKind::Generic || reflected {
            rows.push(("  g(t)".into(), numeric(&m.loss, "(numeric)")));
        }
        rows.push((
            "  f(u)".into(),
            format!(
                "{}    ({label})",
                numeric(&m.divergence, "numeric: u ∫_0^ln(u) g'(τ) e^(−τ) dτ")
            ),
        ));
        rows.push((
            "  f'(u)".into(),
            numeric(&m.divergence_derivative, "(f(u) + g'(ln u))/u"),
        ));
        rows.push(("  g'(t)".into(), numeric(&m.loss_derivative, "(numeric)")));
    } else {
        if c.kind != CaseKind::Generic {
            rows.push(("  f(u)".into(), numeric(&m.divergence, "(numeric)")));
        }
        rows.push((
            "  g(t)".into(),
            format!(
                "{}    ({label})",
                numeric(&m.loss, "numeric: f(1) + ∫_0^t g'(τ) dτ")
            ),
        ));
        if let Some(on_r) = &m.model_minus_target {
            rows.push((
                "  G(r)".into(),
                format!("= g(−r) = {}", numeric(&on_r.loss, "(numeric)")),
            ));
        }
        rows.push((
            "  g'(t)".into(),
            numeric(&m.loss_derivative, "u·f'(u) − f(u) at u = e^t"),
        ));
        rows.push((
            "  f'(u)".into(),
            numeric(&m.divergence_derivative, "(numeric)"),
        ));
    }
    if let (Some(l), Some(v)) = (&c.generic_limit, &c.value) {
        let side = if from_loss { "f(u)" } else { "g(t)" };
        let text = match (&l.expr, l.agrees) {
            (Some(e), Some(true)) => {
                format!("the generic {side} as {p} → {v} is {e}: the same")
            }
            (Some(e), _) => format!("the generic {side} as {p} → {v} is {e}: DIFFERENT"),
            (None, _) => format!(
                "the generic {side} as {p} → {v}: not computed ({})",
                l.reason.as_deref().unwrap_or("")
            ),
        };
        rows.push(("  limit".into(), text));
    }
}

fn rows(d: &FamilyData) -> Vec<(String, String)> {
    let from_loss = d.direction == "from-loss";
    let reflected = d.residual == crate::transform::Residual::ModelMinusTarget.name();
    let mut rows: Vec<(String, String)> = Vec::new();
    let on_r = d
        .model_minus_target
        .as_ref()
        .and_then(|m| m.loss.as_deref());
    rows.push((
        "input".into(),
        crate::report::text::input_row(from_loss, reflected, &d.written, on_r),
    ));
    rows.push((
        "family".into(),
        format!(
            "in {} (no value given: derived for every value)",
            d.parameter
        ),
    ));
    if !d.parameters.is_empty() {
        rows.push((
            "parameters".into(),
            crate::report::parameters_text(&d.parameters),
        ));
    }
    if !d.assumptions.is_empty() {
        let a: Vec<&str> = d.assumptions.iter().map(|a| a.text.as_str()).collect();
        rows.push(("assumed".into(), a.join(", ")));
    }
    rows.push((
        "residual".into(),
        crate::report::text::residual_row_in_r(
            from_loss,
            reflected,
            on_r.is_some(),
            "in each case",
        ),
    ));
    rows.push(("divergence".into(), d.divergence_definition.to_string()));
    for c in &d.cases {
        case_rows(d, c, &mut rows);
    }
    rows.extend(gradient_rows(d));
    match &d.regions {
        Part::Value(r) => rows.extend(
            super::regions::render::rows(r)
                .into_iter()
                .map(|(l, t)| (l.to_string(), t)),
        ),
        Part::Refused(r) => rows.push(("regions".into(), format!("not available: {}", r.refused))),
    }
    rows
}

fn gradient_rows(d: &FamilyData) -> Vec<(String, String)> {
    if d.gradient_checks.is_empty() {
        return Vec::new();
    }
    let p = &d.parameter;
    let mut out = Vec::new();
    for (verdict, word) in [
        (Verdict::Holds, "holds"),
        (Verdict::Inconclusive, "inconclusive"),
        (Verdict::Fails, "FAILS"),
    ] {
        let at: Vec<_> = d
            .gradient_checks
            .iter()
            .filter_map(|g| match &g.check {
                Part::Value(c) if c.verdict == verdict => Some((g.value.as_str(), c)),
                _ => None,
            })
            .collect();
        if at.is_empty() {
            continue;
        }
        let worst = at
            .iter()
            .map(|(_, c)| c.max_rel_error)
            .fold(0.0_f64, f64::max);
        let (models, k) = (at[0].1.models, at[0].1.categories);
        let values: Vec<&str> = at.iter().map(|(v, _)| *v).collect();
        out.push((
            "gradient check".into(),
            format!(
                "{word} at {p} = {}: the generic pair with each value substituted, max relative error {worst:.1e} over {models} random softmax models (K = {k})",
                values.join(", ")
            ),
        ));
    }
    for g in &d.gradient_checks {
        if let Part::Refused(r) = &g.check {
            out.push((
                "gradient check".into(),
                format!("not available at {p} = {}: {}", g.value, r.refused),
            ));
        }
    }
    out
}
