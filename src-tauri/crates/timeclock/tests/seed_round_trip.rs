//! Every JSON example of the TimeClock 365 guide (`tests/seeds/timeclock365-api-he.txt`, the
//! user's document copied byte for byte), taken from the seed text at test time: each request is
//! what the client's `rpc_request` builds for the same method, dates and id; each response decodes
//! through the client's envelope decoder, and serialised again it keeps every field and value of
//! the seed (no field dropped).

#[path = "../../../../tests/seeds/extract.rs"]
mod extract;

use chrono::NaiveDate;
use extract::{examples, lost, seed_text};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use timebridge_timeclock::{
    decode_response, rpc_request, EmployeeExtended, EmployeeLunches, EmployeeSessions,
    EmployeeTimesheet, DEFAULT_ENDPOINT,
};

fn decoded_keeps_everything<T: DeserializeOwned + Serialize>(seed: &Value) -> Vec<String> {
    let id = seed["id"].as_u64().expect("the response has an id");
    let raw = serde_json::to_vec(seed).unwrap();
    let typed: Vec<T> = decode_response(&raw, id).unwrap_or_else(|e| panic!("{e}"));
    let ours = serde_json::to_value(&typed).unwrap();
    let mut problems = Vec::new();
    lost(&seed["result"], &ours, "result", &mut problems);
    problems
}

#[test]
fn every_request_and_response_example_of_the_guide() {
    let text = seed_text("timeclock365-api-he.txt");
    assert!(
        text.contains(DEFAULT_ENDPOINT),
        "the guide names the endpoint the client uses"
    );
    let found = examples(&text);
    assert_eq!(found.len(), 8, "four requests and four responses");
    let mut methods = Vec::new();
    let mut problems = Vec::new();
    for pair in found.chunks(2) {
        let (req, resp) = (&pair[0], &pair[1]);
        assert!(req.label.contains("(Request)"), "{}", req.label);
        assert!(resp.label.contains("(Response)"), "{}", resp.label);
        assert!(!req.repaired && !resp.repaired);
        let method = req.value["method"].as_str().unwrap().to_string();
        let date = |k: &str| {
            NaiveDate::parse_from_str(req.value["params"][k].as_str().unwrap(), "%Y-%m-%d").unwrap()
        };
        let id = req.value["id"].as_u64().unwrap();
        assert_eq!(
            rpc_request(&method, date("startDate"), date("endDate"), id),
            req.value,
            "request '{method}' as the guide writes it"
        );
        assert_eq!(resp.value["id"], req.value["id"]);
        let lost = match method.as_str() {
            "sessions" => decoded_keeps_everything::<EmployeeSessions>(&resp.value),
            "lunches" => decoded_keeps_everything::<EmployeeLunches>(&resp.value),
            "timesheet" => decoded_keeps_everything::<EmployeeTimesheet>(&resp.value),
            "extended-sessions" => decoded_keeps_everything::<EmployeeExtended>(&resp.value),
            other => vec![format!("no model for method {other}")],
        };
        problems.extend(lost.into_iter().map(|p| format!("{method}: {p}")));
        methods.push(method);
    }
    assert_eq!(
        methods,
        ["sessions", "lunches", "timesheet", "extended-sessions"]
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
