//! The convex conjugates of the f-GAN generators (Nowozin et al. 2016, Table 2): each closed
//! form agrees in value with the published one across its domain, and the printed forms are
//! snapshotted.

use fcorr::analysis::conjugate::{Conjugate, Method, conjugate, conjugate_value};
use fcorr::parse::parse;
use fcorr::print::{latex, plain};

fn conj(f: &str) -> Conjugate {
    conjugate(&parse(f).expect("parses")).unwrap_or_else(|e| panic!("conjugate({f}): {e}"))
}

/// `f*` of `f` equals `published` at every `y` in `ys`, and the domain prints as `domain`.
#[track_caller]
fn matches_published(f: &str, published: fn(f64) -> f64, domain: &str, ys: &[f64]) {
    let c = conj(f);
    assert_eq!(c.method, Method::ClosedForm, "{f}");
    assert_eq!(c.domain.to_string(), domain, "{f}");
    for &y in ys {
        let ours = c.value(y).expect("evaluates").expect("closed form");
        let want = published(y);
        assert!(
            (ours - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{f} at y = {y}: {ours} vs published {want}"
        );
        let numeric = conjugate_value(&parse(f).expect("parses"), y).expect("numeric");
        assert!(
            (numeric - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{f} at y = {y}: numeric sup {numeric} vs published {want}"
        );
    }
}

const KL: &str = "u*log(u)";
const REVERSE_KL: &str = "-log(u)";
const PEARSON: &str = "(u - 1)^2";
const HELLINGER: &str = "(sqrt(u) - 1)^2";
const JENSEN_SHANNON: &str = "u*log(u) - (u + 1)*log((1 + u)/2)";
const GAN: &str = "u*log(u) - (u + 1)*log(u + 1)";
const NEYMAN: &str = "(1 - u)^2/u";
const JEFFREYS: &str = "(u - 1)*log(u)";
const TOTAL_VARIATION: &str = "abs(u - 1)/2";

/// The principal Lambert W for `x > 0` by plain Newton steps, independent of fcorr's.
fn lambert_w(x: f64) -> f64 {
    let mut w = x.ln_1p();
    for _ in 0..100 {
        w -= (w * w.exp() - x) / (w.exp() * (w + 1.0));
    }
    w
}

#[test]
fn published_conjugates() {
    matches_published(KL, |y| (y - 1.0).exp(), "y ∈ ℝ", &[-5.0, 0.0, 1.0, 4.0]);
    matches_published(
        REVERSE_KL,
        |y| -1.0 - (-y).ln(),
        "y < 0",
        &[-9.0, -1.0, -0.01],
    );
    matches_published(
        PEARSON,
        |y| y * y / 4.0 + y,
        "y ∈ ℝ",
        &[-2.0, -1.0, 0.0, 3.0],
    );
    matches_published(
        HELLINGER,
        |y| y / (1.0 - y),
        "y < 1",
        &[-9.0, 0.0, 0.5, 0.99],
    );
    matches_published(
        JENSEN_SHANNON,
        |y| -(2.0 - y.exp()).ln(),
        "y < log(2)",
        &[-5.0, 0.0, 0.69],
    );
    matches_published(
        GAN,
        |y| -(1.0 - y.exp()).ln(),
        "y < 0",
        &[-5.0, -1.0, -0.01],
    );
    matches_published(
        NEYMAN,
        |y| 2.0 - 2.0 * (1.0 - y).sqrt(),
        "y ≤ 1",
        &[-5.0, 0.0, 0.9, 1.0],
    );
    matches_published(
        JEFFREYS,
        |y| {
            let w = lambert_w((1.0 - y).exp());
            w + 1.0 / w + y - 2.0
        },
        "y ∈ ℝ",
        &[-20.0, -5.0, 0.0, 1.0, 4.0, 20.0],
    );
    // f-GAN: f*(y) = y for |y| ≤ 1/2; over u > 0 also −1/2 below −1/2 (the lower piece)
    matches_published(
        TOTAL_VARIATION,
        |y| y.max(-0.5),
        "y ≤ 1/2",
        &[-3.0, -0.5, -0.25, 0.0, 0.3, 0.5],
    );
    assert_eq!(
        conj(TOTAL_VARIATION).value(0.6).unwrap(),
        Some(f64::INFINITY)
    );
}

/// Pearson over `u > 0`: below `f'(0+) = −2` the supremum is `−f(0+) = −1`, not the f-GAN
/// table's `y²/4 + y` (which extends f to negative `u`).
#[test]
fn pearson_below_the_threshold() {
    let c = conj(PEARSON);
    assert_eq!(c.value(-6.0).expect("evaluates"), Some(-1.0));
    let numeric = conjugate_value(&parse(PEARSON).expect("parses"), -6.0).expect("numeric");
    assert!((numeric + 1.0).abs() < 1e-12);
}

fn round(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    format!("{:.11e}", x)
}

#[test]
fn snapshot() {
    let mut out = String::new();
    for (name, f) in [
        ("KL", KL),
        ("reverse KL", REVERSE_KL),
        ("Pearson chi^2", PEARSON),
        ("squared Hellinger", HELLINGER),
        ("Jensen-Shannon", JENSEN_SHANNON),
        ("GAN", GAN),
        ("Neyman chi^2", NEYMAN),
        ("Jeffreys", JEFFREYS),
        ("total variation", TOTAL_VARIATION),
    ] {
        let c = conj(f);
        let expr = c.expr.as_ref().expect("closed form");
        out.push_str(&format!("{name}: f(u) = {f}\n"));
        out.push_str(&format!("  f*(y)  = {}\n", plain(expr)));
        out.push_str(&format!("  latex  = {}\n", latex(expr)));
        out.push_str(&format!("  domain = {}\n", c.domain));
        if let Some(piece) = &c.lower_piece {
            out.push_str(&format!(
                "  f*(y)  = {} for y ≤ {}\n",
                plain(&piece.value),
                plain(&piece.threshold)
            ));
        }
        let values: Vec<String> = [-2.0, -0.5]
            .iter()
            .map(|&y| {
                format!(
                    "f*({y}) = {}",
                    round(c.value(y).expect("evaluates").expect("closed"))
                )
            })
            .collect();
        out.push_str(&format!("  {}\n", values.join(", ")));
    }
    insta::assert_snapshot!(out);
}
