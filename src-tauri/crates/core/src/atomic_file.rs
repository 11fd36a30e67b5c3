//! Files that are either wholly old or wholly new: the bytes go to a fresh temporary file beside
//! the target (created exclusively, so a symbolic link planted under the temporary name is never
//! followed), are flushed to disk, and the temporary file is renamed over the target. A crash or a
//! full disk leaves the old file in place, never half a file.
//!
//! A target that is itself a symbolic link is refused: renaming over it would replace the link
//! (so the file the link pointed to would silently stay old), and writing through it would put
//! payroll data wherever the link leads. The user is told to pick the real file instead.

use crate::{AppError, ErrorCode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `path` atomically (see the module comment). `what` names the file in errors
/// ("the settings file", "the export").
pub fn write_atomically(path: &Path, bytes: &[u8], what: &str) -> Result<(), AppError> {
    let fail = |e: std::io::Error| {
        AppError::new(
            ErrorCode::Storage,
            format!("Cannot write {what} {}: {e}", path.display()),
        )
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(AppError::new(
                ErrorCode::Storage,
                format!(
                    "{} is a symbolic link; Timebridge does not write through links. Choose the file it points to, or remove the link",
                    path.display()
                ),
            ));
        }
    }
    let (tmp, mut file) = create_temporary(path).map_err(fail)?;
    let written = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_parent(path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// A new, empty file beside `path` with a name no one else holds. `create_new` fails on any
/// existing name, symbolic links included, so the file opened is always one this call made.
fn create_temporary(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut last = None;
    for _ in 0..16 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = dir.join(format!(
            ".{name}.partial-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        match open_exclusive(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Creates `tmp`, failing if anything (a file, a folder, a symbolic link) already has the name.
fn open_exclusive(tmp: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(tmp)
}

/// On Unix the rename itself is only durable once the folder is flushed too.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        write_atomically(&path, b"old", "the settings file").unwrap();
        write_atomically(&path, b"new", "the settings file").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_as_target_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, "keep me").unwrap();
        let link = dir.path().join("week.csv");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let e = write_atomically(&link, b"payroll", "the export").unwrap_err();
        assert_eq!(e.code, ErrorCode::Storage);
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep me");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_under_a_temporary_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let planted = dir.path().join(".week.csv.partial-1");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let e = open_exclusive(&planted).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        // And a whole write beside the planted link leaves the link's target alone.
        write_atomically(&dir.path().join("week.csv"), b"payroll", "the export").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
}
