//! How the executable is linked, which decides what every process pays before its first
//! instruction (README, "Start-up: a fixed address and a static build").

/// The ELF type of a file: `2` an executable at a fixed address, `3` position-independent.
fn elf_type(path: &str) -> u16 {
    let bytes = std::fs::read(path).expect("the fcorr executable is readable");
    assert_eq!(&bytes[..4], b"\x7fELF", "{path} is an ELF file");
    u16::from_le_bytes([bytes[16], bytes[17]])
}

/// On Linux with glibc the executable has no relative relocations for the loader to apply:
/// it is linked at a fixed address, unless `FCORR_PIE` asked for a position-independent one.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu", target_endian = "little"))]
fn linked_at_a_fixed_address_on_linux() {
    let expected = if option_env!("FCORR_PIE").is_some_and(|v| !matches!(v, "" | "0")) {
        3
    } else {
        2
    };
    assert_eq!(elf_type(env!("CARGO_BIN_EXE_fcorr")), expected);
}

/// Keeping clap's command to the end of the process changes nothing a user sees: the version,
/// an unknown argument's error (exit 2) and the help (exit 0) are clap's own.
#[test]
fn parse_keeps_clap_messages() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(args)
            .output()
            .expect("fcorr runs")
    };
    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("fcorr {}\n", env!("CARGO_PKG_VERSION"))
    );
    let unknown = run(&["--from-los", "t^2"]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.starts_with("error: unexpected argument '--from-los' found"),
        "{err}"
    );
    assert!(
        err.contains("tip: a similar argument exists: '--from-loss'"),
        "{err}"
    );
    let help = run(&["check", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&help.stdout).starts_with("Check that a loss trains"),
        "check --help"
    );
}
