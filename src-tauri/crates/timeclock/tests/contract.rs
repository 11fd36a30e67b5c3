//! The client against the sandbox over loopback HTTP: every method, the data features, the
//! unconfirmed-behaviour switches and every error the contract lists.

mod common;

use chrono::Duration;
use common::*;
use serde_json::json;
use timebridge_sandbox::timeclock::{AuthBody, DateTimeStyle, OpenEnd, TimeClockSimConfig};
use timebridge_sandbox::DEMO_API_KEY;
use timebridge_timeclock::{ErrorKind, LocationType, ZoneWarning};

#[tokio::test]
async fn documented_wire_shapes() {
    let sb = sandbox(sim_config()).await;
    let body = |m: &str| {
        format!(
            r#"{{"jsonrpc":"2.0","method":"{m}","params":{{"startDate":"2026-11-16","endDate":"2026-11-19"}},"id":121}}"#
        )
    };
    for m in ["sessions", "lunches", "timesheet"] {
        let (status, v) = post_json(&sb, &body(m)).await;
        assert_eq!(status, 200);
        assert_eq!(v["id"], 121);
        assert_eq!(v["jsonrpc"], "2.0");
        let first = &v["result"][0];
        assert!(
            first["employeeNumber"].is_u64(),
            "{m}: integer employeeNumber"
        );
        let s = &first["sessions"][0];
        assert!(s["startDate"].as_str().unwrap().len() == 19);
        assert_eq!(m == "lunches", s.get("locationType").is_none(), "{m}");
        assert_eq!(m == "timesheet", s.get("workLogs").is_some(), "{m}");
        if m == "timesheet" {
            assert!(s["lunches"][0].get("timezone").is_none());
            assert!(s["workLogs"][0].get("externalId").is_some());
        }
    }
    let (_, v) = post_json(&sb, &body("extended-sessions")).await;
    let first = &v["result"][0];
    assert!(
        first["employeeNumber"].is_string(),
        "string employeeNumber in extended-sessions"
    );
    for k in [
        "id",
        "passport",
        "groups",
        "workStartedAt",
        "birthday",
        "gender",
        "totalWorkedSeconds",
        "totalLeaveSeconds",
        "expectedSeconds",
    ] {
        assert!(first.get(k).is_some(), "{k}");
    }
    let s = &first["sessions"][0];
    assert!(s.get("absenceCodeHors").is_some() && s.get("absenceCodeHours").is_none());
    assert!(s.get("isAbsence").unwrap().is_boolean());
    sb.stop().await;
}

#[tokio::test]
async fn all_four_methods_through_the_client() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    let (a, b) = (today() - Duration::days(13), today());
    let sessions = c.sessions(a, b).await.unwrap();
    let lunches = c.lunches(a, b).await.unwrap();
    let timesheet = c.timesheet(a, b).await.unwrap();
    let extended = c.extended_sessions(a, b).await.unwrap();
    for n in [
        sessions.len(),
        lunches.len(),
        timesheet.len(),
        extended.len(),
    ] {
        assert_eq!(n, 60);
    }
    let numbers: Vec<_> = sessions
        .iter()
        .map(|e| e.employee_number.clone().unwrap())
        .collect();
    assert_eq!(numbers.first().unwrap(), "1001");
    assert_eq!(numbers.last().unwrap(), "1060");
    assert!(numbers
        .windows(2)
        .all(|w| w[0].parse::<u32>().unwrap() < w[1].parse::<u32>().unwrap()));

    // The same sessions in `sessions` and `timesheet`; each lunch lies inside its session.
    for (s, ts) in sessions.iter().zip(&timesheet) {
        assert_eq!(s.sessions.len(), ts.sessions.len());
        for (x, y) in s.sessions.iter().zip(&ts.sessions) {
            assert_eq!(x.start_date, y.start_date);
            assert_eq!(x.span, y.span);
            let span = y.span.as_ref().unwrap();
            for l in &y.lunches {
                let ls = l.span.as_ref().unwrap();
                assert!(ls.start >= span.start);
                if let (Some(le), Some(se)) = (ls.end, span.end) {
                    assert!(le <= se);
                }
            }
            assert!(!y.work_logs.is_empty());
        }
    }
    let lunch_count: usize = lunches.iter().map(|e| e.sessions.len()).sum();
    let nested: usize = timesheet
        .iter()
        .flat_map(|e| &e.sessions)
        .map(|s| s.lunches.len())
        .sum();
    assert_eq!(lunch_count, nested);
    let ext_ids: Vec<&str> = timesheet
        .iter()
        .flat_map(|e| &e.sessions)
        .flat_map(|s| &s.work_logs)
        .filter_map(|w| w.external_id.as_deref())
        .collect();
    assert!(ext_ids.iter().any(|x| x.contains('-')));
    assert!(
        ext_ids.iter().any(|x| x.parse::<u32>().is_ok()),
        "numeric external ids too"
    );

    // Extended: profile, groups, absences, totals that add up.
    let absences: Vec<_> = extended
        .iter()
        .flat_map(|e| &e.sessions)
        .filter(|s| s.is_absence())
        .collect();
    assert!(!absences.is_empty());
    assert!(absences
        .iter()
        .all(|a| a.absence_name.is_some() && a.absence_code_hours.is_some()));
    for e in &extended {
        assert!(e.groups.as_ref().unwrap().as_array().unwrap().len() == 2);
        let worked: i64 = e
            .sessions
            .iter()
            .filter(|s| !s.is_absence() && !s.is_open())
            .map(|s| s.span.as_ref().unwrap().duration().unwrap().num_seconds())
            .sum();
        assert_eq!(
            Some(worked),
            e.total_worked_seconds,
            "employee {:?}",
            e.employee_number
        );
    }
    sb.stop().await;
}

#[tokio::test]
async fn dst_fixtures_in_both_zones_and_years() {
    // Default window: 60 days up to 2026-11-19; the fixtures of 2025 lie outside it and still exist.
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    let cases = [
        ("Asia/Jerusalem", "2025-03-28", "1002", "1005"),
        ("Asia/Jerusalem", "2025-10-26", "1002", "1005"),
        ("Asia/Jerusalem", "2026-03-27", "1002", "1005"),
        ("Asia/Jerusalem", "2026-10-25", "1002", "1005"),
        ("Europe/Brussels", "2025-03-30", "1001", "1003"),
        ("Europe/Brussels", "2025-10-26", "1001", "1003"),
        ("Europe/Brussels", "2026-03-29", "1001", "1003"),
        ("Europe/Brussels", "2026-10-25", "1001", "1003"),
    ];
    for (zone, day, across, inside) in cases {
        let day = d(day);
        let autumn = day.format("%m").to_string() == "10";
        let ts = c.timesheet(day, day).await.unwrap();
        let find = |n: &str| {
            ts.iter()
                .find(|e| e.employee_number.as_deref() == Some(n))
                .unwrap()
        };
        let s = &find(across).sessions[0];
        assert_eq!(s.timezone.as_deref(), Some(zone));
        let span = s.span.as_ref().unwrap();
        let want = if autumn { 9 } else { 7 };
        assert_eq!(
            span.duration(),
            Some(Duration::hours(want)),
            "{zone} {day}: 00:30-08:30 across the change"
        );
        assert!(span.warnings.is_empty());
        for w in &s.work_logs {
            assert_eq!(
                w.span.as_ref().unwrap().zone.name(),
                zone,
                "work logs use the session's zone"
            );
        }

        let s = &find(inside).sessions[0];
        let span = s.span.as_ref().unwrap();
        if autumn {
            assert!(span
                .warnings
                .iter()
                .any(|w| matches!(w, ZoneWarning::Ambiguous { .. })));
            // Without a duration, the earlier reading; extended-sessions' `duration` picks the second.
            let early = if zone == "Asia/Jerusalem" { 10 } else { 9 };
            assert_eq!(
                span.duration(),
                Some(Duration::hours(early)),
                "{zone} {day}"
            );
            let ext = c.extended_sessions(day, day).await.unwrap();
            let e = ext
                .iter()
                .find(|e| e.employee_number.as_deref() == Some(inside))
                .unwrap();
            let es = &e.sessions[0];
            assert_eq!(
                es.span.as_ref().unwrap().duration().unwrap().num_seconds(),
                es.duration.unwrap(),
                "{zone} {day}: the reading that matches `duration`"
            );
            assert_eq!(es.duration, Some((early - 1) * 3600));
        } else {
            assert!(span
                .warnings
                .iter()
                .any(|w| matches!(w, ZoneWarning::NonExistent { .. })));
            assert_eq!(
                span.start.naive_local(),
                day.and_hms_opt(3, 30, 0).unwrap(),
                "02:30 moved forward by the gap"
            );
            assert_eq!(span.duration(), Some(Duration::hours(7)));
        }
    }
    sb.stop().await;
}

#[tokio::test]
async fn night_shifts_second_zone_and_open_sessions() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    let ts = c
        .timesheet(today() - Duration::days(59), today())
        .await
        .unwrap();
    let night = ts
        .iter()
        .find(|e| e.employee_number.as_deref() == Some("1008"))
        .unwrap();
    let crossing = night
        .sessions
        .iter()
        .filter(|s| s.end_date.is_some_and(|e| e.date() > s.start_date.date()))
        .count();
    assert!(crossing > 20, "night shifts cross midnight: {crossing}");
    for s in night.sessions.iter().filter(|s| !s.is_open()) {
        let h = s.span.as_ref().unwrap().duration().unwrap().num_minutes();
        assert!((480..=540).contains(&h), "{h} min");
    }
    let abroad: Vec<_> = ts
        .iter()
        .flat_map(|e| &e.sessions)
        .filter(|s| s.timezone.as_deref() == Some("Europe/London"))
        .collect();
    assert!(!abroad.is_empty(), "a second zone appears");
    assert!(abroad
        .iter()
        .all(|s| s.location_type == Some(LocationType::Abroad)));

    // Today: open sessions, an open work log, and nothing ends.
    let today_ts = c.timesheet(today(), today()).await.unwrap();
    let open: Vec<_> = today_ts.iter().flat_map(|e| &e.sessions).collect();
    assert!(open.len() > 30);
    assert!(open
        .iter()
        .all(|s| s.is_open() && s.end_source_type.is_none()));
    assert!(open.iter().all(|s| s.work_logs.last().unwrap().is_open()));
    assert!(open
        .iter()
        .all(|s| s.span.as_ref().unwrap().duration().is_none()));
    sb.stop().await;
}

#[tokio::test]
async fn open_end_styles_all_mean_open() {
    let mut reference = None;
    for style in [
        OpenEnd::Null,
        OpenEnd::Absent,
        OpenEnd::Empty,
        OpenEnd::Zero,
    ] {
        let sb = sandbox(TimeClockSimConfig {
            open_end: style,
            ..sim_config()
        })
        .await;
        let (_, raw) = post_raw(
            &sb,
            Some(DEMO_API_KEY),
            r#"{"jsonrpc":"2.0","method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"},"id":1}"#,
        )
        .await;
        match style {
            OpenEnd::Null => assert!(raw.contains(r#""endDate":null"#)),
            OpenEnd::Absent => assert!(!raw.contains("endDate")),
            OpenEnd::Empty => assert!(raw.contains(r#""endDate":"""#)),
            OpenEnd::Zero => assert!(raw.contains("0000-00-00 00:00:00")),
        }
        let ts = client(&sb).timesheet(today(), today()).await.unwrap();
        assert!(
            ts.iter().flat_map(|e| &e.sessions).all(|s| s.is_open()),
            "{style:?}"
        );
        match &reference {
            None => reference = Some(ts),
            Some(r) => assert_eq!(r, &ts, "{style:?} decodes to the same records"),
        }
        sb.stop().await;
    }
}

#[tokio::test]
async fn drift_switches_decode_to_the_same_records() {
    let (a, b) = (d("2026-10-20"), d("2026-10-27"));
    let plain = sandbox(sim_config()).await;
    let want_ts = client(&plain).timesheet(a, b).await.unwrap();
    let want_ext = client(&plain).extended_sessions(a, b).await.unwrap();
    plain.stop().await;
    let variants = [
        TimeClockSimConfig {
            escape_slashes: true,
            ..sim_config()
        },
        TimeClockSimConfig {
            datetime_style: DateTimeStyle::IsoT,
            ..sim_config()
        },
        TimeClockSimConfig {
            datetime_style: DateTimeStyle::Fractional,
            ..sim_config()
        },
        TimeClockSimConfig {
            loose_scalars: true,
            ..sim_config()
        },
    ];
    for cfg in variants {
        let label = format!(
            "{:?}/{}/{}",
            cfg.datetime_style, cfg.escape_slashes, cfg.loose_scalars
        );
        let escaped = cfg.escape_slashes;
        let sb = sandbox(cfg).await;
        if escaped {
            let (_, raw) = post_raw(
                &sb,
                Some(DEMO_API_KEY),
                r#"{"jsonrpc":"2.0","method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"},"id":1}"#,
            )
            .await;
            assert!(raw.contains(r#"Asia\/Jerusalem"#) && !raw.contains("Asia/Jerusalem"));
        }
        assert_eq!(
            client(&sb).timesheet(a, b).await.unwrap(),
            want_ts,
            "{label}"
        );
        assert_eq!(
            client(&sb).extended_sessions(a, b).await.unwrap(),
            want_ext,
            "{label}"
        );
        sb.stop().await;
    }
}

#[tokio::test]
async fn idle_employees_listed_or_left_out() {
    let saturday = d("2026-11-14");
    let sb = sandbox(sim_config()).await;
    let all = client(&sb).sessions(saturday, saturday).await.unwrap();
    assert_eq!(all.len(), 60);
    assert!(all.iter().all(|e| e.sessions.is_empty()));
    sb.stop().await;
    let sb = sandbox(TimeClockSimConfig {
        omit_idle_employees: true,
        ..sim_config()
    })
    .await;
    assert!(client(&sb)
        .sessions(saturday, saturday)
        .await
        .unwrap()
        .is_empty());
    sb.stop().await;
}

#[tokio::test]
async fn deterministic_per_seed() {
    let (a, b) = (d("2026-11-02"), d("2026-11-08"));
    let one = sandbox(sim_config()).await;
    let two = sandbox(sim_config()).await;
    let x = client(&one).timesheet(a, b).await.unwrap();
    assert_eq!(x, client(&two).timesheet(a, b).await.unwrap());
    let other = timebridge_sandbox::start(
        0,
        timebridge_sandbox::SandboxConfig {
            seed: 2,
            timeclock: sim_config(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_ne!(x, client(&other).timesheet(a, b).await.unwrap());
    for sb in [one, two, other] {
        sb.stop().await;
    }
}

#[tokio::test]
async fn refused_keys_in_every_style_are_unauthorized() {
    for (status, body) in [
        (401, AuthBody::JsonRpc),
        (401, AuthBody::PlainText),
        (401, AuthBody::Empty),
        (403, AuthBody::JsonRpc),
        (403, AuthBody::PlainText),
        (200, AuthBody::JsonRpc),
    ] {
        let sb = sandbox(TimeClockSimConfig {
            auth_status: status,
            auth_body: body,
            ..sim_config()
        })
        .await;
        let c = client_with(&sb, "wrong-key", fast_options());
        let e = c.sessions(today(), today()).await.unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::Unauthorized,
            "{status} {body:?}: {}",
            e.message
        );
        assert_eq!(e.http_status, Some(status));
        assert_eq!(e.rpc_code, (body == AuthBody::JsonRpc).then_some(-32001));
        assert_eq!(e.attempts, 1, "never retried");
        assert!(!e.message.contains("wrong-key"), "the key never shows");
        sb.stop().await;
    }
    // The default answer, byte for byte, also for a missing header.
    let sb = sandbox(sim_config()).await;
    let (status, body) = post_raw(
        &sb,
        None,
        r#"{"jsonrpc":"2.0","method":"sessions","params":{},"id":1}"#,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        json!({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Unauthorized"}})
    );
    sb.stop().await;
}

#[tokio::test]
async fn json_rpc_errors() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    for m in ["employees", "activities", "Sessions"] {
        let e = c
            .call::<Vec<serde_json::Value>>(m, today(), today())
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::MethodNotFound, "{m}");
        assert_eq!(e.rpc_code, Some(-32601));
        assert!(e.message.contains(m), "{}", e.message);
    }
    let before = sb.timeclock.request_count();
    let e = c
        .sessions(today(), today() - Duration::days(1))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidRequest);
    assert_eq!(
        sb.timeclock.request_count(),
        before,
        "reversed dates never leave the client"
    );

    let (s, v) = post_json(&sb, "{not json").await;
    assert_eq!(
        (s, v["error"]["code"].clone(), v["id"].clone()),
        (200, json!(-32700), json!(null))
    );
    let (_, v) = post_json(&sb, r#"{"method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"},"id":3}"#).await;
    assert_eq!(v["error"]["code"], -32600);
    let (_, v) = post_json(&sb, r#"{"jsonrpc":"2.0","method":"sessions","id":{"x":1}}"#).await;
    assert_eq!(
        (v["error"]["code"].clone(), v["id"].clone()),
        (json!(-32600), json!(null))
    );
    for params in [
        r#"{"startDate":"2026-1-19","endDate":"2026-11-19"}"#,
        r#"{"startDate":"2026-02-30","endDate":"2026-03-01"}"#,
        r#"{"startDate":"2026-11-19"}"#,
        r#"{"startDate":"2026-11-19 00:00:00","endDate":"2026-11-19"}"#,
        r#"{"startDate":"2026-11-20","endDate":"2026-11-19"}"#,
        r#"["2026-11-19","2026-11-19"]"#,
    ] {
        let (_, v) = post_json(
            &sb,
            &format!(r#"{{"jsonrpc":"2.0","method":"sessions","params":{params},"id":9}}"#),
        )
        .await;
        assert_eq!(
            (v["error"]["code"].clone(), v["id"].clone()),
            (json!(-32602), json!(9)),
            "{params}"
        );
    }
    // Batches are off by default; notifications get no answer; GET is not allowed.
    let (_, v) = post_json(&sb, r#"[{"jsonrpc":"2.0","method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"},"id":1}]"#).await;
    assert_eq!(v["error"]["code"], -32600);
    let (s, body) = post_raw(&sb, Some(DEMO_API_KEY), r#"{"jsonrpc":"2.0","method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"}}"#).await;
    assert_eq!((s, body.as_str()), (204, ""));
    let get = reqwest::Client::new()
        .get(sb.timeclock_endpoint())
        .bearer_auth(DEMO_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    sb.stop().await;
}

#[tokio::test]
async fn batches_when_switched_on() {
    let sb = sandbox(TimeClockSimConfig {
        batch: true,
        ..sim_config()
    })
    .await;
    let (s, v) = post_json(
        &sb,
        r#"[{"jsonrpc":"2.0","method":"sessions","params":{"startDate":"2026-11-19","endDate":"2026-11-19"},"id":1},
            {"jsonrpc":"2.0","method":"lunches","params":{"startDate":"2026-11-19","endDate":"2026-11-19"}},
            {"jsonrpc":"2.0","method":"employees","params":{},"id":"b"},
            {"jsonrpc":"2.0","method":"timesheet","params":{"startDate":"2026-11-19","endDate":"2026-11-18"},"id":3}]"#,
    )
    .await;
    assert_eq!(s, 200);
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3, "the notification gets no answer");
    assert_eq!(arr[0]["id"], 1);
    assert_eq!(arr[0]["result"].as_array().unwrap().len(), 60);
    assert_eq!(
        (arr[1]["id"].clone(), arr[1]["error"]["code"].clone()),
        (json!("b"), json!(-32601))
    );
    assert_eq!(arr[2]["error"]["code"], -32602);
    let (_, v) = post_json(&sb, "[]").await;
    assert_eq!(v["error"]["code"], -32600);
    sb.stop().await;
}

#[tokio::test]
async fn nothing_listening_is_a_network_error() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    sb.stop().await;
    let e = c.sessions(today(), today()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{}", e.message);
    assert_eq!(e.attempts, 3, "connection failures are retried");
}
