//! `check` judges a claim in the class the transform fixes a generator in, `f + a + b·u`: the
//! loss fcorr derives for every catalog divergence, on either residual, checks as training it.

mod support;
use fcorr::Expr;
use fcorr::transform::Residual;
use fcorr::{Options, check, from_divergence, from_loss};
use support::run;

/// The loss fcorr derives for `key` (on `t = log q − log pθ`), written on `residual`: itself,
/// or reflected, `G(t) = g(−t)`, on `t = log pθ − log q`.
fn derived_loss(key: &str, residual: Residual) -> String {
    let derived = from_divergence(key, &Options::default()).unwrap();
    let g = derived
        .pair
        .loss
        .unwrap_or_else(|| panic!("{key}: no loss"));
    let g = match residual {
        Residual::TargetMinusModel => g,
        Residual::ModelMinusTarget => g.substitute("t", &(Expr::int(-1) * Expr::sym("t"))),
    };
    fcorr::print::plain(&g)
}

#[test]
fn the_derived_loss_of_every_catalog_divergence_is_identified_as_it() {
    for d in fcorr::catalog::DIVERGENCES {
        let g = derived_loss(d.key, Residual::TargetMinusModel);
        let derived = from_loss(&g, &Options::default()).unwrap();
        assert!(
            derived.identified().contains(&d.key),
            "{}: g = {g}, f = {:?}: {:?}",
            d.key,
            derived.f(),
            derived.identified()
        );
    }
}

#[test]
fn the_derived_loss_of_every_catalog_divergence_trains_it() {
    for residual in [Residual::TargetMinusModel, Residual::ModelMinusTarget] {
        let options = Options::default().residual(residual);
        for d in fcorr::catalog::DIVERGENCES {
            let g = derived_loss(d.key, residual);
            let claim = check(&g, d.key, &options).unwrap();
            assert!(
                claim.holds,
                "{} on {}: g = {g}: {:?} {:?}",
                d.key,
                residual.name(),
                claim.verdict,
                claim.derived.divergence
            );
            let trains: Vec<&str> = claim.derived_identified.iter().map(|i| i.key).collect();
            assert!(trains.contains(&d.key), "{}: {g} trains {trains:?}", d.key);
        }
    }
}

#[test]
fn the_gan_loss_checks_as_gan_up_to_a_constant() {
    let (code, out) = run(&[
        "check",
        "--loss",
        "-pi^2/12 - 2*log(2) - Li2(-exp(t))",
        "--divergence",
        "gan",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("verdict     holds (exact): claimed = derived + a + c·(u − 1) with a = -2*log(2), c = -2*log(2)"),
        "{out}"
    );
}

#[test]
fn the_emitted_code_of_every_catalog_divergence_names_it() {
    for d in fcorr::catalog::DIVERGENCES {
        let g = derived_loss(d.key, Residual::TargetMinusModel);
        let (code, out) = run(&["--from-loss", &g, "--emit", "numpy"]);
        assert_eq!(code, 0, "{}: {out}", d.key);
        let name = d.name.split(" with ").next().unwrap_or(d.name);
        assert!(out.contains(name), "{}: no `{name}` in\n{out}", d.key);
    }
}
