//! The query strings as the seeds and the spec show them: which parameters each endpoint takes and
//! which values the enumerated ones may have. Anything else is refused with 400 naming it, unless
//! the lenient switch `lenient_query` is on, when unknown parameters are ignored and other values
//! are let through as before.
use crate::protime::filter::{Constant, Expr, Factor};
use axum::http::Method;

use super::Query;

/// The clocking kinds the create-clocking seed lists (also the values of the `kind` filter).
pub(crate) const CLOCKING_KINDS: [&str; 4] = ["InOut", "Reason", "Activity", "ActivityEnd"];

/// What `?expand=` may name on one activity definition (the seed's `expand=usage,restrictions`).
const EXPAND_VALUES: [&str; 2] = ["usage", "restrictions"];

/// A list (of a collection or of a level's definitions): filter, delta and paging.
const LIST: &[&str] = &[
    "filter",
    "delta",
    "deltaToken",
    "continuationToken",
    "externalReferences",
];
/// One item read, or a write: only the reference names.
const ONE: &[&str] = &["externalReferences"];
/// A delta's next page (`deltaLink` and its `nextLink`s).
const DELTA: &[&str] = &["deltaToken", "continuationToken"];
/// One activity definition read: reference names and `expand`.
const DEFINITION: &[&str] = &["externalReferences", "expand"];

/// The parameters an endpoint takes, by method and path segments (after the API prefix).
fn allowed(method: &Method, seg: &[&str]) -> &'static [&'static str] {
    let get = method == Method::GET;
    match seg {
        [_] if get => LIST,
        ["delta", _] => DELTA,
        ["status-monitor", ..] => &[],
        ["activity-structure-versions", ..] if seg.len() <= 2 => &[],
        ["activity-structure-versions", _, "levels", _, "activity-definitions"] if get => LIST,
        ["activity-structure-versions", _, "levels", _, "activity-definitions", _] if get => {
            DEFINITION
        }
        _ => ONE,
    }
}

/// The first problem with the query's parameter names and enumerated values, as the refusal's
/// reason. `lenient` (switch `lenient_query`) skips these checks.
pub(super) fn check(method: &Method, seg: &[&str], q: &Query, lenient: bool) -> Result<(), String> {
    if lenient {
        return Ok(());
    }
    let allowed = allowed(method, seg);
    if let Some(unknown) = q.keys().find(|k| !allowed.contains(k)) {
        let takes = if allowed.is_empty() {
            "no query parameters".to_string()
        } else {
            allowed.join(", ")
        };
        return Err(format!(
            "The query parameter '{unknown}' is not known here (this endpoint takes {takes}; the sandbox switch lenient_query ignores it)"
        ));
    }
    if let Some(expand) = q.get("expand") {
        for part in expand.split(',').map(str::trim) {
            if !EXPAND_VALUES.contains(&part) {
                return Err(format!(
                    "expand '{part}' is not one of {} (the sandbox switch lenient_query lets it through)",
                    EXPAND_VALUES.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// The `kind` filter's values must be clocking kinds the seed lists. `lenient` skips the check.
pub(super) fn check_filter_values(e: &Expr, lenient: bool) -> Result<(), String> {
    if lenient {
        return Ok(());
    }
    match e {
        Expr::Or(xs) | Expr::And(xs) => xs.iter().try_for_each(|x| check_filter_values(x, false)),
        Expr::Cond { field, value, .. } if field == "kind" => {
            let values: Vec<&Constant> = match value {
                Factor::Const(c) => vec![c],
                Factor::List(_, cs) => cs.iter().collect(),
            };
            match values
                .into_iter()
                .find(|c| !matches!(c, Constant::Str(s) if CLOCKING_KINDS.contains(&s.as_str())))
            {
                Some(bad) => Err(format!(
                    "The kind '{}' is not a clocking kind ({}; the sandbox switch lenient_query lets it through)",
                    bad.as_text(),
                    CLOCKING_KINDS.join(", ")
                )),
                None => Ok(()),
            }
        }
        Expr::Cond { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protime::filter;

    const DEF: [&str; 6] = [
        "activity-structure-versions",
        "v",
        "levels",
        "1",
        "activity-definitions",
        "d",
    ];

    #[test]
    fn documented_parameters_pass() {
        for (method, seg, query) in [
            (
                Method::GET,
                &["clockings"][..],
                "filter=date ge '2024-12-01'&delta",
            ),
            (
                Method::GET,
                &["clockings"][..],
                "filter=x&continuationToken=a&deltaToken=b",
            ),
            (
                Method::GET,
                &["people"][..],
                "externalReferences=(people,@badge-number)",
            ),
            (Method::GET, &["delta", "clockings"][..], "deltaToken=abc"),
            (
                Method::POST,
                &["clockings"][..],
                "externalReferences=(people,@badge-number)",
            ),
            (Method::GET, &DEF[..], "expand=usage,restrictions"),
            (
                Method::PUT,
                &DEF[..],
                "externalReferences=(activity-definitions,CustomActivityReference)",
            ),
            (Method::GET, &["status-monitor", "clockings", "1"][..], ""),
        ] {
            let q = Query::parse(query);
            assert_eq!(check(&method, seg, &q, false), Ok(()), "{seg:?}?{query}");
        }
    }

    #[test]
    fn unknown_parameters_and_values_are_refused_unless_lenient() {
        for (method, seg, query, says) in [
            (Method::GET, &["clockings"][..], "filter=x&$top=5", "'$top'"),
            (Method::GET, &["people", "7"][..], "expand=all", "'expand'"),
            (Method::POST, &["clockings"][..], "isOpen=true", "'isOpen'"),
            (
                Method::GET,
                &["delta", "people"][..],
                "filter=x",
                "'filter'",
            ),
            (
                Method::GET,
                &["status-monitor", "clockings", "1"][..],
                "x=1",
                "no query parameters",
            ),
            (Method::GET, &DEF[..], "expand=usages", "expand 'usages'"),
            (
                Method::GET,
                &DEF[..],
                "expand=usage,history",
                "expand 'history'",
            ),
        ] {
            let q = Query::parse(query);
            let e = check(&method, seg, &q, false).unwrap_err();
            assert!(e.contains(says), "{query}: {e}");
            assert!(e.contains("lenient_query"), "{e}");
            assert_eq!(check(&method, seg, &q, true), Ok(()), "lenient: {query}");
        }
    }

    #[test]
    fn kind_filter_values_are_the_seeds_kinds() {
        let ok =
            filter::parse("date ge '2024-01-01' and kind in ('Activity','ActivityEnd')").unwrap();
        assert_eq!(check_filter_values(&ok, false), Ok(()));
        for bad in [
            "date ge '2024-01-01' and kind eq 'Absence'",
            "kind in ('InOut', 'inout')",
            "date ge '2024-01-01' and kind eq 3",
        ] {
            let e = filter::parse(bad).unwrap();
            let msg = check_filter_values(&e, false).unwrap_err();
            assert!(msg.contains("is not a clocking kind"), "{bad}: {msg}");
            assert_eq!(check_filter_values(&e, true), Ok(()));
        }
    }
}
