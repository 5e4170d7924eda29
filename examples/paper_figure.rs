//! The squared loss against Linex(1) as a one-column paper figure.
//!
//! ```sh
//! cargo run --example paper_figure             # writes to the system's temp directory
//! cargo run --example paper_figure -- fig.pdf  # or to a path of your choice: .svg, .pdf, .png, .tex
//! ```

use fcorr::plot::{Input, Legend, Size, plot_to_file};
use fcorr::transform::{Bindings, Residual, from_loss};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("fcorr-t2-vs-linex.svg"));
    let mut inputs = Vec::new();
    for loss in ["t^2", "exp(t) - t - 1"] {
        let g = fcorr::parse::parse(loss)?;
        let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new())?;
        // Legends in typeset math: g = t², g = eᵗ − t − 1.
        inputs.push(Input::labelled(pair, Legend::Expr));
    }
    plot_to_file(&inputs, &path, Size::Column)?;
    println!("wrote {}", path.display());
    Ok(())
}
