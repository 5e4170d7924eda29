//! `--format text|json|markdown|latex` on `check`, `simplify`, `diff` and `eval`: every format is
//! rendered from the same result, and flags that ask for two formats are a usage error (exit 2).

mod support;
use support::run_all as run;

#[track_caller]
fn prints(args: &[&str], code: i32, expected: &str) {
    let (c, out, err) = run(args);
    assert_eq!((c, out.as_str()), (code, expected), "{args:?}: {err}");
}

#[track_caller]
fn refuses(args: &[&str], message: &str) {
    let (c, out, err) = run(args);
    assert_eq!(c, 2, "{args:?}: {out}");
    assert!(out.is_empty() && err.contains(message), "{args:?}: {err}");
}

#[test]
fn simplify_and_diff_in_every_format() {
    let s = ["simplify", "4*(exp(t/2) - t/2 - 1)"];
    prints(&s, 0, "4*exp(t/2) - 2*t - 4\n");
    prints(
        &[&s[..], &["--format", "text"]].concat(),
        0,
        "4*exp(t/2) - 2*t - 4\n",
    );
    prints(
        &[&s[..], &["--format", "latex"]].concat(),
        0,
        "4 e^{t/2} - 2 t - 4\n",
    );
    prints(
        &[&s[..], &["--format", "markdown"]].concat(),
        0,
        "| | |\n|---|---|\n| input | `4*(exp(t/2) - t/2 - 1)` |\n| result | `4*exp(t/2) - 2*t - 4` |\n| LaTeX | $4 e^{t/2} - 2 t - 4$ |\n",
    );
    let (_, json, _) = run(&[&s[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["expr"], "4*exp(t/2) - 2*t - 4");
    assert_eq!(v["latex"], "4 e^{t/2} - 2 t - 4");
    let d = ["diff", "u*log(u)"];
    prints(
        &[&d[..], &["--format", "latex"]].concat(),
        0,
        "\\log u + 1\n",
    );
    prints(
        &[&d[..], &["--latex", "--format", "latex"]].concat(),
        0,
        "\\log u + 1\n",
    );
    prints(
        &[&d[..], &["--format", "markdown"]].concat(),
        0,
        "| | |\n|---|---|\n| input | `u*log(u)` |\n| variable | `u` |\n| result | `log(u) + 1` |\n| LaTeX | $\\log u + 1$ |\n",
    );
}

#[test]
fn eval_in_every_format() {
    let e = ["eval", "exp(t)", "--at", "0,1000"];
    // A value that is not finite is printed as such and exits 1, in every format.
    prints(&e, 1, "t = 0\t1\nt = 1000\tnot finite (inf)\n");
    prints(
        &[&e[..], &["--format", "markdown"]].concat(),
        1,
        "| t | `exp(t)` |\n|---:|---:|\n| 0 | 1 |\n| 1000 | not finite (inf) |\n",
    );
    prints(
        &[&e[..], &["--format", "latex"]].concat(),
        1,
        "\\begin{tabular}{rr}\n$t$ & $e^{t}$ \\\\\n\\hline\n0 & 1 \\\\\n1000 & not finite (inf) \\\\\n\\end{tabular}\n",
    );
    let (code, json, _) = run(&[&e[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((code, &v["values"][1]["value"]), (1, &"inf".into()));
}

#[test]
fn check_in_every_format() {
    let c = ["check", "--loss", "t^2/2", "--divergence", "reverse-kl"];
    let (code, text, _) = run(&c);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("loss        g(t) = t^2/2  on t = log q − log pθ\n"),
        "{text}"
    );
    let (code, md, _) = run(&[&c[..], &["--format", "markdown"]].concat());
    assert_eq!(code, 0);
    assert!(
        md.starts_with("| | |\n|---|---|\n| loss | g(t) = t^2/2  on t = log q − log pθ |\n"),
        "{md}"
    );
    assert!(
        md.contains("| verdict | holds (exact): claimed = derived + c·(u − 1) with c = -1 |\n"),
        "{md}"
    );
    assert!(
        md.contains("| 2 | -0.6931471805599453 | -0.6931471805599454 |\n"),
        "{md}"
    );
    // The same rows as the text, one per line.
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| trains |")).count(),
        1
    );
    // The sign trap in LaTeX: the loss as given in r, its reflection in t, the verdict in a
    // comment, exit 1 as in every format.
    prints(
        &[
            "check",
            "--loss",
            "exp(t) - t - 1",
            "--divergence",
            "kl",
            "--residual",
            "model-minus-target",
            "--format",
            "latex",
        ],
        1,
        "% fcorr check: input G(r) on r = log p_theta - log q, reflected: g(t) = G(-t) on t = log q - log p_theta; D_f(q||p_theta) = E_{p_theta}[f(q/p_theta)]\n% verdict: does not hold (exact)\nG(r) &= e^{r} - 1 - r \\\\\ng(t) &= e^{-t} + t - 1 \\\\\nF(u) &= u \\log u \\quad \\text{(claimed)} \\\\\nf(u) &= \\frac{u}{2} - 1 + \\frac{1}{2 u} \\quad \\text{(derived)}\n",
    );
}

#[test]
fn conflicting_flags_are_usage_errors() {
    refuses(
        &[
            "check",
            "--loss",
            "t^2",
            "--divergence",
            "kl",
            "--json",
            "--format",
            "latex",
        ],
        "`--json` conflicts with `--format latex`",
    );
    refuses(
        &["simplify", "t", "--json", "--format", "markdown"],
        "`--json` conflicts with `--format markdown`",
    );
    refuses(
        &["simplify", "t", "--latex", "--format", "markdown"],
        "`--latex` conflicts with `--format markdown`",
    );
    refuses(
        &["diff", "t^2", "--unicode", "--format", "latex"],
        "`--unicode` conflicts with `--format latex`",
    );
    refuses(
        &["diff", "t^2", "--latex", "--format", "json"],
        "`--latex` conflicts with JSON output",
    );
    refuses(
        &["eval", "t", "--at", "1", "--latex", "--format", "markdown"],
        "`--latex` conflicts with `--format markdown`",
    );
    refuses(
        &["eval", "t", "--at", "1", "--latex", "--json"],
        "`--latex` conflicts with `--json`",
    );
    refuses(
        &["eval", "t", "--at", "1", "--format", "html"],
        "invalid value 'html'",
    );
}
