//! `fcorr catalog`: every named divergence with its loss and properties.

use crate::transform::Correspondence;

/// One row of `fcorr catalog`.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogRow {
    /// The named divergence.
    pub named: &'static crate::catalog::NamedDivergence,
    /// Its derived pair (with parameter defaults).
    pub pair: Correspondence,
    /// Its analysis.
    pub analysis: crate::analysis::Analysis,
}

/// Every named divergence with its loss and analysis.
pub fn catalog_rows() -> Result<Vec<CatalogRow>, crate::Error> {
    use crate::transform::{Bindings, Residual, from_divergence};
    let opts = crate::check::CheckOptions::default();
    crate::catalog::DIVERGENCES
        .iter()
        .map(|d| {
            let f = d.generator(&Bindings::new())?;
            let pair = from_divergence(&f, Residual::TargetMinusModel, &Bindings::new())?;
            let analysis = crate::analysis::analyze(&pair, &opts, None)?;
            Ok(CatalogRow {
                named: d,
                pair,
                analysis,
            })
        })
        .collect()
}

/// A part's cell: `f` of its value, or `not available`.
fn cell<T>(part: &crate::analysis::Outcome<T>, f: impl FnOnce(&T) -> String) -> String {
    part.as_ref().map_or_else(|_| "not available".into(), f)
}

/// A part's cell in the data: `f` of its value, or `not available`.
fn data_cell<T>(part: &super::model::Part<T>, f: impl FnOnce(&T) -> String) -> String {
    match part {
        super::model::Part::Value(v) => f(v),
        super::model::Part::Refused(_) => "not available".into(),
    }
}

/// The catalog's text and Markdown fields of `r`, rendered from its data
/// ([`super::model::CatalogEntryData`]).
fn row_fields(r: &CatalogRow) -> Vec<(&'static str, String)> {
    let e = entry_data(r);
    let d = &e.report;
    let Some(a) = &d.analysis else {
        return Vec::new();
    };
    let params = e
        .defaults
        .iter()
        .map(|p| format!("{} = {}", p.name, p.value))
        .collect::<Vec<_>>()
        .join(", ");
    let numeric = || "numeric".to_string();
    vec![
        ("key", e.key.to_string()),
        ("divergence", e.name.to_string()),
        ("f(u)", e.generator.to_string()),
        ("parameters", params),
        (
            "f(u) simplified",
            d.divergence
                .expr
                .clone()
                .unwrap_or_else(|| "(numeric)".into()),
        ),
        ("g(t)", d.loss.expr.clone().unwrap_or_else(numeric)),
        (
            "f'(1)",
            data_cell(&a.normalization, |n| n.exact.f_prime_at_1.expr.clone()),
        ),
        (
            "canonical g(t)",
            data_cell(&a.canonical, |c| c.loss.clone().unwrap_or_else(numeric)),
        ),
        ("reward R", data_cell(&a.reward, reward_text)),
        (
            "convexity",
            data_cell(&a.convexity, |c| c.description.clone()),
        ),
        ("f(0+)", data_cell(&a.tails, super::text::f_at_0_text)),
        (
            "f'(∞)",
            data_cell(&a.tails, super::text::f_prime_at_inf_text),
        ),
        (
            "zero-forcing",
            data_cell(&a.tails, |t| yes_no(t.zero_forcing).into()),
        ),
        (
            "zero-avoiding",
            data_cell(&a.tails, |t| yes_no(t.zero_avoiding).into()),
        ),
        (
            "conjugate f*(y)",
            match &a.conjugate {
                super::model::ConjugateData::Value { text, .. } => text.clone(),
                super::model::ConjugateData::Refused { .. } => "not available".into(),
            },
        ),
    ]
}

/// The rewards as the report names them: `R = (f◇)'(v)` for the entry's `D_f(q‖pθ)` and
/// `R = f'(v)` for `D_f(pθ‖q)`, `v = pθ/q`.
fn reward_text(r: &super::model::RewardData) -> String {
    let numeric = "(numeric)";
    format!(
        "(f◇)'(v) = {} for D_f(q‖pθ), f'(v) = {} for D_f(pθ‖q); v = pθ/q",
        r.reward_in_v.as_deref().unwrap_or(numeric),
        r.forward_reward_in_v.as_deref().unwrap_or(numeric)
    )
}

pub(crate) fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// `fcorr catalog` as text.
pub fn catalog_text(rows: &[CatalogRow]) -> String {
    let mut out = String::new();
    for r in rows {
        for (k, v) in row_fields(r) {
            if !v.is_empty() {
                out.push_str(&format!("{k:<16}  {v}\n"));
            }
        }
        out.push('\n');
    }
    out
}

/// `fcorr catalog` as data: each entry the report of the divergence's pair (the same keys as
/// the main command's `--json`, without values or gradient check) with its catalog `key`,
/// `name`, `generator` as written and `defaults` (`{"name", "value"}`).
pub fn catalog_data(rows: &[CatalogRow]) -> super::model::CatalogData {
    super::model::CatalogData {
        entries: rows.iter().map(entry_data).collect(),
    }
}

/// The data of one catalog entry.
fn entry_data(r: &CatalogRow) -> super::model::CatalogEntryData {
    use super::model::{CatalogEntryData, DefaultData};
    let report = super::Report {
        pair: r.pair.clone(),
        values: Vec::new(),
        gradient_check: None,
        analysis: Some(r.analysis.clone()),
        parameters: Vec::new(),
    };
    CatalogEntryData {
        report: report.data(),
        key: r.named.key,
        name: r.named.name,
        generator: r.named.f,
        defaults: r
            .named
            .params
            .iter()
            .map(|(p, v)| DefaultData {
                name: p,
                value: v.to_string(),
            })
            .collect(),
    }
}

/// `fcorr catalog` as JSON: `{"entries": [...]}` (see [`catalog_data`]).
pub fn catalog_json(rows: &[CatalogRow]) -> serde_json::Value {
    super::to_json(&super::model::Versioned::new("catalog", catalog_data(rows)))
}

/// `fcorr catalog` as a Markdown table.
pub fn catalog_markdown(rows: &[CatalogRow]) -> String {
    let mut out = String::new();
    let header: Vec<&str> = rows
        .first()
        .map(|r| row_fields(r).iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for r in rows {
        let cells: Vec<String> = row_fields(r)
            .into_iter()
            .map(|(_, v)| format!("`{}`", v.replace('|', "\\|")).replace("``", ""))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The LaTeX form of a catalog name: Greek letters and symbols in math mode.
fn latex_name(name: &str) -> String {
    name.replace('_', "\\_")
        .replace("pθ", "$p_\\theta$")
        .replace('‖', "$\\|$")
        .replace("χ²", "$\\chi^2$")
        .replace('α', "$\\alpha$")
        .replace('Δ', "$\\Delta$")
        .replace("H²", "$H^2$")
        .replace('–', "--")
}

/// `fcorr catalog` as a LaTeX `booktabs` table (needs `\usepackage{booktabs}`).
pub fn catalog_latex(rows: &[CatalogRow]) -> String {
    let mut out = String::from(
        "\\begin{tabular}{lllccc}\n\\toprule\nDivergence & $f(u)$ & $g(t)$ & $f'(1)$ & zero-forcing & zero-avoiding \\\\\n\\midrule\n",
    );
    for r in rows {
        let f = r.pair.divergence.as_ref().map_or("numeric".into(), |e| {
            format!("${}$", crate::print::latex(e))
        });
        let g = r.pair.loss.as_ref().map_or("numeric".into(), |e| {
            format!("${}$", crate::print::latex(e))
        });
        let a = &r.analysis;
        out.push_str(&format!(
            "{} & {f} & {g} & {} & {} & {} \\\\\n",
            latex_name(r.named.name),
            cell(&a.normalization, |n| format!(
                "${}$",
                crate::print::latex(&n.f_prime_at_1.expr)
            )),
            cell(&a.tails, |t| yes_no(t.zero_forcing).into()),
            cell(&a.tails, |t| yes_no(t.zero_avoiding).into()),
        ));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    out
}
