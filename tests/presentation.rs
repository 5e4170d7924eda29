//! Results as a person writes them, in every format: merged logarithms, self-dual generators,
//! Huber in one expression, and the conjugate of a loss with a large scale.

use assert_cmd::Command;

fn stdout(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

#[track_caller]
fn line_of(report: &str, label: &str) -> String {
    report
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label} line in\n{report}"))
        .to_string()
}

#[test]
fn self_dual_generators_say_so_in_every_format() {
    for key in ["js", "tv", "gan", "hellinger", "jeffreys"] {
        let text = stdout(&["--from-divergence", key]);
        assert!(
            line_of(&text, "dual").ends_with("f◇(u) = u·f(1/u) = f(u) (self-dual)"),
            "{key}:\n{text}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["--from-divergence", key, "--json"])).unwrap();
        assert_eq!(json["dual"]["self_dual"], true, "{key}");
        let latex = stdout(&["--from-divergence", key, "--format", "latex"]);
        assert!(
            latex.contains(r"&= f(u) \quad \text{(self-dual)}"),
            "{key}:\n{latex}"
        );
        let md = stdout(&["--from-divergence", key, "--format", "markdown"]);
        assert!(md.contains("f(u) (self-dual)"), "{key}:\n{md}");
    }
    for key in ["kl", "reverse-kl", "pearson", "neyman"] {
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["--from-divergence", key, "--json"])).unwrap();
        assert_eq!(json["dual"]["self_dual"], false, "{key}");
        assert_ne!(json["dual"]["expr"], json["divergence"]["expr"], "{key}");
    }
}

#[test]
fn the_logistic_loss_reads_as_a_mathematician_writes_it() {
    let text = stdout(&["--from-loss", "softplus(t) - log(2) - t/2"]);
    assert!(
        line_of(&text, "f(u)").contains("u*log(2*u/(u + 1)) - u/2 + 1/2"),
        "{text}"
    );
    assert!(
        line_of(&text, "f'(u)").contains("log(2*u/(u + 1))"),
        "{text}"
    );
    assert!(
        line_of(&text, "dual").ends_with("u/2 + log(2/(u + 1)) - 1/2"),
        "{text}"
    );
    // the reward is the loss's weight at t = −log(v), in powers of v
    assert!(
        line_of(&text, "reward").contains("R = (f◇)'(v) = 1/2 - 1/(1 + v) for"),
        "{text}"
    );
}

/// `R = (f◇)'(v)` is `−g'(t)` at `t = −log(v)`: read from the loss's weight where that is the
/// simpler form (checked against the generator's at three points), and a closed form even when
/// the generator is numeric.
#[test]
fn the_reward_reads_as_the_losss_weight_at_minus_log_v() {
    for (side, input, reward) in [
        ("--from-loss", "t^2", "R = (f◇)'(v) = 2*log(v) for"),
        (
            "--from-loss",
            "log(cosh(t))",
            "R = (f◇)'(v) = (v^2 - 1)/(1 + v^2) for",
        ),
        (
            "--from-loss",
            "softplus(t)",
            "R = (f◇)'(v) = -1/(1 + v) for",
        ),
        (
            "--from-loss",
            "max(t, 0)^2",
            "R = (f◇)'(v) = 2*min(log(v), 0) for",
        ),
        // numeric generators: the reward is still a closed form
        (
            "--from-loss",
            "sqrt(1 + t^2) - 1",
            "R = (f◇)'(v) = log(v)/sqrt(log(v)^2 + 1) for",
        ),
        (
            "--from-loss",
            "log(1 + t^2)",
            "R = (f◇)'(v) = 2*log(v)/(log(v)^2 + 1) for",
        ),
        (
            "--from-divergence",
            "tv",
            "R = (f◇)'(v) = sign(log(v))/2 for",
        ),
        ("--from-divergence", "kl", "R = (f◇)'(v) = -1/v for"),
        (
            "--from-divergence",
            "js",
            "R = (f◇)'(v) = log(2) - log(1 + 1/v) for",
        ),
    ] {
        let text = stdout(&[side, input]);
        assert!(
            line_of(&text, "reward").contains(reward),
            "{input}:\n{text}"
        );
    }
}

#[test]
fn huber_has_no_sign_in_its_results() {
    let text = stdout(&["--from-loss", "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)"]);
    for label in ["f(u)", "f'(u)", "g'(t)", "dual"] {
        assert!(!line_of(&text, label).contains("sign"), "{label}:\n{text}");
    }
    assert!(line_of(&text, "g'(t)").contains("abs(t + 1)/2 - abs(t - 1)/2"));
}

#[test]
fn the_conjugate_of_a_loss_with_a_large_scale_is_given() {
    let text = stdout(&["--from-loss", "1e20*t^2"]);
    let conjugate = line_of(&text, "conjugate");
    assert!(!conjugate.contains("not available"), "{conjugate}");
    assert!(
        conjugate.contains("for y < 200000000000000000000"),
        "{conjugate}"
    );
}

/// A derived kinked closed form is also written piece by piece, under it, when its pieces read
/// more simply: in text (a line starting `=`), Markdown, LaTeX (`cases`) and JSON
/// (`divergence.pieces`).
#[test]
fn kinked_generators_are_also_written_piece_by_piece() {
    for (loss, pieces) in [
        (
            "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
            "= u - e*u + 1 for u < exp(-1); u - 1 - log(u) for exp(-1) < u < e; u - u*exp(-1) - 1 for u > e",
        ),
        ("max(t, 0)^2", "= 0 for u < 1; 2*u - 2 - 2*log(u) for u > 1"),
        (
            "min(abs(t), 1)^2",
            "= 2*u for u < exp(-1); 2*u - 2 - 2*log(u) for exp(-1) < u < e; 2*u - 4*u*exp(-1) for u > e",
        ),
    ] {
        let text = stdout(&["--from-loss", loss]);
        let lines: Vec<&str> = text.lines().collect();
        let f = lines.iter().position(|l| l.starts_with("f(u)")).unwrap();
        assert_eq!(lines[f + 1].trim_start(), pieces, "{loss}:\n{text}");
        let md = stdout(&["--from-loss", loss, "--format", "markdown"]);
        let escaped = pieces.replace('*', "\\*");
        assert!(md.contains(&format!("|  | {escaped} |")), "{loss}:\n{md}");
    }
    let latex = stdout(&["--from-loss", "max(t, 0)^2", "--format", "latex"]);
    assert!(
        latex.contains(r"&= \begin{cases} 0 & u < 1 \\ 2 u - 2 - 2 \log u & u > 1 \end{cases}"),
        "{latex}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "--from-loss",
        "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
        "--json",
    ]))
    .unwrap();
    let pieces = &json["divergence"]["pieces"];
    assert_eq!(pieces.as_array().map(Vec::len), Some(3), "{json}");
    assert_eq!(pieces[1]["expr"], "u - 1 - log(u)");
    assert_eq!(pieces[1]["from"], "exp(-1)");
    assert_eq!(pieces[1]["to"], "e");
    assert_eq!(pieces[0]["from"], serde_json::Value::Null);
    assert_eq!(pieces[2]["to"], serde_json::Value::Null);
    // The given side, and a kinked form as simple as its pieces, are not split.
    assert_eq!(json["loss"]["pieces"], serde_json::json!([]));
    for (side, input) in [("--from-loss", "abs(t)"), ("--from-divergence", "tv")] {
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&[side, input, "--json"])).unwrap();
        assert_eq!(json["loss"]["pieces"], serde_json::json!([]), "{input}");
        assert_eq!(
            json["divergence"]["pieces"],
            serde_json::json!([]),
            "{input}"
        );
    }
}
