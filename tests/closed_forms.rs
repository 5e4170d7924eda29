//! Closed forms of the integration table (rational in an exponential, dilogarithm by parts, split
//! at the kinks of `abs`/`sign`) against 30-digit references.
//!
//! `tests/fixtures/closed_forms.tsv` holds values of the defining integrals computed by mpmath
//! quadrature at 50 digits (`tests/fixtures/closed_forms.py`, committed beside it); this test
//! needs no Python. Every case must come out in closed form, and every value fcorr reports
//! for it (`derived_values`, the path behind `--at`) must be a closed-form value within 1e-12
//! relative of the reference, at points spanning u in [1e-12, 1e12] and t in [−40, 40].

use fcorr::analysis::regime::generator;
use fcorr::check::Regime;
use fcorr::eval::{Params, compile};
use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};

const TOLERANCE: f64 = 1e-12;

struct Reference {
    side: String,
    input: String,
    point: f64,
    value: f64,
}

fn references() -> Vec<Reference> {
    let text = include_str!("fixtures/closed_forms.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "{l}");
            Reference {
                side: cols[0].to_string(),
                input: cols[1].to_string(),
                point: cols[2].parse().unwrap(),
                value: cols[3].parse().unwrap(),
            }
        })
        .collect()
}

/// `(value, closed)` of the derived side of `r.input` at `r.point`.
fn fcorr_value(r: &Reference) -> (f64, bool) {
    let e = parse(&r.input).unwrap_or_else(|e| panic!("{}: {e}", r.input));
    let (b, res) = (Bindings::new(), Residual::TargetMinusModel);
    match r.side.as_str() {
        "f" | "g" => {
            let pair = if r.side == "f" {
                from_loss(&e, res, &b)
            } else {
                from_divergence(&e, res, &b)
            }
            .unwrap_or_else(|e| panic!("{}: {e}", r.input));
            assert!(pair.closed_form(), "{} is not in closed form", r.input);
            let v = pair.derived_values(&[r.point]).unwrap()[0];
            (v.value, v.error.is_none())
        }
        "f4" => {
            let f = generator(&e, Regime::TargetSamplesTargetGradient)
                .unwrap()
                .unwrap_or_else(|| panic!("f4 of {} is not in closed form", r.input));
            let c = compile(&f, "u", &Params::new()).unwrap();
            (c.eval(r.point), true)
        }
        other => panic!("unknown side {other}"),
    }
}

#[test]
fn closed_forms_match_30_digit_references() {
    let refs = references();
    assert!(refs.len() >= 80, "fixture has {} rows", refs.len());
    let mut worst = (0.0f64, String::new());
    for r in &refs {
        let (got, closed) = fcorr_value(r);
        assert!(
            closed,
            "{} {} at {}: not a closed-form value",
            r.side, r.input, r.point
        );
        let err = (got - r.value).abs() / r.value.abs();
        if err > worst.0 {
            worst = (err, format!("{} {} at {}", r.side, r.input, r.point));
        }
        assert!(
            err <= TOLERANCE,
            "{} of {} at {}: fcorr {got:e}, reference {:e} (relative error {err:.2e})",
            r.side,
            r.input,
            r.point,
            r.value
        );
    }
    eprintln!("worst relative error {:.2e} ({})", worst.0, worst.1);
}

#[test]
fn every_case_spans_its_documented_range() {
    let refs = references();
    for side in ["f", "g", "f4"] {
        let mut inputs: Vec<&str> = refs
            .iter()
            .filter(|r| r.side == side)
            .map(|r| r.input.as_str())
            .collect();
        inputs.dedup();
        for input in inputs {
            let pts: Vec<f64> = refs
                .iter()
                .filter(|r| r.side == side && r.input == input)
                .map(|r| r.point)
                .collect();
            assert!(pts.len() >= 6, "{side} {input}: {} points", pts.len());
            let (lo, hi) = pts
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            let (want_lo, want_hi) = if side == "g" {
                (-40.0, 40.0)
            } else {
                (1e-12, 1e12)
            };
            assert!(
                lo <= want_lo && hi >= want_hi,
                "{side} {input}: [{lo}, {hi}]"
            );
        }
    }
}
