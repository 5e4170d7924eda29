//! The command line as the tests run it, shared by the test files that read its output.
#![allow(dead_code)]

use assert_cmd::Command;

/// `(exit code, standard output, standard error)` of `fcorr --color never args`.
pub fn run_all(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `(exit code, standard output)` of `fcorr --color never args`.
pub fn run(args: &[&str]) -> (i32, String) {
    let (code, stdout, _) = run_all(args);
    (code, stdout)
}

/// The text of the report's row labelled `label` (the label, at least two spaces, the text).
#[track_caller]
pub fn row<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(label)
                .filter(|rest| rest.starts_with("  "))
                .map(str::trim)
        })
        .unwrap_or_else(|| panic!("no row `{label}` in\n{text}"))
}
