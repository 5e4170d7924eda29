//! The `--residual` setting in every format: each expression is on the residual its format says
//! it is on, and the formats agree. A loss printed next to the wrong residual formula is the sign
//! trap (`exp(t) - 1` beside `t = log pθ − log q` reads as the zero-forcing `e^r − 1`), so the
//! printed losses are evaluated on the printed residuals and compared with the right loss.

mod common;
mod support;
use fcorr::expr::Expr;
use serde_json::Value;
use support::{row, run};

const TMM: &str = "t = log q − log pθ";
const MMT: &str = "r = log pθ − log q";

/// One input: its arguments, the loss `g(t)` on `t = log q − log pθ` and `G(r) = g(−r)`.
struct Case {
    args: [&'static str; 2],
    g: fn(f64) -> f64,
    big_g: fn(f64) -> f64,
}

const CASES: &[Case] = &[
    // forward KL: g(t) = e^t − 1; on r the mass-covering loss is e^{−r} − 1, not e^r − 1
    Case {
        args: ["--from-divergence", "kl"],
        g: |t| t.exp() - 1.0,
        big_g: |r| (-r).exp() - 1.0,
    },
    // Linex(1) written on the model-minus-target residual
    Case {
        args: ["--from-loss", "exp(t) - t - 1"],
        g: |t| (-t).exp() + t - 1.0,
        big_g: |r| r.exp() - r - 1.0,
    },
];

/// `expr` (a plain string fcorr prints) at `var = x`.
#[track_caller]
fn value(expr: &str, var: &str, x: f64) -> f64 {
    let e = fcorr::parse::parse(expr)
        .unwrap()
        .substitute(var, &Expr::sym("t"));
    common::eval_tree(&e, x, f64::NAN)
}

#[track_caller]
fn agrees(expr: &str, var: &str, want: fn(f64) -> f64) {
    for x in [-2.0, -0.5, 0.3, 1.7] {
        let got = value(expr, var, x);
        assert!(
            (got - want(x)).abs() < 1e-12,
            "{expr} at {var} = {x}: {got} vs {}",
            want(x)
        );
    }
}

fn output(case: &Case, residual: &str, format: &str) -> String {
    let (code, out) = run(&[
        case.args[0],
        case.args[1],
        "--residual",
        residual,
        "--format",
        format,
    ]);
    assert_eq!(code, 0, "{out}");
    out
}

#[test]
fn every_format_says_which_residual_each_loss_is_on() {
    for case in CASES {
        let from_loss = case.args[0] == "--from-loss";
        for residual in ["target-minus-model", "model-minus-target"] {
            let reflected = residual == "model-minus-target";
            let j: Value = serde_json::from_str(&output(case, residual, "json")).unwrap();
            assert_eq!(j["residual"], residual);
            assert_eq!(
                j["residual_formula"], TMM,
                "every `t` of the report is target minus model"
            );
            let g = j["loss"]["expr"].as_str().unwrap();
            let on_r = &j["model_minus_target"];
            if !from_loss || reflected {
                agrees(g, "t", case.g);
            }
            let text = output(case, residual, "text");
            let markdown = output(case, residual, "markdown");
            let latex = output(case, residual, "latex");
            for out in [&text, &markdown, &latex] {
                assert!(
                    !out.contains("t = log pθ") && !out.contains("t = log p_theta"),
                    "{out}"
                );
            }
            assert!(
                row(&text, "residual").starts_with(if from_loss && reflected { MMT } else { TMM })
            );
            if !from_loss || reflected {
                assert_eq!(row(&text, "g(t)").split("    (").next(), Some(g), "{text}");
                assert!(markdown.contains(&format!("| g(t) | {g}")), "{markdown}");
            }
            let g_latex = j["loss"]["latex"].as_str().unwrap();
            assert!(
                latex.contains(&format!("\ng(t) &= {g_latex} \\\\")),
                "{latex}"
            );
            assert!(
                latex.starts_with("% fcorr: t = log q - log p_theta") != (from_loss && reflected),
                "{latex}"
            );
            if !reflected {
                assert_eq!(*on_r, Value::Null);
                for out in [&text, &markdown, &latex] {
                    assert!(
                        !out.contains("G(r)") && !out.contains("log pθ − log q"),
                        "{out}"
                    );
                }
                continue;
            }
            assert_eq!(on_r["residual_formula"], MMT);
            let big_g = on_r["loss"].as_str().unwrap();
            agrees(big_g, "r", case.big_g);
            assert!(row(&text, "residual").contains(MMT), "{text}");
            assert!(markdown.contains(MMT), "{markdown}");
            assert!(latex.contains("r = log p_theta - log q"), "{latex}");
            let big_g_latex = on_r["latex"].as_str().unwrap();
            if from_loss {
                assert_eq!(row(&text, "input"), format!("loss G(r) = {big_g}"));
                assert!(
                    markdown.contains(&format!("| input | loss G(r) = {big_g} |")),
                    "{markdown}"
                );
                assert!(
                    latex.contains(&format!("\nG(r) &= {big_g_latex} \\\\")),
                    "{latex}"
                );
            } else {
                let note = format!(
                    "on the model-minus-target residual {MMT} the loss is G(r) = g(−r) = {big_g}"
                );
                assert_eq!(row(&text, "note"), note);
                assert!(
                    markdown.contains(&format!("| note | {note} |")),
                    "{markdown}"
                );
                assert!(
                    latex.contains(&format!("\nG(r) = g(-r) &= {big_g_latex} \\\\")),
                    "{latex}"
                );
                assert_eq!(j["notes"][0], note);
            }
        }
    }
}

/// `check` with a loss given on the model-minus-target residual: the loss as given is `G(r)` on
/// `r = log pθ − log q`, its reflection `g(t) = G(−t)` on `t = log q − log pθ`, in every format,
/// and the verdict is that of the reflected loss (Linex(1) on `r` trains the Neyman χ², not KL;
/// `e^{−r} + r − 1` on `r` is KL's loss).
#[test]
fn check_writes_the_loss_given_on_the_model_minus_target_residual_in_r() {
    for (loss, code) in [("linex", 1), ("exp(-t) + t - 1", 0)] {
        let args = |format| {
            run(&[
                "check",
                "--loss",
                loss,
                "--divergence",
                "kl",
                "--residual",
                "model-minus-target",
                "--format",
                format,
            ])
        };
        let (c, json) = args("json");
        assert_eq!(c, code, "{json}");
        let j: Value = serde_json::from_str(&json).unwrap();
        type Loss = fn(f64) -> f64;
        let (big_g, g): (Loss, Loss) = if code == 1 {
            (|r| r.exp() - r - 1.0, |t| (-t).exp() + t - 1.0)
        } else {
            (|r| (-r).exp() + r - 1.0, |t| t.exp() - t - 1.0)
        };
        assert_eq!(j["residual"], "model-minus-target");
        assert_eq!(j["residual_formula"], TMM);
        let g_plain = j["loss"].as_str().unwrap();
        agrees(g_plain, "t", g);
        let on_r = &j["model_minus_target"];
        assert_eq!(on_r["residual_formula"], MMT);
        let big_g_plain = on_r["loss"].as_str().unwrap();
        agrees(big_g_plain, "r", big_g);
        let (_, text) = args("text");
        let (_, markdown) = args("markdown");
        let (_, latex) = args("latex");
        for out in [&text, &markdown, &latex] {
            assert!(
                !out.contains("t = log pθ") && !out.contains("t = log p_theta"),
                "{out}"
            );
        }
        assert_eq!(
            row(&text, "loss"),
            format!("G(r) = {big_g_plain}  on {MMT}")
        );
        assert_eq!(
            row(&text, "reflected"),
            format!("g(t) = G(−t) = {g_plain}  on {TMM}")
        );
        assert!(
            markdown.contains(&format!("| loss | G(r) = {big_g_plain}  on {MMT} |")),
            "{markdown}"
        );
        assert!(
            latex.contains(&format!(
                "\nG(r) &= {} \\\\\ng(t) &= ",
                on_r["latex"].as_str().unwrap()
            )),
            "{latex}"
        );
        assert!(latex.contains("on t = log q - log p_theta"), "{latex}");
    }
    // the other residual: one loss, on t = log q − log pθ, and no G(r)
    let (code, json) = run(&[
        "check",
        "--loss",
        "linex",
        "--divergence",
        "kl",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    let j: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["residual_formula"], TMM);
    assert_eq!(j["model_minus_target"], Value::Null);
    assert_eq!(j["loss"], "exp(t) - t - 1");
}

/// A family on the model-minus-target residual: its loss on that residual is written in `r` in
/// every format (the input of `--from-loss`, each member's `g(−r)` for `--from-divergence`), and
/// an identification whose parameter is an expression in the family's own parameter names the
/// two apart (`α = −α` said two things with one name).
#[test]
fn families_write_the_loss_on_the_model_minus_target_residual_in_r() {
    let out = |args: &[&str], format| {
        let (code, out) = run(&[
            args,
            &["--residual", "model-minus-target", "--format", format],
        ]
        .concat());
        assert_eq!(code, 0, "{out}");
        out
    };
    // Linex(α) written on r: G(r) = (e^{αr} − αr − 1)/α², g(t) = G(−t)
    let linex = ["--from-loss", "linex"];
    let j: Value = serde_json::from_str(&out(&linex, "json")).unwrap();
    assert_eq!(j["residual_formula"], TMM);
    let at_alpha = |e: &str, var: &str, alpha: &str, x: f64| {
        let e = fcorr::parse::parse(e)
            .unwrap()
            .substitute("alpha", &fcorr::parse::parse(alpha).unwrap());
        value(&fcorr::print::plain(&e), var, x)
    };
    fn big_g(r: f64) -> f64 {
        ((0.5 * r).exp() - 0.5 * r - 1.0) / 0.25
    }
    let on_r = &j["model_minus_target"];
    assert_eq!(on_r["residual_formula"], MMT);
    let generic = &j["cases"][0]["member"];
    for (e, var, want) in [
        (on_r["loss"].as_str().unwrap(), "r", big_g as fn(f64) -> f64),
        (generic["input"].as_str().unwrap(), "r", big_g),
        (
            generic["model_minus_target"]["loss"].as_str().unwrap(),
            "r",
            big_g,
        ),
        (generic["loss"].as_str().unwrap(), "t", |t| big_g(-t)),
    ] {
        for x in [-2.0, -0.5, 0.3, 1.7] {
            let got = at_alpha(e, var, "1/2", x);
            assert!((got - want(x)).abs() < 1e-12, "{e} at {var} = {x}");
        }
    }
    let text = out(&linex, "text");
    let latex = out(&linex, "latex");
    let markdown = out(&linex, "markdown");
    for o in [&text, &latex, &markdown] {
        assert!(!o.contains("t = log pθ") && !o.contains("G(t)"), "{o}");
        assert!(
            !o.contains("with α = −α") && !o.contains(", $\\alpha = -\\alpha$"),
            "{o}"
        );
    }
    let big_g_text = on_r["loss"].as_str().unwrap();
    assert_eq!(row(&text, "input"), format!("loss G(r) = {big_g_text}"));
    assert!(row(&text, "residual").starts_with(MMT), "{text}");
    assert!(
        text.contains("with the divergence's α = −α (the family's α)"),
        "{text}"
    );
    assert!(
        latex.contains(&format!(
            "\nG(r) &= {} \\\\\n",
            on_r["latex"].as_str().unwrap()
        )),
        "{latex}"
    );
    assert!(latex.contains("on t = log q - log p_theta"), "{latex}");
    // α-divergence: g(t) = (e^{αt} − αt − 1)/α², G(r) = g(−r) in each case
    let alpha = ["--from-divergence", "alpha"];
    let j: Value = serde_json::from_str(&out(&alpha, "json")).unwrap();
    let generic = &j["cases"][0]["member"];
    let g_r = generic["model_minus_target"]["loss"].as_str().unwrap();
    assert_eq!(j["model_minus_target"]["loss"].as_str(), Some(g_r));
    for x in [-2.0_f64, -0.5, 0.3, 1.7] {
        let want = ((-0.5 * x).exp() + 0.5 * x - 1.0) / 0.25;
        assert!((at_alpha(g_r, "r", "1/2", x) - want).abs() < 1e-12, "{g_r}");
    }
    let text = out(&alpha, "text");
    assert!(row(&text, "residual").contains(MMT), "{text}");
    assert_eq!(row(&text, "  G(r)"), format!("= g(−r) = {g_r}"));
    let latex = out(&alpha, "latex");
    assert!(!latex.contains("reflected"), "{latex}");
    assert!(latex.contains("\nG(r) = g(-r) &= "), "{latex}");
}

/// A loss copied from fcorr's own output, `G(r)` in `r`, is read with `r` as its variable on the
/// model-minus-target residual (it was a constant family over a parameter `r`); beside `t`, or
/// on the other residual, `r` stays a parameter.
#[test]
fn a_loss_written_in_r_is_read_on_the_model_minus_target_residual() {
    let (code, json) = run(&[
        "--from-loss",
        "exp(-r) - 1",
        "--residual",
        "model-minus-target",
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    let j: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["command"], "derive", "{json}");
    agrees(j["loss"]["expr"].as_str().unwrap(), "t", |t| t.exp() - 1.0);
    agrees(
        j["model_minus_target"]["loss"].as_str().unwrap(),
        "r",
        |r| (-r).exp() - 1.0,
    );
    assert_eq!(j["identified"][0]["key"], "kl", "{json}");
    let (code, out) = run(&[
        "check",
        "--loss",
        "exp(r) - r - 1",
        "--divergence",
        "(u + 1/u)/2 - 1",
        "--residual",
        "model-minus-target",
    ]);
    assert_eq!(code, 0, "{out}");
    for args in [
        &["--from-loss", "exp(-r) - 1", "--json"][..],
        &[
            "--from-loss",
            "r*t^2",
            "--residual",
            "model-minus-target",
            "--json",
        ][..],
    ] {
        let (code, json) = run(args);
        assert_eq!(code, 0, "{json}");
        let j: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(j["command"], "family", "{args:?}");
        assert_eq!(j["parameter"], "r", "{args:?}");
    }
}
