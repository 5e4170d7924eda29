//! Findings of a user's review of the command line, each kept as a test: what a report says
//! about a generator that is not convex, and the published Jensen–Shannon and GAN losses in
//! `Li2` (Hu et al. 2025) identified and checked as what they train.

mod support;
use assert_cmd::Command;
use serde_json::Value;
use support::{row, run};

const NOT_CONVEX: &str = "not available: f is not convex, so sup_u (u·y − f(u)) is not found at \
                          a stationary point: the conjugate is not computed";

/// A generator shown not convex has no numeric conjugate: `t^3 + t^2` has `f(0+) = −∞`, so
/// `f* = +∞` everywhere, where the search for a stationary point printed `f*(6) = 118408`;
/// Tukey's biweight has `f'(0+) = 109 − 40e > f'(∞) = 109 − 296/e`, and `f*(y) = 0` was
/// stated for every `y ≤ 109 − 40e`, where `f*(0.1) ≈ 0.105`.
#[test]
fn a_generator_that_is_not_convex_has_no_numeric_conjugate() {
    for loss in ["t^3 + t^2", "1/6*(1 - (1 - min(abs(t), 1)^2)^3)"] {
        let (code, text) = run(&["--from-loss", loss]);
        assert_eq!(code, 0, "{text}");
        assert!(row(&text, "convexity").starts_with("not convex"), "{text}");
        assert_eq!(row(&text, "conjugate"), NOT_CONVEX, "{loss}");
        let (_, out) = run(&["--from-loss", loss, "--json"]);
        let j: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(j["conjugate"]["expr"], Value::Null, "{loss}");
        assert_eq!(j["conjugate"]["kind"], "input", "{loss}");
    }
}

/// A convex generator keeps its conjugate (Le Cam, the README's table: a closed form since
/// `f' = 1/2 − 2/(u + 1)²` is inverted as a power of `u + 1`).
#[test]
fn a_convex_generator_keeps_its_conjugate() {
    let (code, text) = run(&["--from-divergence", "le-cam"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        row(&text, "conjugate"),
        "f*(y) = 2 - y - 4*sqrt(1/4 - y/2) for -3/2 < y ≤ 1/2, -1/2 for y ≤ -3/2, +∞ for y > 1/2"
    );
}

/// The Jensen–Shannon loss `−Li2(−e^t) − t·log 2 − π²/12` trains Jensen–Shannon exactly: its
/// generator came back with `softplus(log(u))` unsimplified and merged logarithms, and
/// `fcorr check` said `DOES NOT HOLD (exact)` with the gradient check agreeing to 4e-16.
#[test]
fn the_published_li2_losses_train_jensen_shannon() {
    let js = "-Li2(-exp(t)) - t*log(2) - pi^2/12";
    let (code, text) = run(&["check", "--loss", js, "--divergence", "js"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        row(&text, "verdict"),
        "holds (exact): claimed = derived + c·(u − 1) with c = 0"
    );
    for loss in [js, "-Li2(-exp(t)) - pi^2/12 - 2*log(2)"] {
        let (code, text) = run(&["--from-loss", loss]);
        assert_eq!(code, 0, "{text}");
        assert!(!row(&text, "f(u)").contains("softplus"), "{text}");
        assert_eq!(
            row(&text, "identified"),
            "1 × Jensen–Shannon JS(q, pθ)   (exact)",
            "{loss}"
        );
    }
}

/// A point that is not a number is said to be one, not to be outside `u > 0` (`inf` is
/// positive); exit code 2 as before.
#[test]
fn a_point_that_is_not_finite_is_said_to_be_so() {
    for (at, message) in [
        (
            "inf",
            "error: u = inf is not a finite number (u is the ratio q/pθ)",
        ),
        (
            "nan",
            "error: u = NaN is not a finite number (u is the ratio q/pθ)",
        ),
        (
            "-inf",
            "error: u = -inf is not a finite number (u is the ratio q/pθ)",
        ),
        (
            "0",
            "error: u = 0 is outside the domain u > 0 (u is the ratio q/pθ)",
        ),
        (
            "-1",
            "error: u = -1 is outside the domain u > 0 (u is the ratio q/pθ)",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(["--color", "never", "--from-loss", "t^2", "--at", at])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{at}");
        assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), message);
    }
}

/// The outcome named in `fcorr variance`'s error has its residual in at most 17 digits: with a
/// logit of `1e308` it was written out in 309 digits.
#[test]
fn a_huge_residual_in_an_error_is_written_short() {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never", "variance", "--from-loss", "t^2"])
        .args(["--logits", "0,1e308,2", "--target", "1,1,1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        "error: the weight g′(t) is inf at outcome 0 (q = 0.3333333333333333, t = 1e308): \
         the estimator is undefined there"
    );
}

/// A catalog name on the wrong side is refused: `--from-loss kl` was read as a constant loss
/// `kl` over a family in the parameter `kl`, with exit code 0. With a value for it
/// (`--from-loss alpha --param alpha=1/2`) the message still names both readings, and
/// `(alpha)` asks for the constant loss, which the report calls degenerate.
#[test]
fn a_catalog_name_on_the_wrong_side_is_refused() {
    for (args, message) in [
        (
            &["--from-loss", "kl"][..],
            "error: `kl` names a divergence in the catalog; as a loss it would be the constant \
             `kl`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-divergence kl` (`--divergence kl` in `check`), or write `(kl)` for the \
             constant",
        ),
        (
            &["--from-divergence", "pseudo-huber"][..],
            "error: `pseudo-huber` names a loss in the catalog; as a divergence generator it would be the constant \
             `pseudo-huber`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-loss pseudo-huber` (`--loss pseudo-huber` in `check`), or write `(pseudo-huber)` for the \
             constant",
        ),
        (
            &["check", "--loss", "hellinger", "--divergence", "js"][..],
            "error: `hellinger` names a divergence in the catalog; as a loss it would be the constant \
             `hellinger`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-divergence hellinger` (`--divergence hellinger` in `check`), or write `(hellinger)` for the \
             constant",
        ),
        (
            &["--from-loss", " KL "][..],
            "error: `kl` names a divergence in the catalog; as a loss it would be the constant \
             `kl`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-divergence kl` (`--divergence kl` in `check`), or write `(kl)` for the \
             constant",
        ),
        (
            &["--from-loss", "cressie-read"][..],
            "error: `cressie-read` names a divergence in the catalog; as a loss it would be the constant \
             `cressie-read`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-divergence cressie-read` (`--divergence cressie-read` in `check`), or write `(cressie-read)` for the \
             constant",
        ),
        (
            &["--from-loss", "alpha", "--param", "alpha=1/2"][..],
            "error: `alpha` names a divergence in the catalog; as a loss it would be the constant \
             `alpha`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-divergence alpha` (`--divergence alpha` in `check`), or write `(alpha)` for the \
             constant",
        ),
        (
            &["--from-divergence", "linex", "--param", "alpha=1"][..],
            "error: `linex` names a loss in the catalog; as a divergence generator it would be the constant \
             `linex`, which has zero gradient and trains nothing\n  = help: give it with \
             `--from-loss linex` (`--loss linex` in `check`), or write `(linex)` for the \
             constant",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(["--color", "never"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), message);
    }
    // The names on their own side, and a parameter that names nothing, are as before.
    for args in [
        &["--from-divergence", "kl"][..],
        &["--from-loss", "pseudo-huber"][..],
        &["--from-loss", "power", "--param", "p=2"][..],
    ] {
        assert_eq!(run(args).0, 0, "{args:?}");
    }
    // The constant loss's gradients are 0 on every model by the closed forms (`g' = 0`, `f = 0`):
    // its check holds exactly, though its numbers compare 0 with 0.
    let (code, report) = run(&["--from-loss", "(alpha)", "--param", "alpha=1/2"]);
    assert_eq!(code, 0);
    assert!(
        report.contains(
            "note            g does not depend on t: a constant loss has zero gradient and trains \
             nothing (f = 0)"
        ),
        "{report}"
    );
    // A loss that depends on `t` only by jumps has zero gradient too, and is told so.
    let (code, report) = run(&["--from-loss", "sign(t)"]);
    assert_eq!(code, 0);
    assert!(
        report.contains(
            "note            g' = 0 wherever g is differentiable (g is piecewise constant): the \
             loss has zero gradient and trains nothing (f = 0)"
        ),
        "{report}"
    );
}

/// A figure that cannot be written names the file asked for and why, not the temporary file
/// beside it (`… at path "/dir/.fcorr-rkN1cJ.tmp"` was appended).
#[test]
fn a_figure_that_cannot_be_written_names_the_target_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never", "plot", "--from-loss", "t^2"])
        .args(["-o", "/nonexistent-directory-of-fcorr/figure.svg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        "error: cannot write `/nonexistent-directory-of-fcorr/figure.svg`: No such file or \
         directory (os error 2)"
    );
}
