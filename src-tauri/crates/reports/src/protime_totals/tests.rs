use super::*;
use chrono::Duration as Days;
use timebridge_core::workspace::Workspace;
use timebridge_protime::{DateRange, ExternalReferences};

const SCOPE: &str = "test-profile";

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn window() -> Window {
    Window {
        from: today() - Days::days(9),
        to: today(),
    }
}

/// What Protime holds for the window right now, read with a plain list call (the oracle).
async fn truth(ws: &Workspace, w: Window) -> Vec<CachedTotal> {
    let mut rows: Vec<CachedTotal> = ws
        .protime
        .calculated_totals(
            DateRange::new(w.from, w.to).unwrap(),
            None,
            &ExternalReferences::default(),
        )
        .await
        .unwrap()
        .iter()
        .filter_map(CachedTotal::from_api)
        .collect();
    rows.sort_by_key(|r| (r.person_id, r.date, r.id));
    rows
}

async fn sandbox(page_size: usize) -> Workspace {
    let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
    ws.sandbox_handle()
        .unwrap()
        .protime
        .configure(|c| c.page_size = page_size);
    ws
}

fn initial_page_requests(ws: &Workspace) -> usize {
    ws.sandbox_handle()
        .unwrap()
        .protime
        .received()
        .iter()
        .filter(|r| {
            r.path_and_query.contains("/calculated-totals?")
                && !r.path_and_query.contains("/delta/")
        })
        .count()
}

#[tokio::test]
async fn initial_load_holds_what_protime_lists() {
    let ws = sandbox(60).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let w = window();
    let before = cache.status(SCOPE, w).unwrap();
    assert_eq!(before.last_synced, None);
    let status = cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    assert!(status.last_synced.is_some());
    assert!(!status.load_in_progress);
    let expected = truth(&ws, w).await;
    assert_eq!(expected.len(), 500, "50 people × 10 days");
    assert_eq!(status.rows as usize, expected.len());
    assert_eq!(cache.rows(SCOPE, w.from, w.to).unwrap(), expected);
    assert!(initial_page_requests(&ws) >= 9, "paged in pages of 60");
    // A narrower window is served from the same feed.
    let narrow = cache.rows(SCOPE, w.to, w.to).unwrap();
    assert_eq!(narrow.len(), 50);
    ws.close().await;
}

#[tokio::test]
async fn increments_follow_the_delta_link() {
    let ws = sandbox(100).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let w = window();
    cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    // A user deletes someone's clocking in myProtime: that day's totals change.
    let sim = &ws.sandbox_handle().unwrap().protime;
    let victim = sim
        .clockings()
        .into_iter()
        .find(|c| {
            c["kind"] == "InOut"
                && c["status"] == "Active"
                && c["date"]
                    .as_str()
                    .is_some_and(|d| d >= w.from.to_string().as_str())
        })
        .expect("an active clocking in the window");
    let before = cache.rows(SCOPE, w.from, w.to).unwrap();
    assert!(sim.soft_delete_clocking(victim["id"].as_i64().unwrap()));
    let loads = initial_page_requests(&ws);
    cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    assert_eq!(
        initial_page_requests(&ws),
        loads,
        "no reload, only the increment"
    );
    let after = cache.rows(SCOPE, w.from, w.to).unwrap();
    assert_eq!(after, truth(&ws, w).await);
    assert_ne!(after, before, "the changed day came through");
    // Applying the same increment again changes nothing.
    cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    assert_eq!(cache.rows(SCOPE, w.from, w.to).unwrap(), after);
    ws.close().await;
}

fn total(id: i64, cv: &str, present: i64) -> CalculatedTotals {
    serde_json::from_value(serde_json::json!({
        "id": id, "changeVersion": cv, "person": {"id": 7}, "date": "2026-01-05",
        "timePresentDurationInMinutes": present,
    }))
    .unwrap()
}

#[test]
fn older_change_versions_and_deletes_are_ordered() {
    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let w = Window {
        from: "2026-01-01".parse().unwrap(),
        to: "2026-01-31".parse().unwrap(),
    };
    let feed = cache.feed_for(SCOPE, w).unwrap();
    let cv = |n: u64| format!("{n:020X}");
    let present = |cache: &TotalsCache| {
        cache
            .rows(SCOPE, w.from, w.to)
            .unwrap()
            .iter()
            .map(|r| (r.id, r.present_minutes))
            .collect::<Vec<_>>()
    };
    // Newer arrives first, then an older one: the older is ignored.
    cache
        .apply_changes(
            &feed,
            &[
                Change::Upsert(total(1, &cv(20), 480)),
                Change::Upsert(total(1, &cv(10), 300)),
                Change::Upsert(total(2, &cv(11), 100)),
            ],
            "/delta/calculated-totals?deltaToken=a",
        )
        .unwrap();
    assert_eq!(present(&cache), vec![(1, 480), (2, 100)]);
    // A delete, then a late upsert older than the delete: the day stays deleted.
    cache
        .apply_changes(
            &feed,
            &[
                Change::Delete {
                    id: serde_json::json!(2),
                    change_version: Some(cv(30)),
                },
                Change::Upsert(total(2, &cv(25), 999)),
            ],
            "/delta/calculated-totals?deltaToken=b",
        )
        .unwrap();
    assert_eq!(present(&cache), vec![(1, 480)]);
    // A newer upsert after the delete brings it back.
    cache
        .apply_changes(
            &feed,
            &[Change::Upsert(total(2, &cv(31), 120))],
            "/delta/calculated-totals?deltaToken=c",
        )
        .unwrap();
    assert_eq!(present(&cache), vec![(1, 480), (2, 120)]);
}

#[tokio::test]
async fn gone_reloads_and_a_failed_reload_keeps_the_old_rows() {
    let ws = sandbox(50).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let w = window();
    let first = cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    let old_rows = cache.rows(SCOPE, w.from, w.to).unwrap();
    let sim = &ws.sandbox_handle().unwrap().protime;
    // Change a day, then let the feed expire: the change can only arrive through a reload.
    let victim = sim
        .clockings()
        .into_iter()
        .find(|c| {
            c["kind"] == "InOut"
                && c["status"] == "Active"
                && c["date"]
                    .as_str()
                    .is_some_and(|d| d >= w.from.to_string().as_str())
        })
        .unwrap();
    sim.soft_delete_clocking(victim["id"].as_i64().unwrap());
    sim.advance_clock(chrono::Duration::hours(73));
    // The reload stops after three pages (a crash, a network failure): the old rows stay whole.
    let stopped = cache
        .refresh_limited(
            &ws.protime,
            SCOPE,
            w,
            today(),
            RefreshLimits { max_pages: Some(3) },
        )
        .await;
    assert!(stopped.is_err());
    assert_eq!(cache.rows(SCOPE, w.from, w.to).unwrap(), old_rows);
    let mid = cache.status(SCOPE, w).unwrap();
    assert!(mid.load_in_progress);
    assert_eq!(mid.last_synced, first.last_synced);
    // The next refresh finishes the reload and swaps it in.
    let done = cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    assert!(!done.load_in_progress);
    let new_rows = cache.rows(SCOPE, w.from, w.to).unwrap();
    assert_eq!(new_rows, truth(&ws, w).await);
    assert_ne!(new_rows, old_rows);
    ws.close().await;
}

#[tokio::test]
async fn a_crash_between_pages_loses_nothing() {
    let ws = sandbox(40).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let w = window();
    for k in [1usize, 4] {
        let cache = TotalsCache::open(&path).unwrap();
        let r = cache
            .refresh_limited(
                &ws.protime,
                SCOPE,
                w,
                today(),
                RefreshLimits { max_pages: Some(k) },
            )
            .await;
        assert!(r.is_err(), "stopped after {k} pages");
        assert!(cache.status(SCOPE, w).unwrap().load_in_progress);
        assert!(cache.rows(SCOPE, w.from, w.to).unwrap().is_empty());
        drop(cache);
    }
    let pages_before = initial_page_requests(&ws);
    let cache = TotalsCache::open(&path).unwrap();
    cache.refresh(&ws.protime, SCOPE, w, today()).await.unwrap();
    // 500 rows in pages of 40 = 13 pages: 5 were saved, so 8 remain (no page fetched twice).
    assert_eq!(initial_page_requests(&ws) - pages_before, 8);
    assert_eq!(
        cache.rows(SCOPE, w.from, w.to).unwrap(),
        truth(&ws, w).await
    );
    ws.close().await;
}

#[tokio::test]
async fn date_rules_and_freshness() {
    let ws = sandbox(100).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let t = today();
    let too_old = Window {
        from: NaiveDate::from_ymd_opt(t.year() - 2, 12, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(t.year() - 2, 12, 31).unwrap(),
    };
    let e = cache
        .refresh(&ws.protime, SCOPE, too_old, t)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("1 January"), "{}", e.message);
    let w = window();
    cache.refresh(&ws.protime, SCOPE, w, t).await.unwrap();
    let requests = ws.sandbox_handle().unwrap().protime.received().len();
    cache
        .ensure_fresh(&ws.protime, SCOPE, w, t, DEFAULT_MAX_AGE)
        .await
        .unwrap();
    assert_eq!(
        ws.sandbox_handle().unwrap().protime.received().len(),
        requests,
        "fresh: nothing fetched"
    );
    cache
        .ensure_fresh(&ws.protime, SCOPE, w, t, Duration::ZERO)
        .await
        .unwrap();
    assert!(ws.sandbox_handle().unwrap().protime.received().len() > requests);
    ws.close().await;
}

use chrono::Datelike;

/// Tenants leave the fields they do not use `null`; a page with such values decodes, and the cache
/// keeps "no value" apart from zero.
#[test]
fn null_fields_do_not_fail_a_page_and_stay_unknown() {
    let page: timebridge_protime::models::Page<CalculatedTotals> = serde_json::from_str(
        r#"{"value":[
            {"changeVersion":"00000000000000000007","id":1,"person":{"id":5},"date":"2026-03-02",
             "normalTimeDurationInMinutes":480,"timePresentDurationInMinutes":500,
             "calculatedPresenceDurationInMinutes":470,"weeklyHours1DurationInMinutes":470,
             "weeklyHours2DurationInMinutes":null,"weeklyHours3DurationInMinutes":0,
             "payPeriodHoursDurationInMinutes":null,"flextimeDurationInMinutes":-10,
             "flextimeBalanceInMinutes":null,"shiftDefinition":null},
            {"id":2,"person":{"id":6},"date":"2026-03-02","normalTimeDurationInMinutes":null,
             "shiftDefinition":{"id":12}}
        ]}"#,
    )
    .unwrap();
    let rows: Vec<CachedTotal> = page
        .value
        .iter()
        .filter_map(CachedTotal::from_api)
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].extra,
        TotalsExtra {
            weekly_hours1_minutes: Some(470),
            weekly_hours2_minutes: None,
            weekly_hours3_minutes: Some(0),
            pay_period_minutes: None,
            shift_definition_id: None,
        }
    );
    assert_eq!(rows[0].flextime_minutes, -10);
    assert_eq!(rows[1].normal_minutes, 0);
    assert_eq!(rows[1].extra.shift_definition_id, Some(12));

    let dir = tempfile::tempdir().unwrap();
    let cache = TotalsCache::open(&dir.path().join("c.sqlite")).unwrap();
    let w = Window {
        from: "2026-03-01".parse().unwrap(),
        to: "2026-03-03".parse().unwrap(),
    };
    let mut feed = cache.feed_for(SCOPE, w).unwrap();
    // The last page of a load: the staged rows become the live ones.
    cache
        .save_page(&mut feed, &rows, DeltaCursor::Delta("delta/1".into()))
        .unwrap();
    let back = cache.rows(SCOPE, w.from, w.to).unwrap();
    assert_eq!(back, rows, "nulls come back as None, zeros as Some(0)");
}

/// A cache file written before the extra fields existed gets their columns on opening; its rows
/// read with the extras unknown, and new rows keep them.
#[test]
fn an_older_cache_file_is_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let old_columns = "feed INTEGER NOT NULL, id INTEGER NOT NULL, person INTEGER NOT NULL,
            date TEXT NOT NULL, change_version TEXT NOT NULL, normal INTEGER NOT NULL,
            present INTEGER NOT NULL, calculated INTEGER NOT NULL, flextime INTEGER NOT NULL,
            flextime_balance INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (feed, id)";
        let c = Connection::open(&path).unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE feeds (id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL,
                window_from TEXT NOT NULL, window_to TEXT NOT NULL, delta_link TEXT,
                load_link TEXT, last_synced TEXT, UNIQUE (scope, window_from, window_to));
             CREATE TABLE totals ({old_columns});
             CREATE TABLE staged_totals ({old_columns});
             INSERT INTO feeds (id, scope, window_from, window_to, delta_link, last_synced)
                VALUES (1, '{SCOPE}', '2026-03-01', '2026-03-03', 'delta/1', '2026-03-04T08:00:00Z');
             INSERT INTO totals VALUES (1, 10, 5, '2026-03-02', '00000000000000000001', 480, 500, 470, -10, 0, 0);"
        ))
        .unwrap();
    }
    let cache = TotalsCache::open(&path).unwrap();
    let (from, to) = ("2026-03-01".parse().unwrap(), "2026-03-03".parse().unwrap());
    let rows = cache.rows(SCOPE, from, to).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].present_minutes, rows[0].extra),
        (500, TotalsExtra::default())
    );
    // Opening twice does not add the columns again.
    drop(cache);
    let cache = TotalsCache::open(&path).unwrap();
    let feed = cache.feed_for(SCOPE, Window { from, to }).unwrap();
    let newer = CachedTotal {
        change_version: "00000000000000000002".into(),
        extra: TotalsExtra {
            weekly_hours1_minutes: Some(470),
            ..Default::default()
        },
        ..rows[0].clone()
    };
    cache
        .with(|c| {
            let tx = c.transaction()?;
            upsert(&tx, "totals", feed.id, &newer)?;
            tx.commit()
        })
        .unwrap();
    assert_eq!(cache.rows(SCOPE, from, to).unwrap(), vec![newer]);
}
