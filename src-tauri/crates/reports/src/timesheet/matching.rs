//! How people were matched across TimeClock 365 and Protime in a merged report: the types the report
//! carries. The matching itself is in [`super::sources`]; the report engine only holds its result.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum MatchStatus {
    Matched,
    Conflict,
    OnlyTimeClock,
    OnlyProtime,
}

/// One line of the people-matching table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PersonMatch {
    pub employee_number: String,
    pub status: MatchStatus,
    pub timeclock_email: Option<String>,
    /// Protime person ids with this number (several in a duplicate-number conflict).
    #[specta(type = Vec<i32>)]
    pub protime_ids: Vec<i64>,
    pub protime_name: Option<String>,
    pub protime_email: Option<String>,
    /// Why a conflict is one, in words HR can act on.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct PeopleMatching {
    pub matched: u32,
    pub conflicts: u32,
    pub only_timeclock: u32,
    pub only_protime: u32,
    /// Conflicts first, then one-sided people, then matches; by employee number within each.
    pub people: Vec<PersonMatch>,
}
