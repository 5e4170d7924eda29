//! How a figure is written: through an exclusively created temporary file, renamed over the
//! target; nothing fcorr did not create is ever removed.

use fcorr::plot::write_atomic;
use std::ffi::OsString;
use std::path::Path;

fn names(dir: &Path) -> Vec<OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("lists")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    names
}

#[test]
fn files_that_look_like_temporary_files_are_never_touched() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let others = [
        format!(".y.svg.{}.tmp", std::process::id()),
        ".fcorr-aaaaaa.tmp".to_string(),
        ".y.svg.tmp".to_string(),
    ];
    for name in &others {
        std::fs::write(dir.path().join(name), name).expect("writes");
    }
    write_atomic(&dir.path().join("y.svg"), b"<svg/>").expect("writes");
    for name in &others {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).expect("still there"),
            *name
        );
    }
    assert_eq!(names(dir.path()).len(), others.len() + 1);
}

#[test]
fn every_legal_file_name_works() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for len in [5, 250, 255] {
        let name = format!("{}.svg", "y".repeat(len - 4));
        let path = dir.path().join(&name);
        write_atomic(&path, name.as_bytes()).expect("a legal name is written");
        assert_eq!(std::fs::read(&path).expect("reads"), name.as_bytes());
    }
    let too_long = dir.path().join(format!("{}.svg", "y".repeat(252)));
    let err = write_atomic(&too_long, b"<svg/>").expect_err("256 bytes is not a legal name");
    assert!(err.to_string().starts_with("cannot write `"), "{err}");
    assert_eq!(names(dir.path()).len(), 3, "{:?}", names(dir.path()));
}

#[test]
fn an_existing_file_is_replaced() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("fig.svg");
    std::fs::write(&path, "old, and longer than the new content").expect("writes");
    write_atomic(&path, b"new").expect("writes");
    assert_eq!(std::fs::read(&path).expect("reads"), b"new");
    assert_eq!(names(dir.path()), vec![OsString::from("fig.svg")]);
}

#[test]
fn a_failed_rename_leaves_the_target_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let target = dir.path().join("fig.svg");
    std::fs::create_dir(&target).expect("a directory where the file would go");
    std::fs::write(target.join("inside"), "kept").expect("writes");
    write_atomic(&target, b"<svg/>").expect_err("a directory is not replaced");
    assert_eq!(names(dir.path()), vec![OsString::from("fig.svg")]);
    assert_eq!(
        std::fs::read_to_string(target.join("inside")).expect("kept"),
        "kept"
    );
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn an_existing_file_keeps_its_permissions() {
        let dir = tempfile::tempdir().expect("a temp dir");
        for kept in [0o600, 0o640, 0o666, 0o444, 0o755] {
            let path = dir.path().join(format!("fig-{kept:o}.svg"));
            std::fs::write(&path, "old").expect("writes");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(kept)).expect("chmod");
            write_atomic(&path, b"new").expect("writes");
            assert_eq!(std::fs::read(&path).expect("reads"), b"new");
            assert_eq!(mode(&path), kept, "{kept:o}");
        }
    }

    #[test]
    fn a_new_file_gets_the_permissions_of_any_new_file() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).expect("creates");
        let path = dir.path().join("fig.svg");
        write_atomic(&path, b"<svg/>").expect("writes");
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn a_symbolic_link_is_replaced_and_its_target_left_alone() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let target = dir.path().join("target.svg");
        std::fs::write(&target, "target").expect("writes");
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink(&target, &link).expect("links");
        write_atomic(&link, b"<svg/>").expect("writes");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("metadata")
                .file_type()
                .is_file()
        );
        assert_eq!(std::fs::read(&link).expect("reads"), b"<svg/>");
        assert_eq!(std::fs::read(&target).expect("reads"), b"target");
    }

    #[test]
    fn a_dangling_link_is_replaced() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).expect("links");
        write_atomic(&link, b"<svg/>").expect("writes");
        assert_eq!(std::fs::read(&link).expect("reads"), b"<svg/>");
        assert_eq!(names(dir.path()), vec![OsString::from("link.svg")]);
    }
}

#[test]
fn the_plot_command_keeps_foreign_files_and_takes_a_long_name() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let foreign = dir.path().join(".y.svg.1.tmp");
    std::fs::write(&foreign, "mine").expect("writes");
    let long = format!("{}.svg", "y".repeat(251));
    for name in ["y.svg", long.as_str()] {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .current_dir(dir.path())
            .args(["plot", "--from-loss", "t^2", "-o", name])
            .assert()
            .success();
        let svg = std::fs::read_to_string(dir.path().join(name)).expect("written");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    }
    assert_eq!(std::fs::read_to_string(&foreign).expect("kept"), "mine");
    assert_eq!(names(dir.path()).len(), 3);
}
