//! Sheet names Excel accepts, unique within the workbook.

/// Excel's limit on a sheet name's length, in characters.
pub(super) const SHEET_NAME_MAX: usize = 31;

/// One sheet name per key, in order, that Excel accepts: at most 31 characters, none of
/// `[]:*?/\` or control characters, no apostrophe at either end, not `History` (reserved by
/// Excel), and unique ignoring case, also against `taken` (the workbook's other sheets). Keys that
/// collide after cleaning get ` (2)`, ` (3)`, … within the 31 characters.
pub(super) fn sheet_names(keys: &[&str], taken: &[&str]) -> Vec<String> {
    let mut used: std::collections::HashSet<String> =
        taken.iter().map(|t| t.to_lowercase()).collect();
    used.insert("history".into());
    keys.iter()
        .map(|key| {
            let cleaned: String = key
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
                .collect();
            let cleaned = cleaned.trim().trim_matches('\'').trim();
            let base = if cleaned.is_empty() {
                "Employee"
            } else {
                cleaned
            };
            let cut = |s: &str, n: usize| -> String { s.chars().take(n).collect() };
            let mut name = cut(base, SHEET_NAME_MAX);
            let mut n = 2;
            while used.contains(&name.to_lowercase()) {
                let suffix = format!(" ({n})");
                let room = SHEET_NAME_MAX - suffix.chars().count();
                name = format!("{}{suffix}", cut(base, room).trim_end_matches('\''));
                n += 1;
            }
            used.insert(name.to_lowercase());
            name
        })
        .collect()
}
