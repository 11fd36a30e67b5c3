//! The delta feed: delta tokens, the active delta of each collection, and `GET /delta/{collection}`.
use super::list::items;
use super::paging::link;
use super::refs::{decorate, parse_ext_refs};
use super::{ok, Query};
use crate::protime::data::cv_text;
use crate::protime::{bad_request, error, DeltaRec, SimState, API_PREFIX, DELTA_LIFETIME_HOURS};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use chrono::NaiveDate;
use serde_json::{json, Value};

#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct DeltaToken {
    #[serde(rename = "DeltaId")]
    pub(super) delta_id: i64,
    #[serde(rename = "StartingCursor")]
    pub(super) starting_cursor: u64,
    #[serde(rename = "TimeStamp")]
    pub(super) time_stamp: String,
}

pub(super) fn delta_token(id: i64, cursor: u64, s: &SimState) -> String {
    let t = DeltaToken {
        delta_id: id,
        starting_cursor: cursor,
        time_stamp: s.now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&t).unwrap())
}

pub(super) fn parse_delta_token(t: &str) -> Option<DeltaToken> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(t.trim())
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(t.trim()))
        .ok()?;
    serde_json::from_slice(&raw).ok()
}

/// Checks the delta of `collection` is the active one and alive; touches it.
pub(super) fn touch_delta(
    s: &mut SimState,
    collection: &str,
    id: i64,
) -> Result<DeltaRec, Response> {
    let now = s.now();
    let gone = || {
        error(
            StatusCode::GONE,
            "Gone",
            "The delta token expired or was replaced; start a new delta",
        )
    };
    let Some(rec) = s.deltas.get_mut(collection) else {
        return Err(gone());
    };
    if rec.id != id {
        return Err(gone());
    }
    if now - rec.last_used > chrono::Duration::hours(DELTA_LIFETIME_HOURS) {
        s.deltas.remove(collection);
        return Err(gone());
    }
    rec.last_used = now;
    Ok(rec.clone())
}

pub(super) fn delta_increment(s: &mut SimState, collection: &str, q: &Query) -> Response {
    let Some(tok) = q.get("deltaToken").and_then(parse_delta_token) else {
        return bad_request(&["A valid deltaToken is required"]);
    };
    let rec = match touch_delta(s, collection, tok.delta_id) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let refs = parse_ext_refs(&rec.ext_refs).unwrap_or_default();
    let in_range = |v: &Value| {
        let Some(d) = v
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            return true;
        };
        rec.from.is_none_or(|f| d >= f) && rec.until.is_none_or(|u| d <= u)
    };
    let mut changes: Vec<(u64, Value)> = items(s, collection, (rec.from, rec.until))
        .into_iter()
        .filter(|(v, cv)| *cv > tok.starting_cursor && in_range(v))
        .map(|(mut v, cv)| {
            decorate(s, &mut v, &refs);
            (cv, json!({"changeType": "InsertOrUpdate", "data": v}))
        })
        .collect();
    for (c, id, cv) in &s.tombstones {
        if c == collection && *cv > tok.starting_cursor {
            let id_v: Value = id
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| json!(id));
            changes.push((*cv, json!({"changeType": "Delete", "data": {"id": id_v, "changeVersion": cv_text(*cv)}})));
        }
    }
    changes.sort_by_key(|(cv, _)| *cv);
    let t = delta_token(rec.id, s.next_cv, s);
    ok(json!({
        "value": changes.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "deltaLink": link(s, format!("{API_PREFIX}delta/{collection}?deltaToken={t}")),
    }))
}
