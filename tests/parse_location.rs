//! A parse error on a line longer than the 120 bytes shown is shown as an excerpt around it,
//! named by its bytes, `input[start..end]`; its location `LINE:COLUMN` is the error's in the
//! input (columns in characters, as for a short line), not in the excerpt.

use assert_cmd::Command;

/// The first location line of the diagnostic for `--from-loss input`: `input…:LINE:COLUMN`.
fn location(input: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never", "--from-loss", input])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    err.lines()
        .find_map(|l| l.trim_start().strip_prefix("┌─ "))
        .unwrap_or_else(|| panic!("no location in\n{err}"))
        .to_string()
}

#[test]
fn the_location_is_the_inputs() {
    let long = |unit: &str, n: usize| unit.repeat(n);
    // A short line is shown whole.
    assert_eq!(location("t+)"), "input:1:3");
    assert_eq!(location(&format!("{}\nt+t+)t", long("t+", 3))), "input:2:5");
    // 3,000 `t+` and a `^` with nothing after it: the end of the input, column 6003.
    assert_eq!(
        location(&format!("{}t^", long("t+", 3000))),
        "input[5962..6002]:1:6003"
    );
    // The second line: 100 `t+`, then `)` at column 201.
    assert_eq!(
        location(&format!("{}\n{})t", long("t+", 10), long("t+", 100))),
        "input[181..223]:2:201"
    );
    // Columns count characters: `α` is two bytes, the `)` is byte 300 and column 201.
    assert_eq!(
        location(&format!("{})t", long("α+", 100))),
        "input[260..302]:1:201"
    );
}
