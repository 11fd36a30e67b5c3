//! A local SQLite copy of Protime's calculated totals, kept current through the change feed.
//!
//! One *feed* per scope (profile and tenant) and date window. The initial load pages through the
//! feed into a staging table; every page is written together with the cursor that follows it in one
//! transaction, so a crash or a failed request between pages resumes from the saved cursor and
//! nothing is fetched twice or lost. The last page's `deltaLink` swaps the staged rows in, in one
//! transaction, so readers only ever see a complete load. Increments follow the saved `deltaLink`;
//! a change older than the held `changeVersion` is ignored (deliveries can arrive out of order), and
//! deletes are kept as tombstones so a late, older upsert cannot bring a deleted day back. `410 Gone`
//! starts a full reload into staging while the previous rows stay readable until the swap.
//!
//! Protime keeps one change feed per collection and consumer: starting the feed of one window
//! invalidates the others, which then answer `410` and reload on their next refresh.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use timebridge_core::{shared_sqlite, AppError, ErrorCode};
use timebridge_protime::models::{CalculatedTotals, Change};
use timebridge_protime::{DeltaCursor, DeltaRange, ErrorKind, ExternalReferences, ProtimeClient};

/// How old the cache may be before the Timesheets screen refreshes it on opening.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// One person's calculated totals for one day, as cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedTotal {
    pub id: i64,
    pub person_id: i64,
    pub date: NaiveDate,
    pub change_version: String,
    pub normal_minutes: i64,
    pub present_minutes: i64,
    pub calculated_minutes: i64,
    pub flextime_minutes: i64,
    pub flextime_balance_minutes: i64,
    /// The fields a tenant may leave `null` (weekly hours types it does not configure, no pay
    /// periods, no shifts) stay `None`: "not used" is not "zero minutes".
    pub extra: TotalsExtra,
}

/// The calculated-totals fields beyond the five every report uses, as Protime sent them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct TotalsExtra {
    /// Weekly hours of type 1, 2 and 3 (what each type counts is configured in myProtime).
    #[specta(type = Option<i32>)]
    pub weekly_hours1_minutes: Option<i64>,
    #[specta(type = Option<i32>)]
    pub weekly_hours2_minutes: Option<i64>,
    #[specta(type = Option<i32>)]
    pub weekly_hours3_minutes: Option<i64>,
    #[specta(type = Option<i32>)]
    pub pay_period_minutes: Option<i64>,
    /// Protime's id of the day's shift definition.
    #[specta(type = Option<i32>)]
    pub shift_definition_id: Option<i64>,
}

impl CachedTotal {
    /// `None` for a record without a person id (we never ask for references instead of ids).
    ///
    /// The five report fields are always present on tenants seen so far; should one come as
    /// `null`, the day counts it as no minutes, since totals and differences need a number.
    fn from_api(t: &CalculatedTotals) -> Option<Self> {
        Some(Self {
            id: t.id,
            person_id: t.person.id?,
            date: t.date,
            change_version: t.change_version.clone().unwrap_or_default(),
            normal_minutes: t.normal_time_duration_in_minutes.unwrap_or(0),
            present_minutes: t.time_present_duration_in_minutes.unwrap_or(0),
            calculated_minutes: t.calculated_presence_duration_in_minutes.unwrap_or(0),
            flextime_minutes: t.flextime_duration_in_minutes.unwrap_or(0),
            flextime_balance_minutes: t.flextime_balance_in_minutes.unwrap_or(0),
            extra: TotalsExtra {
                weekly_hours1_minutes: t.weekly_hours1_duration_in_minutes,
                weekly_hours2_minutes: t.weekly_hours2_duration_in_minutes,
                weekly_hours3_minutes: t.weekly_hours3_duration_in_minutes,
                pay_period_minutes: t.pay_period_hours_duration_in_minutes,
                shift_definition_id: t.shift_definition.as_ref().and_then(|r| r.id),
            },
        })
    }
}

/// What the screen shows next to the report: which window is cached and when it was last synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CacheStatus {
    pub window_from: String,
    pub window_to: String,
    /// RFC 3339 UTC; `None` until the first complete load.
    pub last_synced: Option<String>,
    /// Days held (deleted days not counted).
    pub rows: u32,
    /// An initial load or reload was interrupted and continues on the next refresh.
    pub load_in_progress: bool,
}

/// The feed's date window: the dates a report needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

struct Feed {
    id: i64,
    window: Window,
    delta_link: Option<String>,
    load_link: Option<String>,
    last_synced: Option<String>,
}

fn storage(e: rusqlite::Error) -> AppError {
    AppError::new(
        ErrorCode::Storage,
        format!("The local Protime totals cache failed: {e}"),
    )
}

fn day(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

mod schema;
use schema::{migrate, tombstone, upsert, COLUMN_LIST, TABLE_COLUMNS};

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The Protime calculated-totals cache. Open one per file; refreshes of one cache run one at a time.
pub struct TotalsCache {
    conn: Mutex<Connection>,
    sync_lock: tokio::sync::Mutex<()>,
}

/// Failure injection for tests of crash safety: stop after this many initial pages were saved.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefreshLimits {
    pub max_pages: Option<usize>,
}

impl TotalsCache {
    pub fn open(path: &Path) -> Result<Self, AppError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!("Cannot create the folder {}: {e}", dir.display()),
                )
            })?;
        }
        let conn = shared_sqlite::open(path, true).map_err(storage)?;
        shared_sqlite::migrate_exclusively(&conn, |conn| {
            conn.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS feeds (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                scope TEXT NOT NULL,
                window_from TEXT NOT NULL,
                window_to TEXT NOT NULL,
                delta_link TEXT,
                load_link TEXT,
                last_synced TEXT,
                UNIQUE (scope, window_from, window_to)
            );
            CREATE TABLE IF NOT EXISTS totals ({TABLE_COLUMNS});
            CREATE TABLE IF NOT EXISTS staged_totals ({TABLE_COLUMNS});
            CREATE INDEX IF NOT EXISTS totals_by_date ON totals(feed, date);"
            ))?;
            migrate(conn)
        })
        .map_err(storage)?;
        Ok(Self {
            conn: Mutex::new(conn),
            sync_lock: tokio::sync::Mutex::new(()),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AppError> {
        // Off the async runtime: a statement waits on the disk and on other processes' locks.
        timebridge_core::blocking::off_runtime(|| {
            let mut conn = self
                .conn
                .lock()
                .map_err(|_| AppError::internal("the Protime totals cache lock is poisoned"))?;
            f(&mut conn).map_err(storage)
        })
    }

    fn read_feed(conn: &Connection, scope: &str, w: Window) -> rusqlite::Result<Option<Feed>> {
        conn.query_row(
            "SELECT id, delta_link, load_link, last_synced FROM feeds WHERE scope = ?1 AND window_from = ?2 AND window_to = ?3",
            params![scope, w.from.to_string(), w.to.to_string()],
            |r| {
                Ok(Feed {
                    id: r.get(0)?,
                    window: w,
                    delta_link: r.get(1)?,
                    load_link: r.get(2)?,
                    last_synced: r.get(3)?,
                })
            },
        )
        .optional()
    }

    /// The feed that serves `wanted`: a completely loaded feed of this scope whose window covers it
    /// (the narrowest such), else the feed of exactly `wanted`, created if needed.
    fn feed_for(&self, scope: &str, wanted: Window) -> Result<Feed, AppError> {
        self.with(|conn| {
            let covering: Option<(String, String)> = conn
                .query_row(
                    "SELECT window_from, window_to FROM feeds
                     WHERE scope = ?1 AND window_from <= ?2 AND window_to >= ?3 AND delta_link IS NOT NULL
                     ORDER BY julianday(window_to) - julianday(window_from) LIMIT 1",
                    params![scope, wanted.from.to_string(), wanted.to.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let window = match covering {
                Some((f, t)) => Window {
                    from: day(&f)?,
                    to: day(&t)?,
                },
                None => wanted,
            };
            conn.execute(
                "INSERT OR IGNORE INTO feeds (scope, window_from, window_to) VALUES (?1, ?2, ?3)",
                params![scope, window.from.to_string(), window.to.to_string()],
            )?;
            Ok(Self::read_feed(conn, scope, window)?.expect("just inserted"))
        })
    }

    /// Cache status of the feed that serves `wanted` (nothing is fetched).
    pub fn status(&self, scope: &str, wanted: Window) -> Result<CacheStatus, AppError> {
        let feed = self.feed_for(scope, wanted)?;
        let rows = self.with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM totals WHERE feed = ?1 AND deleted = 0",
                params![feed.id],
                |r| r.get::<_, u32>(0),
            )
        })?;
        Ok(CacheStatus {
            window_from: feed.window.from.to_string(),
            window_to: feed.window.to.to_string(),
            last_synced: feed.last_synced,
            rows,
            load_in_progress: feed.load_link.is_some(),
        })
    }

    /// Checks the documented date rules of a change feed for `wanted` against `today`.
    pub fn check_window(wanted: Window, today: NaiveDate) -> Result<DeltaRange, AppError> {
        DeltaRange::new(wanted.from, Some(wanted.to), today).map_err(|e| {
            AppError::validation(format!(
                "Protime totals for {} to {} cannot be kept in sync: {}",
                wanted.from, wanted.to, e.message
            ))
        })
    }

    /// Brings the feed serving `wanted` up to date: continues or starts the initial load, then
    /// follows the `deltaLink` once. Returns the status afterwards.
    pub async fn refresh(
        &self,
        client: &ProtimeClient,
        scope: &str,
        wanted: Window,
        today: NaiveDate,
    ) -> Result<CacheStatus, AppError> {
        self.refresh_limited(client, scope, wanted, today, RefreshLimits::default())
            .await
    }

    /// Refreshes only when the last sync is older than `max_age` (or there was none).
    pub async fn ensure_fresh(
        &self,
        client: &ProtimeClient,
        scope: &str,
        wanted: Window,
        today: NaiveDate,
        max_age: Duration,
    ) -> Result<CacheStatus, AppError> {
        let status = self.status(scope, wanted)?;
        let fresh = status
            .last_synced
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| {
                let age = Utc::now().signed_duration_since(t.with_timezone(&Utc));
                age.to_std().map(|a| a < max_age).unwrap_or(true)
            })
            .unwrap_or(false);
        if fresh && !status.load_in_progress {
            return Ok(status);
        }
        self.refresh(client, scope, wanted, today).await
    }

    /// [`Self::refresh`] that can stop after a number of initial pages, as a crash would.
    pub async fn refresh_limited(
        &self,
        client: &ProtimeClient,
        scope: &str,
        wanted: Window,
        today: NaiveDate,
        limits: RefreshLimits,
    ) -> Result<CacheStatus, AppError> {
        let _one_at_a_time = self.sync_lock.lock().await;
        let mut feed = self.feed_for(scope, wanted)?;
        let range = Self::check_window(feed.window, today)?;
        let mut pages = 0usize;
        // A feed restarts at most once per refresh, so a server that keeps expiring cannot loop us.
        let mut restarted = false;
        loop {
            if let Some(link) = feed.load_link.clone() {
                if limits.max_pages.is_some_and(|m| pages >= m) {
                    return Err(AppError::new(
                        ErrorCode::Network,
                        "The Protime totals load stopped early; it continues on the next refresh",
                    ));
                }
                match client.delta_initial_page::<CalculatedTotals>(&link).await {
                    Ok(page) => {
                        pages += 1;
                        let rows: Vec<CachedTotal> = page
                            .items
                            .iter()
                            .filter_map(CachedTotal::from_api)
                            .collect();
                        self.save_page(&mut feed, &rows, page.next)?;
                    }
                    Err(e)
                        if !restarted
                            && matches!(e.kind, ErrorKind::DeltaExpired | ErrorKind::Conflict) =>
                    {
                        restarted = true;
                        self.restart_load(&mut feed, client, range)?;
                    }
                    Err(e) => return Err(e.into()),
                }
            } else if let Some(link) = feed.delta_link.clone() {
                match client.delta_changes::<CalculatedTotals>(&link).await {
                    Ok(changes) => {
                        self.apply_changes(&feed, &changes.changes, &changes.delta_link)?;
                        break;
                    }
                    Err(e) if !restarted && e.kind == ErrorKind::DeltaExpired => {
                        restarted = true;
                        self.restart_load(&mut feed, client, range)?;
                    }
                    Err(e) => return Err(e.into()),
                }
            } else {
                restarted = true;
                self.restart_load(&mut feed, client, range)?;
            }
        }
        self.status(scope, wanted)
    }

    /// Empties the staging table of the feed and points it at the start of a new initial load; the
    /// rows readers see stay as they are until the load completes.
    fn restart_load(
        &self,
        feed: &mut Feed,
        client: &ProtimeClient,
        range: DeltaRange,
    ) -> Result<(), AppError> {
        let DeltaCursor::Next(start) =
            client.calculated_totals_delta_start(range, &ExternalReferences::default())?
        else {
            return Err(AppError::internal("a change feed starts with a page link"));
        };
        self.with(|conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM staged_totals WHERE feed = ?1",
                params![feed.id],
            )?;
            tx.execute(
                "UPDATE feeds SET load_link = ?2 WHERE id = ?1",
                params![feed.id, start],
            )?;
            tx.commit()
        })?;
        feed.load_link = Some(start);
        Ok(())
    }

    /// Saves one initial page and its follow-up cursor in one transaction; after the last page the
    /// staged rows replace the live ones in the same transaction.
    fn save_page(
        &self,
        feed: &mut Feed,
        rows: &[CachedTotal],
        next: DeltaCursor,
    ) -> Result<(), AppError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            for r in rows {
                upsert(&tx, "staged_totals", feed.id, r)?;
            }
            match &next {
                DeltaCursor::Next(link) => {
                    tx.execute(
                        "UPDATE feeds SET load_link = ?2 WHERE id = ?1",
                        params![feed.id, link],
                    )?;
                }
                DeltaCursor::Delta(link) => {
                    tx.execute("DELETE FROM totals WHERE feed = ?1", params![feed.id])?;
                    tx.execute(
                        &format!(
                            "INSERT INTO totals ({COLUMN_LIST}) SELECT {COLUMN_LIST} FROM staged_totals WHERE feed = ?1"
                        ),
                        params![feed.id],
                    )?;
                    tx.execute("DELETE FROM staged_totals WHERE feed = ?1", params![feed.id])?;
                    tx.execute(
                        "UPDATE feeds SET load_link = NULL, delta_link = ?2, last_synced = ?3 WHERE id = ?1",
                        params![feed.id, link, now_text()],
                    )?;
                }
            }
            tx.commit()
        })?;
        match next {
            DeltaCursor::Next(link) => feed.load_link = Some(link),
            DeltaCursor::Delta(link) => {
                feed.load_link = None;
                feed.delta_link = Some(link);
            }
        }
        Ok(())
    }

    /// Applies one increment and saves its new `deltaLink` in one transaction (idempotent: the
    /// same increment applied twice changes nothing).
    fn apply_changes(
        &self,
        feed: &Feed,
        changes: &[Change<CalculatedTotals>],
        delta_link: &str,
    ) -> Result<(), AppError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            for c in changes {
                match c {
                    Change::Upsert(t) => {
                        if let Some(row) = CachedTotal::from_api(t) {
                            upsert(&tx, "totals", feed.id, &row)?
                        }
                    }
                    Change::Delete { id, change_version } => {
                        if let Some(id) = id.as_i64() {
                            tombstone(&tx, feed.id, id, change_version.as_deref().unwrap_or(""))?;
                        }
                    }
                }
            }
            tx.execute(
                "UPDATE feeds SET delta_link = ?2, last_synced = ?3 WHERE id = ?1",
                params![feed.id, delta_link, now_text()],
            )?;
            tx.commit()
        })
    }

    /// The cached days of `from..=to` (deleted days left out), by person and date. Empty until the
    /// first complete load of a feed covering the range.
    pub fn rows(
        &self,
        scope: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CachedTotal>, AppError> {
        let feed = self.feed_for(scope, Window { from, to })?;
        self.with(|conn| {
            let mut st = conn.prepare(
                "SELECT id, person, date, change_version, normal, present, calculated, flextime, flextime_balance,
                        weekly1, weekly2, weekly3, pay_period, shift_definition
                 FROM totals WHERE feed = ?1 AND deleted = 0 AND date >= ?2 AND date <= ?3
                 ORDER BY person, date, id",
            )?;
            let rows = st
                .query_map(
                    params![feed.id, from.to_string(), to.to_string()],
                    |r| {
                        Ok(CachedTotal {
                            id: r.get(0)?,
                            person_id: r.get(1)?,
                            date: day(&r.get::<_, String>(2)?)?,
                            change_version: r.get(3)?,
                            normal_minutes: r.get(4)?,
                            present_minutes: r.get(5)?,
                            calculated_minutes: r.get(6)?,
                            flextime_minutes: r.get(7)?,
                            flextime_balance_minutes: r.get(8)?,
                            extra: TotalsExtra {
                                weekly_hours1_minutes: r.get(9)?,
                                weekly_hours2_minutes: r.get(10)?,
                                weekly_hours3_minutes: r.get(11)?,
                                pay_period_minutes: r.get(12)?,
                                shift_definition_id: r.get(13)?,
                            },
                        })
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

/// The cache key of a profile: its id and the Protime tenant it points at, so two profiles (or a
/// profile re-pointed at another tenant) never share rows.
pub fn scope_of(profile: &timebridge_core::profiles::ProfileSummary) -> String {
    format!("{}|{:?}", profile.id, profile.protime)
}

/// A workspace's totals cache, once opened.
#[derive(Default)]
struct OpenedCache(std::sync::Mutex<Option<std::sync::Arc<TotalsCache>>>);

/// The workspace's Protime calculated-totals cache (`protime-totals.sqlite`: one file in the data
/// folder with rows kept apart per profile, or a private one for the built-in sandbox), opened on
/// first use.
pub fn workspace_cache(
    ws: &timebridge_core::workspace::Workspace,
) -> Result<std::sync::Arc<TotalsCache>, AppError> {
    let opened = ws.extension::<OpenedCache>();
    let mut slot = opened
        .0
        .lock()
        .map_err(|_| AppError::internal("the totals cache slot is poisoned"))?;
    if let Some(c) = slot.as_ref() {
        return Ok(c.clone());
    }
    let path = ws.local_file("protime-totals.sqlite");
    let cache = std::sync::Arc::new(timebridge_core::blocking::off_runtime(|| {
        TotalsCache::open(&path)
    })?);
    *slot = Some(cache.clone());
    Ok(cache)
}

pub mod before_feed;

#[cfg(test)]
mod tests;
