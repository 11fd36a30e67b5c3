//! Typed, lenient models of the four methods' answers (spec §6–§8).
//!
//! Decoding never fails on drift the spec allows: integer-or-string scalars, `null`/absent/empty/zero
//! end dates, ISO `T` separators and fractional seconds, unknown enum values, extra fields. Local
//! date-times are kept as [`NaiveDateTime`] exactly as sent; the client then resolves each record
//! against its IANA zone into a [`Span`] of real instants (see [`crate::zone`]).

use crate::zone::{resolve_span, Span};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub use crate::lenient::parse_local_datetime;
use crate::lenient::*;

// ---------------------------------------------------------------------------------------------
// Open enums
// ---------------------------------------------------------------------------------------------

/// Where a session was worked (§6.4). Compared case-insensitively; unknown values are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LocationType {
    Office,
    Home,
    Field,
    Abroad,
    Other(String),
}

impl LocationType {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "office" => Self::Office,
            "home" => Self::Home,
            "field" => Self::Field,
            "abroad" => Self::Abroad,
            _ => Self::Other(s.to_string()),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            Self::Office => "office",
            Self::Home => "home",
            Self::Field => "field",
            Self::Abroad => "abroad",
            Self::Other(s) => s,
        }
    }
}

/// The channel that produced a punch (§6.5). Unknown values are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceType {
    Web,
    Phone,
    Other(String),
}

impl SourceType {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "web" => Self::Web,
            "phone" => Self::Phone,
            _ => Self::Other(s.to_string()),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            Self::Web => "web",
            Self::Phone => "phone",
            Self::Other(s) => s,
        }
    }
}

macro_rules! open_enum_serde {
    ($t:ty) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::parse(&String::deserialize(d)?))
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
open_enum_serde!(LocationType);
open_enum_serde!(SourceType);

fn optional_open<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.trim().is_empty() => {
            T::deserialize(serde::de::value::StringDeserializer::<D::Error>::new(s)).map(Some)
        }
        _ => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/// One employee's records in `sessions`, `lunches` and `timesheet` (the array key is `sessions` in
/// all three).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct EmployeeRecords<T> {
    #[serde(default, deserialize_with = "string_or_number")]
    pub employee_number: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub email: Option<String>,
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub sessions: Vec<T>,
}

/// A JSON array gives no length up front, so the decoded list grew by doubling: a session's one
/// lunch sat in room for four, and a month of thousands of employees held over 100 MB of empty
/// capacity. The list is trimmed to its length once decoded.
fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let mut list = Option::<Vec<T>>::deserialize(d)?.unwrap_or_default();
    list.shrink_to_fit();
    Ok(list)
}

/// `sessions` answer: one employee's work sessions.
pub type EmployeeSessions = EmployeeRecords<Session>;
/// `lunches` answer: one employee's lunch breaks.
pub type EmployeeLunches = EmployeeRecords<Lunch>;
/// `timesheet` answer: one employee's sessions with nested lunches and work logs.
pub type EmployeeTimesheet = EmployeeRecords<TimesheetSession>;

/// A punch-in/punch-out record (§7.1), local wall-clock time of `timezone`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(deserialize_with = "required_datetime")]
    pub start_date: NaiveDateTime,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "optional_text")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "optional_open")]
    pub location_type: Option<LocationType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub start_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub end_source_type: Option<SourceType>,
    /// Real instants, filled in by the client from `timezone` (or the company default).
    #[serde(default, skip_deserializing)]
    pub span: Option<Span>,
}

/// A lunch break (§7.2; also nested in `timesheet` sessions, where it has no zone of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lunch {
    #[serde(deserialize_with = "required_datetime")]
    pub start_date: NaiveDateTime,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "optional_text")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "optional_open")]
    pub start_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub end_source_type: Option<SourceType>,
    #[serde(default, skip_deserializing)]
    pub span: Option<Span>,
}

/// A `timesheet` session: a [`Session`]'s fields plus the lunches and work logs inside it (§7.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimesheetSession {
    #[serde(deserialize_with = "required_datetime")]
    pub start_date: NaiveDateTime,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "optional_text")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "optional_open")]
    pub location_type: Option<LocationType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub start_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub end_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub lunches: Vec<Lunch>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub work_logs: Vec<WorkLog>,
    #[serde(default, skip_deserializing)]
    pub span: Option<Span>,
}

/// Task or project time logged inside a `timesheet` session. No zone of its own: the parent's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkLog {
    #[serde(default, deserialize_with = "optional_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub external_id: Option<String>,
    #[serde(deserialize_with = "required_datetime")]
    pub start_date: NaiveDateTime,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "optional_open")]
    pub start_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub end_source_type: Option<SourceType>,
    #[serde(default, skip_deserializing)]
    pub span: Option<Span>,
}

/// One employee in `extended-sessions` (§7.4): profile, totals and sessions including absences.
/// `Debug` redacts the personal data (§8.6).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeExtended {
    /// TimeClock 365's internal user id (integer in the guide; kept as a string).
    #[serde(default, deserialize_with = "string_or_number")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub employee_number: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub passport: Option<String>,
    /// Element type unknown (names or objects): kept as raw JSON.
    #[serde(default)]
    pub groups: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "optional_text")]
    pub work_started_at: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub work_ended_at: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub birthday: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub gender: Option<String>,
    #[serde(default, deserialize_with = "int_or_string")]
    pub total_worked_seconds: Option<i64>,
    #[serde(default, deserialize_with = "int_or_string")]
    pub total_leave_seconds: Option<i64>,
    #[serde(default, deserialize_with = "int_or_string")]
    pub expected_seconds: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sessions: Vec<ExtSession>,
}

impl fmt::Debug for EmployeeExtended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |o: &Option<String>| o.as_ref().map(|_| "[redacted]");
        f.debug_struct("EmployeeExtended")
            .field("id", &self.id)
            .field("employee_number", &self.employee_number)
            .field("email", &redacted(&self.email))
            .field("passport", &redacted(&self.passport))
            .field("groups", &self.groups)
            .field("work_started_at", &self.work_started_at)
            .field("work_ended_at", &self.work_ended_at)
            .field("birthday", &redacted(&self.birthday))
            .field("gender", &redacted(&self.gender))
            .field("total_worked_seconds", &self.total_worked_seconds)
            .field("total_leave_seconds", &self.total_leave_seconds)
            .field("expected_seconds", &self.expected_seconds)
            .field("sessions", &self.sessions)
            .finish()
    }
}

/// A session or absence in `extended-sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtSession {
    #[serde(deserialize_with = "required_datetime")]
    pub start_date: NaiveDateTime,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub start_date_sent_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub start_note: Option<String>,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date_sent_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub end_note: Option<String>,
    /// Seconds (number or numeric string). For open sessions it may be null, 0 or elapsed time.
    #[serde(default, deserialize_with = "int_or_string")]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "optional_text")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "optional_open")]
    pub location_type: Option<LocationType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub start_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "optional_open")]
    pub end_source_type: Option<SourceType>,
    #[serde(default, deserialize_with = "bool_or_int")]
    pub is_absence: Option<bool>,
    #[serde(default)]
    pub absence_name: Option<String>,
    #[serde(default)]
    pub absence_note: Option<String>,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub absence_approved_date: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub absence_approved_manager: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub absence_code_days: Option<String>,
    /// Spelled `absenceCodeHors` by the API; `absenceCodeHours` is accepted too.
    #[serde(
        default,
        rename = "absenceCodeHors",
        alias = "absenceCodeHours",
        deserialize_with = "string_or_number"
    )]
    pub absence_code_hours: Option<String>,
    #[serde(default, skip_deserializing)]
    pub span: Option<Span>,
}

impl ExtSession {
    pub fn is_absence(&self) -> bool {
        self.is_absence.unwrap_or(false)
    }
}

// ---------------------------------------------------------------------------------------------
// Resolution and merging (used by the client)
// ---------------------------------------------------------------------------------------------

macro_rules! open_and_key {
    ($t:ty) => {
        impl $t {
            /// No end yet (still punched in / on a break / logging).
            pub fn is_open(&self) -> bool {
                self.end_date.is_none()
            }
        }
    };
}
open_and_key!(Session);
open_and_key!(Lunch);
open_and_key!(TimesheetSession);
open_and_key!(WorkLog);
open_and_key!(ExtSession);

/// A record that can be de-duplicated across chunks and resolved to real instants.
pub trait Record {
    /// (startDate, timezone): with the employee, the de-duplication key of spec §8.3.
    fn key(&self) -> (NaiveDateTime, Option<&str>);
    /// Fills the spans, falling back to `default_zone` for a missing or unknown zone.
    fn resolve(&mut self, default_zone: Tz);
}

impl Record for Session {
    fn key(&self) -> (NaiveDateTime, Option<&str>) {
        (self.start_date, self.timezone.as_deref())
    }
    fn resolve(&mut self, default_zone: Tz) {
        self.span = Some(resolve_span(
            self.start_date,
            self.end_date,
            self.timezone.as_deref(),
            default_zone,
            None,
        ));
    }
}

impl Record for Lunch {
    fn key(&self) -> (NaiveDateTime, Option<&str>) {
        (self.start_date, self.timezone.as_deref())
    }
    fn resolve(&mut self, default_zone: Tz) {
        self.span = Some(resolve_span(
            self.start_date,
            self.end_date,
            self.timezone.as_deref(),
            default_zone,
            None,
        ));
    }
}

impl Record for TimesheetSession {
    fn key(&self) -> (NaiveDateTime, Option<&str>) {
        (self.start_date, self.timezone.as_deref())
    }
    fn resolve(&mut self, default_zone: Tz) {
        let span = resolve_span(
            self.start_date,
            self.end_date,
            self.timezone.as_deref(),
            default_zone,
            None,
        );
        // Nested lunches and work logs carry no zone: they use the session's (resolved) zone,
        // unless a lunch names one itself.
        let zone_name = span.zone.name().to_string();
        for l in &mut self.lunches {
            let z = l.timezone.clone().unwrap_or_else(|| zone_name.clone());
            l.span = Some(resolve_span(
                l.start_date,
                l.end_date,
                Some(&z),
                default_zone,
                None,
            ));
        }
        for w in &mut self.work_logs {
            w.span = Some(resolve_span(
                w.start_date,
                w.end_date,
                Some(&zone_name),
                default_zone,
                None,
            ));
        }
        self.span = Some(span);
    }
}

impl Record for ExtSession {
    fn key(&self) -> (NaiveDateTime, Option<&str>) {
        (self.start_date, self.timezone.as_deref())
    }
    fn resolve(&mut self, default_zone: Tz) {
        // `duration` disambiguates fall-back times; 0 on an open session says nothing.
        let hint = self.duration.filter(|_| self.end_date.is_some());
        self.span = Some(resolve_span(
            self.start_date,
            self.end_date,
            self.timezone.as_deref(),
            default_zone,
            hint,
        ));
    }
}

/// An employee object of any of the four methods, for merging chunked answers.
pub trait EmployeeEntry: Sized {
    type Rec: Record;
    /// The join key: employee number, else internal id, else e-mail.
    fn employee_key(&self) -> Option<&str>;
    fn records_mut(&mut self) -> &mut Vec<Self::Rec>;
    /// Folds a later chunk's profile/totals into this entry (records are handled by the caller).
    fn absorb(&mut self, _other: &Self) {}
}

impl<T: Record> EmployeeEntry for EmployeeRecords<T> {
    type Rec = T;
    fn employee_key(&self) -> Option<&str> {
        self.employee_number.as_deref().or(self.email.as_deref())
    }
    fn records_mut(&mut self) -> &mut Vec<T> {
        &mut self.sessions
    }
    fn absorb(&mut self, other: &Self) {
        if self.email.is_none() {
            self.email.clone_from(&other.email);
        }
    }
}

impl EmployeeEntry for EmployeeExtended {
    type Rec = ExtSession;
    fn employee_key(&self) -> Option<&str> {
        self.employee_number
            .as_deref()
            .or(self.id.as_deref())
            .or(self.email.as_deref())
    }
    fn records_mut(&mut self) -> &mut Vec<ExtSession> {
        &mut self.sessions
    }
    /// Totals are per range, so chunks add up (assumed: they are sums over the range's records).
    fn absorb(&mut self, other: &Self) {
        let add = |a: &mut Option<i64>, b: Option<i64>| {
            if let Some(b) = b {
                *a = Some(a.unwrap_or(0) + b);
            }
        };
        add(&mut self.total_worked_seconds, other.total_worked_seconds);
        add(&mut self.total_leave_seconds, other.total_leave_seconds);
        add(&mut self.expected_seconds, other.expected_seconds);
        for (mine, theirs) in [
            (&mut self.id, &other.id),
            (&mut self.email, &other.email),
            (&mut self.passport, &other.passport),
            (&mut self.work_started_at, &other.work_started_at),
            (&mut self.work_ended_at, &other.work_ended_at),
            (&mut self.birthday, &other.birthday),
            (&mut self.gender, &other.gender),
        ] {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        if self.groups.is_none() {
            self.groups.clone_from(&other.groups);
        }
    }
}
