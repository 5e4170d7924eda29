//! A catalog name inside a formula, and the capital of the variable, are refused (exit code 2):
//! `2*hellinger` was derived as a family in a parameter `hellinger`, `T^2` as a family in `T`,
//! both constants, with exit code 0; `check --divergence "2*reverse-kl"` only said that `kl` has
//! no value. Parameters keep working, the catalog's own (`alpha`, `delta`) included.

mod support;
use support::run_all;

#[test]
fn a_catalog_name_inside_a_formula_is_refused() {
    for (args, message) in [
        (
            &["--from-divergence", "2*hellinger"][..],
            "error: `hellinger` is the name of a catalog divergence; a name stands only for a whole \
             input (`--from-divergence hellinger`), never for a part of a formula\n  = help: write \
             its formula in its place: `2*((sqrt(u) - 1)^2)`",
        ),
        (
            &["--from-divergence", "2*kl"][..],
            "error: `kl` is the name of a catalog divergence; a name stands only for a whole input \
             (`--from-divergence kl`), never for a part of a formula\n  = help: write its formula \
             in its place: `2*(u*log(u))`",
        ),
        (
            &["check", "--loss", "t^2", "--divergence", "2*reverse-kl"][..],
            "error: `reverse-kl` is the name of a catalog divergence; a name stands only for a whole \
             input (`--from-divergence reverse-kl`), never for a part of a formula\n  = help: write \
             its formula in its place: `2*(-log(u))`",
        ),
        (
            &["--from-loss", "2*linex", "--param", "alpha=1"][..],
            "error: `linex` is the name of a catalog loss; a name stands only for a whole input \
             (`--from-loss linex`), never for a part of a formula\n  = help: write its formula in \
             its place: `2*((exp(alpha*t) - alpha*t - 1)/alpha^2)`",
        ),
        (
            &["--from-loss", "T^2"][..],
            "error: `T` is not a variable: a loss is written in `t` (lower case), and without `t` it \
             is a constant for every value of a parameter `T`\n  = help: did you mean `t`? `t^2`",
        ),
        (
            &["--from-divergence", "U*log(U)", "--param", "U=2"][..],
            "error: `U` is not a variable: a divergence generator is written in `u` (lower case), and \
             without `u` it is a constant for every value of a parameter `U`\n  = help: did you mean \
             `u`? `u*log(u)`",
        ),
    ] {
        let (code, out, err) = run_all(args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert_eq!(err.trim_end(), message, "{args:?}");
    }
}

#[test]
fn parameters_stay_parameters() {
    for args in [
        &["--from-loss", "alpha*t^2", "--param", "alpha=2"][..],
        &[
            "--from-loss",
            "delta^2*(sqrt(1 + (t/delta)^2) - 1)",
            "--param",
            "delta=1",
        ][..],
        &[
            "--from-loss",
            "a*t^2 + b*t",
            "--param",
            "a=1",
            "--param",
            "b=0",
        ][..],
        &["--from-loss", "T*t^2", "--param", "T=2"][..],
        &["--from-divergence", "hellinger"][..],
        &[
            "check",
            "--loss",
            "2*(exp(t) - 1)",
            "--divergence",
            "2*(u*log(u))",
        ][..],
    ] {
        let (code, out, err) = run_all(args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
}

/// A whole input that is a catalog name in other letter cases is refused with the name (it was
/// derived as a constant over a parameter `KL`, with exit code 0), in the main command and in
/// `check`.
#[test]
fn a_catalog_name_in_capitals_is_refused_with_the_name() {
    for (args, meant) in [
        (&["--from-divergence", "KL"][..], "did you mean `kl`?"),
        (&["--from-loss", "Huber"][..], "did you mean `huber`?"),
        (
            &["--from-divergence", "Reverse-KL"][..],
            "did you mean `reverse-kl`?",
        ),
        (
            &["check", "--loss", "Linex", "--divergence", "kl"][..],
            "did you mean `linex`?",
        ),
        (
            &["check", "--loss", "linex", "--divergence", "KL"][..],
            "did you mean `kl`?",
        ),
    ] {
        let (code, out, err) = run_all(args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(err.contains(meant), "{args:?}: {err}");
    }
    let (code, _, _) = run_all(&["--from-divergence", "kl"]);
    assert_eq!(code, 0);
}
