//! The complete analysis of one input: transform, gradient check, normalisation,
//! identification, class, reward, convexity, tails, dual and conjugate.
//! Target: under 10 ms. Run with `cargo bench --bench analysis`.

use fcorr::check::CheckOptions;
use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};

fn main() {
    divan::main();
}

#[divan::bench(args = [
    "t^2",
    "exp(t) + exp(-t) - 2",
    "log(cosh(t))",
    "softplus(t) - log(2) - t/2",
    "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
])]
fn complete_analysis_of_a_loss(loss: &str) -> usize {
    let g = parse(divan::black_box(loss)).expect("parses");
    let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new()).expect("derives");
    let check = pair
        .gradient_check(&CheckOptions::default())
        .expect("checks");
    let a = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None).expect("analyses");
    a.identified.map_or(0, |ids| ids.len()) + usize::from(check.max_rel_error < 1e-6)
}

#[divan::bench(args = [
    "u*log(u) - (u + 1)*log((1 + u)/2)",
    "u*log(u) - (u + 1)*log(u + 1)",
    "(sqrt(u) - 1)^2",
    "(u - 1)^2/(2*(u + 1))",
])]
fn complete_analysis_of_a_divergence(f: &str) -> usize {
    let f = parse(divan::black_box(f)).expect("parses");
    let pair = from_divergence(&f, Residual::TargetMinusModel, &Bindings::new()).expect("derives");
    let check = pair
        .gradient_check(&CheckOptions::default())
        .expect("checks");
    let a = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None).expect("analyses");
    a.identified.map_or(0, |ids| ids.len()) + usize::from(check.max_rel_error < 1e-6)
}

/// Every catalog entry, with its parameters at their defaults: the divergences' keys, then
/// the named losses' keys (the complete analysis, as above, of the pair each derives).
#[divan::bench(args = [
    "kl", "reverse-kl", "pearson", "neyman", "hellinger", "jeffreys", "js", "gan", "tv",
    "alpha", "le-cam", "triangular", "quadratic", "squared", "linex", "shifted-cosh",
    "log-cosh", "pseudo-huber", "huber", "absolute", "logistic",
])]
fn complete_analysis_of_a_catalog_entry(key: &str) -> usize {
    let key = divan::black_box(key);
    let none = Bindings::new();
    let pair = match fcorr::catalog::divergence(key) {
        Some(d) => from_divergence(
            &d.generator(&none).expect("instantiates"),
            Residual::TargetMinusModel,
            &none,
        ),
        None => {
            let g = fcorr::catalog::loss(key)
                .expect("a catalog key")
                .loss(&none)
                .expect("instantiates");
            from_loss(&g, Residual::TargetMinusModel, &none)
        }
    }
    .expect("derives");
    let check = pair
        .gradient_check(&CheckOptions::default())
        .expect("checks");
    let a = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None).expect("analyses");
    a.identified.map_or(0, |ids| ids.len()) + usize::from(check.max_rel_error < 1e-6)
}
