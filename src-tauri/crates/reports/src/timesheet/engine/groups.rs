//! The employee's groups, as `extended-sessions` sends them.

/// Group names from `extended-sessions`' `groups`, whose element type the API leaves open: plain
/// names, numbers, or objects with a name (or title, or id).
pub fn group_names(groups: &serde_json::Value) -> Vec<String> {
    let one = |v: &serde_json::Value| -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Object(o) => ["name", "title", "groupName", "id"]
                .iter()
                .find_map(|k| o.get(*k))
                .and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.trim().to_string()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }),
            _ => None,
        }
    };
    let mut names: Vec<String> = match groups {
        serde_json::Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| !n.is_empty() && seen.insert(n.clone()));
    names
}
