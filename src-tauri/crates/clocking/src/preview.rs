//! What the form shows before anything is sent: every problem, the exact body, and the time in words.

use super::draft::{ClockingDraft, ClockingEntry, FieldIssue};
use super::minutes::{describe, MAX_MINUTES, MIN_MINUTES};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ClockingPreview {
    /// Empty when the entry can be sent.
    pub issues: Vec<FieldIssue>,
    /// The `POST /clockings` body, pretty-printed, exactly as it will be sent; `None` until the
    /// issues are fixed (nothing would be sent).
    pub body: Option<String>,
    /// e.g. "22:00 on the previous day (13 Feb 2025) → −120 on 14 Feb 2025".
    pub time_description: Option<String>,
    /// Set when the time is outside 0…1439: the extended range overrides Protime's schedule.
    pub extended_range_note: Option<String>,
    /// The range Protime accepts, for the form's help text.
    pub min_minutes: i32,
    pub max_minutes: i32,
}

/// What the form shows for an entry: the problems, or the body that would be sent.
pub fn preview_entry(entry: ClockingEntry) -> ClockingPreview {
    match entry.into_draft() {
        Ok(draft) => preview(&draft),
        Err(issues) => ClockingPreview {
            issues,
            body: None,
            time_description: None,
            extended_range_note: None,
            min_minutes: MIN_MINUTES,
            max_minutes: MAX_MINUTES,
        },
    }
}

pub fn preview(draft: &ClockingDraft) -> ClockingPreview {
    let (issues, body) = match draft.to_new_clocking() {
        Ok(clocking) => (Vec::new(), serde_json::to_string_pretty(&clocking).ok()),
        Err(issues) => (issues, None),
    };
    let time_description = describe(draft.date.date(), draft.time_of_day_in_minutes);
    let extended_range_note = (!(0..1440).contains(&draft.time_of_day_in_minutes)).then(|| {
        "This time is on another day than the clocking's date. Protime normally assigns night-shift clockings to the right day from the schedule when you send the real clock time; use the previous or next day only when the schedule cannot decide.".to_string()
    });
    ClockingPreview {
        issues,
        body,
        time_description,
        extended_range_note,
        min_minutes: MIN_MINUTES,
        max_minutes: MAX_MINUTES,
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
            date: "2025-02-14".parse().unwrap(),
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
        assert!(p.body.unwrap().contains("\"timeOfDayInMinutes\": -120"));
        assert_eq!(
            p.time_description.as_deref(),
            Some("22:00 on the previous day (13 Feb 2025) → −120 on 14 Feb 2025")
        );
        assert!(p.extended_range_note.is_some());
    }

    #[test]
    fn the_form_sends_time_and_day_and_24_00_next_day_is_the_top_of_the_range() {
        let entry = |time: &str, day| crate::ClockingEntry {
            person: Some(Reference::id(1)),
            date: "2025-02-14".parse().unwrap(),
            time: time.into(),
            day,
            kind: ClockingKind::InOut,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        };
        let top = preview_entry(entry("24:00", crate::DayOffset::NextDay));
        assert!(top.issues.is_empty(), "{:?}", top.issues);
        assert!(top.body.unwrap().contains("\"timeOfDayInMinutes\": 2880"));
        assert_eq!(
            top.time_description.as_deref(),
            Some("24:00 on the next day (15 Feb 2025) → 2880 on 14 Feb 2025")
        );
        let bad = preview_entry(entry("8h30", crate::DayOffset::SameDay));
        assert_eq!(bad.issues[0].field, "time");
        assert!(bad.body.is_none(), "nothing is shown as sendable");
        let empty = preview_entry(entry(" ", crate::DayOffset::SameDay));
        assert!(empty.issues[0].message.contains("HH:MM"));
        let nobody = preview_entry(crate::ClockingEntry {
            person: None,
            ..entry("25:00", crate::DayOffset::SameDay)
        });
        let fields: Vec<&str> = nobody.issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["person", "time"], "{:?}", nobody.issues);
    }
}
