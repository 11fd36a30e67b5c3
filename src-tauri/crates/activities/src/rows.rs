//! Protime's records as the screens show them, and back.

use crate::*;

pub fn to_row(d: &ActivityDefinition, level: u32, on: NaiveDate) -> DefinitionRow {
    DefinitionRow {
        id: d.id.clone(),
        level: d.level.unwrap_or(level),
        name: d.name.default.clone(),
        translations: d.name.translations.clone(),
        parent_id: d.parent.as_ref().and_then(|p| p.id.clone()),
        short_code: d.short_code.clone(),
        data_entry_code: d.data_entry_code.clone(),
        external_reference: d.external_reference.clone(),
        info: d.info.clone(),
        active_from: date_text(d.active_from),
        active_until: date_text(d.active_until),
        active: is_active(d.active_from, d.active_until, on),
    }
}

/// The form prefilled from a stored definition.
pub fn form_of(d: &ActivityDefinition) -> DefinitionForm {
    DefinitionForm {
        name: d.name.default.clone(),
        translations: d.name.translations.clone(),
        short_code: d.short_code.clone().unwrap_or_default(),
        data_entry_code: d.data_entry_code.clone().unwrap_or_default(),
        external_reference: d.external_reference.clone().unwrap_or_default(),
        info: d.info.clone().unwrap_or_default(),
        active_from: date_text(d.active_from).unwrap_or_default(),
        active_until: date_text(d.active_until).unwrap_or_default(),
        parent_id: d
            .parent
            .as_ref()
            .and_then(|p| p.id.clone())
            .unwrap_or_default(),
    }
}

pub(crate) fn usage_row(u: &Usage) -> UsageRow {
    let (reference, reference_name) = match (
        &u.usage_reference.id,
        &u.usage_reference.external_references,
    ) {
        (Some(id), _) => (id.to_string(), None),
        (None, Some(m)) => m
            .iter()
            .next()
            .map(|(k, v)| (v.clone(), Some(k.clone())))
            .unwrap_or_default(),
        (None, None) => (String::new(), None),
    };
    UsageRow {
        kind: u.activity_usage_kind.as_str().to_string(),
        reference,
        reference_name,
        from: u.from.format("%Y-%m-%d").to_string(),
        until: date_text(u.until),
    }
}

pub(crate) fn restriction_combination(c: &[Restriction]) -> Vec<RestrictionRow> {
    c.iter().map(restriction_row).collect()
}

pub(crate) fn restriction_row(r: &Restriction) -> RestrictionRow {
    RestrictionRow {
        level: r.level_index,
        ids: r
            .activity_definitions
            .iter()
            .filter_map(|d| d.id.clone())
            .collect(),
    }
}
