//! `fcorr plot --sweep NAME=LO:HI:N`: the members of a family in one figure, the legend by value,
//! a special value drawn at its limit, and mistakes refused with exit code 2.

use assert_cmd::Command;

fn fcorr(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
}

/// The legend entries of a pgfplots figure, in order.
fn legend(args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tex = dir.path().join("fig.tex");
    let mut all = vec!["plot"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", tex.to_str().expect("utf-8")]);
    fcorr(&all).success();
    std::fs::read_to_string(&tex)
        .expect("reads")
        .lines()
        .filter_map(|l| l.strip_prefix(r"\addlegendentry{"))
        .map(|l| l.trim_end_matches('}').to_string())
        .collect()
}

#[test]
fn a_sweep_draws_one_member_per_value_with_the_value_as_its_label() {
    assert_eq!(
        legend(&["--from-loss", "linex", "--sweep", "alpha=-1:2:7"]),
        [
            r"$\alpha = -1$",
            r"$\alpha = -\frac{1}{2}$",
            r"$\alpha = 0$ (limit)",
            r"$\alpha = \frac{1}{2}$",
            r"$\alpha = 1$",
            r"$\alpha = \frac{3}{2}$",
            r"$\alpha = 2$",
        ]
    );
    // A typed family and a Greek spelling; the largest sweep there may be.
    let many = legend(&[
        "--from-loss",
        "(exp(a*t) - a*t - 1)/a^2",
        "--sweep",
        "a=1:25:25",
    ]);
    assert_eq!(many.len(), 25);
    assert_eq!(many[24], "$a = 25$");
    // A typed family is drawn at its limit where it is undefined, as a catalog entry is.
    assert_eq!(
        legend(&[
            "--from-loss",
            "(exp(a*t) - a*t - 1)/a^2",
            "--sweep",
            "a=-1:1:3"
        ]),
        ["$a = -1$", "$a = 0$ (limit)", "$a = 1$"]
    );
    assert_eq!(
        legend(&["--from-divergence", "alpha", "--sweep", "α=2:3:2"]),
        [r"$\alpha = 2$", r"$\alpha = 3$"]
    );
}

#[test]
fn inputs_without_the_parameter_are_drawn_once_beside_the_sweep() {
    assert_eq!(
        legend(&[
            "--from-loss",
            "t^2",
            "--from-loss",
            "linex",
            "--sweep",
            "alpha=1/2:1:2"
        ]),
        [
            r"$g = t^{2}$",
            r"linex, $\alpha = \frac{1}{2}$",
            r"linex, $\alpha = 1$",
        ]
    );
}

#[test]
fn the_member_at_a_value_is_the_member_with_that_parameter() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let swept = dir.path().join("swept.tex");
    let member = dir.path().join("member.tex");
    fcorr(&[
        "plot",
        "--from-loss",
        "linex",
        "--sweep",
        "alpha=1/2:3/2:2",
        "-o",
        swept.to_str().expect("utf-8"),
    ])
    .success();
    fcorr(&[
        "plot",
        "--from-loss",
        "linex",
        "--param",
        "alpha=1/2",
        "-o",
        member.to_str().expect("utf-8"),
    ])
    .success();
    let first_curve = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).expect("reads");
        let start = text.find("coordinates {").expect("a curve");
        let end = start + text[start..].find('}').expect("ends");
        text[start..end].to_string()
    };
    assert_eq!(first_curve(&swept), first_curve(&member));
}

#[test]
fn mistakes_in_a_sweep_exit_2_and_say_what_is_wrong() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("fig.svg");
    let out = out.to_str().expect("utf-8");
    for (args, message) in [
        (
            &["--from-loss", "linex", "--sweep", "a=-1:2:7"][..],
            "`linex` has no parameter `a`; did you mean `alpha`?",
        ),
        (
            &["--from-loss", "t^2", "--sweep", "a=0:1:3"][..],
            "`t^2` has no parameter `a`",
        ),
        (
            &["--from-loss", "linex", "--sweep", "alpha=2:1:3"][..],
            "cannot read the sweep `alpha=2:1:3`: LO must be less than HI",
        ),
        (
            &["--from-loss", "linex", "--sweep", "alpha=0:1:26"][..],
            "N `26` is not a whole number from 2 to 25",
        ),
        (
            &[
                "--from-loss",
                "linex",
                "--sweep",
                "alpha=0:1:3",
                "--param",
                "alpha=1",
            ][..],
            "`alpha` is swept and given a value with --param",
        ),
        (
            &["--from-loss", "log(a)*t^2", "--sweep", "a=-1:1:3"][..],
            "a = -1 makes `log(a)*t^2` undefined",
        ),
    ] {
        let mut all = vec!["plot"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", out]);
        fcorr(&all)
            .code(2)
            .stderr(predicates::str::contains(message));
    }
    assert!(!std::path::Path::new(out).exists());
}
