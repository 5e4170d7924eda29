//! The numeric sides at the edges of their documented ranges, for every catalog entry, against
//! 30-digit references (`tests/fixtures/numeric_references.py`, mpmath, output committed as
//! `numeric_references.tsv`): numeric `g` of each catalog divergence at
//! `t ∈ {−40, −20, −5, 5, 12, 20, 30, 40}` and numeric `f` of each catalog loss at
//! `u ∈ {1e-12, 1e-6, 1e6, 1e12}`, computed by quadrature even where a closed form exists.
//! Each value agrees to `1e-9` relative and within its own error estimate, or is refused with a
//! reason; the refusals are listed here, so that a new one fails the test.

use fcorr::parse::parse;
use fcorr::transform::{Bindings, Correspondence, Residual, from_divergence, from_loss};

const FIXTURES: &str = include_str!("fixtures/numeric_references.tsv");

/// The points refused, as `(side, key, point)`; every other point must be given.
const REFUSED: &[(&str, &str, &str)] = &[];

fn pair(side: &str, key: &str) -> Correspondence {
    let (text, params) = match side {
        "g" => {
            let d = fcorr::catalog::divergence(key).expect("a catalog divergence");
            (d.f, d.params)
        }
        _ => {
            let l = fcorr::catalog::loss(key).expect("a catalog loss");
            (l.g, l.params)
        }
    };
    let mut b = Bindings::new();
    for (n, v) in params {
        b.set_from_str(&format!("{n}={v}")).unwrap();
    }
    let e = parse(text).unwrap();
    let r = Residual::TargetMinusModel;
    match side {
        "g" => from_divergence(&e, r, &b),
        _ => from_loss(&e, r, &b),
    }
    .unwrap_or_else(|e| panic!("{key}: {e}"))
}

#[test]
fn numeric_sides_match_references_at_the_range_edges() {
    let mut refused = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in FIXTURES.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [side, key, point, reference] = cols[..] else {
            panic!("bad fixture line {line:?}");
        };
        let x: f64 = point.parse().unwrap();
        let exact: f64 = reference.parse().unwrap();
        let p = pair(side, key);
        let got = p.numeric_points(&[x]).unwrap().pop().unwrap();
        match got {
            Ok(v) => {
                checked += 1;
                let error = v.error.expect("a numeric value has an error estimate");
                let actual = (v.value - exact).abs();
                if actual > 1e-9 * exact.abs() {
                    failures.push(format!(
                        "{side} {key} at {point}: {} vs {exact} (±{error:.1e})",
                        v.value
                    ));
                }
                if actual > error + 2.0 * f64::EPSILON * exact.abs() {
                    failures.push(format!(
                        "{side} {key} at {point}: error {error:.1e} under-reported (actual {actual:.1e})"
                    ));
                }
            }
            Err(r) => {
                assert!(!r.reason.is_empty());
                eprintln!("refused: {side} {key} at {point}: {}", r.reason);
                refused.push((side.to_string(), key.to_string(), point.to_string()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let expected: Vec<(String, String, String)> = REFUSED
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(refused, expected, "the refused points");
    assert_eq!(
        checked + refused.len(),
        fcorr::catalog::DIVERGENCES.len() * 8 + fcorr::catalog::LOSSES.len() * 4,
        "every fixture line"
    );
}

#[test]
fn a_value_never_depends_on_the_other_points() {
    for (side, key, xs) in [
        ("g", "tv", &[35.0, 10.0, -40.0, 0.5, 35.0][..]),
        ("g", "js", &[38.0, -3.0, 12.0, 40.0][..]),
        ("g", "gan", &[25.0, 30.0, -25.0][..]),
        ("f", "log-cosh", &[1e12, 3.0, 1e-12, 0.999][..]),
        ("f", "absolute", &[1e6, 1.0, 2.0, 1e-6][..]),
    ] {
        let p = pair(side, key);
        let together = p.numeric_points(xs).unwrap();
        for (got, &x) in together.iter().zip(xs) {
            let alone = p.numeric_points(&[x]).unwrap().pop().unwrap();
            assert_eq!(got, &alone, "{side} {key} at {x}");
        }
        assert_eq!(
            p.derived_points(xs).unwrap(),
            xs.iter()
                .map(|&x| p.derived_points(&[x]).unwrap().pop().unwrap())
                .collect::<Vec<_>>(),
            "{side} {key}"
        );
    }
}

mod independence {
    use super::pair;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any set of points: each value equals the value computed alone, bit for bit.
        #[test]
        fn numeric_values_do_not_depend_on_the_other_points(
            ts in prop::collection::vec(-40.0f64..40.0, 1..6),
            log_us in prop::collection::vec(-27.6f64..27.6, 1..6),
            which in 0usize..3,
        ) {
            let (g_side, f_side) = [("tv", "log-cosh"), ("js", "logistic"), ("le-cam", "pseudo-huber")][which];
            let us: Vec<f64> = log_us.iter().map(|l| l.exp()).collect();
            for (side, key, xs) in [("g", g_side, &ts), ("f", f_side, &us)] {
                let p = pair(side, key);
                let together = p.numeric_points(xs).unwrap();
                for (got, &x) in together.iter().zip(xs.iter()) {
                    let alone = p.numeric_points(&[x]).unwrap().pop().unwrap();
                    prop_assert_eq!(got, &alone, "{} {} at {}", side, key, x);
                }
            }
        }
    }
}

#[test]
fn every_catalog_entry_has_its_reference_points() {
    let lines: Vec<Vec<&str>> = FIXTURES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    let points = |side: &str, key: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|c| c[0] == side && c[1] == key)
            .map(|c| c[2])
            .collect()
    };
    for d in fcorr::catalog::DIVERGENCES {
        assert_eq!(
            points("g", d.key),
            ["-40", "-20", "-5", "5", "12", "20", "30", "40"],
            "divergence {}",
            d.key
        );
    }
    for l in fcorr::catalog::LOSSES {
        assert_eq!(
            points("f", l.key),
            ["1e-12", "1e-6", "1e6", "1e12"],
            "loss {}",
            l.key
        );
    }
}
