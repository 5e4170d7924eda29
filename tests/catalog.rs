//! The catalog as a reader sees it: every named divergence with its loss and properties.

#[test]
fn catalog_markdown_snapshot() {
    let rows = fcorr::report::catalog_rows().expect("every catalog entry analyses");
    assert!(rows.len() >= 12);
    insta::assert_snapshot!(fcorr::report::catalog_markdown(&rows));
}
