//! Embedding fcorr: derive a pair, check a claim, and verify a loss written as a Rust closure,
//! with nothing but the crate-root facade.

use fcorr::{Options, Residual, check, from_loss, verify_fn};

fn main() -> Result<(), fcorr::Error> {
    let options = Options::default();

    let pair = from_loss("t^2", &options)?;
    println!("g(t) = t^2 trains f(u) = {}", pair.f().unwrap_or_default());
    println!("identified: {:?}", pair.identified());
    println!("f at u = 0.5, 2: {:?}", pair.f_at(&[0.5, 2.0])?);

    let claim = check("t^2/2", "reverse-kl", &options)?;
    println!("claim t^2/2 trains reverse-kl: {}", claim.holds);

    // A trajectory-balance loss on r = log pθ − log q, written as code.
    let linex = |r: f64| r.exp() - r - 1.0;
    let tb = Options::default().residual(Residual::ModelMinusTarget);
    let verdict = verify_fn(linex, "kl", &tb)?;
    println!(
        "linex on log pθ − log q trains kl: {} (fit error {:.1e})",
        verdict.holds, verdict.max_rel_error
    );
    if let Some(m) = &verdict.trains {
        println!("it trains {:.4} × {} instead", m.scale, m.name);
    }
    Ok(())
}
