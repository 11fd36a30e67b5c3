//! What the form shows before anything is sent: every problem, the exact body, and the time in words.

use super::draft::{ClockingDraft, FieldIssue};
use super::minutes::describe;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ClockingPreview {
    /// Empty when the draft can be sent.
    pub issues: Vec<FieldIssue>,
    /// The `POST /clockings` body, pretty-printed, exactly as it will be sent.
    pub body: String,
    /// e.g. "22:00 on the previous day (13 Feb 2025) → −120 on 14 Feb 2025".
    pub time_description: Option<String>,
    /// Set when the time is outside 0…1439: the extended range overrides Protime's schedule.
    pub extended_range_note: Option<String>,
}

pub fn preview(draft: &ClockingDraft) -> ClockingPreview {
    let issues = draft.validate().err().unwrap_or_default();
    let body = serde_json::to_string_pretty(&draft.to_body()).unwrap_or_default();
    let date = chrono::NaiveDate::parse_from_str(&draft.date, "%Y-%m-%d").ok();
    let time_description = date.and_then(|d| describe(d, draft.time_of_day_in_minutes));
    let extended_range_note = (!(0..1440).contains(&draft.time_of_day_in_minutes)).then(|| {
        "This time is on another day than the clocking's date. Protime normally assigns night-shift clockings to the right day from the schedule when you send the real clock time; use the previous or next day only when the schedule cannot decide.".to_string()
    });
    ClockingPreview {
        issues,
        body,
        time_description,
        extended_range_note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClockingKind, Reference};

    #[test]
    fn night_shift_preview() {
        let draft = ClockingDraft {
            person: Reference::id(1),
            date: "2025-02-14".into(),
            time_of_day_in_minutes: -120,
            kind: ClockingKind::InOut,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        };
        let p = preview(&draft);
        assert!(p.issues.is_empty());
        assert!(p.body.contains("\"timeOfDayInMinutes\": -120"));
        assert_eq!(
            p.time_description.as_deref(),
            Some("22:00 on the previous day (13 Feb 2025) → −120 on 14 Feb 2025")
        );
        assert!(p.extended_range_note.is_some());
    }
}
