//! `--param` as every command reads it: one language, the same refusals, defaults stated.

use assert_cmd::Command;

fn fcorr(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
}

/// Exit code 2 with `message` as the first line of standard error.
#[track_caller]
fn refused(args: &[&str], message: &str) {
    let out = fcorr(args).code(2).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().next(),
        Some(format!("error: {message}").as_str()),
        "{args:?}:\n{err}"
    );
    assert!(out.stdout.is_empty(), "{args:?}");
}

#[track_caller]
fn stdout_has(args: &[&str], text: &str) {
    let out = fcorr(args).success().get_output().clone();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains(text), "{args:?}:\n{s}");
}

const EXPR: &str = "(u^a - a*u + a - 1)/(a*(a - 1))";

#[test]
fn the_main_command() {
    refused(
        &["--from-loss", "linex", "--param", "a=2"],
        "`linex` has no parameter `a`; did you mean `alpha`?",
    );
    refused(
        &["--from-loss", "linex", "--param", "alpha=0"],
        "alpha = 0 makes `linex` undefined; its limit α → 0 is t²/2",
    );
    refused(
        &["--from-divergence", "alpha", "--param", "α=1"],
        "α = 1 makes `alpha` undefined; its limit α → 1 is u·ln(u) − u + 1",
    );
    refused(
        &[
            "--from-loss",
            "linex",
            "--param",
            "alpha=1",
            "--param",
            "alpha=2",
        ],
        "parameter `alpha` is given twice (`alpha=1` and `alpha=2`)",
    );
    refused(
        &["--from-loss", "t^2", "--param", "t=1"],
        "`t` is a variable, not a parameter",
    );
    refused(
        &["--from-loss", "a*t^2", "--param", "e=1"],
        "`e` is a constant, not a parameter",
    );
    refused(
        &["--from-loss", "a*t^2", "--param", "exp=1"],
        "`exp` is a function, not a parameter",
    );
    refused(
        &["--from-loss", "a*t^2", "--param", "a=inf"],
        "the value `inf` of parameter `a` is not a number",
    );
    refused(
        &["--from-loss", "a*t^2", "--param", "a"],
        "expected `NAME=VALUE`, found `a`",
    );
    refused(
        &["--from-divergence", "kl", "--param", "alpha=2"],
        "`kl` has no parameter `alpha`",
    );
    // a catalog family without a value is derived as a family; other entries take defaults
    stdout_has(
        &["--from-loss", "linex"],
        "in alpha (no value given: derived for every value)",
    );
    stdout_has(
        &["--from-loss", "pseudo-huber"],
        "parameters      delta = 1 (the default of pseudo-huber; set another with --param delta=VALUE)",
    );
    stdout_has(
        &["--from-loss", "linex", "--param", "α=-1/2"],
        "parameters      alpha = -1/2\n",
    );
    stdout_has(
        &["--from-loss", "linex", "--param", "α=-1/2"],
        "loss g(t) = 4*exp(-t/2) + 2*t - 4",
    );
    stdout_has(
        &["--from-loss", "a*t^2", "--param", "a=2.5e-1"],
        "loss g(t) = t^2/4",
    );
}

#[test]
fn the_json_report_states_defaults() {
    let out = fcorr(&["--from-loss", "pseudo-huber", "--json"])
        .success()
        .get_output()
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        j["parameters"],
        serde_json::json!([{"name": "delta", "value": "1", "default_of": "pseudo-huber"}])
    );
    // the family `alpha` without a value: no default is used
    let out = fcorr(&["--from-divergence", "alpha", "--json"])
        .success()
        .get_output()
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["command"], "family");
    assert_eq!(j["parameters"], serde_json::json!([]));
    let out = fcorr(&["--from-loss", "t^2", "--json"])
        .success()
        .get_output()
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["parameters"], serde_json::json!([]));
}

#[test]
fn check() {
    refused(
        &[
            "check",
            "--loss",
            "linex",
            "--divergence",
            "kl",
            "--param",
            "a=2",
        ],
        "neither `linex` nor `kl` has a parameter `a`; did you mean `alpha`?",
    );
    refused(
        &[
            "check",
            "--loss",
            "linex",
            "--divergence",
            "kl",
            "--param",
            "alpha=0",
        ],
        "alpha = 0 makes `linex` undefined; its limit α → 0 is t²/2",
    );
    refused(
        &[
            "check",
            "--loss",
            "t^2",
            "--divergence",
            "alpha",
            "--param",
            "alpha=0",
        ],
        "alpha = 0 makes `alpha` undefined; its limit α → 0 is u − 1 − ln(u)",
    );
    refused(
        &[
            "check",
            "--loss",
            "t^2",
            "--divergence",
            "kl",
            "--param",
            "u=1",
        ],
        "`u` is a variable, not a parameter",
    );
    stdout_has(
        &[
            "check",
            "--loss",
            "linex",
            "--divergence",
            "kl",
            "--residual",
            "model-minus-target",
            "--param",
            "α=-1",
        ],
        "parameters  alpha = -1\n",
    );
    let out = fcorr(&[
        "check",
        "--loss",
        "linex",
        "--divergence",
        "neyman",
        "--json",
    ])
    .get_output()
    .clone();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        j["parameters"],
        serde_json::json!([{"name": "alpha", "value": "1", "default_of": "linex"}])
    );
}

#[test]
fn eval() {
    refused(
        &["eval", EXPR, "--at", "2", "--param", "b=1"],
        &format!("`{EXPR}` has no parameter `b`; did you mean `a`?"),
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "a=1"],
        &format!("a = 1 makes `{EXPR}` undefined"),
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "a=0.0"],
        &format!("a = 0.0 makes `{EXPR}` undefined"),
    );
    refused(
        &[
            "eval", EXPR, "--at", "2", "--param", "a=1/2", "--param", "a=0.5",
        ],
        "parameter `a` is given twice (`a=1/2` and `a=0.5`)",
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "u=1"],
        "`u` is a variable, not a parameter",
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "pi=1"],
        "`pi` is a constant, not a parameter",
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "a=1e999"],
        "the value `1e999` of parameter `a` is outside the range of `f64` numbers",
    );
    refused(
        &["eval", EXPR, "--at", "2", "--param", "a=-1e-400"],
        "the value `-1e-400` of parameter `a` is outside the range of `f64` numbers",
    );
    refused(
        &["eval", "t^a", "--var", "a", "--at", "2", "--param", "a=1"],
        "`a` is a variable, not a parameter",
    );
    fcorr(&["eval", "alpha*t", "--at", "2", "--param", "α=3/2"])
        .success()
        .stdout("t = 2\t3\n");
    fcorr(&["eval", "a*t", "--at", "2", "--param", "a=-1e-1"])
        .success()
        .stdout("t = 2\t-0.2\n");
}

#[test]
fn plot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fig.svg");
    let out = out.to_str().unwrap();
    refused(
        &["plot", "--from-loss", "linex", "-o", out, "--param", "a=2"],
        "`linex` has no parameter `a`; did you mean `alpha`?",
    );
    refused(
        &[
            "plot",
            "--from-loss",
            "linex",
            "--from-divergence",
            "kl",
            "-o",
            out,
            "--param",
            "alpha=0",
        ],
        "alpha = 0 makes `linex` undefined; its limit α → 0 is t²/2",
    );
    refused(
        &["plot", "--from-loss", "t^2", "-o", out, "--param", "t=2"],
        "`t` is a variable, not a parameter",
    );
    assert!(!std::path::Path::new(out).exists());
    fcorr(&[
        "plot",
        "--from-loss",
        "linex",
        "--from-divergence",
        "alpha",
        "-o",
        out,
        "--param",
        "α=2",
    ])
    .success();
    fcorr(&[
        "plot",
        "--from-loss",
        "linex",
        "--from-divergence",
        "alpha",
        "-o",
        out,
    ])
    .success();
}
