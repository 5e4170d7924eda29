//! Writing a figure: to a temporary file beside the target, then renamed over it, so a reader
//! never sees half a figure and a failed write leaves any old file in place.
//!
//! The temporary file is created exclusively (`O_EXCL`) under a short random name
//! (`.fcorr-XXXXXX.tmp`), so it can never be a file someone else made, and only it is ever
//! removed; its name does not grow with the target's, so every name the file system accepts as a
//! target (255 bytes) works. The rename replaces the target's directory entry: a symbolic link at
//! the target is replaced by the figure (the file it pointed to is left untouched), and an
//! existing regular file is replaced atomically, keeping its permission bits. A new file gets the
//! permissions of any new file (`0o666` less the umask).

use super::PlotError;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically (a temporary file in the same directory, then a rename).
///
/// This is the only function of the library that does I/O. It removes nothing but the
/// temporary file it created; see the module documentation for links and permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PlotError> {
    let fail = |e: std::io::Error| PlotError::Write {
        path: path.display().to_string(),
        reason: reason(&e),
    };
    if path.file_name().is_none() {
        return Err(fail(std::io::Error::other("the path names no file")));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".fcorr-").suffix(".tmp").rand_bytes(6);
    let kept = kept_permissions(path);
    if kept.is_none() {
        new_file_permissions(&mut builder);
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    if let Some(mode) = kept {
        tmp.as_file().set_permissions(mode).map_err(fail)?;
    }
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // On failure the temporary file is dropped, which removes it (and only it).
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// What went wrong, without the name of the temporary file that `tempfile` adds to its errors
/// (`… at path "/dir/.fcorr-rkN1cJ.tmp"`): the user named the target, not that file.
fn reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at path \"") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The permissions of the regular file already at `path` (not of a link's target), if any.
fn kept_permissions(path: &Path) -> Option<std::fs::Permissions> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.file_type().is_file().then(|| meta.permissions())
}

/// Ask for `0o666`, which the operating system narrows by the umask, as for any new file.
#[cfg(unix)]
fn new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn new_file_permissions(_: &mut tempfile::Builder<'_, '_>) {}
