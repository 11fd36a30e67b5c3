//! Access clockings (spec 4.2, read only): one by id, or a list by date range and person, each with
//! the person's employee number when asked (`externalReferences=(people,@employee-number)`).

use crate::dates::Day;
use crate::workspace::Workspace;
use crate::AppError;
use serde::Serialize;
use timebridge_protime::models::{AccessClocking, AccessStatus};
use timebridge_protime::{DateRange, ExternalReferences, Filter};

/// Every documented status. `UnknownBadge` covers both spellings (`UnknownBadgeNumber`, and the
/// older `UnknownBadge`); `Unrecognised` is a value this version does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum AccessStatusKind {
    AccessOk,
    AccessRefused,
    WrongPinCode,
    AlarmCode,
    AntiPassbackError,
    OutZone,
    UnknownBadge,
    Unrecognised,
}

impl AccessStatusKind {
    pub fn of(status: &AccessStatus) -> Self {
        match status {
            AccessStatus::AccessOk => Self::AccessOk,
            AccessStatus::AccessRefused => Self::AccessRefused,
            AccessStatus::WrongPinCode => Self::WrongPinCode,
            AccessStatus::AlarmCode => Self::AlarmCode,
            AccessStatus::AntiPassbackError => Self::AntiPassbackError,
            AccessStatus::OutZone => Self::OutZone,
            AccessStatus::UnknownBadgeNumber | AccessStatus::UnknownBadge => Self::UnknownBadge,
            AccessStatus::Other(_) => Self::Unrecognised,
        }
    }

    /// The documentation's explanation, in English (the UI shows its own translation).
    pub fn explanation(self) -> &'static str {
        match self {
            Self::AccessOk => "Access granted.",
            Self::AccessRefused => "Access denied.",
            Self::WrongPinCode => "PIN code verification failed.",
            Self::AlarmCode => "Alarm code entered (meaning may depend on configuration).",
            Self::AntiPassbackError => {
                "Anti-passback rule violated (e.g. required entry/exit sequence not followed)."
            }
            Self::OutZone => "Exited a defined zone (floor plan context; may depend on configuration).",
            Self::UnknownBadge => {
                "Badge was unknown at the time of clocking. It can be reprocessed if the badge is later linked to a person, but the status stays unknown badge."
            }
            Self::Unrecognised => "A status this version of Timebridge does not know.",
        }
    }
}

/// One access clocking as the lookup screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AccessClockingView {
    #[specta(type = i32)]
    pub id: i64,
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    pub minutes: i32,
    #[specta(type = Option<i32>)]
    pub person_id: Option<i64>,
    /// Only when asked for, and only for clockings with a known person.
    pub employee_number: Option<String>,
    #[specta(type = Option<i32>)]
    pub terminal_id: Option<i64>,
    /// The status exactly as Protime sent it (`UnknownBadgeNumber` or `UnknownBadge`, …).
    pub status: String,
    pub status_kind: AccessStatusKind,
    pub explanation: String,
    pub change_version: Option<String>,
}

impl From<AccessClocking> for AccessClockingView {
    fn from(a: AccessClocking) -> Self {
        let kind = AccessStatusKind::of(&a.status);
        let m = a.time_of_day_in_minutes;
        Self {
            id: a.id,
            date: a.date.to_string(),
            time: format!("{:02}:{:02}", m / 60, m % 60),
            minutes: m,
            person_id: a.person.as_ref().and_then(|p| p.id),
            employee_number: a
                .person
                .as_ref()
                .and_then(|p| p.external_reference("@employee-number"))
                .map(str::to_string),
            terminal_id: a.terminal.as_ref().and_then(|t| t.id),
            status: a.status.as_str().to_string(),
            status_kind: kind,
            explanation: kind.explanation().into(),
            change_version: a.change_version,
        }
    }
}

fn refs(with_employee_number: bool) -> ExternalReferences {
    if with_employee_number {
        ExternalReferences::none().with("people", "@employee-number")
    } else {
        ExternalReferences::none()
    }
}

/// `GET /access-clockings/{id}`.
pub async fn lookup(
    ws: &Workspace,
    id: i64,
    with_employee_number: bool,
) -> Result<AccessClockingView, AppError> {
    if id <= 0 {
        return Err(AppError::validation(
            "An access clocking id is a positive number",
        ));
    }
    let a = ws
        .protime
        .access_clocking(id, &refs(with_employee_number))
        .await
        .map_err(|e| {
            let mut err = AppError::from(e);
            if err.code == crate::ErrorCode::NotFound {
                err.message = format!("Protime has no access clocking with id {id}");
            }
            err
        })?;
    Ok(a.into())
}

/// `GET /access-clockings?filter=date ge … and date le …[ and person eq …]`, every page, sorted by
/// date and time. Protime allows at most one year per request.
pub async fn list(
    ws: &Workspace,
    from: Day,
    until: Day,
    person_id: Option<i64>,
    with_employee_number: bool,
) -> Result<Vec<AccessClockingView>, AppError> {
    let range = DateRange::new(from.date(), until.date())?;
    let person = person_id.map(|p| Filter::eq("person", p));
    let mut all: Vec<AccessClockingView> = ws
        .protime
        .access_clockings(range, person, &refs(with_employee_number))
        .await?
        .into_iter()
        .map(AccessClockingView::from)
        .collect();
    all.sort_by(|a, b| (&a.date, a.minutes, a.id).cmp(&(&b.date, b.minutes, b.id)));
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lookup_by_id_with_and_without_the_employee_number() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let plain = lookup(&ws, 1234, false).await.unwrap();
        assert_eq!(plain.id, 1234);
        assert!(plain.employee_number.is_none());
        let with = lookup(&ws, 1234, true).await.unwrap();
        assert_eq!(with.id, 1234);
        if with.person_id.is_some() {
            assert!(with.employee_number.is_some(), "{with:?}");
        }
        assert_eq!(with.explanation, with.status_kind.explanation());
        let missing = lookup(&ws, 987_654_321, false).await.unwrap_err();
        assert_eq!(missing.code, crate::ErrorCode::NotFound);
        assert!(missing.message.contains("987654321"));
        assert_eq!(
            lookup(&ws, 0, false).await.unwrap_err().code,
            crate::ErrorCode::Validation
        );
        ws.close().await;
    }

    #[tokio::test]
    async fn list_by_range_and_person_shows_both_unknown_badge_spellings() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let today = chrono::Local::now().date_naive();
        let from = Day::from(today - chrono::Duration::days(59));
        let until = Day::from(today);
        let all = list(&ws, from, until, None, true).await.unwrap();
        assert!(!all.is_empty());
        let unknown = all
            .iter()
            .find(|a| a.status_kind == AccessStatusKind::UnknownBadge)
            .expect("an unknown badge");
        assert_eq!(unknown.status, "UnknownBadge");
        assert!(unknown.person_id.is_none());
        assert!(all
            .iter()
            .any(|a| a.status_kind == AccessStatusKind::AccessOk));
        assert!(all
            .windows(2)
            .all(|w| (&w[0].date, w[0].minutes) <= (&w[1].date, w[1].minutes)));

        let person = all.iter().find_map(|a| a.person_id).unwrap();
        let mine = list(&ws, from, until, Some(person), false).await.unwrap();
        assert!(!mine.is_empty());
        assert!(mine.iter().all(|a| a.person_id == Some(person)));

        ws.sandbox_handle()
            .unwrap()
            .protime
            .configure(|c| c.unknown_badge_status = "UnknownBadgeNumber".into());
        let newer = list(&ws, from, until, None, false).await.unwrap();
        let u = newer
            .iter()
            .find(|a| a.status_kind == AccessStatusKind::UnknownBadge)
            .unwrap();
        assert_eq!(u.status, "UnknownBadgeNumber");

        assert_eq!(
            list(
                &ws,
                "2025-02-01".parse().unwrap(),
                "2025-01-01".parse().unwrap(),
                None,
                false
            )
            .await
            .unwrap_err()
            .code,
            crate::ErrorCode::Validation
        );
        ws.close().await;
    }

    #[test]
    fn every_status_has_an_explanation() {
        for s in [
            "AccessOk",
            "AccessRefused",
            "WrongPinCode",
            "AlarmCode",
            "AntiPassbackError",
            "OutZone",
            "UnknownBadgeNumber",
            "UnknownBadge",
            "SomethingNew",
        ] {
            let kind = AccessStatusKind::of(&AccessStatus::from(s));
            assert!(!kind.explanation().is_empty());
        }
        assert_eq!(
            AccessStatusKind::of(&AccessStatus::from("UnknownBadge")),
            AccessStatusKind::of(&AccessStatus::from("UnknownBadgeNumber"))
        );
    }
}
