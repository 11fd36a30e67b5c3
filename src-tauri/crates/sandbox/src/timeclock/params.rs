//! The `params` of the four methods, checked as the seed shows them: an object with exactly
//! `startDate` and `endDate`, both `YYYY-MM-DD` strings, start not after end. A refusal is the
//! JSON-RPC `-32602` message naming the field. Members the seed does not show are refused too,
//! unless the lenient switch `lenient_rpc_params` is on, when they are ignored.
use chrono::NaiveDate;
use serde_json::Value;

/// The only members the seed's requests carry, for every method.
pub const PARAM_NAMES: [&str; 2] = ["startDate", "endDate"];

/// The validated date range, or the `-32602` message (it starts with "Invalid params:").
pub fn check(
    method: &str,
    params: Option<&Value>,
    lenient_unknown: bool,
) -> Result<(NaiveDate, NaiveDate), String> {
    let obj = match params {
        None | Some(Value::Null) => {
            return Err(invalid("params is required: {\"startDate\", \"endDate\"}"))
        }
        Some(Value::Object(o)) => o,
        Some(Value::Array(_)) => {
            return Err(invalid(
                "params must be an object with named members (the positional array form is not documented)",
            ))
        }
        Some(_) => return Err(invalid("params must be an object")),
    };
    if !lenient_unknown {
        let mut unknown: Vec<&str> = obj
            .keys()
            .map(String::as_str)
            .filter(|k| !PARAM_NAMES.contains(k))
            .collect();
        unknown.sort_unstable();
        if let Some(first) = unknown.first() {
            return Err(invalid(&format!(
                "'{first}' is not a parameter of {method} (only startDate and endDate; the sandbox switch lenient_rpc_params ignores it)"
            )));
        }
    }
    let start = date(obj.get("startDate"), "startDate")?;
    let end = date(obj.get("endDate"), "endDate")?;
    if start > end {
        return Err(invalid("startDate is after endDate"));
    }
    Ok((start, end))
}

fn invalid(what: &str) -> String {
    format!("Invalid params: {what}")
}

/// One date member: present, a string, exactly `YYYY-MM-DD` (ten characters, a real day).
fn date(v: Option<&Value>, name: &str) -> Result<NaiveDate, String> {
    match v {
        None | Some(Value::Null) => Err(invalid(&format!("{name} is required (YYYY-MM-DD)"))),
        Some(Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|_| s.len() == 10)
            .ok_or_else(|| invalid(&format!("{name} '{s}' is not a date as YYYY-MM-DD"))),
        Some(other) => Err(invalid(&format!(
            "{name} must be a string YYYY-MM-DD, not {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_seed_params_pass() {
        let p = json!({"startDate": "2025-10-08", "endDate": "2025-10-15"});
        assert_eq!(
            check("sessions", Some(&p), false),
            Ok((d("2025-10-08"), d("2025-10-15")))
        );
    }

    #[test]
    fn each_bad_param_is_named() {
        for (params, names) in [
            (json!({"endDate": "2025-10-15"}), "startDate is required"),
            (json!({"startDate": "2025-10-08"}), "endDate is required"),
            (
                json!({"startDate": 20251008, "endDate": "2025-10-15"}),
                "startDate must be a string",
            ),
            (
                json!({"startDate": "2025-10-08", "endDate": "2025-10-15 00:00:00"}),
                "endDate '2025-10-15 00:00:00' is not a date",
            ),
            (
                json!({"startDate": "2025-2-8", "endDate": "2025-10-15"}),
                "startDate '2025-2-8'",
            ),
            (
                json!({"startDate": "2025-02-30", "endDate": "2025-10-15"}),
                "startDate '2025-02-30'",
            ),
            (
                json!({"startDate": "2025-10-16", "endDate": "2025-10-15"}),
                "startDate is after endDate",
            ),
            (json!(["2025-10-08", "2025-10-15"]), "named members"),
            (json!("2025-10-08"), "must be an object"),
        ] {
            let err = check("lunches", Some(&params), false).unwrap_err();
            assert!(err.starts_with("Invalid params: "), "{err}");
            assert!(err.contains(names), "{params}: {err}");
        }
        let err = check("lunches", None, false).unwrap_err();
        assert!(err.contains("params is required"), "{err}");
    }

    #[test]
    fn unknown_params_are_refused_unless_lenient() {
        let p = json!({"startDate": "2025-10-08", "endDate": "2025-10-15", "employeeId": 7});
        let err = check("timesheet", Some(&p), false).unwrap_err();
        assert!(
            err.contains("'employeeId' is not a parameter of timesheet"),
            "{err}"
        );
        assert!(err.contains("lenient_rpc_params"), "{err}");
        assert_eq!(
            check("timesheet", Some(&p), true),
            Ok((d("2025-10-08"), d("2025-10-15")))
        );
        // The switch only lets unknown members through: the dates are still checked.
        let bad = json!({"startDate": "soon", "endDate": "2025-10-15", "x": 1});
        assert!(check("timesheet", Some(&bad), true)
            .unwrap_err()
            .contains("startDate 'soon'"));
    }
}
