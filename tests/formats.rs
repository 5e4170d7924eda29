//! Report formats for papers: LaTeX formulas for `align`, Markdown tables, the catalog as a
//! `booktabs` table. Rows whose numbers are floating-point noise (gradient-check errors) are
//! left out of the snapshots; their values are tested elsewhere.

use fcorr::check::CheckOptions;
use fcorr::parse::parse;
use fcorr::report::Report;
use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};

fn report(pair: fcorr::transform::Correspondence, at: &[f64]) -> Report {
    let values = pair.derived_points(at).unwrap();
    let analysis = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None).unwrap();
    Report {
        pair,
        values,
        gradient_check: None,
        analysis: Some(analysis),
        parameters: vec![],
    }
}

fn without_noise(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| {
            !["| reward check", "| class", "| convexity"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn latex_and_markdown_reports() {
    let b = Bindings::new();
    let r = Residual::TargetMinusModel;
    let sq = report(
        from_loss(&parse("t^2").unwrap(), r, &b).unwrap(),
        &[0.5, 2.0],
    );
    insta::assert_snapshot!("latex_squared_loss", sq.latex());
    insta::assert_snapshot!("markdown_squared_loss", without_noise(&sq.markdown()));
    let trap = report(
        from_loss(
            &parse("exp(t) - t - 1").unwrap(),
            Residual::ModelMinusTarget,
            &b,
        )
        .unwrap(),
        &[],
    );
    insta::assert_snapshot!("latex_sign_trap", trap.latex());
    let js = report(
        from_divergence(&parse("u*log(u) - (u + 1)*log((1 + u)/2)").unwrap(), r, &b).unwrap(),
        &[],
    );
    insta::assert_snapshot!("latex_jensen_shannon", js.latex());
}

#[test]
fn catalog_booktabs() {
    let rows = fcorr::report::catalog_rows().unwrap();
    let table = fcorr::report::catalog_latex(&rows);
    assert!(
        table.contains("\\toprule")
            && table.contains("\\midrule")
            && table.contains("\\bottomrule")
    );
    insta::assert_snapshot!(table);
}
