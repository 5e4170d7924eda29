//! Writing a figure: to a temporary file beside the target, then renamed over it, so a reader
//! never sees half a figure and a failed write leaves any old file in place.

use super::PlotError;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically (a temporary file in the same directory, then a rename).
///
/// This is the only function of the library that does I/O.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PlotError> {
    let fail = |e: std::io::Error| PlotError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let name = path
        .file_name()
        .ok_or_else(|| fail(std::io::Error::other("the path names no file")))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = std::fs::File::create_new(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let result = result.and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}
