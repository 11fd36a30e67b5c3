//! Documented errors, auth refresh, read retries with Retry-After, writes never retried, faults.

mod common;
use common::*;
use reqwest::Method;
use std::time::{Duration, Instant};
use timebridge_protime::models::*;
use timebridge_protime::{DateRange, ErrorKind, ExternalReferences, Filter};
use timebridge_sandbox::protime::{Fault, ProtimeSimConfig};

fn count(sb: &timebridge_sandbox::RunningSandbox, method: &str, prefix: &str) -> usize {
    sb.protime
        .received()
        .iter()
        .filter(|r| r.method == method && r.path_and_query.starts_with(&format!("{API}{prefix}")))
        .count()
}

#[tokio::test]
async fn expired_token_is_refreshed_once_and_the_call_replayed_once() {
    let (sb, c) = setup().await;
    c.people().await.unwrap();
    sb.protime.expire_all_tokens();
    let people = c.people().await.unwrap();
    assert_eq!(people.len(), 50);
    assert_eq!(
        count(&sb, "GET", "people"),
        3,
        "first call, refused call, replay"
    );
    // Writes too: a 401 means nothing was done, so the one replay is safe.
    sb.protime.expire_all_tokens();
    let before = sb.protime.clockings().len();
    c.create_clocking(
        &NewClocking::in_out(Ref::id(76501), today(), 600),
        &ExternalReferences::none(),
    )
    .await
    .unwrap();
    assert_eq!(sb.protime.clockings().len(), before + 1);
    assert_eq!(count(&sb, "POST", "clockings"), 2);
    sb.stop().await;
}

#[tokio::test]
async fn missing_scope_is_403_by_default_and_401_when_switched() {
    let (sb, _) = setup().await;
    let c = client_with(&sb, vec!["connector-protimeapi-clockings.read".into()]);
    let granted = c.request_token().await.unwrap();
    assert_eq!(
        granted.missing_scopes(&all_scopes()).len(),
        all_scopes().len() - 1
    );
    let e = c.people().await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    assert_eq!(count(&sb, "GET", "people"), 1, "403 does not refresh");
    // Read scope does not cover writes.
    let e = c
        .create_clocking(
            &NewClocking::in_out(Ref::id(76501), today(), 600),
            &ExternalReferences::none(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    sb.protime.configure(|c| c.scope_failure_status = 401);
    let e = c.people().await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Unauthorized, Some(401)));
    assert_eq!(
        count(&sb, "GET", "people"),
        3,
        "401: one refresh, one replay, then give up"
    );
    sb.stop().await;
}

#[tokio::test]
async fn user_agent_token_and_uri_length() {
    let (sb, c) = setup().await;
    let url = format!("{}{API}people", sb.base_url());
    let token = c.request_token().await.unwrap().access_token;
    let no_ua = reqwest::Client::builder()
        .build()
        .unwrap()
        .get(&url)
        .bearer_auth(token.expose())
        .header("User-Agent", "")
        .send()
        .await
        .unwrap();
    assert_eq!(no_ua.status(), 400);
    let no_token = reqwest::Client::new()
        .get(&url)
        .header("User-Agent", "T/1 (x)")
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 401);
    let bad_token = reqwest::Client::new()
        .get(&url)
        .bearer_auth("forged")
        .header("User-Agent", "T/1 (x)")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), 401);
    // Every request of the client carries the configured User-Agent.
    c.people().await.unwrap();
    assert!(sb
        .protime
        .received()
        .iter()
        .all(|r| r.user_agent.starts_with("Timebridge/")
            || r.user_agent.starts_with("T/1")
            || r.user_agent.is_empty()));
    // 414: a filter listing many people.
    let many: Vec<i64> = (1..1500).collect();
    let range = DateRange::new(days_ago(1), today()).unwrap();
    let e = c
        .clockings(
            range,
            Some(Filter::is_in("person", many)),
            &ExternalReferences::none(),
        )
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::UriTooLong, Some(414)));
    sb.stop().await;
}

#[tokio::test]
async fn filter_and_paging_errors() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 5,
        ..Default::default()
    })
    .await;
    let enc = timebridge_protime::encode_query_value;
    let cases = [
        (
            "clockings",
            format!(
                "date ge '{}' and date le '{}' and colour eq 'red'",
                days_ago(3),
                today()
            ),
        ),
        ("clockings", format!("date ge '{}' and and", days_ago(3))),
        (
            "clockings",
            format!("date ge '{}' or date le '{}'", days_ago(3), today()),
        ),
        ("clockings", format!("date ge '{}'", days_ago(3))),
        (
            "clockings",
            format!("date ge '{}' and date le '{}'", days_ago(400), today()),
        ),
        ("clockings", "person in (1,2)".to_string()),
        (
            "access-clockings",
            format!(
                "date ge '{}' and date le '{}' and kind eq 'InOut'",
                days_ago(3),
                today()
            ),
        ),
        ("absence-definitions", "person eq 1".to_string()),
    ];
    for (coll, f) in cases {
        let (status, body, _) = raw(
            &sb,
            &c,
            Method::GET,
            &format!("{API}{coll}?filter={}", enc(&f)),
            None,
        )
        .await;
        assert_eq!(status, 400, "{coll}: {f}");
        assert_eq!(body["error"]["message"], "The request was invalid");
        assert!(!body["error"]["reasons"].as_array().unwrap().is_empty());
    }
    let (status, _, _) = raw(&sb, &c, Method::GET, &format!("{API}clockings"), None).await;
    assert_eq!(status, 400, "date filter required");
    // The documented span example passes: a calendar year, 1 Jan to 31 Dec.
    let y = chrono::Datelike::year(&today());
    let (status, _, _) = raw(
        &sb,
        &c,
        Method::GET,
        &format!(
            "{API}clockings?filter={}",
            enc(&format!("date ge '{y}-01-01' and date le '{y}-12-31'"))
        ),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // Through the typed client: the reasons end up in the error.
    let range = DateRange::new(days_ago(2), today()).unwrap();
    let e = c
        .clockings(
            range,
            Some(Filter::eq("colour", "red")),
            &ExternalReferences::none(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert!(
        e.reasons().iter().any(|r| r.contains("colour")),
        "{:?}",
        e.reasons()
    );
    // Client-side: more than a year never leaves the machine.
    assert!(DateRange::new(days_ago(400), today()).is_err());
    // Malformed external references.
    for spec in [
        "people,@badge-number",
        "(people)",
        "(people,@nonsense)",
        "(planets,x)",
    ] {
        let (status, _, _) = raw(
            &sb,
            &c,
            Method::GET,
            &format!(
                "{API}access-clockings/1234?externalReferences={}",
                enc(spec)
            ),
            None,
        )
        .await;
        assert_eq!(status, 400, "{spec}");
    }
    // Invalid continuation token → 409.
    let url = c.url("people?continuationToken=garbage").unwrap();
    let e = c.get_json::<serde_json::Value>(&url).await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Conflict, Some(409)));
    // nextLink comes back raw (spaces and quotes, like the documentation); the client re-encodes it.
    let (_, page, _) = raw(
        &sb,
        &c,
        Method::GET,
        &format!(
            "{API}clockings?filter={}",
            enc(&format!(
                "date ge '{}' and date le '{}'",
                days_ago(1),
                today()
            ))
        ),
        None,
    )
    .await;
    assert!(page["nextLink"]
        .as_str()
        .unwrap()
        .contains(" and date le '"));
    assert!(
        c.clockings(range, None, &ExternalReferences::none())
            .await
            .unwrap()
            .len()
            > 5
    );
    // Encoded links work as well.
    sb.protime.configure(|c| c.encode_links = true);
    assert!(
        c.clockings(range, None, &ExternalReferences::none())
            .await
            .unwrap()
            .len()
            > 5
    );
    sb.stop().await;
}

#[tokio::test]
async fn reads_retry_on_503_and_429_honouring_retry_after() {
    let (sb, c) = setup().await;
    c.people().await.unwrap();
    sb.protime.inject([
        Fault::Status(503),
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
    ]);
    let t0 = Instant::now();
    assert_eq!(c.people().await.unwrap().len(), 50);
    assert!(
        t0.elapsed() >= Duration::from_millis(900),
        "waited Retry-After: {:?}",
        t0.elapsed()
    );
    assert_eq!(count(&sb, "GET", "people"), 4);
    // Retry-After as an HTTP date.
    sb.protime.inject([Fault::TooManyRequestsHttpDate {
        retry_after_secs: 1,
    }]);
    assert_eq!(c.people().await.unwrap().len(), 50);
    // A dropped connection on a read is retried too.
    sb.protime.inject([
        Fault::ResetBeforeCommit,
        Fault::Latency(Duration::from_millis(50)),
    ]);
    assert_eq!(c.people().await.unwrap().len(), 50);
    // 500 is not retried; persistent 429 gives up as RateLimited.
    sb.protime.inject([Fault::Status(500)]);
    assert_eq!(c.people().await.unwrap_err().kind, ErrorKind::Upstream);
    sb.protime.inject(std::iter::repeat_n(
        Fault::TooManyRequests {
            retry_after_secs: 0,
        },
        4,
    ));
    let e = c.people().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.retry_after, Some(Duration::ZERO));
    sb.stop().await;
}

#[tokio::test]
async fn writes_are_never_retried() {
    let (sb, c) = setup().await;
    c.people().await.unwrap();
    let n = NewClocking::in_out(Ref::id(76503), today(), 700);
    let before = sb.protime.clockings().len();
    sb.protime.inject([Fault::Status(503)]);
    let e = c
        .create_clocking(&n, &ExternalReferences::none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Upstream);
    sb.protime.inject([Fault::TooManyRequests {
        retry_after_secs: 1,
    }]);
    let e = c
        .create_clocking(&n, &ExternalReferences::none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.retry_after, Some(Duration::from_secs(1)));
    assert_eq!(count(&sb, "POST", "clockings"), 2, "one attempt each");
    assert_eq!(sb.protime.clockings().len(), before);
    // The connection drops after the commit: the client reports a network error, the clocking exists.
    sb.protime.inject([Fault::ResetAfterCommit]);
    let e = c
        .create_clocking(&n, &ExternalReferences::none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(count(&sb, "POST", "clockings"), 3);
    assert_eq!(
        sb.protime.clockings().len(),
        before + 1,
        "committed although no answer came"
    );
    // Dropped before the commit: nothing stored.
    sb.protime.inject([Fault::ResetBeforeCommit]);
    assert_eq!(
        c.create_clocking(&n, &ExternalReferences::none())
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Network
    );
    assert_eq!(sb.protime.clockings().len(), before + 1);
    // Activity definition writes behave the same.
    sb.protime.inject([Fault::Status(503)]);
    let input = ActivityDefinitionInput {
        name: LocalizedText::new("Retry me"),
        ..Default::default()
    };
    let lp = timebridge_protime::LevelPath::new(SV, 1);
    assert_eq!(
        c.create_activity_definition(&lp, &input)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Upstream
    );
    sb.stop().await;
}

#[tokio::test]
async fn random_faults_from_the_fault_rate() {
    let args = timebridge_sandbox::protime::ProtimeSimArgs {
        page_size: 100,
        fault_rate: 0.3,
        scope_failure_401: false,
        late_commit_secs: 5,
        write_delay_ms: 0,
        latency_ms: 0,
        protime_zero_padded_numbers: false,
        unknown_badge_number: false,
        lenient_restriction_shapes: false,
        lenient_body_fields: false,
        lenient_query: false,
        closed_period_until: None,
        forgotten_out_punches: false,
    };
    let cfg = args.to_config().unwrap();
    assert!(timebridge_sandbox::protime::ProtimeSimArgs {
        fault_rate: 1.5,
        ..args.clone()
    }
    .to_config()
    .is_err());
    let (sb, c) = setup_with(cfg).await;
    let mut ok = 0;
    for _ in 0..8 {
        match c.people().await {
            Ok(p) => {
                assert_eq!(p.len(), 50);
                ok += 1
            }
            Err(e) => assert!(
                matches!(
                    e.kind,
                    ErrorKind::Upstream | ErrorKind::Network | ErrorKind::RateLimited
                ),
                "{e}"
            ),
        }
    }
    assert!(
        ok >= 4,
        "reads mostly survive a 30% fault rate thanks to retries ({ok}/8)"
    );
    // Writes: each either fails or is committed; never duplicated.
    let before = sb.protime.clockings().len();
    let mut answered = 0;
    for i in 0..10 {
        if c.create_clocking(
            &NewClocking::in_out(Ref::id(76504), today(), 600 + i),
            &ExternalReferences::none(),
        )
        .await
        .is_ok()
        {
            answered += 1;
        }
    }
    let stored = sb.protime.clockings().len() - before;
    assert!(
        stored >= answered && stored <= 10,
        "answered {answered}, stored {stored}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn rate_limit_budget_answers_429_with_retry_after_60() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        rate_limit_per_minute: Some(2),
        ..Default::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(
            raw(&sb, &c, Method::GET, &format!("{API}terminals"), None)
                .await
                .0,
            200
        );
    }
    let (status, _, headers) = raw(&sb, &c, Method::GET, &format!("{API}terminals"), None).await;
    assert_eq!(status, 429);
    assert_eq!(headers["retry-after"], "60");
    sb.stop().await;
}

#[tokio::test]
async fn people_definitions_and_terminals() {
    let (sb, c) = setup().await;
    let p = c.person("1955", Some("@badge-number")).await.unwrap();
    assert_eq!(p.id, 76507);
    let p = c.person("76547", None).await.unwrap();
    assert_eq!(p.country_iso_code.as_deref(), Some("BE"));
    assert_eq!(
        c.person("1", None).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    sb.protime.configure(|c| c.older_iso_spelling = true);
    assert!(c
        .person("76547", None)
        .await
        .unwrap()
        .country_iso_code
        .is_some());
    let reasons = c.reasons().await.unwrap();
    assert!(reasons.iter().all(|r| r.is_reason_for_clocking));
    assert!(reasons.iter().any(|r| r.id == 6578));
    assert!(c.absence_definitions().await.unwrap().len() > reasons.len());
    let terminals = c.terminals().await.unwrap();
    assert_eq!(terminals.len(), 6);
    assert!(terminals.iter().all(|t| t.external_code.is_some()));
    // Terminals need their own scope (assumed).
    let narrow = client_with(&sb, timebridge_protime::ProtimeConfig::default_scopes());
    assert_eq!(
        narrow.terminals().await.unwrap_err().kind,
        ErrorKind::Forbidden
    );
    sb.stop().await;
}
