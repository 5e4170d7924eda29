//! A point, a regime or a conjugate that cannot be computed is reported on its own line (and in
//! JSON as `refused`, with the reason); the rest of the report is printed, and the exit code is
//! 0 unless every value and regime asked for was refused (then 1). Numeric values never depend
//! on the other points asked for.

use assert_cmd::Command;
use serde_json::{Value, json};

/// A loss whose regimes 1 and 4 need integrals with no elementary closed form.
const PSEUDO_HUBER: &str = "sqrt(1 + t^2) - 1";
const F4: &str = "target-samples-target-gradient";
/// A generator whose loss is numeric: `g′` holds `atan(e^t − 1)`, which no method of the
/// integration table integrates.
const STILL_NUMERIC: &str = "(u - 1)*atan(u - 1)";

fn run(args: &[&str], code: i32) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str], code: i32) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&run(&a, code).0).unwrap()
}

/// The value table's line for `x` in a text report.
fn line_of(text: &str, x: &str) -> String {
    text.lines()
        .find(|l| l.split_whitespace().next() == Some(x))
        .unwrap_or_else(|| panic!("no line for {x} in\n{text}"))
        .to_string()
}

#[test]
fn total_variation_far_out_is_right_whatever_else_is_asked() {
    let alone = json(&["--from-divergence", "tv", "--at", "35"], 0);
    let among = json(&["--from-divergence", "tv", "--at", "10,35,-40"], 0);
    let v = &alone["values"][0];
    assert_eq!(v["t"], json!(35.0));
    assert!(
        (v["g"].as_f64().unwrap() - 17.5).abs() <= 1e-10 * 17.5,
        "{v}"
    );
    // g = abs(t)/2 in closed form: exact, no error estimate
    assert_eq!(alone["loss"]["expr"], json!("abs(t)/2"));
    assert_eq!(v["error"], Value::Null);
    assert_eq!(&among["values"][1], v);
    assert_eq!(among["values"][2]["g"], json!(20.0));
}

#[test]
fn a_refused_point_stays_on_its_line() {
    let (out, err) = run(&["--from-loss", "pseudo-huber", "--at", "2,1e13"], 0);
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("gradient check  holds"), "{out}");
    let refused = line_of(&out, "10000000000000");
    assert!(
        refused.contains("refused") && refused.contains("[1e-12, 1e12]"),
        "{refused}"
    );
    let v = json(&["--from-loss", "pseudo-huber", "--at", "2,1e13"], 0);
    assert_eq!(v["values"][0]["refused"], Value::Null);
    assert!(v["values"][0]["f"].is_f64());
    let r = &v["values"][1];
    assert_eq!(
        (&r["u"], &r["f"], &r["error"]),
        (&json!(1e13), &Value::Null, &Value::Null)
    );
    assert!(
        r["refused"].as_str().unwrap().contains("outside the range"),
        "{r}"
    );
    assert!(v["tails"].is_object() && v["class"].is_object());
}

#[test]
fn only_refused_values_exit_1_with_the_report() {
    // g′ = atan(e^t − 1)·… has no closed form: g is numeric, [−40, 40]
    let (out, err) = run(&["--from-divergence", STILL_NUMERIC, "--at", "41,-50"], 1);
    assert!(out.contains("identified"), "{out}");
    assert!(line_of(&out, "41").contains("refused"), "{out}");
    assert!(
        err.starts_with("error: no value asked for could be given"),
        "{err}"
    );
    let v = json(&["--from-divergence", STILL_NUMERIC, "--at", "41"], 1);
    assert!(v["values"][0]["refused"].is_string(), "{v}");
}

#[test]
fn a_regime_that_cannot_be_computed_is_a_line_not_an_abort() {
    let (out, err) = run(&["--from-loss", PSEUDO_HUBER, "--regime", F4], 1);
    assert!(out.contains("tails"), "{out}");
    let regime = line_of(&out, "regime");
    assert!(
        regime.contains(F4) && regime.contains("not available"),
        "{regime}"
    );
    assert!(
        err.starts_with("error: the regime asked for is not available"),
        "{err}"
    );
    // With a value that is given, the report is a success.
    let v = json(
        &["--from-loss", PSEUDO_HUBER, "--regime", F4, "--at", "2"],
        0,
    );
    assert_eq!(v["regime"]["name"], json!(F4));
    assert_eq!(v["regime"]["generator"], Value::Null);
    assert_eq!(v["regime"]["max_rel_error"], Value::Null);
    assert!(v["regime"]["refused"].is_string(), "{v}");
    assert!(v["values"][0]["f"].is_f64());
    // A regime that works says `refused: null`.
    let v = json(&["--from-loss", "t^2", "--regime", F4], 0);
    assert_eq!(v["regime"]["refused"], Value::Null);
    assert!(v["regime"]["generator"].is_string());
}

#[test]
fn an_unavailable_conjugate_keeps_the_report() {
    let v = json(&["--from-loss", PSEUDO_HUBER], 0);
    assert_eq!(v["conjugate"]["expr"], Value::Null);
    assert!(v["conjugate"]["refused"].is_string(), "{v}");
    assert_eq!(v["conjugate"]["refused"], v["conjugate"]["error"]);
}

#[test]
fn a_point_outside_the_domain_is_bad_input() {
    let (out, err) = run(&["--from-loss", "log-cosh", "--at", "2,-1"], 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("u = -1 is outside the domain u > 0"), "{err}");
    // A point far from 1 is named as it was written, not in 300 digits.
    for (point, named) in [
        (
            "-2.2250738585072014e-308",
            "u = -2.2250738585072014e-308 is outside",
        ),
        ("-1e300", "u = -1e300 is outside"),
        ("0", "u = 0 is outside"),
    ] {
        let (_, err) = run(&["--from-loss", "log-cosh", "--at", point], 2);
        assert!(err.contains(named), "{point}: {err}");
    }
}

/// The value table as a person reads it, in text and Markdown: a refused row keeps its point
/// and says why.
#[test]
fn refused_rows_as_printed() {
    let table = |format: &str| {
        let (out, _) = run(
            &[
                "--from-loss",
                PSEUDO_HUBER,
                "--at",
                "2,1e13",
                "--format",
                format,
            ],
            0,
        );
        // The header and the refused row (the value's last digits are libm's).
        let lines: Vec<&str> = out.lines().collect();
        let n = lines.len();
        [lines[n - 4], lines[n - 3], lines[n - 1]].join("\n")
    };
    insta::assert_snapshot!("refused_rows_text", table("text"));
    insta::assert_snapshot!("refused_rows_markdown", table("markdown"));
}

#[test]
fn a_closed_form_that_overflows_is_refused_not_printed_as_inf() {
    let v = json(&["--from-loss", "exp(t) - t - 1", "--at", "1e300,1e308"], 0);
    assert!(v["values"][0]["f"].is_f64(), "{v}");
    assert_eq!(v["values"][1]["f"], Value::Null, "{v}");
    assert!(
        v["values"][1]["refused"]
            .as_str()
            .unwrap()
            .contains("not finite"),
        "{v}"
    );
}

/// Every row of the value table ends its point, value and error columns where the header ends
/// them, whatever the points' lengths: from 1 character up to 21 (a point written with 17
/// significant digits) and 24 (the longest a number is written, as a scientific one).
#[test]
fn the_value_table_stays_aligned_with_long_points() {
    for (args, points) in [
        (
            ["--from-loss", "log(cosh(t))"],
            "2,0.0010139254075588154,1e13,2.2250738585072014e-308",
        ),
        (["--from-divergence", "js"], "0.1234567890123,-3,1e-300"),
        (["--from-loss", PSEUDO_HUBER], "2,1e13"),
    ] {
        let (out, _) = run(&[args[0], args[1], "--at", points, "--format", "text"], 0);
        let lines: Vec<&str> = out.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.ends_with("± error"))
            .unwrap_or_else(|| panic!("no value table in\n{out}"));
        // The point ends where the header's `u`/`t` ends, the value where `f(u)`/`g(t)` ends.
        let ends = |line: &str| -> Vec<usize> {
            let chars: Vec<char> = line.chars().collect();
            (1..=chars.len())
                .filter(|&i| chars[i - 1] != ' ' && chars.get(i).is_none_or(|c| *c == ' '))
                .collect()
        };
        let head = ends(lines[header]);
        let rows = &lines[header + 1..];
        assert_eq!(rows.len(), points.split(',').count(), "{out}");
        for row in rows {
            let cells = ends(row);
            assert_eq!(cells[0], head[0], "point column of {row:?} in\n{out}");
            if !row.contains("refused") {
                assert_eq!(cells[1], head[1], "value column of {row:?} in\n{out}");
            }
        }
    }
}
