//! The README's tour is what the current binary prints: every command in a ```console block
//! is run and its output (standard output, then standard error) compared line by line.

use std::process::Command;

/// Split a command line into words: double quotes group, no other shell syntax.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Without trailing blank lines.
fn trim(mut v: Vec<&str>) -> Vec<&str> {
    while v.last().is_some_and(|l| l.trim().is_empty()) {
        v.pop();
    }
    v
}

#[test]
fn readme_console_blocks_match_the_binary() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut in_block = false;
    let mut commands: Vec<(String, Vec<String>)> = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```console") {
            in_block = true;
            continue;
        }
        if in_block && line.starts_with("```") {
            in_block = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            commands.push((cmd.to_string(), Vec::new()));
        } else if let Some((_, out)) = commands.last_mut() {
            out.push(line.to_string());
        }
    }
    assert!(
        commands.len() >= 10,
        "found only {} commands",
        commands.len()
    );
    for (cmd, expected) in &commands {
        let w = words(cmd);
        assert_eq!(w.first().map(String::as_str), Some("fcorr"), "{cmd}");
        let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(&w[1..])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let mut text = String::from_utf8_lossy(&out.stdout).to_string();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        let got = trim(text.lines().collect());
        let want = trim(expected.iter().map(String::as_str).collect());
        assert_eq!(
            got, want,
            "README output of `{cmd}` differs from the binary's"
        );
    }
}
