//! Lists of every collection: filter, date range, delta start, paging.
use super::delta::{delta_token, parse_delta_token, touch_delta};
use super::paging::{continuation, continuation_marked, is_marked, link, parse_continuation};
use super::refs::decorate;
use super::{ok, Query};
use crate::protime::data::{self};
use crate::protime::filter::{self, Category, Constant};
use crate::protime::{bad_request, error, reasons_error, DeltaRec, SimState, API_PREFIX};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

/// Filter fields per collection; `None` = the collection takes no filter. `dated` = `date` required.
pub(super) fn filter_fields(
    collection: &str,
) -> (Option<&'static [(&'static str, Category)]>, bool) {
    const DATED: &[(&str, Category)] = &[("person", Category::Multiple), ("date", Category::Range)];
    const CLOCKINGS: &[(&str, Category)] = &[
        ("person", Category::Multiple),
        ("date", Category::Range),
        ("kind", Category::Multiple),
    ];
    const PEOPLE: &[(&str, Category)] = &[("person", Category::Multiple)];
    match collection {
        "clockings" => (Some(CLOCKINGS), true),
        "access-clockings" | "calculated-totals" => (Some(DATED), true),
        "people" => (Some(PEOPLE), false),
        _ => (None, false),
    }
}

pub(super) fn items(
    s: &SimState,
    collection: &str,
    range: (Option<NaiveDate>, Option<NaiveDate>),
) -> Vec<(Value, u64)> {
    let keep = |d: NaiveDate| range.0.is_none_or(|f| d >= f) && range.1.is_none_or(|u| d <= u);
    match collection {
        "clockings" => s
            .clockings
            .iter()
            .filter(|c| keep(c.date))
            .map(|c| (c.to_json(), c.cv))
            .collect(),
        "access-clockings" => s
            .access
            .iter()
            .filter(|c| keep(c.date))
            .map(|c| (c.to_json(&s.config.unknown_badge_status), c.cv))
            .collect(),
        "calculated-totals" => s
            .totals
            .values()
            .filter(|t| keep(t.date))
            .map(|t| (t.to_json(), t.cv))
            .collect(),
        "people" => s
            .people
            .iter()
            .map(|p| (p.to_json(s.config.older_iso_spelling), p.cv))
            .collect(),
        "absence-definitions" => s.absence_defs.iter().map(|a| (a.to_json(), a.cv)).collect(),
        "terminals" => s
            .terminals
            .iter()
            .map(|t| {
                (
                    json!({"id": t.id, "name": t.name, "externalCode": t.external_code}),
                    0,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn lookup(v: &Value, field: &str) -> Option<Constant> {
    let x = match field {
        "person" => v.get("person")?.get("id")?,
        other => v.get(other)?,
    };
    match x {
        Value::Number(n) => n.as_i64().map(Constant::Int),
        Value::String(s) => Some(Constant::Str(s.clone())),
        Value::Bool(b) => Some(Constant::Bool(*b)),
        _ => None,
    }
}

pub(super) fn one_year_ok(s: &SimState, from: NaiveDate, until: NaiveDate) -> bool {
    let limit = from
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    if s.config.year_span_inclusive {
        until <= limit
    } else {
        until < limit
    }
}

/// What a list request asks for, parsed and validated.
struct ListRequest<'q> {
    /// `?delta`: start a delta on this collection.
    delta_start: bool,
    /// `?deltaToken=`: a page of a delta's initial load.
    delta_cont: Option<&'q str>,
    raw_filter: Option<&'q str>,
    expr: Option<filter::Expr>,
    range: (Option<NaiveDate>, Option<NaiveDate>),
    /// The collection is dated: a `date` range is required.
    dated: bool,
}

impl ListRequest<'_> {
    fn is_delta(&self) -> bool {
        self.delta_start || self.delta_cont.is_some()
    }
}

/// `GET /<collection>`: parse and validate the query, start or continue a delta, then answer one
/// page.
pub(super) fn list(
    s: &mut SimState,
    collection: &str,
    q: &Query,
    refs: &[(String, String)],
) -> Response {
    let req = match parse(collection, q, s.config.lenient_query).and_then(|req| validate(s, req)) {
        Ok(req) => req,
        Err(answer) => return answer,
    };
    let delta_tok = match delta_bookkeeping(s, collection, q, &req) {
        Ok(t) => t,
        Err(answer) => return answer,
    };
    page(s, collection, q, refs, &req, delta_tok)
}

/// Parse: the delta switches and the filter (syntax and the fields this collection allows).
fn parse<'q>(collection: &str, q: &'q Query, lenient: bool) -> Result<ListRequest<'q>, Response> {
    let (fields, dated) = filter_fields(collection);
    let delta_start = q.has("delta");
    let delta_cont = q.get("deltaToken");
    let is_delta = delta_start || delta_cont.is_some();
    if is_delta
        && !matches!(
            collection,
            "clockings"
                | "access-clockings"
                | "calculated-totals"
                | "people"
                | "absence-definitions"
        )
    {
        return Err(bad_request(&["This collection has no delta"]));
    }
    let raw_filter = q.get("filter");
    let expr = match (raw_filter, fields) {
        (Some(_), None) => return Err(bad_request(&["This collection takes no filter"])),
        (Some(_), Some(_)) if is_delta && !dated => {
            return Err(bad_request(&["This delta takes no filter"]))
        }
        (Some(f), Some(allowed)) => {
            let e =
                filter::parse(f).map_err(|msg| bad_request(&["The filter is invalid", &msg]))?;
            filter::check(&e, allowed).map_err(|msg| bad_request(&[&msg]))?;
            super::query_rules::check_filter_values(&e, lenient)
                .map_err(|msg| bad_request(&[&msg]))?;
            Some(e)
        }
        (None, _) if dated => return Err(bad_request(&["The date filter is required"])),
        (None, _) => None,
    };
    let range = match &expr {
        Some(e) => filter::date_bounds(e).map_err(|msg| bad_request(&[&msg]))?,
        None => (None, None),
    };
    Ok(ListRequest {
        delta_start,
        delta_cont,
        raw_filter,
        expr,
        range,
        dated,
    })
}

/// Validate: a dated collection's range (a start, an end unless a delta, at most a year) and a
/// delta's own rules (no people, a recent start).
fn validate<'q>(s: &SimState, req: ListRequest<'q>) -> Result<ListRequest<'q>, Response> {
    let Some(e) = req.expr.as_ref().filter(|_| req.dated) else {
        return Ok(req);
    };
    let is_delta = req.is_delta();
    let today = s.now().with_timezone(&chrono::Local).date_naive();
    match (is_delta, req.range) {
        (_, (None, _)) => {
            return Err(bad_request(&[
                "The date filter needs a start (date ge '...')",
                "The provided date range is invalid",
            ]))
        }
        (false, (Some(_), None)) => {
            return Err(bad_request(&[
                "The date filter needs an end (date le '...')",
                "The provided date range is invalid",
            ]))
        }
        (_, (Some(a), Some(b))) if b < a || !one_year_ok(s, a, b) => {
            return Err(bad_request(&[
                "The provided date range is invalid",
                "The date range may span at most one year",
            ]))
        }
        _ => {}
    }
    if is_delta {
        let mut used = Vec::new();
        filter::fields(e, &mut used);
        if used.iter().any(|f| f == "person") {
            let status = StatusCode::from_u16(s.config.delta_person_status)
                .unwrap_or(StatusCode::BAD_REQUEST);
            return Err(reasons_error(
                status,
                &["People cannot be used in the delta"],
            ));
        }
        if let Some(start) = req.range.0 {
            let earliest = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap();
            if s.config.enforce_delta_start_window && (start < earliest || start > today) {
                return Err(bad_request(&["The provided date range is invalid", "The delta start must be a recent date in the past, not before 1 January of the previous year"]));
            }
        }
    }
    Ok(req)
}

/// Apply, part one: `?delta` starts a delta on the collection (replacing its previous one);
/// `?deltaToken=` must name the collection's active delta. The token the page links carry.
fn delta_bookkeeping(
    s: &mut SimState,
    collection: &str,
    q: &Query,
    req: &ListRequest<'_>,
) -> Result<Option<String>, Response> {
    if req.delta_start && req.delta_cont.is_none() {
        s.next_delta_id += 1;
        let id = s.next_delta_id;
        let now = s.now();
        s.deltas.insert(
            collection.to_string(),
            DeltaRec {
                id,
                from: req.range.0,
                until: req.range.1,
                last_used: now,
                ext_refs: q.get("externalReferences").unwrap_or("").to_string(),
            },
        );
        return Ok(Some(delta_token(id, s.next_cv, s)));
    }
    let Some(t) = req.delta_cont else {
        return Ok(None);
    };
    let Some(tok) = parse_delta_token(t) else {
        return Err(error(
            StatusCode::GONE,
            "Gone",
            "The delta token is not valid",
        ));
    };
    touch_delta(s, collection, tok.delta_id)?;
    Ok(Some(t.to_string()))
}

/// The collection's items in the range that match the filter, by id.
fn matching(s: &SimState, collection: &str, req: &ListRequest<'_>) -> Vec<(Value, u64)> {
    let people_index: std::collections::HashMap<i64, usize> =
        s.people.iter().map(|p| (p.id, p.index)).collect();
    let in_group = |g: &str, c: &Constant, actual: &Constant| {
        let (Constant::Int(group), Constant::Int(person)) = (c, actual) else {
            return false;
        };
        let Some(idx) = people_index.get(person) else {
            return false;
        };
        match g {
            "circle" => data::in_circle(*idx, *group),
            "org-group" | "org-tree" => data::in_org_group(*idx, *group),
            _ => false,
        }
    };
    let mut all: Vec<(Value, u64)> = items(s, collection, req.range)
        .into_iter()
        .filter(|(v, _)| match &req.expr {
            Some(e) => filter::eval(e, &|f| lookup(v, f), &in_group),
            None => true,
        })
        .collect();
    all.sort_by_key(|(v, _)| v.get("id").and_then(Value::as_i64).unwrap_or(0));
    all
}

/// Apply, part two: the page at the continuation token, with its `nextLink` (or, on a delta's
/// last page, its `deltaLink`).
fn page(
    s: &SimState,
    collection: &str,
    q: &Query,
    refs: &[(String, String)],
    req: &ListRequest<'_>,
    delta_tok: Option<String>,
) -> Response {
    let all = matching(s, collection, req);
    let offset = match q.get("continuationToken") {
        None => 0,
        Some(t) => match parse_continuation(collection, t) {
            Some(o) if o <= all.len() => o,
            _ => {
                return error(
                    StatusCode::CONFLICT,
                    "Conflict",
                    "Continuation token conflict",
                )
            }
        },
    };
    let mut query = Vec::new();
    if let Some(f) = req.raw_filter {
        query.push(format!("filter={f}"));
    }
    if let Some(r) = q.get("externalReferences") {
        query.push(format!("externalReferences={r}"));
    }
    let next_link = |s: &SimState, token: String| {
        let mut q2 = query.clone();
        q2.push(format!("continuationToken={token}"));
        if let Some(t) = &delta_tok {
            q2.push(format!("deltaToken={t}"));
        }
        link(s, format!("{API_PREFIX}{collection}?{}", q2.join("&")))
    };
    let marked = q.get("continuationToken").is_some_and(is_marked);
    if s.config.insert_empty_pages && !marked && offset < all.len() {
        // An empty page that still has a nextLink: allowed by the contract, must not end the listing.
        return ok(
            json!({"value": [], "nextLink": next_link(s, continuation_marked(collection, offset))}),
        );
    }
    let end = (offset + s.config.page_size).min(all.len());
    let mut value: Vec<Value> = all[offset..end].iter().map(|(v, _)| v.clone()).collect();
    for v in value.iter_mut() {
        decorate(s, v, refs);
    }
    let mut body = json!({"value": value});
    if end < all.len() {
        body["nextLink"] = json!(next_link(s, continuation(collection, end)));
    } else if let Some(t) = &delta_tok {
        body["deltaLink"] = json!(link(
            s,
            format!("{API_PREFIX}delta/{collection}?deltaToken={t}")
        ));
    }
    ok(body)
}
