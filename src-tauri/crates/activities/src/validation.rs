//! Checking a definition form before anything is sent: strict dates, code lengths, uniqueness on
//! the level, the parent rule, and what an edit may change.

use crate::*;

pub(crate) fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The one date rule of the app (`timebridge_core::dates`), under the name this crate uses.
pub use timebridge_core::dates::parse_day as strict_date;

pub(crate) fn parse_date(field: &str, s: &str) -> Result<Option<NaiveDate>, String> {
    match non_empty(s) {
        None => Ok(None),
        Some(t) => strict_date(&t)
            .map(Some)
            .map_err(|e| format!("{field}: {e}")),
    }
}

/// Whether a definition is active on `on` (`activeFrom` ≤ on ≤ `activeUntil`, open ends allowed).
pub fn is_active(from: Option<NaiveDate>, until: Option<NaiveDate>, on: NaiveDate) -> bool {
    from.is_none_or(|f| f <= on) && until.is_none_or(|u| on <= u)
}

pub(crate) fn refused(message: &str, reasons: Vec<String>) -> AppError {
    AppError {
        code: ErrorCode::Validation,
        message: message.to_string(),
        reasons,
    }
}

/// What a definition is checked against before a write.
pub struct CheckContext<'a> {
    pub level: u32,
    /// The definitions already on this structure version and level.
    pub siblings: &'a [ActivityDefinition],
    /// The definition being edited (excluded from the uniqueness check).
    pub editing: Option<&'a str>,
    /// Creating: the parent may be given (below the first level only). The seed makes the parent
    /// optional at every level, so a definition below level 1 may have none.
    pub creating: bool,
}

/// Checks a form and turns it into the body Protime expects, or lists every reason it would be refused.
pub fn check_form(
    form: &DefinitionForm,
    ctx: &CheckContext,
) -> Result<ActivityDefinitionInput, AppError> {
    let mut reasons = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        reasons.push("The name is required".to_string());
    }
    let dec = non_empty(&form.data_entry_code);
    let ext = non_empty(&form.external_reference);
    for (what, v) in [("data entry code", &dec), ("external reference", &ext)] {
        if let Some(v) = v {
            let n = v.chars().count();
            if n > MAX_CODE {
                reasons.push(format!(
                    "The {what} '{v}' has {n} characters; at most {MAX_CODE} are allowed"
                ));
            }
        }
    }
    let from = parse_date("Active from", &form.active_from).map_err(|e| reasons.push(e));
    let until = parse_date("Active until", &form.active_until).map_err(|e| reasons.push(e));
    if let (Ok(Some(a)), Ok(Some(b))) = (&from, &until) {
        if b < a {
            reasons.push(format!(
                "'Active until' ({b}) is before 'active from' ({a}); it must be the same day or later"
            ));
        }
    }
    for d in ctx
        .siblings
        .iter()
        .filter(|d| Some(d.id.as_str()) != ctx.editing)
    {
        if dec.is_some() && d.data_entry_code == dec {
            reasons.push(format!(
                "The data entry code '{}' is already used by '{}' on this level",
                dec.as_deref().unwrap_or_default(),
                d.name.default
            ));
        }
        if ext.is_some() && d.external_reference == ext {
            reasons.push(format!(
                "The external reference '{}' is already used by '{}' on this level",
                ext.as_deref().unwrap_or_default(),
                d.name.default
            ));
        }
    }
    let parent = non_empty(&form.parent_id);
    if ctx.creating && ctx.level <= 1 && parent.is_some() {
        reasons.push("A definition on the first level cannot have a parent".to_string());
    }
    if !reasons.is_empty() {
        return Err(refused(
            "The definition cannot be saved; Protime would refuse it",
            reasons,
        ));
    }
    let translations = form
        .translations
        .iter()
        .filter_map(|(k, v)| Some((k.trim().to_string(), non_empty(v)?)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    Ok(ActivityDefinitionInput {
        name: LocalizedText {
            default: name.to_string(),
            translations,
        },
        parent: parent.map(Ref::id),
        short_code: non_empty(&form.short_code),
        data_entry_code: dec,
        external_reference: ext,
        info: non_empty(&form.info),
        active_from: from.ok().flatten(),
        active_until: until.ok().flatten(),
    })
}

/// Checks an edit of `stored`: the full form, and the parent unchanged (it can only be set at creation).
/// The stored parent is sent along (Protime may require it on PUT).
pub fn check_edit(
    stored: &ActivityDefinition,
    form: &DefinitionForm,
    level: u32,
    siblings: &[ActivityDefinition],
) -> Result<ActivityDefinitionInput, AppError> {
    let stored_parent = stored.parent.as_ref().and_then(|p| p.id.clone());
    let given = non_empty(&form.parent_id);
    if given.is_some() && given != stored_parent {
        return Err(refused(
            "The parent cannot be changed",
            vec!["The parent can only be set when a definition is created; use Move to end this definition and create one under the new parent".into()],
        ));
    }
    let mut input = check_form(
        form,
        &CheckContext {
            level,
            siblings,
            editing: Some(&stored.id),
            creating: false,
        },
    )?;
    input.parent = stored_parent.map(Ref::id);
    Ok(input)
}
