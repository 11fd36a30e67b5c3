//! Usages (who may book): the form into Protime's usage, and the overlap rule.

use crate::*;

pub(crate) fn usage_kind(s: &str) -> Result<UsageKind, String> {
    match s.trim() {
        "Person" => Ok(UsageKind::Person),
        "Group" => Ok(UsageKind::Group),
        "Circle" => Ok(UsageKind::Circle),
        other => Err(format!(
            "The kind '{other}' must be Person, Group or Circle"
        )),
    }
}

pub(crate) fn usage_reference(
    reference: &str,
    reference_name: Option<&str>,
) -> Result<Ref<i64>, String> {
    let value = reference.trim();
    if value.is_empty() {
        return Err("The reference (who the usage is for) is required".into());
    }
    match reference_name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => Ok(Ref::external(name, value)),
        None => value.parse::<i64>().map(Ref::id).map_err(|_| {
            format!("'{value}' is not an id; give the name of the external reference it is")
        }),
    }
}

/// Turns the form into a usage, or lists why not.
pub fn usage_of(form: &UsageForm) -> Result<Usage, AppError> {
    let mut reasons = Vec::new();
    let kind = usage_kind(&form.kind).map_err(|e| reasons.push(e));
    let reference =
        usage_reference(&form.reference, Some(&form.reference_name)).map_err(|e| reasons.push(e));
    let from = match parse_date("From", &form.from) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            reasons.push("From is required".into());
            None
        }
        Err(e) => {
            reasons.push(e);
            None
        }
    };
    let until = parse_date("Until", &form.until).map_err(|e| reasons.push(e));
    if let (Some(a), Ok(Some(b))) = (from, &until) {
        if *b < a {
            reasons.push(format!("Until ({b}) is before from ({a})"));
        }
    }
    match (kind, reference, from, until) {
        (Ok(kind), Ok(reference), Some(from), Ok(until)) if reasons.is_empty() => Ok(Usage {
            activity_usage_kind: kind,
            usage_reference: reference,
            from,
            until,
        }),
        _ => Err(refused("The usage cannot be saved", reasons)),
    }
}

/// The stored usage a table row stands for.
pub fn usage_of_row(row: &UsageRow) -> Result<Usage, AppError> {
    usage_of(&UsageForm {
        kind: row.kind.clone(),
        reference: row.reference.clone(),
        reference_name: row.reference_name.clone().unwrap_or_default(),
        from: row.from.clone(),
        until: row.until.clone().unwrap_or_default(),
    })
}

/// Two usages for the same kind and reference whose periods share at least one day.
pub fn overlaps(a: &Usage, b: &Usage) -> bool {
    a.activity_usage_kind == b.activity_usage_kind
        && a.usage_reference == b.usage_reference
        && a.until.is_none_or(|au| b.from <= au)
        && b.until.is_none_or(|bu| a.from <= bu)
}

pub(crate) fn overlap_error(new: &Usage, with: &Usage) -> AppError {
    let r = usage_row(with);
    refused(
        "The usage overlaps an existing one; adjust or delete the existing usage first",
        vec![format!(
            "{} {} already has a usage from {} until {} which covers part of {} – {}",
            r.kind,
            r.reference,
            r.from,
            r.until.unwrap_or_else(|| "open end".into()),
            new.from,
            date_text(new.until).unwrap_or_else(|| "open end".into()),
        )],
    )
}
