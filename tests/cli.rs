//! The `fcorr` command as a user runs it: outputs, messages and exit codes.

use assert_cmd::Command;

fn fcorr(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
}

#[track_caller]
fn prints(args: &[&str], stdout: &str) {
    fcorr(args).success().stdout(format!("{stdout}\n"));
}

#[track_caller]
fn fails(args: &[&str], code: i32, stderr_has: &str) {
    let out = fcorr(args).code(code).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(stderr_has), "stderr of {args:?}:\n{err}");
}

#[test]
fn simplify() {
    prints(
        &["simplify", "4*(exp(t/2) - t/2 - 1)"],
        "4*exp(t/2) - 2*t - 4",
    );
    prints(&["simplify", "-2*log(u) - 2 + 2*u"], "2*u - 2 - 2*log(u)");
    prints(&["simplify", "sqrt(t^2)"], "abs(t)");
    prints(&["simplify", "sqrt(u^2)"], "u");
    prints(&["simplify", "--latex", "t^2/2"], "\\frac{t^{2}}{2}");
    prints(
        &["simplify", "--unicode", "2*u - 4*sqrt(u) + 2"],
        "2u − 4√u + 2",
    );
    prints(&["simplify", "(u−1)²"], "(u - 1)^2");
    prints(&["simplify", "sqrt(a^2)"], "abs(a)");
    prints(&["simplify", "--positive", "a", "sqrt(a^2)"], "a");
}

#[test]
fn diff() {
    prints(&["diff", "u*log(u)"], "log(u) + 1");
    prints(&["diff", "4*(exp(t/2) - t/2 - 1)"], "2*exp(t/2) - 2");
    prints(&["diff", "t^a", "--var", "a"], "t^a*log(t)");
    prints(&["diff", "--latex", "log(cosh(t))"], "\\tanh t");
    fails(&["diff", "t*u"], 2, "both `t` and `u`");
}

#[test]
fn eval() {
    prints(
        &["eval", "t^2", "--at", "0.5,-2"],
        "t = 0.5\t0.25\nt = -2\t4",
    );
    prints(
        &[
            "eval",
            "(u^a - a*u + a - 1)/(a*(a - 1))",
            "--at",
            "4",
            "--param",
            "a=0.5",
        ],
        "u = 4\t2",
    );
    fails(
        &["eval", "a*t", "--at", "1"],
        2,
        "parameter `a` has no value",
    );
    fails(
        &["eval", "log(u)", "--at", "0"],
        2,
        "outside the domain u > 0",
    );
    fails(&["eval", "1/t", "--at", "0"], 1, "not finite");
}

#[test]
fn bad_input_exits_2_with_a_caret() {
    fails(&["simplify", "lg(u)"], 2, "did you mean `log`?");
    fails(&["simplify", "(t+1"], 2, "this `(` is never closed");
    fails(&["simplify", "t^^2"], 2, "^ expected an expression");
    fails(&["simplify", ""], 2, "the input is empty");
    fails(&["simplify", "0^-1"], 2, "division by zero");
    fails(
        &["simplify", "log(0)"],
        2,
        "the logarithm needs a positive argument",
    );
    fails(&["frobnicate"], 2, "unrecognized subcommand");
}

#[test]
fn limits_from_standard_input() {
    let deep = format!("{}t{}", "(".repeat(10_000), ")".repeat(10_000));
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["simplify", "-"])
        .write_stdin(deep)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nested more than"));
    let huge = "t+".repeat(500_000) + "t";
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["simplify", "-"])
        .write_stdin(huge)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("more than 100000 bytes"));
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["simplify", "-"])
        .write_stdin("10^10^10\n")
        .assert()
        .success()
        .stdout("10^10000000000\n");
}

#[test]
fn help_has_examples() {
    for sub in ["simplify", "diff", "eval"] {
        fcorr(&[sub, "--help"])
            .success()
            .stdout(predicates::str::contains("Examples:"));
    }
}

#[test]
fn derive_from_loss() {
    let out = fcorr(&["--from-loss", "t^2"])
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("f(u)            2*u - 2 - 2*log(u)    (closed form)"),
        "{text}"
    );
    assert!(text.contains("t = log q − log pθ"), "{text}");
    assert!(text.contains("D_f(q‖pθ) = E_pθ[f(q/pθ)]"), "{text}");
    assert!(text.contains("gradient check  holds"), "{text}");
}

#[test]
fn derive_json_keys() {
    let v = json_of(&["--from-loss", "t^2", "--json", "--at", "0.5,2"], 0);
    assert_eq!(v["residual"], "target-minus-model");
    assert_eq!(v["loss"]["expr"], "t^2");
    assert_eq!(v["divergence"]["expr"], "2*u - 2 - 2*log(u)");
    assert_eq!(v["closed_form"], true);
    assert_eq!(v["values"][1]["u"], 2.0);
    let f2 = v["values"][1]["f"].as_f64().unwrap();
    assert!((f2 - (2.0 - 2.0 * 2f64.ln())).abs() < 1e-15);
    assert!(v["gradient_check"]["max_rel_error"].as_f64().unwrap() < 1e-9);

    let v = json_of(&["--from-divergence", "u*log(u)", "--json", "--at", "0"], 0);
    assert_eq!(v["loss"]["expr"], "exp(t) - 1");
    assert_eq!(v["values"][0]["t"], 0.0);
    assert_eq!(v["values"][0]["g"], 0.0);
}

#[test]
fn derive_bad_input() {
    fails(&["--from-loss", "u^2"], 2, "uses `u`");
    fails(&["--from-divergence", "t^2"], 2, "uses `t`");
    // one parameter without a value is a family (see tests/family.rs); two are refused
    prints_contains(
        &["--from-loss", "a*t^2"],
        "in a (no value given: derived for every value)",
    );
    fails(
        &["--from-loss", "a*b*t^2"],
        2,
        "a family in more than one parameter is not derived",
    );
    fails(
        &["--from-loss", "t^2", "--at", "-1"],
        2,
        "outside the domain u > 0",
    );
    fails(&["--from-loss", "lg(t)"], 2, "did you mean `log`?");
    fails(&[], 2, "nothing to do");
    prints_contains(
        &[
            "--from-loss",
            "(exp(a*t) - a*t - 1)/a^2",
            "--param",
            "a=1/2",
        ],
        "2*u - 4*sqrt(u) + 2",
    );
    prints_contains(
        &[
            "--from-loss",
            "exp(t) - t - 1",
            "--residual",
            "model-minus-target",
        ],
        "u/2 - 1 + 1/(2*u)",
    );
}

#[track_caller]
fn prints_contains(args: &[&str], needle: &str) {
    let out = fcorr(args).success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains(needle), "stdout of {args:?}:\n{text}");
}

#[test]
fn check_command() {
    // True pairs, up to the class: exit 0 with the constant c.
    prints_contains(
        &["check", "--loss", "t^2/2", "--divergence", "reverse-kl"],
        "holds (exact)",
    );
    prints_contains(
        &["check", "--loss", "t^2/2", "--divergence", "-log(u)"],
        "c = -1",
    );
    prints_contains(
        &["check", "--loss", "abs(t)", "--divergence", "abs(u - 1)"],
        "holds (exact)",
    );
    // The sign trap, a wrong scale and a wrong direction: exit 1 with evidence.
    for (g, f, residual) in [
        ("exp(t) - t - 1", "kl", "model-minus-target"),
        ("t^2", "u - 1 - log(u)", "target-minus-model"),
        ("t^2/2", "u*log(u)", "target-minus-model"),
    ] {
        let out = fcorr(&[
            "check",
            "--loss",
            g,
            "--divergence",
            f,
            "--residual",
            residual,
        ])
        .code(1)
        .get_output()
        .clone();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("DOES NOT HOLD"), "{g} vs {f}:\n{text}");
        assert!(text.contains("trains"), "{g} vs {f}:\n{text}");
        assert!(text.contains("claimed f(u)"), "{g} vs {f}:\n{text}");
    }
    let v = json_of(
        &[
            "check",
            "--loss",
            "t^2/2",
            "--divergence",
            "-log(u)",
            "--json",
        ],
        0,
    );
    assert_eq!(v["holds"], true);
    assert_eq!(v["shift"], "-1");
    let v = json_of(
        &[
            "check",
            "--loss",
            "t^2",
            "--divergence",
            "reverse-kl",
            "--json",
        ],
        1,
    );
    assert_eq!(v["holds"], false);
    assert_eq!(v["shift"], serde_json::Value::Null);
    assert_eq!(v["identified"][0]["name"], "KL(pθ‖q)");
    assert_eq!(v["identified"][0]["scale"], 2.0);
}

#[test]
fn catalog_command() {
    let v = json_of(&["catalog", "--format", "json"], 0);
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.len() >= 12);
    let kl = entries.iter().find(|e| e["key"] == "kl").unwrap();
    assert_eq!(kl["divergence"]["expr"], "u*log(u)");
    assert_eq!(kl["tails"]["f_prime_at_inf"], "inf");
    assert_eq!(kl["tails"]["zero_avoiding"], true);
    assert_eq!(kl["closed_form"], true);
    assert_eq!(json_of(&["catalog", "--json"], 0), v);
    prints_contains(&["catalog"], "KL(pθ‖q)");
    prints_contains(&["catalog", "--format", "markdown"], "| key | divergence |");
}

#[test]
fn analysis_json_keys() {
    let v = json_of(&["--from-loss", "t^2", "--json"], 0);
    assert_eq!(v["normalization"]["f_at_1"], 0.0);
    assert_eq!(v["normalization"]["f_prime_at_1"], 0.0);
    assert_eq!(v["canonical"]["expr"], "2*u - 2 - 2*log(u)");
    assert_eq!(v["reward"]["expr"], "2 - 2/u");
    // For this pair's D_f(q‖pθ) the reward is R = (f◇)'(v) = 2·log v, and REINFORCE ascends
    // −R = g'(t) = 2t = −2·log v, the loss's weight.
    assert_eq!(v["reward"]["ascended"], "-2*log(u)");
    assert_eq!(v["reward"]["reward_in_v"], "2*log(v)");
    assert_eq!(v["reward"]["weight"], "2*t");
    let text =
        String::from_utf8(fcorr(&["--from-loss", "t^2"]).get_output().stdout.clone()).unwrap();
    let line = text.lines().find(|l| l.starts_with("reward ")).unwrap();
    assert!(
        line.contains("R = (f◇)'(v) = 2*log(v) for this pair's D_f(q‖pθ)"),
        "{line}"
    );
    assert!(line.find("this pair's").unwrap() < line.find("for D_f(pθ‖q)").unwrap());
    assert_eq!(v["identified"][0]["name"], "KL(pθ‖q)");
    assert_eq!(v["identified"][0]["scale"], 2.0);
    assert_eq!(v["convexity"]["convex"], true);
    assert_eq!(v["convexity"]["method"], "proved");
    assert_eq!(v["tails"]["f_at_0"], "inf");
    assert_eq!(v["tails"]["f_prime_at_inf"], 2.0);
    assert_eq!(v["tails"]["zero_forcing"], true);
    assert_eq!(v["tails"]["zero_avoiding"], false);
    assert_eq!(v["conjugate"]["domain"], "y < 2");
    let out = fcorr(&["--from-loss", "t^3", "--json"])
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["convexity"]["convex"], false);
    assert!(
        v["convexity"]["note"]
            .as_str()
            .unwrap()
            .contains("pseudo-divergence")
    );
    let v = json_of(
        &[
            "--from-loss",
            "t^2/2",
            "--regime",
            "target-samples-target-gradient",
            "--json",
        ],
        0,
    );
    assert_eq!(v["regime"]["generator"], "u*log(u) - u + 1");
    assert!(v["regime"]["max_rel_error"].as_f64().unwrap() < 1e-9);
    let v = json_of(&["--from-loss", "exp(t) + exp(-t) - 2", "--json"], 0);
    assert_eq!(v["identified"], serde_json::json!([]));
}

/// The JSON a command prints, with the exit code it must end with.
#[track_caller]
fn json_of(args: &[&str], code: i32) -> serde_json::Value {
    let out = fcorr(args).code(code).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn json_and_another_format_conflict() {
    fails(
        &["--from-loss", "t^2", "--format", "latex", "--json"],
        2,
        "`--json` conflicts with `--format latex`",
    );
    fails(
        &["catalog", "--format", "markdown", "--json"],
        2,
        "`--json` conflicts with `--format markdown`",
    );
    fails(
        &[
            "check",
            "--loss",
            "t^2",
            "--divergence",
            "kl",
            "--format",
            "text",
            "--json",
        ],
        2,
        "`--json` conflicts with `--format text`",
    );
    fails(
        &["simplify", "u*u", "--latex", "--json"],
        2,
        "`--latex` conflicts",
    );
    fails(
        &["diff", "u*u", "--unicode", "--format", "json"],
        2,
        "`--unicode` conflicts",
    );
    fails(
        &["eval", "t", "--at", "1", "--latex", "--json"],
        2,
        "`--latex` conflicts",
    );
    fails(
        &[
            "variance",
            "--from-loss",
            "t^2",
            "--logits",
            "0,1",
            "--target",
            "1,1",
            "--format",
            "markdown",
            "--json",
        ],
        2,
        "`--json` conflicts",
    );
    // `--json` with `--format json` says the same thing twice: no conflict.
    fcorr(&["simplify", "u*u", "--json", "--format", "json"]).success();
}

#[test]
fn check_json_labels_the_shifted_generator_apart() {
    let out = fcorr(&[
        "check",
        "--loss",
        "exp(t) - t - 1",
        "--divergence",
        "kl",
        "--residual",
        "model-minus-target",
        "--json",
    ])
    .code(1)
    .get_output()
    .stdout
    .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["shift"], serde_json::Value::Null);
    assert_eq!(v["evidence_shift"], "1");
    // At u = 2: f(2) = 2/2 − 1 + 1/4 = 1/4, and f(2) + 1·(2 − 1) = 5/4.
    let at2 = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["u"] == 2.0)
        .unwrap();
    assert_eq!(at2["derived"], 0.25);
    assert_eq!(at2["derived_shifted"], 1.25);
}

/// A reader that goes away before the output is written (`fcorr … | head`) ends the run
/// quietly with exit code 0, never a panic.
#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let points: Vec<String> = (1..=20_000).map(|k| k.to_string()).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["eval", "t^2", "--at", &points.join(",")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once: the output (about 400 KB; the argument stays below the 128 KB limit of one argument) cannot fit in the pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `--at` reads its points in one pass: commas with optional spaces, repeatable, and a word that
/// is not a number is a usage error naming it.
#[test]
fn points_of_at_are_read_in_one_pass() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = fcorr(args).success().get_output().stdout.clone();
        serde_json::from_slice(&out).expect("JSON")
    };
    let us = |v: &serde_json::Value| -> Vec<f64> {
        v["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|p| p["u"].as_f64().expect("u"))
            .collect()
    };
    let one = json(&["--from-loss", "t^2", "--json", "--at", "0.5, 2,1e3"]);
    assert_eq!(us(&one), [0.5, 2.0, 1e3]);
    let repeated = json(&[
        "--from-loss",
        "t^2",
        "--json",
        "--at",
        "0.5",
        "--at",
        "2,1e3",
    ]);
    assert_eq!(us(&repeated), [0.5, 2.0, 1e3]);
    fails(
        &["--from-loss", "t^2", "--at", "1,x"],
        2,
        "invalid value '1,x' for '--at <AT>': `x` is not a number",
    );
    for missing in ["1,,2", "1,", ",1"] {
        fails(
            &["--from-loss", "t^2", "--at", missing],
            2,
            "a point is missing between two commas or at an end",
        );
    }
}

/// A number no 64-bit float holds is refused where it is read, named as written, not passed on
/// as `inf` or `0` (which the domain check would then call `u = 0`); the extremes that a float
/// does hold are read.
#[test]
fn a_point_beyond_the_floats_is_refused_as_written() {
    for (point, why) in [
        (
            "1e400",
            "is too large for a 64-bit float (the largest is about 1.8e308)",
        ),
        (
            "-1e400",
            "is too large for a 64-bit float (the largest is about 1.8e308)",
        ),
        (
            "1.8e308",
            "is too large for a 64-bit float (the largest is about 1.8e308)",
        ),
        (
            "1e-400",
            "is too small for a 64-bit float: it would be read as 0",
        ),
        (
            "2e-324",
            "is too small for a 64-bit float: it would be read as 0",
        ),
        (
            "-0.5e-330",
            "is too small for a 64-bit float: it would be read as 0",
        ),
    ] {
        fails(
            &["--from-loss", "t^2", "--at", &format!("1,{point}")],
            2,
            &format!("`{point}` {why}"),
        );
    }
    for held in ["5e-324", "1.7976931348623157e308", "0", "0.0e-500", "-0"] {
        fcorr(&["eval", "t", "--at", held]).success();
    }
}
