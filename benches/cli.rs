//! The command as a user runs it: `fcorr --from-loss "t^2"` end to end, as a process
//! (start-up, parse, transform, gradient check, report). Target: median under 5 ms.
//! Run with `cargo bench --bench cli` (it runs the release binary that cargo builds for it).

use std::process::{Command, Stdio};

fn main() {
    divan::main();
}

#[divan::bench(args = ["t^2", "4*(exp(t/2) - t/2 - 1)", "exp(t) + exp(-t) - 2"])]
fn from_loss_process(loss: &str) -> bool {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--from-loss", loss])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}
