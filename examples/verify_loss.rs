//! fcorr as a verification library inside another crate's tests: assert that a training loss
//! trains the divergence its documentation claims, and catch the sign trap.
//!
//! In your crate, put the body of `main` in a `#[test]`; here it runs with
//! `cargo run --example verify_loss`.

use fcorr::analysis::claim::check_claim;
use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual};

fn main() -> Result<(), fcorr::Error> {
    // The documentation says: "the trajectory-balance Linex(1) loss minimises KL(q‖pθ)".
    let loss = parse("exp(t) - t - 1")?; // applied to r = log pθ − log q in the training code
    let claimed = parse("u*log(u)")?;
    let claim = check_claim(
        &loss,
        &claimed,
        Residual::ModelMinusTarget,
        &Bindings::new(),
    )?;
    assert!(!claim.holds, "the sign trap must be caught");
    let trains: Vec<String> = claim
        .derived_identified
        .iter()
        .map(|i| format!("{} × {}", i.scale, i.name))
        .collect();
    println!(
        "claim rejected; the loss actually trains {}",
        trains.join(" = ")
    );

    // The same loss on the residual t = log q − log pθ does train KL(q‖pθ), up to the class.
    let claim = check_claim(
        &loss,
        &claimed,
        Residual::TargetMinusModel,
        &Bindings::new(),
    )?;
    assert!(claim.holds);
    assert!(
        claim
            .gradient_check
            .as_ref()
            .is_ok_and(|g| g.max_rel_error < 1e-9)
    );
    println!(
        "on t = log q − log pθ the claim holds (shift c = {})",
        claim
            .shift
            .as_ref()
            .map(fcorr::print::plain)
            .unwrap_or_default()
    );
    Ok(())
}
