//! The README's table of conjugates is what the binary prints: each row's divergence is run
//! and its `conjugate` line compared with the table, and the catalog says the same.

use std::process::Command;

/// `(README row name, fcorr arguments)`.
const ROWS: [(&str, &[&str]); 5] = [
    ("Pearson χ²", &["--from-divergence", "pearson"]),
    (
        "α-divergence, α = 3",
        &["--from-divergence", "alpha", "--param", "alpha=3"],
    ),
    ("Jeffreys", &["--from-divergence", "jeffreys"]),
    ("total variation", &["--from-divergence", "tv"]),
    ("Le Cam", &["--from-divergence", "le-cam"]),
];

fn fcorr(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn readme_conjugates_match_the_report_and_the_catalog() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let catalog = fcorr(&["catalog"]);
    for (name, args) in ROWS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {name} | `f*(y) = ")))
            .unwrap_or_else(|| panic!("no README row for {name}"));
        let text = row
            .split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("{row}"))
            .to_string();
        let report = fcorr(args);
        let line = report
            .lines()
            .find_map(|l| l.strip_prefix("conjugate       "))
            .unwrap_or_else(|| panic!("{name}: no conjugate line"));
        assert_eq!(line, text, "{name}");
        if !args.contains(&"--param") {
            let sentence = text.strip_prefix("f*(y) = ").unwrap();
            assert!(
                catalog.contains(&format!("conjugate f*(y)   {sentence}\n")),
                "{name}: the catalog says otherwise"
            );
        }
    }
}
