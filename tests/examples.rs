//! Every example runs: `cargo test` builds the examples, and this runs each one and checks
//! that it succeeds and says what it should.

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/NAME`, next to this test binary's `deps` folder.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary lives in target/<profile>/deps");
    profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

#[track_caller]
fn runs(name: &str, args: &[&str], says: &str) {
    let path = example(name);
    let out = Command::new(&path).args(args).output().unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run the whole `cargo test`, which builds the examples)",
            path.display()
        )
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(says), "{name} printed:\n{stdout}");
}

#[test]
fn examples_run() {
    runs("derive_pair", &[], "gradient theorem: max relative error");
    runs("verify_loss", &[], "claim rejected");
    runs("embed", &[], "it trains 0.5000 × Neyman");
    runs("catalog_table", &[], "\\toprule");
    runs("catalog_table", &["markdown"], "| key | divergence |");
    runs("coverage", &["--fast"], "inputs in closed form");
    let dir = std::env::temp_dir().join(format!("fcorr-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("figure.svg");
    runs("paper_figure", &[svg.to_str().unwrap()], "figure.svg");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    std::fs::remove_dir_all(&dir).unwrap();
}
