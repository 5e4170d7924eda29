//! `fcorr catalog`: every named divergence with its loss and properties.

use super::limit_text;
use crate::print::plain;
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

fn row_fields(r: &CatalogRow) -> Vec<(&'static str, String)> {
    let a = &r.analysis;
    let n = &a.normalization;
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
        ("f'(1)", cell(n, |n| plain(&n.f_prime_at_1.expr))),
        (
            "canonical g(t)",
            cell(n, |n| {
                n.canonical_g.as_ref().map_or("numeric".into(), plain)
            }),
        ),
        (
            "reward f'(u)",
            cell(&a.reward, |r| {
                r.f_prime.as_ref().map_or("numeric".into(), plain)
            }),
        ),
        ("convexity", cell(&a.convexity, super::convexity_text)),
        ("f(0+)", cell(&a.tails, |t| limit_text(&t.f_at_0))),
        ("f'(∞)", cell(&a.tails, |t| limit_text(&t.f_prime_at_inf))),
        (
            "zero-forcing",
            cell(&a.tails, |t| yes_no(t.zero_forcing).into()),
        ),
        (
            "zero-avoiding",
            cell(&a.tails, |t| yes_no(t.zero_avoiding).into()),
        ),
        (
            "conjugate f*(y)",
            cell(&a.conjugate, super::conjugate::text),
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

/// `fcorr catalog` as data: each entry the report of the divergence's pair (the same keys as
/// the main command's `--json`, without values or gradient check) with its catalog `key`,
/// `name`, `generator` as written and `defaults` (`{"name", "value"}`).
pub fn catalog_data(rows: &[CatalogRow]) -> super::model::CatalogData {
    use super::model::{CatalogEntryData, DefaultData};
    let entries = rows
        .iter()
        .map(|r| {
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
        })
        .collect();
    super::model::CatalogData { entries }
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
