//! Checks that know their noise: a difference within the error of the numbers is reported as
//! inconclusive (exit code 1, its own message), never as a failure or a success.

use assert_cmd::Command;

fn fcorr(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_slice(&fcorr(&all).stdout).expect("a JSON report")
}

/// `log(cosh(…))` nested `depth` times around `t`: gradients ~1e-20 at depth 9.
fn nested(depth: usize) -> String {
    (0..depth).fold("t".to_string(), |e, _| format!("log(cosh({e}))"))
}

#[test]
fn gradients_below_the_quadrature_error_are_inconclusive() {
    // Depth 7 is accurate enough since `log(cosh(x))` is evaluated by its stable form: it holds.
    let shallow = fcorr(&["--from-loss", &nested(7)]);
    assert_eq!(shallow.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&shallow.stdout).contains("gradient check  holds: "));
    for depth in [9, 10] {
        let g = nested(depth);
        let out = fcorr(&["--from-loss", &g]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(1), "depth {depth}");
        assert!(
            stdout.contains("gradient check  inconclusive: "),
            "depth {depth}:\n{stdout}"
        );
        assert!(!stdout.contains("FAILS"), "depth {depth}:\n{stdout}");
        assert!(
            stderr.starts_with("error: the gradient check is inconclusive"),
            "{stderr}"
        );
        let j = json(&["--from-loss", &g]);
        assert_eq!(
            j["gradient_check"]["verdict"], "inconclusive",
            "depth {depth}"
        );
        assert_eq!(j["gradient_check"]["holds"], false);
        let (error, noise) = (
            j["gradient_check"]["max_rel_error"].as_f64().unwrap(),
            j["gradient_check"]["max_rel_noise"].as_f64().unwrap(),
        );
        assert!(
            noise > 1e-4 && error * 0.1 <= noise,
            "depth {depth}: {error} vs {noise}"
        );
        assert_eq!(j["reward"]["verdict"], "inconclusive", "depth {depth}");
    }
}

#[test]
fn ordinary_pairs_hold_with_noise_far_below_the_tolerance() {
    for (input, tolerance) in [
        ("t^2", 1e-6),
        ("log(cosh(t))", 1e-4),
        ("exp(t) - t - 1", 1e-6),
    ] {
        let j = json(&["--from-loss", input]);
        assert_eq!(j["gradient_check"]["verdict"], "holds", "{input}");
        assert!(j["gradient_check"]["max_rel_noise"].as_f64().unwrap() < tolerance / 100.0);
        assert_eq!(j["reward"]["verdict"], "holds", "{input}");
        assert_eq!(j["class"]["verdict"], "holds", "{input}");
    }
}

#[test]
fn a_generator_too_large_for_its_sums_leaves_the_class_check_inconclusive() {
    let j = json(&["--from-loss", "1e20*t^2"]);
    assert_eq!(j["class"]["verdict"], "inconclusive");
    assert_eq!(j["gradient_check"]["verdict"], "holds");
    let out = fcorr(&["--from-loss", "1e20*t^2"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("random models: inconclusive, within the error of the numbers used"),
        "{stdout}"
    );
}

/// The probes cannot decide a claim about generators smaller than the quadrature's error
/// (`log(cosh(…))` nested 9 deep, whose `f` is about 1e-45 at the probes); the gradient check
/// of the claimed `F`, whose noise is 1e-12, can: `1e-30·(u − 1)²` is refuted.
#[test]
fn a_claim_the_probes_cannot_decide_is_decided_by_the_gradients() {
    let g = nested(9);
    let out = fcorr(&["check", "--loss", &g, "--divergence", "1e-30*(u - 1)^2"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("verdict     DOES NOT HOLD (numeric)"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: the claim does not hold"),
        "{stderr}"
    );
    let j = json(&["check", "--loss", &g, "--divergence", "1e-30*(u - 1)^2"]);
    assert_eq!(j["verdict"], "fails");
    assert_eq!(j["holds"], false);
    assert_eq!(j["gradient_check"]["verdict"], "fails");
    assert!(j["gradient_check"]["max_rel_noise"].as_f64().unwrap() < 1e-9);
}

#[test]
fn a_wrong_numeric_claim_still_fails() {
    let out = fcorr(&["check", "--loss", "log(cosh(t))", "--divergence", "kl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: the claim does not hold"));
    let j = json(&["check", "--loss", "log(cosh(t))", "--divergence", "kl"]);
    assert_eq!(j["verdict"], "fails");
    assert_eq!(j["gradient_check"]["verdict"], "fails");
    let j = json(&["check", "--loss", "t^2", "--divergence", "-2*log(u)"]);
    assert_eq!(j["verdict"], "holds");
    assert_eq!(j["gradient_check"]["verdict"], "holds");
}

#[test]
fn every_catalog_pair_holds_every_check() {
    use fcorr::check::{CheckOptions, Verdict};
    use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};
    let opts = CheckOptions::default();
    let none = Bindings::new();
    let r = Residual::TargetMinusModel;
    let pairs = fcorr::catalog::LOSSES
        .iter()
        .map(|l| (l.key, from_loss(&l.loss(&none).unwrap(), r, &none)))
        .chain(fcorr::catalog::DIVERGENCES.iter().map(|d| {
            (
                d.key,
                from_divergence(&d.generator(&none).unwrap(), r, &none),
            )
        }));
    for (key, pair) in pairs {
        let pair = pair.unwrap();
        let check = pair.gradient_check(&opts).unwrap();
        let summary = fcorr::report::GradientSummary::of(&pair, &check);
        assert_eq!(summary.verdict, Verdict::Holds, "{key}: {check:?}");
        let a = fcorr::analysis::analyze(&pair, &opts, None).unwrap();
        assert_eq!(
            a.class.as_ref().map(|c| c.verdict),
            Ok(Verdict::Holds),
            "{key}: {:?}",
            a.class
        );
        assert_eq!(
            a.reward.as_ref().map(|r| r.verdict),
            Ok(Verdict::Holds),
            "{key}: {:?}",
            a.reward
        );
    }
}

/// `g'` of `log(cosh(…))` nested `depth` deep underflows to exactly 0 on every random model:
/// the gradient and reward checks compare nothing and say so (exit code 1), where they held on
/// `0 = 0` before.
#[track_caller]
fn nothing_is_compared_at(depth: usize) {
    let g = nested(depth);
    let out = fcorr(&["--from-loss", &g]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "depth {depth}:\n{stdout}");
    assert!(
        stdout.contains("gradient check  inconclusive: every gradient is 0 or lost to underflow on the 5 random softmax models (K = 8): nothing is compared"),
        "depth {depth}:\n{stdout}"
    );
    assert!(
        stdout.contains(
            "inconclusive, every gradient is 0 or lost to underflow on the random models: nothing is compared"
        ),
        "depth {depth}: the reward check\n{stdout}"
    );
    assert!(
        stderr
            .starts_with("error: the gradient check is inconclusive: every gradient is 0 or lost"),
        "{stderr}"
    );
    let j = json(&["--from-loss", &g]);
    assert_eq!(
        j["gradient_check"]["verdict"], "inconclusive",
        "depth {depth}"
    );
    assert_eq!(j["gradient_check"]["max_rel_noise"], "inf", "depth {depth}");
    assert_eq!(j["reward"]["verdict"], "inconclusive", "depth {depth}");
}

#[test]
fn gradients_lost_to_underflow_compare_nothing() {
    nothing_is_compared_at(15);
    nothing_is_compared_at(30);
}

/// A pair whose gradients are zero by its closed forms (`g' = 0`, `f'` constant) is the other case of
/// `0 = 0`: nothing is lost there, the comparison is exact, and both checks hold (exit code 0).
#[test]
fn gradients_zero_by_the_closed_forms_hold_exactly() {
    for args in [
        &["--from-loss", "3"][..],
        &["--from-loss", "sign(t)"][..],
        &["--from-loss", "0*t"][..],
        &["--from-loss", "(alpha)", "--param", "alpha=1/2"][..],
        &["--from-divergence", "2*u"][..],
        &["--from-divergence", "0"][..],
    ] {
        let out = fcorr(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{stdout}");
        assert!(
            stdout.contains("gradient check  holds: max relative error 0.0e0"),
            "{args:?}:\n{stdout}"
        );
        let j = json(args);
        assert_eq!(j["gradient_check"]["verdict"], "holds", "{args:?}");
        assert_eq!(j["reward"]["verdict"], "holds", "{args:?}");
    }
}

/// The α generator near `α = 0` is a sum of terms of size `1/α` that cancel to `O(1)`: where it
/// is integrated from `g'` instead, the rounding of `g'` is part of each value's error, and the
/// finite differences of the reward check, which magnify it by `1/h`, are inconclusive rather
/// than failing a pair that is exact (the difference, 3.7e-3 at `α = 1e-8`, is below the noise).
#[rustfmt::skip]
#[test]
fn the_reward_check_of_a_cancelling_generator_knows_its_noise() {
    for alpha in ["1e-8", "-1e-8", "1e-9", "1e-10"] {
        let report = json(&["--from-divergence", "alpha", "--param", &format!("alpha={alpha}")]);
        let reward = &report["reward"];
        assert_eq!(reward["verdict"], "inconclusive", "α = {alpha}: {reward}");
        assert!(reward["max_rel_error"].as_f64() < reward["max_rel_noise"].as_f64(), "α = {alpha}: {reward}");
    }
}
