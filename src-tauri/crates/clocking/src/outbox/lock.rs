//! One sender per outbox file, across processes. The app, a second app window and any number of
//! `timebridge clockings import` runs may share one outbox database; only the holder of this lock
//! sends or reconciles. The lock is an OS file lock on `<outbox>.lock`, so it is released by the
//! kernel when the holder exits, also after a crash or `kill -9`. Who holds it is written to
//! `<outbox>.lock-holder`, a separate file, because a locked file cannot be read on Windows.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use timebridge_core::{AppError, ErrorCode};

/// What to do when another process is sending from the same outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenBusy {
    /// Give up at once with a `Conflict` error naming the holder (the app's background drain).
    GiveUp,
    /// Wait up to this long for the other process to finish its round.
    Wait(Duration),
}

/// Held while sending; dropping it releases the lock.
pub struct SendLock {
    _file: File,
}

fn lock_paths(outbox: &Path) -> (PathBuf, PathBuf) {
    let mut lock = outbox.as_os_str().to_owned();
    lock.push(".lock");
    let mut holder = outbox.as_os_str().to_owned();
    holder.push(".lock-holder");
    (lock.into(), holder.into())
}

fn storage(what: &str, path: &Path, e: std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::Storage,
        format!("Cannot {what} the outbox lock {}: {e}", path.display()),
    )
}

/// Who holds the lock, in words ("timebridge (process 1234) since 14:03:07 UTC"), or a plain
/// "another Timebridge process" when the holder file cannot be read.
pub fn describe_holder(outbox: &Path) -> String {
    let (_, holder) = lock_paths(outbox);
    std::fs::read_to_string(holder)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "another Timebridge process".into())
}

/// Takes the send lock of the outbox at `outbox`.
pub async fn acquire(outbox: &Path, when_busy: WhenBusy) -> Result<SendLock, AppError> {
    let (lock_path, holder_path) = lock_paths(outbox);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| storage("open", &lock_path, e))?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                let wait = match when_busy {
                    WhenBusy::GiveUp => Duration::ZERO,
                    WhenBusy::Wait(d) => d,
                };
                if started.elapsed() >= wait {
                    return Err(AppError::new(
                        ErrorCode::Conflict,
                        format!(
                            "{} is sending clockings from this outbox; try again when it has finished",
                            describe_holder(outbox)
                        ),
                    ));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(TryLockError::Error(e)) => return Err(storage("take", &lock_path, e)),
        }
    }
    let program = std::env::args()
        .take(3)
        .map(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(a)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let since = chrono::Utc::now().format("%H:%M:%S UTC");
    // Best effort: the lock itself is what counts; the holder file only explains it.
    if let Ok(mut h) = File::create(&holder_path) {
        let _ = writeln!(
            h,
            "{program} (process {}) since {since}",
            std::process::id()
        );
    }
    Ok(SendLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_holder_is_told_who_sends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.sqlite");
        let first = acquire(&path, WhenBusy::GiveUp).await.unwrap();
        // A second open file description on the same file conflicts like another process would.
        let err = acquire(&path, WhenBusy::Wait(Duration::from_millis(300)))
            .await
            .err()
            .expect("the lock is held");
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(err.message.contains("process"), "{}", err.message);
        drop(first);
        acquire(&path, WhenBusy::GiveUp).await.unwrap();
    }
}
