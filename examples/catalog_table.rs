//! A table of the named divergences for a paper: their losses, f'(1) and tails, as LaTeX
//! (`booktabs`) or Markdown. Run with `cargo run --example catalog_table [markdown]`.

fn main() -> Result<(), fcorr::Error> {
    let rows = fcorr::report::catalog_rows()?;
    let markdown = std::env::args().nth(1).as_deref() == Some("markdown");
    if markdown {
        print!("{}", fcorr::report::catalog_markdown(&rows));
    } else {
        print!("{}", fcorr::report::catalog_latex(&rows));
    }
    Ok(())
}
