//! `fcorr eval --at` reads its points as the main command's `--at` does: the same reading, the
//! same messages and the same exit codes (2 for a point that is not a number, or not in the
//! variable's domain).

mod support;
use support::run_all as run;

/// `eval EXPR --at AT` and the main command `FLAG MAIN --at AT` fail alike: exit code `code`
/// and the same first line of the error, which contains `message`.
#[track_caller]
fn fails_alike(expr: &str, flag: &str, main: &str, at: &str, code: i32, message: &str) {
    let (eval_code, _, eval_err) = run(&["eval", expr, &format!("--at={at}")]);
    let (main_code, _, main_err) = run(&[flag, main, &format!("--at={at}")]);
    assert_eq!(
        (eval_code, main_code),
        (code, code),
        "{at:?}: {eval_err} / {main_err}"
    );
    let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert_eq!(first(&eval_err), first(&main_err), "{at:?}");
    assert!(eval_err.contains(message), "{at:?}: {eval_err}");
}

#[test]
fn bad_points_are_refused_as_the_main_command_refuses_them() {
    let g = ("t", "--from-divergence", "u*log(u)");
    let f = ("u", "--from-loss", "t^2");
    for (expr, flag, main) in [g, f] {
        let v = expr;
        fails_alike(
            expr,
            flag,
            main,
            "nan",
            2,
            &format!("{v} = NaN is not a finite number"),
        );
        fails_alike(
            expr,
            flag,
            main,
            "inf",
            2,
            &format!("{v} = inf is not a finite number"),
        );
        fails_alike(expr, flag, main, "-inf", 2, "is not a finite number");
        fails_alike(
            expr,
            flag,
            main,
            "",
            2,
            "a point is missing between two commas",
        );
        fails_alike(
            expr,
            flag,
            main,
            "1,,2",
            2,
            "a point is missing between two commas",
        );
        fails_alike(expr, flag, main, "two", 2, "`two` is not a number");
    }
    fails_alike(
        "u",
        "--from-loss",
        "t^2",
        "0",
        2,
        "u = 0 is outside the domain u > 0",
    );
    fails_alike(
        "u",
        "--from-loss",
        "t^2",
        "-1",
        2,
        "u = -1 is outside the domain u > 0",
    );
}

#[test]
fn spaces_around_a_point_are_allowed() {
    let (code, out, err) = run(&["eval", "t^2", "--at", " 2, 0.5 ", "--at", "3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "t = 2\t4\nt = 0.5\t0.25\nt = 3\t9\n");
}

#[test]
fn a_variable_of_its_own_is_any_finite_number() {
    let (code, out, _) = run(&["eval", "x^2", "--var", "x", "--at", "-2"]);
    assert_eq!((code, out.as_str()), (0, "x = -2\t4\n"));
    let (code, _, err) = run(&["eval", "x^2", "--var", "x", "--at", "nan"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: x = NaN is not a finite number"),
        "{err}"
    );
}
