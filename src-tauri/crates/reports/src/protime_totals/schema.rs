//! The cache file's tables: their columns, the migration of files written by older versions, and
//! the two row writes (upsert and tombstone) whose change-version rules keep the feed consistent.

use super::CachedTotal;
use rusqlite::{params, Connection, Transaction};

pub(super) const TABLE_COLUMNS: &str = "feed INTEGER NOT NULL,
    id INTEGER NOT NULL,
    person INTEGER NOT NULL,
    date TEXT NOT NULL,
    change_version TEXT NOT NULL,
    normal INTEGER NOT NULL,
    present INTEGER NOT NULL,
    calculated INTEGER NOT NULL,
    flextime INTEGER NOT NULL,
    flextime_balance INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    weekly1 INTEGER,
    weekly2 INTEGER,
    weekly3 INTEGER,
    pay_period INTEGER,
    shift_definition INTEGER,
    PRIMARY KEY (feed, id)";

/// Every column of the two totals tables, in one order, for copies between them: a migrated file
/// has the later columns appended, so `SELECT *` would depend on the table's history.
pub(super) const COLUMN_LIST: &str =
    "feed, id, person, date, change_version, normal, present, calculated, \
    flextime, flextime_balance, deleted, weekly1, weekly2, weekly3, pay_period, shift_definition";

/// Columns added after the first release, with their type: files written before get them added
/// (as NULL: not known yet; the next reload fills them).
const ADDED_COLUMNS: [(&str, &str); 5] = [
    ("weekly1", "INTEGER"),
    ("weekly2", "INTEGER"),
    ("weekly3", "INTEGER"),
    ("pay_period", "INTEGER"),
    ("shift_definition", "INTEGER"),
];

/// Adds the [`ADDED_COLUMNS`] a cache file written by an older version lacks.
pub(super) fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    for table in ["totals", "staged_totals"] {
        let have: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info({table})"))?
            .query_map([], |r| r.get::<_, String>(1))?
            .collect::<rusqlite::Result<_>>()?;
        for (column, kind) in ADDED_COLUMNS {
            if !have.iter().any(|c| c == column) {
                conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
            }
        }
    }
    Ok(())
}

/// Inserts or updates one day unless the table holds an equal-or-newer change version (or a newer
/// delete). SQLite compares TEXT byte by byte, which is the ordinal order Protime prescribes.
pub(super) fn upsert(
    tx: &Transaction<'_>,
    table: &str,
    feed: i64,
    t: &CachedTotal,
) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO {table} ({COLUMN_LIST})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT(feed, id) DO UPDATE SET
               person = excluded.person, date = excluded.date, change_version = excluded.change_version,
               normal = excluded.normal, present = excluded.present, calculated = excluded.calculated,
               flextime = excluded.flextime, flextime_balance = excluded.flextime_balance, deleted = 0,
               weekly1 = excluded.weekly1, weekly2 = excluded.weekly2, weekly3 = excluded.weekly3,
               pay_period = excluded.pay_period, shift_definition = excluded.shift_definition
             WHERE excluded.change_version > {table}.change_version"
        ),
        params![
            feed,
            t.id,
            t.person_id,
            t.date.format("%Y-%m-%d").to_string(),
            t.change_version,
            t.normal_minutes,
            t.present_minutes,
            t.calculated_minutes,
            t.flextime_minutes,
            t.flextime_balance_minutes,
            t.extra.weekly_hours1_minutes,
            t.extra.weekly_hours2_minutes,
            t.extra.weekly_hours3_minutes,
            t.extra.pay_period_minutes,
            t.extra.shift_definition_id
        ],
    )?;
    Ok(())
}

/// A delete becomes a tombstone carrying its change version; an older one is ignored.
pub(super) fn tombstone(
    tx: &Transaction<'_>,
    feed: i64,
    id: i64,
    change_version: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO totals (feed, id, person, date, change_version, normal, present, calculated, flextime, flextime_balance, deleted)
         VALUES (?1, ?2, 0, '', ?3, 0, 0, 0, 0, 0, 1)
         ON CONFLICT(feed, id) DO UPDATE SET change_version = excluded.change_version, deleted = 1
         WHERE excluded.change_version >= totals.change_version",
        params![feed, id, change_version],
    )?;
    Ok(())
}
