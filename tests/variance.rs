//! `fcorr variance` as a user runs it: the JSON contract, lists from files, bad behaviour
//! distributions, a support mismatch named in every format, figures; and the exact numbers
//! against an independent NumPy computation (brute-force O(K²) moments of the estimator) on a
//! random K = 50 model. Without python3 or NumPy that test says so on stderr and returns.

use assert_cmd::Command;
use serde_json::Value;

fn fcorr(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never", "variance"])
        .args(args)
        .assert()
}

fn json(args: &[&str]) -> Value {
    let out = fcorr(&[args, &["--json"]].concat())
        .success()
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = fcorr(args).success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

#[track_caller]
fn fails(args: &[&str], stderr_has: &str) {
    let out = fcorr(args).code(2).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(stderr_has), "stderr of {args:?}:\n{err}");
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[track_caller]
fn close(got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol * want.abs().max(1.0),
        "{got} ≠ {want}"
    );
}

const TWO: [&str; 6] = ["--from-loss", "t^2/2", "--logits", "0,0", "--target", "1,3"];

/// The contract's keys, by hand on two outcomes: `pθ = (½, ½)`, `q = (¼, ¾)`, `w = t`,
/// `t = (log ½, log 3/2)`; `∇ = −E[w s] = (−(t₀ − t₁)/4, (t₀ − t₁)/4)`; `‖s‖² = ½`, so
/// `c* = −(t₀ + t₁)/2`, `V(c) = ((t₀ + c)² + (t₁ + c)²)/4 − ‖∇‖²`.
#[test]
fn json_contract_on_two_outcomes() {
    let v = json(&[&TWO[..], &["--shift", "-1,0,2", "--behaviour", "0.25,0.75"]].concat());
    let (t0, t1) = (0.5f64.ln(), 1.5f64.ln());
    let g = (t0 - t1) / 4.0;
    close(f(&v["gradient"][0]), -g, 1e-15);
    close(f(&v["gradient"][1]), g, 1e-15);
    close(f(&v["gradient_norm"]), g.abs() * 2f64.sqrt(), 1e-15);
    let trace = |c: f64| ((t0 + c).powi(2) + (t1 + c).powi(2)) / 4.0 - 2.0 * g * g;
    for (row, c) in v["variance"]
        .as_array()
        .unwrap()
        .iter()
        .zip([-1.0, 0.0, 2.0])
    {
        close(f(&row["shift"]), c, 0.0);
        close(f(&row["trace"]), trace(c), 1e-14);
    }
    let c_star = -(t0 + t1) / 2.0;
    close(f(&v["optimal_shift"]), c_star, 1e-15);
    close(f(&v["variance_at_zero"]), trace(0.0), 1e-14);
    close(f(&v["variance_at_optimal"]), trace(c_star), 1e-14);
    // μ = (¼, ¾): ρ = (2, ⅔), ESS = 1/E_μ ρ² = ¾, largest weight 2, no bias.
    let o = &v["off_policy"];
    close(f(&o["max_weight"]), 2.0, 1e-15);
    close(f(&o["ess_fraction"]), 0.75, 1e-15);
    assert_eq!(o["bias"], serde_json::json!([0.0, 0.0]));
    assert_eq!(o["bias_norm"], 0.0);
    assert!(o["support_mismatch"].is_null());
    // E_μ‖ρ(w+c)s‖² = Σ pθ ρ ‖s‖² (w + c)² = ½(t₀ + c)² + ⅙(t₁ + c)²
    let off = |c: f64| 0.5 * (t0 + c).powi(2) + (t1 + c).powi(2) / 6.0 - 2.0 * g * g;
    let c_mu = -(0.5 * t0 + t1 / 6.0) / (0.5 + 1.0 / 6.0);
    close(f(&o["optimal_shift"]), c_mu, 1e-14);
    close(f(&o["variance_at_optimal"]), off(c_mu), 1e-14);
    for key in [
        "gradient",
        "gradient_norm",
        "variance",
        "optimal_shift",
        "variance_at_zero",
        "variance_at_optimal",
    ] {
        assert_eq!(v[key], v["losses"][0][key], "{key}");
    }
}

#[test]
fn lists_from_files_and_whitespace() {
    let dir = tempfile::tempdir().unwrap();
    let logits = dir.path().join("logits.txt");
    let target = dir.path().join("target.txt");
    std::fs::write(&logits, "0\n0\n").unwrap();
    std::fs::write(&target, "1 3").unwrap();
    let from_files = json(&[
        "--from-loss",
        "t^2/2",
        "--logits",
        &format!("@{}", logits.display()),
        "--target",
        &format!("@{}", target.display()),
    ]);
    assert_eq!(from_files["variance"], json(&TWO)["variance"]);
    fails(
        &[
            "--from-loss",
            "t^2",
            "--logits",
            "@/nonexistent/x",
            "--target",
            "1,1",
        ],
        "cannot read `/nonexistent/x`",
    );
    fails(
        &["--from-loss", "t^2", "--logits", "0,a", "--target", "1,1"],
        "--logits: `a` (number 2) is not a finite number",
    );
}

#[test]
fn bad_behaviour_distributions_are_errors() {
    let with = |mu: &str, msg: &str| fails(&[&TWO[..], &["--behaviour", mu]].concat(), msg);
    with("1.5,-0.5", "behaviour probability 1 is -0.5");
    with(
        "0.5,0.6",
        "the behaviour probabilities sum to 1.1, not 1 (within 1e-6)",
    );
    with(
        "0.2,0.3,0.5",
        "3 probabilities but the model has 2 outcomes",
    );
    with(
        "mix-target:2",
        "the mixture weight must be a number in [0, 1]",
    );
    with("normal", "is not a behaviour distribution");
    // At the tolerance's edge.
    fcorr(&[&TWO[..], &["--behaviour", "0.5,0.5000009"]].concat()).success();
    with("0.5,0.5000011", "not 1");
}

#[test]
fn bad_models_and_options_are_errors() {
    fails(&["--from-loss", "t^2"], "no model");
    fails(
        &["--from-loss", "t^2", "--outcomes", "1"],
        "2 to 1000000 outcomes",
    );
    fails(
        &["--from-loss", "t^2", "--outcomes", "1000001"],
        "2 to 1000000 outcomes",
    );
    fails(
        &["--from-loss", "t^2", "--logits", "0,0", "--target", "1"],
        "the target has 1 numbers",
    );
    fails(
        &["--from-loss", "t^2", "--logits", "0,0", "--target", "0,1"],
        "the weight g′(t) is -inf at outcome 0",
    );
    fails(
        &[&TWO[..], &["--shift", "1:2"]].concat(),
        "is not a range of shifts",
    );
    fails(
        &[&TWO[..], &["--samples", "1"]].concat(),
        "a Monte Carlo run draws 2 to 10000000",
    );
    fails(
        &[&TWO[..], &["--samples", "10000001"]].concat(),
        "a Monte Carlo run draws 2 to 10000000",
    );
    fails(
        &[&TWO[..], &["--samples", "10000000", "--shift", "0:1:40"]].concat(),
        "more than the 400000000 allowed",
    );
    fails(
        &[&TWO[..], &["--shift", "0:1:10002"]].concat(),
        "at most 10001",
    );
    let big = tempfile::NamedTempFile::new().unwrap();
    big.as_file().set_len((64 << 20) + 1).unwrap();
    fails(
        &[
            "--from-loss",
            "t^2",
            "--logits",
            &format!("@{}", big.path().display()),
            "--target",
            "1,1",
        ],
        "the limit of a list",
    );
    fails(
        &[&TWO[..], &["--regime", "target-samples-target-gradient"]].concat(),
        "differentiates the model",
    );
    fails(
        &["--logits", "0,0", "--target", "1,1"],
        "nothing to analyse",
    );
    fails(
        &[&TWO[..], &["--plot", "x.gif"]].concat(),
        "cannot tell the figure format",
    );
    // The largest model the limits allow runs.
    fcorr(&[
        "--from-loss",
        "t^2",
        "--outcomes",
        "1000000",
        "--shift",
        "0",
    ])
    .success();
}

/// `μ = (1, 0, 0)` misses outcomes 1 and 2; every format says so.
#[test]
fn support_mismatch_is_named_in_every_format() {
    let args = [
        "--from-loss",
        "linex",
        "--logits",
        "0,1,2",
        "--target",
        "1,1,1",
        "--behaviour",
        "1,0,0",
    ];
    let v = json(&args);
    let s = &v["off_policy"]["support_mismatch"];
    assert_eq!(s["outcomes"], serde_json::json!([1, 2]));
    let p0 = 1.0 / (1.0 + 1f64.exp() + 2f64.exp());
    close(f(&s["mass"]), 1.0 - p0, 1e-15);
    assert!(f(&v["off_policy"]["bias_norm"]) > 0.1);
    let named = "SUPPORT MISMATCH: μ = 0 where pθ > 0 on 2 outcomes (1, 2), pθ-mass 0.909969: they are never sampled, so the mean misses their part Σ pθ·(w + c)·s, a bias of ‖b(0)‖ = ";
    for format in ["text", "markdown", "latex"] {
        let out = stdout(&[&args[..], &["--format", format]].concat());
        assert!(out.contains(named), "{format}:\n{out}");
    }
    let out = fcorr(&args).success().get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("warning: linex: {named}")));
    // With a mixture the support is covered again.
    let v = json(&[&args[..6], &["--behaviour", "mix-uniform:0.01"]].concat());
    assert!(v["off_policy"]["support_mismatch"].is_null());
}

#[test]
fn a_class_is_compared_side_by_side() {
    let v = json(&[
        "--from-loss",
        "squared",
        "--from-loss",
        "linex",
        "--from-loss",
        "exp(t) - 1",
        "--outcomes",
        "40",
        "--seed",
        "3",
    ]);
    assert_eq!(
        v["same_divergence"],
        serde_json::json!([{"a": 1, "b": 2, "difference": 1.0, "method": "exact"}])
    );
    let l = v["losses"].as_array().unwrap();
    assert_eq!(l.len(), 3);
    let (g1, g2) = (
        l[1]["gradient"].as_array().unwrap(),
        l[2]["gradient"].as_array().unwrap(),
    );
    for (a, b) in g1.iter().zip(g2) {
        close(f(a), f(b), 1e-15);
    }
    close(
        f(&l[1]["optimal_shift"]),
        f(&l[2]["optimal_shift"]) + 1.0,
        1e-12,
    );
    assert_eq!(f(&l[2]["canonical_shift"]), -1.0);
    let text = stdout(&[
        "--from-loss",
        "linex",
        "--from-loss",
        "exp(t) - 1",
        "--outcomes",
        "40",
    ]);
    assert!(
        text.contains("same divergence linex and exp(t) - 1: g′ differ by the constant 1 (exact)"),
        "{text}"
    );
}

#[test]
fn figures_are_written_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["v.svg", "v.pdf", "v.png", "v.tex"] {
        let path = dir.path().join(name);
        let p = path.to_str().unwrap();
        fcorr(&[
            "--from-loss",
            "linex",
            "--from-loss",
            "exp(t) - 1",
            "--outcomes",
            "20",
            "--behaviour",
            "target",
            "--plot",
            p,
        ])
        .success();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 1000, "{name}");
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert!(read("v.svg").starts_with(b"<svg"));
    let pdf = read("v.pdf");
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let png = png::Decoder::new(std::io::Cursor::new(read("v.png")))
        .read_info()
        .unwrap();
    // The default size, one 3.5 in column at 300 dpi.
    assert_eq!(png.info().width, 1050);
    let tex = String::from_utf8(read("v.tex")).unwrap();
    for part in [
        "\\begin{tikzpicture}",
        "gradient noise $V(c)$",
        "(b) ESS fraction",
        "(c) bias $\\|b(0)\\|$",
        "\\addlegendentry{linex}",
        "\\addlegendentry{$e^{t} - 1$}",
        "\\end{tikzpicture}",
    ] {
        assert!(tex.contains(part), "{part} in {tex}");
    }
}

/// Whether `python3` can import NumPy; says why not on stderr.
fn numpy_available() -> bool {
    match std::process::Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
    {
        Err(_) => {
            eprintln!("skipped: python3 is not installed");
            false
        }
        Ok(out) if !out.status.success() => {
            eprintln!("skipped: numpy is not installed");
            false
        }
        Ok(_) => true,
    }
}

/// NumPy builds every estimator's vectors for each outcome (K × K) and sums them; the weights
/// come from NumPy's own `expm1`, and `c*` from the brute-force quadratic through three shifts.
const ORACLE: &str = r#"
import json, sys
import numpy as np
d = json.load(open(sys.argv[1]))
th, q, mu = np.array(d["logits"]), np.array(d["target"]), np.array(d["mu"])
q = q / q.sum()
p = np.exp(th - th.max()); p /= p.sum()
t = np.log(q) - np.log(p)
w = {"linex": np.expm1(t), "hellinger": np.expm1(t / 2)}[d["loss"]]
K = len(p)
S = np.eye(K) - p                      # row x: s(x) = e_x - p
def moments(prob, a, c):
    X = -(a * (w + c))[:, None] * S    # row x: the estimator's value at x
    keep = prob > 0
    mean = prob[keep] @ X[keep]
    return prob[keep] @ (X[keep] ** 2).sum(1) - mean @ mean, mean
grad = moments(p, np.ones(K), 0.0)[1]
rho = np.where(mu > 0, p / np.where(mu > 0, mu, 1), 0)
out = {"gradient": grad.tolist(), "shifts": d["shifts"]}
for name, prob, a in [("on", p, np.ones(K)), ("off", mu, rho)]:
    v = lambda c: moments(prob, a, c)[0]
    out[name] = [v(c) for c in d["shifts"]]
    v0, v1, vm = v(0.0), v(1.0), v(-1.0)
    c_star = -(v1 - vm) / (2 * (v1 - 2 * v0 + vm))
    out[name + "_optimal"] = c_star
    out[name + "_minimum"] = v(c_star)
out["bias"] = (moments(mu, rho, 0.0)[1] - grad).tolist()
out["max_weight"] = rho.max()
out["ess"] = (mu @ rho) ** 2 / (mu @ rho ** 2)
print(json.dumps(out))
"#;

#[test]
fn exact_numbers_agree_with_numpy() {
    if !numpy_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A random K = 50 model from a fixed seed, and a behaviour that misses three outcomes.
    let mut rng = fcorr::variance::Rng::new(2024);
    let logits: Vec<f64> = (0..50).map(|_| 1.5 * rng.normal()).collect();
    let target: Vec<f64> = (0..50).map(|_| 0.05 + rng.uniform()).collect();
    let mut mu: Vec<f64> = (0..50)
        .map(|i| {
            if [4, 17, 33].contains(&i) {
                0.0
            } else {
                rng.uniform()
            }
        })
        .collect();
    let total: f64 = mu.iter().sum();
    mu.iter_mut().for_each(|m| *m /= total);
    let shifts = [-3.0, -0.5, 0.0, 0.25, 2.0];
    let list = |xs: &[f64]| {
        xs.iter()
            .map(|x| format!("{x:e}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    for (loss, flag) in [("linex", "--from-loss"), ("hellinger", "--from-divergence")] {
        let data = serde_json::json!({"logits": logits, "target": target, "mu": mu, "shifts": shifts, "loss": loss});
        let path = dir.path().join("model.json");
        std::fs::write(&path, data.to_string()).unwrap();
        let script = dir.path().join("oracle.py");
        std::fs::write(&script, ORACLE).unwrap();
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want: Value = serde_json::from_slice(&out.stdout).unwrap();
        let got = json(&[
            flag,
            loss,
            "--logits",
            &list(&logits),
            "--target",
            &list(&target),
            "--behaviour",
            &list(&mu),
            "--shift",
            &list(&shifts),
        ]);
        let tol = 1e-10;
        for (a, b) in got["gradient"]
            .as_array()
            .unwrap()
            .iter()
            .zip(want["gradient"].as_array().unwrap())
        {
            close(f(a), f(b), tol);
        }
        for (i, row) in got["variance"].as_array().unwrap().iter().enumerate() {
            close(f(&row["trace"]), f(&want["on"][i]), tol);
            close(
                f(&got["off_policy"]["variance"][i]["trace"]),
                f(&want["off"][i]),
                tol,
            );
        }
        close(f(&got["optimal_shift"]), f(&want["on_optimal"]), 1e-8);
        close(f(&got["variance_at_optimal"]), f(&want["on_minimum"]), tol);
        let o = &got["off_policy"];
        close(f(&o["optimal_shift"]), f(&want["off_optimal"]), 1e-8);
        close(f(&o["variance_at_optimal"]), f(&want["off_minimum"]), tol);
        for (a, b) in o["bias"]
            .as_array()
            .unwrap()
            .iter()
            .zip(want["bias"].as_array().unwrap())
        {
            close(f(a), f(b), tol);
        }
        close(f(&o["max_weight"]), f(&want["max_weight"]), tol);
        close(f(&o["ess_fraction"]), f(&want["ess"]), tol);
        assert_eq!(
            o["support_mismatch"]["outcomes"],
            serde_json::json!([4, 17, 33])
        );
    }
}

/// The sampled values next to the exact ones, through the command line: within four
/// standard errors on a well-behaved model.
#[test]
fn monte_carlo_agrees_on_the_command_line() {
    let v = json(&[
        "--from-loss",
        "t^2/2",
        "--outcomes",
        "30",
        "--seed",
        "4",
        "--target-shape",
        "uniform",
        "--temperature",
        "2",
        "--behaviour",
        "mix-uniform:0.5",
        "--shift",
        "-1,0,1",
        "--samples",
        "100000",
    ]);
    let mc = &v["monte_carlo"];
    for est in [&mc["on_policy"], &mc["off_policy"]] {
        let m = &est["mean_along_gradient"];
        assert!(
            ((f(&m["estimate"]) - f(&m["exact"])) / f(&m["standard_error"])).abs() < 4.0,
            "{m}"
        );
        for row in est["variance"].as_array().unwrap() {
            let z = (f(&row["estimate"]) - f(&row["exact"])) / f(&row["standard_error"]);
            assert!(z.abs() < 4.0, "{row}");
        }
    }
    close(
        f(&mc["on_policy"]["mean_along_gradient"]["exact"]),
        f(&v["gradient_norm"]),
        1e-12,
    );
}

/// What a person reads, in each format, for a three-outcome model whose behaviour misses an
/// outcome, with the target-sampling regime.
#[test]
fn formats_snapshot() {
    let args = [
        "--from-loss",
        "linex",
        "--from-loss",
        "exp(t) - 1",
        "--logits",
        "0,1,2",
        "--target",
        "1,2,1",
        "--behaviour",
        "0.5,0.5,0",
        "--regime",
        "target-samples-model-gradient",
        "--shift",
        "-1:1:3",
    ];
    for format in ["text", "markdown", "latex"] {
        let out = stdout(&[&args[..], &["--format", format]].concat());
        insta::assert_snapshot!(format!("variance_{format}"), out);
    }
}

/// A loss on the model-minus-target residual is reflected, as everywhere: Linex(1) written on
/// `log pθ − log q` is `e^(−t) + t − 1` on `t = log q − log pθ`; parameters and catalog names
/// resolve as in the main command.
#[test]
fn residual_and_parameters_resolve_as_everywhere() {
    let model = ["--outcomes", "12", "--seed", "5"];
    let reflected = json(
        &[
            &[
                "--from-loss",
                "exp(t) - t - 1",
                "--residual",
                "model-minus-target",
            ],
            &model[..],
        ]
        .concat(),
    );
    let direct = json(&[&["--from-loss", "exp(-t) + t - 1"], &model[..]].concat());
    assert_eq!(reflected["variance"], direct["variance"]);
    assert_eq!(reflected["model"]["residual"], "model-minus-target");
    let named = json(
        &[
            &["--from-loss", "linex", "--param", "alpha=1/2"],
            &model[..],
        ]
        .concat(),
    );
    let written = json(&[&["--from-loss", "4*exp(t/2) - 2*t - 4"], &model[..]].concat());
    assert_eq!(named["variance"], written["variance"]);
    let hellinger = json(&[&["--from-divergence", "hellinger"], &model[..]].concat());
    assert_eq!(hellinger["weight"], "exp(t/2) - 1");
}

/// Every format names each residual with its own letter: the losses as given are `G(r)` on
/// `r = log pθ − log q`, their reflections `g(t)` on `t = log q − log pθ` (the `g′(t)` printed
/// beside each input), never `t = log pθ − log q`.
#[test]
fn the_model_minus_target_residual_has_its_own_letter() {
    let args = [
        "--from-loss",
        "exp(t) - t - 1",
        "--residual",
        "model-minus-target",
        "--outcomes",
        "12",
        "--seed",
        "5",
    ];
    for format in ["text", "markdown", "latex"] {
        let out = stdout(&[&args[..], &["--format", format]].concat());
        assert!(!out.contains("t = log pθ"), "{out}");
        assert!(
            out.contains(
                "r = log pθ − log q as G(r) (an input's t stands for r), reflected to g(t) = G(−t) on t = log q − log pθ"
            ),
            "{out}"
        );
    }
    let out = stdout(&args);
    assert!(out.contains("(g′(t) = -exp(-t) + 1)"), "{out}");
}
