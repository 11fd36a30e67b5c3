//! A clocking as the user (form or CSV row) describes it, its kind-dependent validation, and the one
//! conversion into the Protime client's `NewClocking`: the value the preview shows, the client sends
//! and the audit log records.

use super::minutes::{entered_minutes, DayOffset, MAX_MINUTES, MIN_MINUTES};
use serde::{Deserialize, Serialize};
use timebridge_core::dates::Day;
use timebridge_protime::models::{self as wire, ActivityLevel, Geolocation, NewClocking, Ref};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum ClockingKind {
    InOut,
    Reason,
    Activity,
    ActivityEnd,
}

impl ClockingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockingKind::InOut => "InOut",
            ClockingKind::Reason => "Reason",
            ClockingKind::Activity => "Activity",
            ClockingKind::ActivityEnd => "ActivityEnd",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "InOut" => Some(Self::InOut),
            "Reason" => Some(Self::Reason),
            "Activity" => Some(Self::Activity),
            "ActivityEnd" => Some(Self::ActivityEnd),
            _ => None,
        }
    }
}

/// How something is addressed: Protime's internal id, or an external reference (`@badge-number`,
/// `@data-entry-code`, a custom name…) with its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(tag = "by")]
pub enum Reference {
    Id { id: String },
    External { name: String, value: String },
}

impl Reference {
    pub fn id(id: impl ToString) -> Self {
        Reference::Id { id: id.to_string() }
    }
    pub fn external(name: &str, value: &str) -> Self {
        Reference::External {
            name: name.to_string(),
            value: value.to_string(),
        }
    }

    /// Parses `<id>` or `<reference>=<value>` (e.g. `@badge-number=1955`), the CSV spelling.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        match t.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
                Some(Reference::external(name.trim(), value.trim()))
            }
            Some(_) => None,
            None => Some(Reference::id(t)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub struct ActivityLevelDraft {
    pub level: u32,
    pub activity: Reference,
}

/// Everything the form or a CSV row says about one clocking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ClockingDraft {
    pub person: Reference,
    pub date: Day,
    pub time_of_day_in_minutes: i32,
    pub kind: ClockingKind,
    /// `Reason` only: an absence definition that is a reason for clocking.
    pub reason: Option<Reference>,
    /// `Reason` only: whether the reason clocking is open.
    pub is_open: Option<bool>,
    /// `Activity` only: one definition per level.
    pub activity_levels: Vec<ActivityLevelDraft>,
    pub terminal: Option<Reference>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// What the clocking form sends: the clock time as the user typed it (`HH:MM`, `24:00` for the end
/// of a day) and the day it falls on. The minutes Protime wants are computed here, once, by
/// [`ClockingEntry::into_draft`]; the form never does that arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ClockingEntry {
    /// `None` until the user chose one; the preview then says so with the other problems.
    pub person: Option<Reference>,
    pub date: Day,
    pub time: String,
    pub day: DayOffset,
    pub kind: ClockingKind,
    pub reason: Option<Reference>,
    /// Sent only when the user set it: no seed example carries `isOpen`.
    pub is_open: Option<bool>,
    pub activity_levels: Vec<ActivityLevelDraft>,
    pub terminal: Option<Reference>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl ClockingEntry {
    /// The draft, or every problem with the entry (the time's among them) at once.
    pub fn into_draft(self) -> Result<ClockingDraft, Vec<FieldIssue>> {
        let minutes = entered_minutes(&self.time, self.day);
        let person_missing = self.person.is_none();
        let draft = ClockingDraft {
            // A placeholder only while collecting the other problems; never returned.
            person: self.person.unwrap_or_else(|| Reference::id("")),
            date: self.date,
            time_of_day_in_minutes: *minutes.as_ref().unwrap_or(&0),
            kind: self.kind,
            reason: self.reason,
            is_open: self.is_open,
            activity_levels: self.activity_levels,
            terminal: self.terminal,
            latitude: self.latitude,
            longitude: self.longitude,
        };
        let mut issues = draft.validate().err().unwrap_or_default();
        if let Err(message) = minutes {
            // In the form's order: person, then the time.
            issues.retain(|i| i.field != "time");
            let at = issues.iter().take_while(|i| i.field == "person").count();
            issues.insert(at, issue("time", message));
        }
        if person_missing {
            issues.retain(|i| i.field != "person");
            issues.insert(0, issue("person", "Choose a person"));
        }
        if issues.is_empty() {
            Ok(draft)
        } else {
            Err(issues)
        }
    }
}

/// One problem with one field, in words an HR user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
}

/// The error for a clocking that cannot be sent, every field's problem as one reason.
pub fn refused(issues: Vec<FieldIssue>) -> timebridge_core::AppError {
    let mut e =
        timebridge_core::AppError::validation("The clocking is not valid; nothing was sent");
    e.reasons = issues
        .into_iter()
        .map(|i| format!("{}: {}", i.field, i.message))
        .collect();
    e
}

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message: message.into(),
    }
}

fn check_reference(
    field: &str,
    what: &str,
    r: &Reference,
    numeric: bool,
    issues: &mut Vec<FieldIssue>,
) {
    match r {
        Reference::Id { id } if numeric && id.trim().parse::<i64>().map_or(true, |v| v <= 0) => {
            issues.push(issue(field, format!("The {what} id '{id}' is not a number: give Protime's id, or an external reference such as @badge-number=1955")));
        }
        Reference::Id { id } if id.trim().is_empty() => {
            issues.push(issue(field, format!("Choose a {what}")))
        }
        Reference::External { name, value } => {
            if name.trim().is_empty() || value.trim().is_empty() {
                issues.push(issue(field, format!("The {what} reference needs both a name and a value, e.g. @badge-number=1955")));
            } else if let Err(e) = timebridge_core::profiles::check_reference_name(name) {
                // The same rule as the upsert panel's and the remembered names': predefined `@…`
                // or a tenant's custom name (letters, digits, `-`, `_`, `.`; no control characters).
                issues.push(issue(field, e.message));
            }
        }
        _ => {}
    }
}

impl ClockingDraft {
    /// Every problem at once, so a form can show them all next to their fields.
    pub fn validate(&self) -> Result<(), Vec<FieldIssue>> {
        let mut issues = Vec::new();
        check_reference("person", "person", &self.person, true, &mut issues);
        if !(MIN_MINUTES..=MAX_MINUTES).contains(&self.time_of_day_in_minutes) {
            issues.push(issue(
                "time",
                format!(
                    "{} minutes is outside Protime's range −1440…2880 (from midnight at the start of the previous day to midnight at the end of the next day)",
                    self.time_of_day_in_minutes
                ),
            ));
        }
        match self.kind {
            ClockingKind::Reason => match &self.reason {
                None => issues.push(issue(
                    "reason",
                    "A Reason clocking needs a reason: pick one",
                )),
                Some(r) => check_reference("reason", "reason", r, true, &mut issues),
            },
            _ if self.reason.is_some() || self.is_open.is_some() => issues.push(issue(
                "reason",
                format!(
                    "Only Reason clockings carry a reason; this one is {}",
                    self.kind.as_str()
                ),
            )),
            _ => {}
        }
        // The seed requires activities for Activity and says ActivityEnd does not need them: it may
        // still name the activity it ends.
        if matches!(
            self.kind,
            ClockingKind::Activity | ClockingKind::ActivityEnd
        ) {
            if self.kind == ClockingKind::Activity && self.activity_levels.is_empty() {
                issues.push(issue(
                    "activities",
                    "An Activity clocking needs at least one activity: pick one per level",
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            for l in &self.activity_levels {
                if l.level == 0 {
                    issues.push(issue("activities", "Activity levels start at 1"));
                }
                if !seen.insert(l.level) {
                    issues.push(issue(
                        "activities",
                        format!(
                            "Level {} is given twice: pick one activity per level",
                            l.level
                        ),
                    ));
                }
                check_reference("activities", "activity", &l.activity, false, &mut issues);
            }
        } else if !self.activity_levels.is_empty() {
            issues.push(issue(
                "activities",
                format!(
                    "Only Activity and ActivityEnd clockings carry activities; this one is {}",
                    self.kind.as_str()
                ),
            ));
        }
        if let Some(t) = &self.terminal {
            check_reference("terminal", "terminal", t, true, &mut issues);
        }
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) || lat.is_nan() {
                    issues.push(issue(
                        "latitude",
                        format!("Latitude {lat} must be between −90 and 90"),
                    ));
                }
                if !(-180.0..=180.0).contains(&lon) || lon.is_nan() {
                    issues.push(issue(
                        "longitude",
                        format!("Longitude {lon} must be between −180 and 180"),
                    ));
                }
            }
            _ => issues.push(issue(
                "latitude",
                "Give both latitude and longitude, or neither",
            )),
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }

    /// The `POST /clockings` body, built once: what the preview shows, what the client sends and
    /// what the audit log records are this value. Every problem comes back at once, by field.
    pub fn to_new_clocking(&self) -> Result<NewClocking, Vec<FieldIssue>> {
        self.validate()?;
        let numeric = |field: &str, r: &Reference| -> Result<Ref<i64>, Vec<FieldIssue>> {
            match r {
                // `validate` has checked that ids sent as numbers are numbers.
                Reference::Id { id } => id
                    .trim()
                    .parse()
                    .map(Ref::id)
                    .map_err(|_| vec![issue(field, format!("'{id}' is not a number"))]),
                Reference::External { name, value } => Ok(Ref::external(name, value)),
            }
        };
        let mut levels: Vec<ActivityLevel> = self
            .activity_levels
            .iter()
            .map(|l| ActivityLevel {
                level: l.level,
                activity_definition: match &l.activity {
                    Reference::Id { id } => Ref::id(id.trim().to_string()),
                    Reference::External { name, value } => Ref::external(name, value),
                },
            })
            .collect();
        levels.sort_by_key(|l| l.level);
        Ok(NewClocking {
            person: numeric("person", &self.person)?,
            date: self.date.date(),
            time_of_day_in_minutes: self.time_of_day_in_minutes,
            kind: match self.kind {
                ClockingKind::InOut => wire::ClockingKind::InOut,
                ClockingKind::Reason => wire::ClockingKind::Reason,
                ClockingKind::Activity => wire::ClockingKind::Activity,
                ClockingKind::ActivityEnd => wire::ClockingKind::ActivityEnd,
            },
            terminal: self
                .terminal
                .as_ref()
                .map(|t| numeric("terminal", t))
                .transpose()?,
            geolocation: match (self.latitude, self.longitude) {
                (Some(latitude), Some(longitude)) => Some(Geolocation {
                    longitude,
                    latitude,
                }),
                _ => None,
            },
            reason: self
                .reason
                .as_ref()
                .map(|r| numeric("reason", r))
                .transpose()?,
            is_open: self.is_open,
            activity_levels: levels,
            status: Some(wire::ClockingStatus::Active),
        })
    }

    /// The `externalReferences=(collection,name)…` pairs this body uses (sent as the query too).
    pub fn external_reference_spec(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut add = |collection: &'static str, r: &Reference| {
            if let Reference::External { name, .. } = r {
                if !out.iter().any(|(c, n)| *c == collection && n == name) {
                    out.push((collection, name.clone()));
                }
            }
        };
        add("people", &self.person);
        if let Some(t) = &self.terminal {
            add("terminals", t);
        }
        if let Some(r) = &self.reason {
            add("absence-definitions", r);
        }
        for l in &self.activity_levels {
            add("activity-definitions", &l.activity);
        }
        out
    }
}

/// An In/Out entry with nothing but person, day and time: what most tests send.
#[cfg(test)]
impl ClockingEntry {
    pub(crate) fn in_out(person: i64, date: Day, time: &str) -> Self {
        ClockingEntry {
            person: Some(Reference::id(person)),
            date,
            time: time.into(),
            day: DayOffset::SameDay,
            kind: ClockingKind::InOut,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn body(d: &ClockingDraft) -> Value {
        serde_json::to_value(d.to_new_clocking().unwrap()).unwrap()
    }

    fn base(kind: ClockingKind) -> ClockingDraft {
        ClockingDraft {
            person: Reference::id(76547),
            date: "2024-12-17".parse().unwrap(),
            time_of_day_in_minutes: 500,
            kind,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        }
    }

    #[test]
    fn seed_examples_are_reproduced_exactly() {
        let mut inout = base(ClockingKind::InOut);
        inout.person = Reference::external("@badge-number", "1955");
        assert_eq!(
            body(&inout),
            json!({"person":{"externalReferences":{"@badge-number":"1955"}},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut","status":"Active"})
        );
        let mut reason = base(ClockingKind::Reason);
        reason.reason = Some(Reference::id(6578));
        assert_eq!(
            body(&reason),
            json!({"person":{"id":76547},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"Reason","reason":{"id":6578},"status":"Active"})
        );
        let mut activity = base(ClockingKind::Activity);
        activity.person = Reference::external("@employee-number", "01256");
        activity.date = "2024-01-05".parse().unwrap();
        activity.time_of_day_in_minutes = 480;
        activity.terminal = Some(Reference::external("SapTerminalCode", "SAPTO1"));
        activity.activity_levels = vec![
            ActivityLevelDraft {
                level: 2,
                activity: Reference::external("@data-entry-code", "10019"),
            },
            ActivityLevelDraft {
                level: 1,
                activity: Reference::external("@data-entry-code", "00014"),
            },
        ];
        assert!(activity.validate().is_ok());
        let body = body(&activity);
        assert_eq!(
            body["activityLevels"][0]["activityDefinition"]["externalReferences"]
                ["@data-entry-code"],
            "00014"
        );
        assert_eq!(
            body["terminal"],
            json!({"externalReferences":{"SapTerminalCode":"SAPTO1"}})
        );
        assert_eq!(
            activity.external_reference_spec(),
            vec![
                ("people", "@employee-number".to_string()),
                ("terminals", "SapTerminalCode".to_string()),
                ("activity-definitions", "@data-entry-code".to_string())
            ]
        );
    }

    #[test]
    fn custom_reference_names_go_through_unchanged() {
        let mut activity = base(ClockingKind::Activity);
        activity.person = Reference::external("CustomPersonRef", "P-77");
        activity.activity_levels = vec![
            ActivityLevelDraft {
                level: 1,
                activity: Reference::external("CustomActivityReference", "122456"),
            },
            ActivityLevelDraft {
                level: 2,
                activity: Reference::external("@external-reference", "SAL-2"),
            },
        ];
        assert_eq!(activity.validate(), Ok(()));
        let body = body(&activity);
        assert_eq!(
            body["person"],
            json!({"externalReferences": {"CustomPersonRef": "P-77"}})
        );
        assert_eq!(
            body["activityLevels"][0],
            json!({"level": 1, "activityDefinition": {"externalReferences": {"CustomActivityReference": "122456"}}})
        );
        assert_eq!(
            activity.external_reference_spec(),
            vec![
                ("people", "CustomPersonRef".to_string()),
                (
                    "activity-definitions",
                    "CustomActivityReference".to_string()
                ),
                ("activity-definitions", "@external-reference".to_string())
            ]
        );
        // Names the upsert panel refuses are refused here too, at their field.
        for bad in ["Custom\u{7}Ref", "Custom Ref", "a(b)", "@", &"x".repeat(65)] {
            let mut d = base(ClockingKind::Activity);
            d.activity_levels = vec![ActivityLevelDraft {
                level: 1,
                activity: Reference::external(bad, "1"),
            }];
            let issues = d.validate().unwrap_err();
            assert!(
                issues.iter().any(|i| i.field == "activities"),
                "{bad:?}: {issues:?}"
            );
            let mut p = base(ClockingKind::InOut);
            p.person = Reference::external(bad, "1");
            assert!(
                p.validate()
                    .unwrap_err()
                    .iter()
                    .any(|i| i.field == "person"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn kind_dependent_validation() {
        assert!(base(ClockingKind::InOut).validate().is_ok());
        assert!(base(ClockingKind::ActivityEnd).validate().is_ok());
        let mut ending_one = base(ClockingKind::ActivityEnd);
        ending_one.activity_levels = vec![ActivityLevelDraft {
            level: 1,
            activity: Reference::external("@data-entry-code", "00014"),
        }];
        assert!(
            ending_one.validate().is_ok(),
            "ActivityEnd may name the activity it ends"
        );
        assert_eq!(body(&ending_one)["activityLevels"][0]["level"], 1);
        let missing_reason = base(ClockingKind::Reason).validate().unwrap_err();
        assert_eq!(missing_reason[0].field, "reason");
        let missing_activity = base(ClockingKind::Activity).validate().unwrap_err();
        assert_eq!(missing_activity[0].field, "activities");
        let mut stray = base(ClockingKind::InOut);
        stray.reason = Some(Reference::id(1));
        assert_eq!(stray.validate().unwrap_err()[0].field, "reason");
        let mut dup = base(ClockingKind::Activity);
        dup.activity_levels = vec![
            ActivityLevelDraft {
                level: 1,
                activity: Reference::id("a"),
            },
            ActivityLevelDraft {
                level: 1,
                activity: Reference::id("b"),
            },
        ];
        assert!(dup
            .validate()
            .unwrap_err()
            .iter()
            .any(|i| i.message.contains("twice")));
    }

    #[test]
    fn field_ranges() {
        let mut d = base(ClockingKind::InOut);
        d.time_of_day_in_minutes = 2881;
        d.latitude = Some(91.0);
        d.longitude = Some(0.0);
        d.person = Reference::id("abc");
        let fields: Vec<String> = d
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, vec!["person", "time", "latitude"]);
        d = base(ClockingKind::InOut);
        d.longitude = Some(4.39);
        assert_eq!(d.validate().unwrap_err()[0].field, "latitude");
        for edge in [-1440, 2880] {
            d = base(ClockingKind::InOut);
            d.time_of_day_in_minutes = edge;
            assert!(d.validate().is_ok());
        }
    }

    #[test]
    fn csv_reference_spelling() {
        assert_eq!(Reference::parse("76547"), Some(Reference::id("76547")));
        assert_eq!(
            Reference::parse("@badge-number=1955"),
            Some(Reference::external("@badge-number", "1955"))
        );
        assert_eq!(Reference::parse(" "), None);
        assert_eq!(Reference::parse("@badge-number="), None);
    }
}
