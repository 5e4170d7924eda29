//! What the report names, said the same way everywhere: the canonical member normalised on both
//! sides (`f(1) = f'(1) = g(0) = g'(0) = 0`), the reward `R(x) = f'(pθ/q)` and the loss's weight
//! `w = g'(t) = −R` with one sign each in the report, the catalog and the JSON, and an
//! identification with the constant `a` of `D_f = k·D_named + a`; and every expression of the
//! LaTeX report in LaTeX.

mod support;

use support::{row, run};

/// The row `label` of `fcorr args` is `expected`.
#[track_caller]
fn row_is(args: &[&str], label: &str, expected: &str) {
    let (code, out) = run(args);
    assert_eq!(code, 0, "{args:?}");
    assert_eq!(row(&out, label), expected, "{args:?}");
}

/// Every row `label` of `fcorr args`, in order, is `expected`.
#[track_caller]
fn rows_are(args: &[&str], label: &str, expected: &[&str]) {
    let (code, out) = run(args);
    assert!(code == 0 || code == 1, "{args:?}");
    let got: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix(label).filter(|r| r.starts_with("  ")))
        .map(str::trim)
        .collect();
    assert_eq!(got, expected, "{args:?}");
}

#[rustfmt::skip]
#[test]
fn canonical_members_are_normalised_on_both_sides() {
    let c = "canonical";
    row_is(&["--from-loss", "exp(t)"], c, "f(u) = u*log(u) - u + 1 ↔ g(t) = exp(t) - t - 1   (f'(1) = g'(0) = 0)");
    row_is(&["--from-loss", "softplus(t)"], c, "f(u) = u*log(2*u/(u + 1)) - u/2 + 1/2 ↔ g(t) = -t/2 + softplus(t) - log(2)   (f'(1) = g'(0) = 0)");
    row_is(&["--from-loss", "sigmoid(t)"], c, "f(u) = u/(u + 1) + u*log(2*u/(u + 1)) - 3*u/4 + 1/4 ↔ g(t) = -t/4 + sigmoid(t) - 1/2   (f'(1) = g'(0) = 0)");
    row_is(&["--from-loss", "t^2 + 3*t + 1"], c, "f(u) = 2*u - 2 - 2*log(u) ↔ g(t) = t^2   (f'(1) = g'(0) = 0)");
    row_is(&["--from-divergence", "u*log(u) + 2"], c, "f(u) = u*log(u) - u + 1 ↔ g(t) = exp(t) - t - 1   (f'(1) = g'(0) = 0)");
    row_is(&["--from-divergence", "gan"], c, "f(u) = u*log(u) + (u - 1)*log(2) + 2*log(2) - (u + 1)*log(u + 1) ↔ g(t) = -t*log(2) - pi^2/12 - Li2(-exp(t))   (f'(1) = g'(0) = 0)");
    row_is(&["catalog"], "canonical g(t)", "exp(t) - t - 1");
}

/// `g'(0) = f'(1) − f(1)`: the GAN loss's `g' = softplus(t)` is `log(2)` at 0.
#[rustfmt::skip]
#[test]
fn normalization_of_a_generator_with_a_constant() {
    let n = "normalization";
    row_is(&["--from-divergence", "gan"], n, "f(1) = -2*log(2), f'(1) = -log(2), g(0) = -2*log(2), g'(0) = log(2)");
    row_is(&["--from-divergence", "u*log(u) + 2"], n, "f(1) = 2, f'(1) = 1, g(0) = 2, g'(0) = -1");
    row_is(&["--from-loss", "exp(t)"], n, "f(1) = 0, f'(1) = 1, g(0) = 1, g'(0) = 1");
}

#[test]
fn the_canonical_member_in_json() {
    for (args, f, g) in [
        (
            ["--from-loss", "exp(t)"],
            "u*log(u) - u + 1",
            "exp(t) - t - 1",
        ),
        (
            ["--from-loss", "softplus(t)"],
            "u*log(2*u/(u + 1)) - u/2 + 1/2",
            "-t/2 + softplus(t) - log(2)",
        ),
        (
            ["--from-divergence", "gan"],
            "u*log(u) + (u - 1)*log(2) + 2*log(2) - (u + 1)*log(u + 1)",
            "-t*log(2) - pi^2/12 - Li2(-exp(t))",
        ),
    ] {
        let (_, out) = run(&[args[0], args[1], "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["canonical"]["expr"], f, "{args:?}");
        assert_eq!(v["canonical"]["loss"], g, "{args:?}");
    }
}

#[rustfmt::skip]
#[test]
fn the_reward_has_one_sign_in_the_report_and_the_catalog() {
    let r = "reward";
    row_is(&["--from-loss", "exp(t)"], r, "R = (f◇)'(v) = -1/v for this pair's D_f(q‖pθ) = D_f◇(pθ‖q), v = pθ/q, descended (the weight w = g'(t) = −R is ascended); for D_f(pθ‖q), R = f'(v) = log(v) + 1");
    row_is(&["--from-loss", "t^2"], r, "R = (f◇)'(v) = 2*log(v) for this pair's D_f(q‖pθ) = D_f◇(pθ‖q), v = pθ/q, descended (the weight w = g'(t) = −R is ascended); for D_f(pθ‖q), R = f'(v) = 2 - 2/v");
    row_is(&["--from-divergence", "kl"], "reward check", "E_pθ[R·∇θ log pθ] = −E_pθ[w·∇θ log pθ] vs finite differences of D_f(q‖pθ): max relative error 9.4e-11");
    row_is(&["catalog"], "reward R", "(f◇)'(v) = -1/v for D_f(q‖pθ), f'(v) = log(v) + 1 for D_f(pθ‖q); v = pθ/q");
}

/// In JSON, at `v = pθ/q` and `t = −log v`: `reward_in_v = −weight`, `forward_reward_in_v` is
/// `f'` (`expr`), and `ascended_in_v = −reward_in_v`.
#[test]
fn the_reward_and_the_weight_have_opposite_signs_in_json() {
    use fcorr::eval::{Params, compile};
    let at = |e: &serde_json::Value, var: &str, x: f64| {
        let e = fcorr::parse::parse(e.as_str().unwrap()).unwrap();
        compile(&e, var, &Params::new()).unwrap().eval(x)
    };
    for args in [
        ["--from-loss", "t^2"],
        ["--from-loss", "exp(t)"],
        ["--from-loss", "log(cosh(t))"],
        ["--from-divergence", "js"],
        ["--from-divergence", "hellinger"],
        ["--from-divergence", "u*log(u) + 2"],
    ] {
        let (_, out) = run(&[args[0], args[1], "--json"]);
        let r = serde_json::from_str::<serde_json::Value>(&out).unwrap()["reward"].clone();
        for v in [0.25, 0.9, 3.0] {
            let reward = at(&r["reward_in_v"], "v", v);
            let weight = at(&r["weight"], "t", -f64::ln(v));
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs());
            assert!(
                close(reward, -weight),
                "{args:?} at v = {v}: R = {reward}, w = {weight}"
            );
            assert!(close(reward, at(&r["dual_expr"], "u", v)), "{args:?}");
            assert!(close(-reward, at(&r["ascended_in_v"], "v", v)), "{args:?}");
            let forward = at(&r["forward_reward_in_v"], "v", v);
            assert!(close(forward, at(&r["expr"], "u", v)), "{args:?}");
            assert!(close(-forward, at(&r["forward_in_v"], "v", v)), "{args:?}");
        }
    }
}

#[rustfmt::skip]
#[test]
fn identifications_say_their_constant() {
    let i = "identified";
    rows_are(&["--from-divergence", "js"], i, &[ "1 × Jensen–Shannon JS(q, pθ)   (exact)", "1 × GAN divergence D_GAN(q‖pθ) + 2*log(2)   (exact)", ]);
    rows_are(&["--from-divergence", "gan"], i, &[ "1 × Jensen–Shannon JS(q, pθ) - 2*log(2)   (exact)", "1 × GAN divergence D_GAN(q‖pθ)   (exact)", ]);
    rows_are(&["--from-divergence", "2*u*log(u) - 2*(u + 1)*log(u + 1)"], i, &[ "2 × Jensen–Shannon JS(q, pθ) - 4*log(2)   (exact)", "2 × GAN divergence D_GAN(q‖pθ)   (exact)", ]);
    rows_are(&["--from-divergence", "u*log(u) + 3"], i, &["1 × KL(q‖pθ) + 3   (exact)"]);
    rows_are(&["--from-divergence", "kl"], i, &["1 × KL(q‖pθ)   (exact)"]);
    // The constant goes before a parameter's clause, where it cannot be read as the parameter's value.
    rows_are(&["--from-divergence", "2*(sqrt(u) - 1)^2 + log(2)"], i, &[ "2 × squared Hellinger H²(q, pθ) + log(2)   (exact)", "1 × α-divergence D_α(q‖pθ) + log(2) with alpha = 1/2   (exact)", ]);
    rows_are(&["check", "--loss", "-Li2(-exp(t))", "--divergence", "js"], "trains", &[ "1 × Jensen–Shannon JS(q, pθ)", "1 × GAN divergence D_GAN(q‖pθ) + 2*log(2)", ]);
}

#[test]
fn identification_constants_in_json() {
    let (_, out) = run(&["--from-divergence", "gan", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids = v["identified"].as_array().unwrap();
    let got: Vec<(&str, &str, f64)> = ids
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap(),
                i["exact_offset"].as_str().unwrap(),
                i["offset"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("js", "-2*log(2)", -2.0 * std::f64::consts::LN_2),
            ("gan", "0", 0.0)
        ]
    );
    let (_, out) = run(&[
        "check",
        "--loss",
        "-Li2(-exp(t))",
        "--divergence",
        "js",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let offsets: Vec<f64> = v["identified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["offset"].as_f64().unwrap())
        .collect();
    assert_eq!(offsets, [0.0, 2.0 * std::f64::consts::LN_2]);
}

/// The LaTeX report's line starting `start` for `fcorr args --format latex` is `expected`.
#[track_caller]
fn latex_line_is(args: &[&str], start: &str, expected: &str) {
    let mut all = args.to_vec();
    all.extend(["--format", "latex"]);
    let (code, out) = run(&all);
    assert_eq!(code, 0, "{args:?}");
    let line = out
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no `{start}` in\n{out}"));
    assert_eq!(line, expected, "{args:?}");
}

#[rustfmt::skip]
#[test]
fn conjugate_domains_and_pieces_are_latex() {
    let c = "f^{*}(y)";
    latex_line_is(&["--from-divergence", "js"], c, r"f^{*}(y) &= -\log\left(2 - e^{y}\right) \quad (y < \log 2)");
    latex_line_is(&["--from-divergence", "tv"], c, r"f^{*}(y) &= y \quad (-\frac{1}{2} < y \le \frac{1}{2}),\; -\frac{1}{2} \quad (y \le -\frac{1}{2}),\; +\infty \quad (y > \frac{1}{2})");
    latex_line_is(&["--from-divergence", "kl"], c, r"f^{*}(y) &= e^{y - 1} \quad (y \in \mathbb{R})");
    latex_line_is(&["--from-divergence", "pearson"], c, r"f^{*}(y) &= y + \frac{y^{2}}{4} \quad (y > -2),\; -1 \quad (y \le -2)");
    latex_line_is(&["--from-divergence", "neyman"], c, r"f^{*}(y) &= 2 - 2 \sqrt{1 - y} \quad (y \le 1)");
    latex_line_is(&["--from-divergence", "abs(u - 2) + u"], c, r"f^{*}(y) &= 2 y - 2 \quad (0 < y \le 2),\; -2 \quad (y \le 0),\; +\infty \quad (y > 2)");
    latex_line_is(&["--from-divergence", "gan"], "f(u) - f(1)", r"f(u) - f(1) - f'(1)\,(u - 1) &= u \log u + \left(u - 1\right) \log 2 + 2 \log 2 - \left(u + 1\right) \log\left(u + 1\right) \\");
}
