//! A kinked loss or generator decided convex, or not, piece by piece: the text line and the
//! JSON fields (`pieces`, `kinks`) say the same exact pieces and kinks.

mod support;

use serde_json::{Value, json};

fn convexity(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let (code, out) = support::run(&a);
    assert_eq!(code, 0, "{args:?}: {out}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    v["convexity"].clone()
}

#[test]
fn huber_is_convex_on_its_three_pieces() {
    let c = convexity(&["--from-loss", "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)"]);
    assert_eq!(c["convex"], json!(true));
    assert_eq!(c["method"], json!("proved"));
    assert_eq!(c["variable"], json!("t"));
    assert_eq!(
        c["pieces"],
        json!([
            {"from": null, "to": "-1", "second_derivative": "0"},
            {"from": "-1", "to": "1", "second_derivative": "1"},
            {"from": "1", "to": null, "second_derivative": "0"},
        ])
    );
    assert_eq!(
        c["kinks"],
        json!([{"at": "-1", "rise": "0"}, {"at": "1", "rise": "0"}])
    );
    assert_eq!(
        c["description"],
        json!(
            "convex (proved on pieces: g'' = 0 for t < -1, 1 for -1 < t < 1, 0 for t > 1; g' continuous at t = -1 and t = 1)"
        )
    );
}

#[test]
fn total_variation_is_convex_with_a_rising_kink() {
    let c = convexity(&["--from-divergence", "tv"]);
    assert_eq!(c["convex"], json!(true));
    assert_eq!(c["method"], json!("proved"));
    assert_eq!(c["kinks"], json!([{"at": "0", "rise": "1"}]));
}

#[test]
fn a_generator_kinked_at_a_rational_point_is_decided_in_u() {
    let c = convexity(&["--from-divergence", "abs(u - 1) - abs(u - 2)"]);
    assert_eq!(c["convex"], json!(false));
    assert_eq!(c["method"], json!("proved"));
    assert_eq!(c["variable"], json!("u"));
    assert_eq!(c["pieces"], json!([]));
    assert_eq!(c["kinks"], json!([{"at": "2", "rise": "-2"}]));
    assert_eq!(
        c["description"],
        json!("not convex (proved: f' falls by 2 at u = 2)")
    );
}

#[test]
fn the_truncated_quadratic_is_not_convex_where_its_slope_falls() {
    let c = convexity(&["--from-loss", "min(abs(t), 1)^2"]);
    assert_eq!(c["convex"], json!(false));
    assert_eq!(c["method"], json!("proved"));
    assert_eq!(c["pieces"], json!([]));
    assert_eq!(c["kinks"], json!([{"at": "-1", "rise": "-2"}]));
    assert!(
        c["note"]
            .as_str()
            .is_some_and(|n| n.contains("pseudo-divergence")),
        "{c}"
    );
}

#[test]
fn smooth_and_scanned_results_have_no_pieces() {
    for args in [
        ["--from-loss", "t^2"],
        ["--from-loss", "log(1 + t^2)"],
        ["--from-divergence", "kl"],
    ] {
        let c = convexity(&args);
        assert_eq!(c["pieces"], json!([]), "{args:?}");
        assert_eq!(c["kinks"], json!([]), "{args:?}");
    }
}

/// A kinked generator's tails come from its end pieces, exactly: `max(t, 0)^2` is `0` below
/// `u = 1` and `2*u - 2 - 2*log(u)` above, so `f(0+) = 0` and `f'(∞) = 2` (the whole expression
/// gave rounding noise, `-2.2e-16 (numeric)`).
#[test]
fn a_kinked_generator_has_exact_tails_from_its_end_pieces() {
    for (loss, tails) in [
        ("max(t, 0)^2", "f(0+) = 0, f'(∞) = 2:"),
        ("min(abs(t), 1)^2", "f(0+) = 0, f'(∞) = 2 - 4*exp(-1):"),
        (
            "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
            "f(0+) = 1, f'(∞) = 1 - exp(-1):",
        ),
    ] {
        let (code, out) = support::run(&["--from-loss", loss]);
        assert_eq!(code, 0, "{loss}: {out}");
        let line = out
            .lines()
            .find(|l| l.starts_with("tails"))
            .unwrap_or_default();
        assert!(line.contains(tails), "{loss}: {line}");
    }
}

/// A generator that jumps is not convex, proved at the jump; its conjugate is then not
/// computed (the search assumes convexity: it printed `f*(0) = 0.999999999946` for the true 1).
#[test]
fn a_generator_that_jumps_is_not_convex() {
    let c = convexity(&["--from-divergence", "sign(u - 2)*(u - 1)"]);
    assert_eq!(c["convex"], json!(false));
    assert_eq!(c["method"], json!("proved"));
    assert_eq!(c["jump"], json!({"at": "2", "rise": "2"}));
    assert_eq!(
        c["description"],
        json!("not convex (proved: f jumps by 2 at u = 2)")
    );
    let (_, out) = support::run(&["--from-divergence", "sign(u - 2)*(u - 1)"]);
    let line = out
        .lines()
        .find(|l| l.starts_with("conjugate"))
        .unwrap_or_default();
    assert!(line.contains("not available"), "{line}");
}
