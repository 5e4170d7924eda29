//! Snapshots of derived pairs: divergences of a catalog of losses, losses of the named
//! divergences (every published row of Hu et al. 2025, Table 2, among them), each with its gradient check.

use fcorr::check::CheckOptions;
use fcorr::parse::parse;
use fcorr::print::{latex, plain};
use fcorr::transform::{Bindings, Correspondence, Residual, from_divergence, from_loss};

/// Values rounded to 12 significant digits (closed forms) or 9 (quadrature, accurate to
/// 1e-10), so libm's last digit cannot flake a snapshot.
fn round(x: f64, digits: usize) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return format!("{x}");
    }
    format!("{:.*e}", digits - 1, x)
}

fn describe(pair: &Correspondence, points: &[f64]) -> String {
    let mut out = String::new();
    let show = |e: &Option<fcorr::Expr>| e.as_ref().map_or("(numeric)".to_string(), plain);
    out.push_str(&format!("residual: {}\n", pair.residual.formula()));
    out.push_str(&format!("g(t)  = {}\n", show(&pair.loss)));
    out.push_str(&format!("g'(t) = {}\n", show(&pair.loss_derivative)));
    out.push_str(&format!("f(u)  = {}\n", show(&pair.divergence)));
    out.push_str(&format!("f'(u) = {}\n", show(&pair.divergence_derivative)));
    if let Some(f) = &pair.divergence {
        out.push_str(&format!("latex f(u) = {}\n", latex(f)));
    }
    if let Some(g) = &pair.loss {
        out.push_str(&format!("latex g(t) = {}\n", latex(g)));
    }
    out.push_str(&format!("closed form: {}\n", pair.closed_form()));
    let check = pair
        .gradient_check(&CheckOptions::default())
        .expect("gradient check runs");
    assert!(check.max_rel_error < 1e-9, "gradient check: {check:?}");
    out.push_str("gradient check: max relative error < 1e-9\n");
    for v in pair.derived_values(points).expect("values") {
        let digits = if v.error.is_some() { 9 } else { 12 };
        out.push_str(&format!("  at {} = {}\n", v.x, round(v.value, digits)));
    }
    for n in &pair.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn loss(name: &str, g: &str, params: &[&str]) {
    let mut b = Bindings::new();
    for p in params {
        b.set_from_str(p).unwrap();
    }
    let pair = from_loss(&parse(g).unwrap(), Residual::TargetMinusModel, &b).unwrap();
    let body = format!(
        "loss {name}: g(t) = {g} {params:?}\n{}",
        describe(&pair, &[0.25, 1.0, 4.0])
    );
    insta::assert_snapshot!(format!("loss_{name}"), body);
}

fn divergence(name: &str, f: &str, params: &[&str]) {
    let mut b = Bindings::new();
    for p in params {
        b.set_from_str(p).unwrap();
    }
    let pair = from_divergence(&parse(f).unwrap(), Residual::TargetMinusModel, &b).unwrap();
    let body = format!(
        "divergence {name}: f(u) = {f} {params:?}\n{}",
        describe(&pair, &[-2.0, 0.0, 2.0])
    );
    insta::assert_snapshot!(format!("divergence_{name}"), body);
}

#[test]
fn published_rows_of_hu_et_al() {
    loss("quadratic", "t^2/2", &[]);
    loss("linex_1", "exp(t) - t - 1", &[]);
    loss("linex_half", "4*exp(t/2) - 2*t - 4", &[]);
    loss("shifted_cosh", "exp(t) + exp(-t) - 2", &[]);
}

#[test]
fn catalog_of_losses() {
    loss("squared", "t^2", &[]);
    loss(
        "linex_alpha_2",
        "(exp(alpha*t) - alpha*t - 1)/alpha^2",
        &["alpha=2"],
    );
    loss(
        "linex_alpha_minus_1",
        "(exp(alpha*t) - alpha*t - 1)/alpha^2",
        &["alpha=-1"],
    );
    loss("quartic", "t^4", &[]);
    loss("cosh", "cosh(t) - 1", &[]);
}

#[test]
fn numeric_losses() {
    loss("log_cosh", "log(cosh(t))", &[]);
    loss("absolute", "abs(t)", &[]);
    loss("pseudo_huber", "sqrt(1 + t^2) - 1", &[]);
    loss("softplus_logistic", "2*softplus(t) - t - 2*log(2)", &[]);
}

#[test]
fn numeric_divergences() {
    divergence("jensen_shannon", "u*log(u) - (u + 1)*log((1 + u)/2)", &[]);
    divergence("gan", "u*log(u) - (u + 1)*log(u + 1)", &[]);
    divergence("total_variation", "abs(u - 1)/2", &[]);
}

/// Closed by the dilogarithm (by parts) and by splitting `abs`/`sign` at their kinks.
#[test]
fn dilogarithm_and_kinks() {
    loss("absolute_half", "abs(t)/2", &[]);
    loss("huber", "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)", &[]);
    loss("t_softplus", "t*softplus(t)", &[]);
    divergence("absolute", "abs(u - 1)", &[]);
}

#[test]
fn named_divergences() {
    divergence("kl_q_p", "u*log(u)", &[]);
    divergence("kl_p_q", "-log(u)", &[]);
    divergence("pearson", "(u - 1)^2", &[]);
    divergence("neyman", "(1 - u)^2/u", &[]);
    divergence("squared_hellinger", "(sqrt(u) - 1)^2", &[]);
    divergence("jeffreys", "(u - 1)*log(u)", &[]);
    divergence(
        "alpha_half",
        "(u^a - 1 - a*(u - 1))/(a*(a - 1))",
        &["a=1/2"],
    );
    divergence("alpha_2", "(u^a - 1 - a*(u - 1))/(a*(a - 1))", &["a=2"]);
}

/// The sign trap: Linex(1) applied to the model-minus-target residual does not train
/// KL(q‖pθ) (f = u log u − u + 1), though public code has claimed so. The check must say so,
/// and must pass the same claim once the residual is declared and the loss reflected.
#[test]
fn gradient_check_exposes_the_sign_trap() {
    let linex = parse("exp(t) - t - 1").unwrap();
    let claimed_f = parse("u*log(u) - u + 1").unwrap();
    // What the trap computes: G(r) with r = −t, i.e. g(t) = G(−t), paired with the claimed f.
    let trapped = Correspondence {
        direction: fcorr::transform::Direction::FromLoss,
        residual: Residual::TargetMinusModel,
        written: linex.clone(),
        loss: Some(linex.substitute("t", &-fcorr::Expr::sym("t"))),
        loss_derivative: Some(
            fcorr::diff::diff(&linex.substitute("t", &-fcorr::Expr::sym("t")), "t").unwrap(),
        ),
        divergence: Some(claimed_f.clone()),
        divergence_derivative: Some(fcorr::diff::diff(&claimed_f, "u").unwrap()),
        notes: vec![],
    };
    let check = trapped.gradient_check(&CheckOptions::default()).unwrap();
    assert!(
        check.max_rel_error > 0.1,
        "the sign trap went unnoticed: {check:?}"
    );
    // Declared honestly, the same loss derives its true divergence, and the check passes.
    let honest = from_loss(&linex, Residual::ModelMinusTarget, &Bindings::new()).unwrap();
    assert_eq!(
        honest.divergence.as_ref().map(plain).as_deref(),
        Some("u/2 - 1 + 1/(2*u)")
    );
    let check = honest.gradient_check(&CheckOptions::default()).unwrap();
    assert!(check.max_rel_error < 1e-9, "{check:?}");
}
