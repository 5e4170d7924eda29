//! `fcorr catalog`: every named divergence with its loss and properties.

use super::limit_text;
use crate::print::plain;
use crate::transform::Correspondence;
use serde_json::json;

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

fn row_fields(r: &CatalogRow) -> Vec<(&'static str, String)> {
    let n = &r.analysis.normalization;
    let params = if r.named.params.is_empty() {
        String::new()
    } else {
        r.named
            .params
            .iter()
            .map(|(p, v)| format!("{p} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        ("key", r.named.key.to_string()),
        ("divergence", r.named.name.to_string()),
        ("f(u)", r.named.f.to_string()),
        ("parameters", params),
        (
            "f(u) simplified",
            r.pair.divergence.as_ref().map_or("(numeric)".into(), plain),
        ),
        ("g(t)", r.pair.loss.as_ref().map_or("numeric".into(), plain)),
        ("f'(1)", plain(&n.f_prime_at_1.expr)),
        (
            "canonical g(t)",
            n.canonical_g.as_ref().map_or("numeric".into(), plain),
        ),
        (
            "reward f'(u)",
            r.analysis
                .reward
                .f_prime
                .as_ref()
                .map_or("numeric".into(), plain),
        ),
        ("convexity", r.analysis.convexity.description.clone()),
        ("f(0+)", limit_text(&r.analysis.tails.f_at_0)),
        ("f'(∞)", limit_text(&r.analysis.tails.f_prime_at_inf)),
        ("zero-forcing", yes_no(r.analysis.tails.zero_forcing).into()),
        (
            "zero-avoiding",
            yes_no(r.analysis.tails.zero_avoiding).into(),
        ),
        (
            "conjugate f*(y)",
            match &r.analysis.conjugate {
                Ok(c) => super::conjugate::text(c),
                Err(_) => "not available".into(),
            },
        ),
    ]
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

/// `fcorr catalog` as JSON: `{"entries": [...]}`, each entry the report of the divergence's pair
/// (the same keys as the main command's `--json`, without values or gradient check) with its
/// catalog `key`, `name`, `generator` as written and `defaults` (`{"name", "value"}`).
pub fn catalog_json(rows: &[CatalogRow]) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let report = super::Report {
                pair: r.pair.clone(),
                values: Vec::new(),
                gradient_check: None,
                analysis: Some(r.analysis.clone()),
                parameters: Vec::new(),
            };
            let mut entry = report.json();
            if let serde_json::Value::Object(m) = &mut entry {
                m.remove("schema_version");
                m.remove("command");
                m.insert("key".into(), json!(r.named.key));
                m.insert("name".into(), json!(r.named.name));
                m.insert("generator".into(), json!(r.named.f));
                m.insert(
                    "defaults".into(),
                    json!(
                        r.named
                            .params
                            .iter()
                            .map(|(p, v)| json!({"name": p, "value": v.to_string()}))
                            .collect::<Vec<_>>()
                    ),
                );
            }
            entry
        })
        .collect();
    super::versioned("catalog", json!({ "entries": entries }))
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
        out.push_str(&format!(
            "{} & {f} & {g} & ${}$ & {} & {} \\\\\n",
            latex_name(r.named.name),
            crate::print::latex(&r.analysis.normalization.f_prime_at_1.expr),
            yes_no(r.analysis.tails.zero_forcing),
            yes_no(r.analysis.tails.zero_avoiding),
        ));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    out
}
