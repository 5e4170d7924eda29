//! A figure is the same bytes from every process, in every format. Each process seeds its hash
//! maps afresh, and the PDF converter keeps fonts and resources in such maps, so the figures are
//! written by separate runs of the binary and compared byte for byte (one process would not
//! show it).

use std::process::Command;

/// The bytes `fcorr ARGS…` writes to `file` in a fresh directory, its exit status checked.
fn written(args: &[&str], file: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(file);
    let path = path.to_str().expect("a UTF-8 path");
    let args: Vec<&str> = args
        .iter()
        .map(|&arg| if arg == "FILE" { path } else { arg })
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(&args)
        .output()
        .expect("runs fcorr");
    assert!(out.status.success(), "{args:?}: {out:?}");
    std::fs::read(path).expect("the figure is written")
}

/// `runs` separate processes write the same bytes to `file`.
#[track_caller]
fn same_file_every_run(args: &[&str], file: &str, runs: usize) -> Vec<u8> {
    let first = written(args, file);
    for run in 1..runs {
        let again = written(args, file);
        assert!(
            again == first,
            "{args:?} {file}: run {run} wrote other bytes"
        );
    }
    first
}

/// `runs` separate processes write the same bytes, a PDF ending in `%%EOF`.
#[track_caller]
fn same_bytes_every_run(args: &[&str], runs: usize) {
    let pdf = same_file_every_run(args, "fig.pdf", runs);
    assert!(pdf.starts_with(b"%PDF-1.7\n"), "{args:?}");
    assert!(pdf.ends_with(b"%%EOF"), "{args:?}");
}

#[test]
fn the_pair_figure_is_the_same_file_from_twenty_processes() {
    same_bytes_every_run(
        &[
            "plot",
            "--from-loss",
            "t^2",
            "--from-loss",
            "exp(t) - t - 1",
            "-o",
            "FILE",
        ],
        20,
    );
}

#[test]
fn every_pdf_figure_is_the_same_file_from_every_process() {
    let figures: [&[&str]; 4] = [
        &["--from-loss", "t^2", "--plot", "FILE"],
        &[
            "variance",
            "--from-loss",
            "linex",
            "--from-loss",
            "exp(t) - 1",
            "--outcomes",
            "20",
            "--behaviour",
            "target",
            "--plot",
            "FILE",
        ],
        &[
            "plot",
            "--from-loss",
            "linex",
            "--sweep",
            "alpha=-1:2:7",
            "--size",
            "page",
            "-o",
            "FILE",
        ],
        &[
            "plot",
            "--from-loss",
            "t^2",
            "--from-loss",
            "exp(t) - t - 1",
            "--from-divergence",
            "js",
            "--legend",
            "name",
            "--canonical",
            "-o",
            "FILE",
        ],
    ];
    for args in figures {
        same_bytes_every_run(args, 8);
    }
}

#[test]
fn the_other_formats_are_the_same_file_from_every_process() {
    let args = [
        "plot",
        "--from-loss",
        "t^2",
        "--from-loss",
        "exp(t) - t - 1",
        "-o",
        "FILE",
    ];
    for file in ["fig.svg", "fig.png", "fig.tex"] {
        same_file_every_run(&args, file, 6);
    }
}
