//! Hu et al. (2025), Table 2, reproduced from the four published losses: each row is computed
//! from the loss (`tails::of_loss`) and from its derived generator (`tails::of_generator`), and
//! the two must agree.

use fcorr::analysis::tails::{self, Limit, Tails};
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::transform::{Bindings, Residual, from_loss};

fn show(l: &Limit) -> String {
    match l {
        Limit::Finite(Some(e), _) => plain(e),
        Limit::Finite(None, v) => format!("{v:.12} (numeric)"),
        Limit::PlusInfinity => "∞".to_string(),
        Limit::MinusInfinity => "-∞".to_string(),
        Limit::Unknown(why) => format!("unknown: {why}"),
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn row(name: &str, g: &str, f: &str, via: &str, t: &Tails) -> String {
    format!(
        "| {name} | {g} | {f} | {via} | {} | {} | {} | {} | {:?} |",
        show(&t.f_at_0),
        show(&t.f_prime_at_inf),
        yes_no(t.zero_forcing),
        yes_no(t.zero_avoiding),
        t.method
    )
}

#[test]
fn table2() {
    // (name, g, published zero-forcing, published zero-avoiding)
    let losses = [
        ("Quadratic", "t^2/2", true, false),
        ("Linex(1)", "exp(t) - t - 1", false, true),
        ("Linex(1/2)", "4*exp(t/2) - 2*t - 4", false, false),
        ("Shifted-Cosh", "exp(t) + exp(-t) - 2", true, true),
    ];
    let mut out = vec![
        "| loss | g(t) | f(u) | via | f(0) | f'(∞) | zero-forcing | zero-avoiding | method |"
            .to_string(),
        "|---|---|---|---|---|---|---|---|---|".to_string(),
    ];
    for (name, g, forcing, avoiding) in losses {
        let g_expr = parse(g).unwrap();
        let pair = from_loss(&g_expr, Residual::TargetMinusModel, &Bindings::new()).unwrap();
        let f = pair.divergence.expect("a closed-form generator");
        let from_g = tails::of_loss(&g_expr).unwrap();
        let from_f = tails::of_generator(&f).unwrap();
        assert_eq!(
            (from_g.zero_forcing, from_g.zero_avoiding),
            (from_f.zero_forcing, from_f.zero_avoiding),
            "{name}"
        );
        assert_eq!(
            (from_g.zero_forcing, from_g.zero_avoiding),
            (Some(forcing), Some(avoiding)),
            "{name}"
        );
        let g_shown = plain(&pair.loss.unwrap());
        out.push(row(name, &g_shown, &plain(&f), "g", &from_g));
        out.push(row(name, &g_shown, &plain(&f), "f", &from_f));
    }
    insta::assert_snapshot!(out.join("\n"));
}
