//! What an edit changes: field by field, and restrictions added and removed.

use crate::*;

/// The fields an edit changes, in form order.
pub fn diff(before: &DefinitionForm, after: &DefinitionForm) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, a: &str, b: &str| {
        if a.trim() != b.trim() {
            out.push(FieldChange {
                field: field.to_string(),
                before: a.trim().to_string(),
                after: b.trim().to_string(),
            });
        }
    };
    push("name", &before.name, &after.name);
    let langs: BTreeSet<&String> = before
        .translations
        .keys()
        .chain(after.translations.keys())
        .collect();
    for l in langs {
        push(
            &format!("name_{l}"),
            before.translations.get(l).map(String::as_str).unwrap_or(""),
            after.translations.get(l).map(String::as_str).unwrap_or(""),
        );
    }
    push("shortCode", &before.short_code, &after.short_code);
    push(
        "dataEntryCode",
        &before.data_entry_code,
        &after.data_entry_code,
    );
    push(
        "externalReference",
        &before.external_reference,
        &after.external_reference,
    );
    push("info", &before.info, &after.info);
    push("activeFrom", &before.active_from, &after.active_from);
    push("activeUntil", &before.active_until, &after.active_until);
    out
}

/// What saving `proposed` changes compared with `current`, combination by combination (paired by
/// position; a combination only on one side is wholly added or removed) and per level within it
/// (levels without change left out).
pub fn restriction_changes(
    current: &[Vec<RestrictionRow>],
    proposed: &[Vec<RestrictionRow>],
) -> Vec<RestrictionChange> {
    let set = |rows: &[RestrictionRow], level: u32| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.level == level)
            .flat_map(|r| r.ids.iter().cloned())
            .collect()
    };
    let empty: Vec<RestrictionRow> = Vec::new();
    let mut out = Vec::new();
    for i in 0..current.len().max(proposed.len()) {
        let cur = current.get(i).unwrap_or(&empty);
        let new = proposed.get(i).unwrap_or(&empty);
        let levels: BTreeSet<u32> = cur.iter().chain(new).map(|r| r.level).collect();
        for level in levels {
            let (a, b) = (set(cur, level), set(new, level));
            let added: Vec<String> = b.difference(&a).cloned().collect();
            let removed: Vec<String> = a.difference(&b).cloned().collect();
            // A level present with no definitions still changes the meaning (nothing allowed).
            let presence =
                cur.iter().any(|r| r.level == level) != new.iter().any(|r| r.level == level);
            if !added.is_empty() || !removed.is_empty() || presence {
                out.push(RestrictionChange {
                    combination: i as u32 + 1,
                    level,
                    added,
                    removed,
                });
            }
        }
    }
    out
}
