//! What TimeClock 365 says about each punch and absence beyond the minutes: where the session was
//! worked, which channel punched it, when each punch reached the server (a punch sent long after
//! its time was typed in late or by hand), the employee's notes, and for absences the approval and
//! the payroll codes. Payroll asks for these; the day rows carry them for the day detail and the
//! optional export columns.

use chrono::NaiveDateTime;
use serde::Serialize;
use timebridge_timeclock::models::{ExtSession, TimesheetSession};

/// A punch sent to the server more than this many minutes away from the time it records was not
/// punched live: it was entered late, or by hand.
pub const SENT_LATE_MINUTES: i64 = 5;

const STAMP: &str = "%Y-%m-%d %H:%M:%S";

/// One session of the day, as TimeClock 365 describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Punch {
    /// Local start, `YYYY-MM-DD HH:MM:SS` as TimeClock 365 writes it.
    pub start: String,
    pub end: Option<String>,
    /// `locationType` (office, home, field, abroad, or the tenant's own word).
    pub location: Option<String>,
    /// `startSourceType` / `endSourceType` (web, phone, …).
    pub start_source: Option<String>,
    pub end_source: Option<String>,
    /// When the punch reached TimeClock 365 (`startDateSentAt` / `endDateSentAt`).
    pub start_sent_at: Option<String>,
    pub end_sent_at: Option<String>,
    pub start_note: Option<String>,
    pub end_note: Option<String>,
    /// A punch was sent more than [`SENT_LATE_MINUTES`] away from its time.
    pub sent_late: bool,
}

impl Punch {
    pub fn from_timesheet(s: &TimesheetSession) -> Self {
        Self {
            start: s.start_date.format(STAMP).to_string(),
            end: s.end_date.map(|e| e.format(STAMP).to_string()),
            location: s.location_type.as_ref().map(|l| l.as_str().to_string()),
            start_source: s.start_source_type.as_ref().map(|x| x.as_str().to_string()),
            end_source: s.end_source_type.as_ref().map(|x| x.as_str().to_string()),
            start_sent_at: None,
            end_sent_at: None,
            start_note: None,
            end_note: None,
            sent_late: false,
        }
    }

    /// Adds what only `extended-sessions` reports (sent-at times and notes) when `ext` is this
    /// session (same local start); returns whether it was.
    pub fn enrich(&mut self, ext: &ExtSession) -> bool {
        if self.start != ext.start_date.format(STAMP).to_string() {
            return false;
        }
        let text = |n: &Option<String>| {
            n.as_ref()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        self.start_sent_at = ext.start_date_sent_at.map(|t| t.format(STAMP).to_string());
        self.end_sent_at = ext.end_date_sent_at.map(|t| t.format(STAMP).to_string());
        self.start_note = text(&ext.start_note);
        self.end_note = text(&ext.end_note);
        self.location = self
            .location
            .take()
            .or_else(|| ext.location_type.as_ref().map(|l| l.as_str().to_string()));
        self.sent_late = late(Some(ext.start_date), ext.start_date_sent_at)
            || late(ext.end_date, ext.end_date_sent_at);
        true
    }

    /// `web → phone`: the channels of the punch-in and the punch-out.
    pub fn sources(&self) -> Option<String> {
        match (&self.start_source, &self.end_source) {
            (None, None) => None,
            (a, b) => Some(format!(
                "{} → {}",
                a.as_deref().unwrap_or("?"),
                b.as_deref()
                    .unwrap_or(if self.end.is_some() { "?" } else { "open" })
            )),
        }
    }
}

fn late(at: Option<NaiveDateTime>, sent: Option<NaiveDateTime>) -> bool {
    match (at, sent) {
        (Some(at), Some(sent)) => (sent - at).num_minutes().abs() > SENT_LATE_MINUTES,
        _ => false,
    }
}

/// An absence of the day with its approval and payroll codes (`extended-sessions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AbsenceDetail {
    pub name: String,
    pub note: Option<String>,
    /// `absenceApprovedDate`, `YYYY-MM-DD HH:MM:SS`.
    pub approved_at: Option<String>,
    /// `absenceApprovedManager`.
    pub approved_by: Option<String>,
    /// `absenceCodeDays` and `absenceCodeHors` (the API's spelling): payroll codes.
    pub code_days: Option<String>,
    pub code_hours: Option<String>,
}

impl AbsenceDetail {
    pub fn from_ext(s: &ExtSession) -> Self {
        let text = |n: &Option<String>| {
            n.as_ref()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        Self {
            name: text(&s.absence_name).unwrap_or_else(|| "Absence".into()),
            note: text(&s.absence_note),
            approved_at: s.absence_approved_date.map(|t| t.format(STAMP).to_string()),
            approved_by: text(&s.absence_approved_manager),
            code_days: text(&s.absence_code_days),
            code_hours: text(&s.absence_code_hours),
        }
    }

    /// `approved 2025-01-24 09:00:00 by Dana`, or `not approved`.
    pub fn approval(&self) -> String {
        match (&self.approved_at, &self.approved_by) {
            (None, None) => "not approved".into(),
            (at, by) => {
                let mut s = "approved".to_string();
                if let Some(at) = at {
                    s.push_str(&format!(" {at}"));
                }
                if let Some(by) = by {
                    s.push_str(&format!(" by {by}"));
                }
                s
            }
        }
    }

    /// `days 12 / hours 34`, the codes that exist.
    pub fn codes(&self) -> Option<String> {
        let parts: Vec<String> = [("days", &self.code_days), ("hours", &self.code_hours)]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" / "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(json: &str) -> ExtSession {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_punch_sent_long_after_its_time_is_late() {
        let ts: TimesheetSession = serde_json::from_str(
            r#"{"startDate":"2025-01-24 08:00:00","endDate":"2025-01-24 16:00:00","timezone":"Asia/Jerusalem","locationType":"office","startSourceType":"web","endSourceType":"phone"}"#,
        )
        .unwrap();
        let mut p = Punch::from_timesheet(&ts);
        assert_eq!(p.sources().as_deref(), Some("web → phone"));
        assert_eq!(p.location.as_deref(), Some("office"));
        // Another session's record does not touch this one.
        assert!(!p.enrich(&ext(r#"{"startDate":"2025-01-24 09:00:00"}"#)));
        assert!(p.start_sent_at.is_none());
        assert!(p.enrich(&ext(
            r#"{"startDate":"2025-01-24 08:00:00","startDateSentAt":"2025-01-24 08:00:40","startNote":" forgot badge ","endDate":"2025-01-24 16:00:00","endDateSentAt":"2025-01-25 09:12:00","endNote":null}"#
        )));
        assert_eq!(p.start_sent_at.as_deref(), Some("2025-01-24 08:00:40"));
        assert_eq!(p.end_sent_at.as_deref(), Some("2025-01-25 09:12:00"));
        assert_eq!(p.start_note.as_deref(), Some("forgot badge"));
        assert_eq!(p.end_note, None);
        assert!(p.sent_late, "the punch-out was typed in the next morning");
        let mut on_time = Punch::from_timesheet(&ts);
        on_time.enrich(&ext(
            r#"{"startDate":"2025-01-24 08:00:00","startDateSentAt":"2025-01-24 08:04:59","endDate":"2025-01-24 16:00:00","endDateSentAt":"2025-01-24 16:00:00"}"#,
        ));
        assert!(!on_time.sent_late);
    }

    #[test]
    fn absence_approval_and_codes_in_words() {
        let a = AbsenceDetail::from_ext(&ext(
            r#"{"startDate":"2025-01-24 00:00:00","isAbsence":true,"absenceName":"Sick leave","absenceNote":"flu","absenceApprovedDate":"2025-01-23 10:00:00","absenceApprovedManager":"Dana","absenceCodeDays":"S1","absenceCodeHors":42}"#,
        ));
        assert_eq!(a.name, "Sick leave");
        assert_eq!(a.note.as_deref(), Some("flu"));
        assert_eq!(a.approval(), "approved 2025-01-23 10:00:00 by Dana");
        assert_eq!(a.codes().as_deref(), Some("days S1 / hours 42"));
        let b = AbsenceDetail::from_ext(&ext(
            r#"{"startDate":"2025-01-24 00:00:00","isAbsence":true,"absenceName":null,"absenceNote":null,"absenceApprovedDate":null,"absenceApprovedManager":null,"absenceCodeDays":null,"absenceCodeHors":null}"#,
        ));
        assert_eq!(b.name, "Absence");
        assert_eq!(b.approval(), "not approved");
        assert_eq!(b.codes(), None);
    }
}
