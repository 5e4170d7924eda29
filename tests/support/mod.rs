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

/// Runs `script` with `python3` after `import sys`, `import numpy as np` and the emitted `code`
/// imported as `emitted`; its standard output. Panics with Python's standard error, and `what`,
/// when the script fails.
pub fn run_with_module(code: &str, script: &str, what: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "fcorr-emitted-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("emitted.py"), code).unwrap();
    let script = format!(
        "import sys\nimport numpy as np\nsys.path.insert(0, {:?})\nimport emitted\n{script}",
        dir.to_string_lossy()
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{what}: python3 failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
