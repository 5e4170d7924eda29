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
    // the reward is simplified from the split logarithms, as before
    assert!(line_of(&text, "reward").contains("R = (f◇)'(v) = 1/(v^2*(1 + 1/v)) + 1/2 - 1/v"));
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
