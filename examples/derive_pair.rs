//! Embedding fcorr: derive the divergence a loss trains, prove the pair with the gradient
//! theorem, and evaluate both sides. Run with `cargo run --example derive_pair`.

use fcorr::check::CheckOptions;
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::transform::{Bindings, Residual, from_loss};

fn main() -> Result<(), fcorr::Error> {
    // A loss as it appears in training code, on the model-minus-target residual
    // (log Z + log P_F − log P_B − log R): the sign trap.
    let loss = parse("exp(t) - t - 1")?;
    let pair = from_loss(&loss, Residual::ModelMinusTarget, &Bindings::new())?;
    let f = pair.divergence.as_ref().map(plain);
    println!(
        "g(t) on t = log q − log pθ: {}",
        pair.loss.as_ref().map(plain).unwrap_or_default()
    );
    println!("f(u): {}", f.as_deref().unwrap_or("(numeric)"));

    let check = pair.gradient_check(&CheckOptions::default())?;
    println!(
        "gradient theorem: max relative error {:.1e}",
        check.max_rel_error
    );
    assert!(check.max_rel_error < 1e-9);

    for v in pair.derived_values(&[0.5, 1.0, 2.0])? {
        println!("f({}) = {}", v.x, v.value);
    }
    Ok(())
}
