//! People of the active Protime tenant, as the pickers show them.

use crate::workspace::Workspace;
use crate::AppError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PersonSummary {
    /// Protime person ids are integers well inside JavaScript's safe range; typed as `number` in TS.
    #[specta(type = i32)]
    pub id: i64,
    pub name: String,
    pub employee_number: Option<String>,
    pub badge_number: Option<String>,
    pub email: Option<String>,
}

/// Every person, sorted by name (the API promises no order).
pub async fn list(ws: &Workspace) -> Result<Vec<PersonSummary>, AppError> {
    let mut people: Vec<PersonSummary> = ws
        .protime
        .people()
        .await?
        .into_iter()
        .map(|p| PersonSummary {
            id: p.id,
            name: p.display_name(),
            employee_number: p.employee_number,
            badge_number: p.badge_number,
            email: p.email,
        })
        .collect();
    people.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lists_sandbox_people_sorted() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let people = list(&ws).await.unwrap();
        assert_eq!(people.len(), 50);
        assert!(people
            .windows(2)
            .all(|w| w[0].name.to_lowercase() <= w[1].name.to_lowercase()));
        ws.close().await;
    }
}
