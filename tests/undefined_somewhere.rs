//! An input undefined on part of its domain is bad input (exit code 2, error kind `undefined`),
//! with the part and where it is undefined; inputs that only look alike are derived as before.

use assert_cmd::Command;
use fcorr::{ErrorKind, Options};

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each line: the arguments, then what the command says on standard error (exit code 2).
#[test]
fn refused_with_the_part_and_where() {
    let cases: &[&[&str]] = &[
        &["--from-divergence", "abs(u-1) - log(3-u)"],
        &["--from-divergence", "-log(3-u) + u/3 - 2/3 + log(2)"],
        &["--from-divergence", "sqrt(2-u)"],
        &["--from-divergence", "1/(u-2)"],
        &["--from-divergence", "(u-1)^(1/3)"],
        &["--from-divergence", "Li2(u)"],
        &["--from-divergence", "lambertw(-u/4)"],
        &["--from-divergence", "log(a - u)", "--param", "a=3"],
        &["--from-loss", "1/(t-1/2)^2"],
        &["--from-divergence", "u*log(u) + 1/(u^2 - 2)"],
        &["--from-divergence", "tan(u) - tan(1)"],
        &["--from-loss", "sqrt(1-t^2)"],
        &[
            "--from-loss",
            "log(t + 5)",
            "--residual",
            "model-minus-target",
        ],
        &[
            "check",
            "--loss",
            "t^2/2 + 1/(t - 2)",
            "--divergence",
            "-log(u)",
        ],
        &[
            "check",
            "--loss",
            "t^2/2",
            "--divergence",
            "-log(u) + log(4 - u)",
        ],
    ];
    let mut out = String::new();
    for args in cases {
        let (code, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        out.push_str(&format!("$ fcorr {}\n{stderr}", args.join(" ")));
    }
    insta::assert_snapshot!(out);
}

/// Defined everywhere, with forms that look like a division by zero or a logarithm of a
/// negative number somewhere: derived as before (exit code 0).
#[test]
fn look_alikes_pass() {
    let cases: &[&[&str]] = &[
        &["--from-loss", "sinh(t - 1)/(t - 1) - sinh(-1)/(-1)"],
        &["--from-loss", "log(1 + t^2)"],
        &["--from-loss", "sqrt(1 + t^2) - 1"],
        &["--from-loss", "t*atan(t) - log(1 + t^2)/2"],
        &["--from-divergence", "(u^2 - 4)/(u - 2) - 3"],
        &["--from-divergence", "(sqrt(u) - 1)^2"],
        &["--from-divergence", "u*log(u) - (u + 1)*log((1 + u)/2)"],
        &["--from-divergence", "Li2(1 - u) + u - 1"],
        &["--from-divergence", "(u^2 - 2)/(u^4 - u^2 - 2)"],
    ];
    for args in cases {
        let (code, stderr) = run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
}

/// The library and its callers get the same typed error.
#[test]
fn the_facade_gives_the_kind_undefined() {
    let o = Options::default();
    let cases: &[(Result<fcorr::Derivation, fcorr::Error>, &str)] = &[
        (
            fcorr::from_divergence("-log(3-u)", &o),
            "the generator is undefined for u ≥ 3: `log(-u + 3)` needs a positive argument",
        ),
        (
            fcorr::from_loss("1/(t-1/2)^2", &o),
            "the loss is undefined at t = 1/2: `1/(t - 1/2)^2` divides by zero",
        ),
        (
            fcorr::from_divergence("log(a - u)", &o.clone().param("a=3")),
            "the generator is undefined for u ≥ 3",
        ),
    ];
    for (result, message) in cases {
        let err = result.as_ref().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Undefined, "{err}");
        assert!(err.to_string().starts_with(message), "{err}");
    }
    let claim = fcorr::check("t^2", "-log(u) + log(4 - u)", &o).unwrap_err();
    assert_eq!(claim.kind(), ErrorKind::Undefined, "{claim}");
    assert!(
        claim
            .to_string()
            .starts_with("the claimed generator is undefined for u ≥ 4"),
        "{claim}"
    );
}
