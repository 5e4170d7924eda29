//! The coverage table of the README: every input of `tests/fixtures/coverage.tsv` (the catalog
//! and the published losses) derived, closed or numeric, with its agreement with quadrature and
//! with 30-digit references, and the time to derive it.
//!
//! `cargo run --release --example coverage` prints the table as Markdown (each time the median
//! of 5 derivations); `--fast` derives each input once (as `cargo test` runs it).

mod table;

fn main() {
    let fast = std::env::args().any(|a| a == "--fast");
    let rows = table::rows(if fast { 1 } else { 5 });
    print!("{}", table::table(&rows));
    println!();
    println!("{}", table::summary(&rows));
}
