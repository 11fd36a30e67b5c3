//! SQLite files that several Timebridge processes open at once (the window, the command line, a
//! scheduled export): how such a file is opened, and how its schema is created or upgraded without
//! two processes racing each other.

use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// How long a statement waits for another process's lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens `path` for sharing between processes: the busy timeout first (so every later statement,
/// including the switch to WAL, waits for another process instead of failing), then WAL, and
/// `synchronous = FULL` where a commit must survive a power cut.
pub fn open(path: &Path, durable: bool) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    if durable {
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

/// Runs a schema creation or upgrade under the file's write lock, taken before anything is read.
/// SQLite has no `ADD COLUMN IF NOT EXISTS`, so an upgrade reads the columns and then alters the
/// table; two processes opening an old or new file at the same moment would both see the column
/// missing and the second `ALTER` would fail. `BEGIN IMMEDIATE` makes the second wait until the
/// first has committed, and then it sees the column. On an error nothing is kept.
pub fn migrate_exclusively(
    conn: &Connection,
    upgrade: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match upgrade(conn) {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            // The rollback's own error would hide the cause; the connection is dropped by the
            // caller anyway, which ends any transaction left open.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two threads with their own connections (as two processes have) upgrade one old file at the
    /// same moment; without the write lock the second `ALTER TABLE` failed with "duplicate column".
    #[test]
    fn concurrent_upgrades_of_one_file_add_a_column_once() {
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("shared-{round}.sqlite"));
            open(&path, false)
                .unwrap()
                .execute_batch("CREATE TABLE t (a INTEGER)")
                .unwrap();
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        let conn = open(&path, true).unwrap();
                        barrier.wait();
                        migrate_exclusively(&conn, |c| {
                            let has = c
                                .prepare("SELECT 1 FROM pragma_table_info('t') WHERE name = 'b'")?
                                .exists([])?;
                            if !has {
                                c.execute_batch("ALTER TABLE t ADD COLUMN b TEXT")?;
                            }
                            Ok(())
                        })
                    })
                })
                .collect();
            for w in workers {
                w.join().unwrap().unwrap();
            }
        }
    }

    #[test]
    fn a_failed_upgrade_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("f.sqlite"), false).unwrap();
        let failed = migrate_exclusively(&conn, |c| {
            c.execute_batch("CREATE TABLE kept (a INTEGER)")?;
            c.execute_batch("THIS IS NOT SQL")
        });
        assert!(failed.is_err());
        let exists = conn
            .prepare("SELECT 1 FROM sqlite_master WHERE name = 'kept'")
            .unwrap()
            .exists([])
            .unwrap();
        assert!(!exists, "the half-done upgrade was kept");
    }
}
