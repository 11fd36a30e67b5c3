//! The strict checks through the router: unknown query parameters and values, and a definition
//! used outside its active dates, each refused with the 400 reasons body; the lenient switch.
use super::{route, Query};
use crate::protime::data::STRUCTURE_VERSION;
use crate::protime::{ProtimeSim, ProtimeSimConfig};
use crate::roster::Roster;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{json, Value};

fn sim(config: ProtimeSimConfig) -> ProtimeSim {
    ProtimeSim::new(7, &Roster::generate(7, 10), config, None)
}

async fn answer(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn call(
    sim: &ProtimeSim,
    method: Method,
    path: &str,
    query: &str,
    body: &str,
) -> (StatusCode, Value) {
    let seg: Vec<&str> = path.split('/').filter(|x| !x.is_empty()).collect();
    let r = route(&mut sim.lock(), &method, &seg, &Query::parse(query), body);
    answer(r).await
}

fn reasons(v: &Value) -> String {
    v["error"]["reasons"].to_string()
}

#[tokio::test]
async fn unknown_query_parameters_and_kinds_are_refused_by_default() {
    let strict = sim(ProtimeSimConfig::default());
    let range = "filter=date ge '2024-12-01' and date le '2024-12-31'";
    let (st, _) = call(&strict, Method::GET, "clockings", range, "").await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = call(
        &strict,
        Method::GET,
        "clockings",
        &format!("{range}&pageSize=5"),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(reasons(&v).contains("'pageSize'"), "{v}");
    let kinds = format!("{range} and kind eq 'Manual'");
    let (st, v) = call(&strict, Method::GET, "clockings", &kinds, "").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        reasons(&v).contains("'Manual' is not a clocking kind"),
        "{v}"
    );

    let lenient = sim(ProtimeSimConfig {
        lenient_query: true,
        ..Default::default()
    });
    let (st, _) = call(
        &lenient,
        Method::GET,
        "clockings",
        &format!("{range}&pageSize=5"),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = call(&lenient, Method::GET, "clockings", &kinds, "").await;
    assert_eq!(st, StatusCode::OK);
}

#[tokio::test]
async fn a_definition_is_booked_only_on_its_active_dates() {
    let s = sim(ProtimeSimConfig::default());
    let (person, def) = {
        let mut st = s.lock();
        let person = st.people[0].id;
        let d = st.defs.iter_mut().find(|d| d.level == 1).unwrap();
        d.active_from = NaiveDate::from_ymd_opt(2024, 1, 1);
        d.active_until = NaiveDate::from_ymd_opt(2024, 12, 31);
        (person, d.id.clone())
    };
    let body = |date: &str| {
        json!({
            "person": {"id": person}, "date": date, "timeOfDayInMinutes": 540, "kind": "Activity",
            "activityLevels": [{"level": 1, "activityDefinition": {"id": def}}]
        })
        .to_string()
    };
    let (st, v) = call(&s, Method::POST, "clockings", "", &body("2024-12-31")).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, v) = call(&s, Method::POST, "clockings", "", &body("2025-01-01")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(reasons(&v).contains("is not active on 2025-01-01"), "{v}");
    let (st, _) = call(&s, Method::POST, "clockings", "", &body("2023-12-31")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn expand_takes_the_seeds_values() {
    let s = sim(ProtimeSimConfig::default());
    let def = s.lock().defs[0].clone();
    let path = format!(
        "activity-structure-versions/{STRUCTURE_VERSION}/levels/{}/activity-definitions/{}",
        def.level, def.id
    );
    let (st, v) = call(&s, Method::GET, &path, "expand=usage,restrictions", "").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        v.get("usages").is_some() && v.get("restrictions").is_some(),
        "{v}"
    );
    let (st, v) = call(&s, Method::GET, &path, "expand=everything", "").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(reasons(&v).contains("expand 'everything'"), "{v}");
}
