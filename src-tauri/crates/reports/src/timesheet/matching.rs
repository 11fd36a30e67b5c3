//! How people were matched across TimeClock 365 and Protime in a merged report: the types the report
//! carries, and the normal form employee numbers are compared in. The matching itself is in
//! [`super::sources`]; the report engine only holds its result.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum MatchStatus {
    Matched,
    Conflict,
    OnlyTimeClock,
    OnlyProtime,
}

/// The matching rule in words, shown above the people-matching table.
pub const MATCH_RULE: &str = "Employee numbers are compared trimmed; numbers made only of digits \
are compared without leading zeros (Protime's \"01256\" matches TimeClock 365's 1256); other \
numbers are compared as written.";

/// The form an employee number is compared in: trimmed, and when it is all digits, without leading
/// zeros ("0" stays "0"). Systems differ in how they store the same number: Protime tenants often
/// zero-pad it as text, TimeClock 365 may send it as a JSON number. Anything that is not all
/// digits (a letter prefix, an inner space) is compared as written apart from the trimming, since
/// "A-01" and "A-1" may well be two people.
pub fn normal_number(raw: &str) -> String {
    let t = raw.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        if stripped.is_empty() {
            "0".to_string()
        } else {
            stripped.to_string()
        }
    } else {
        t.to_string()
    }
}

/// One line of the people-matching table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PersonMatch {
    /// The number in its normal form ([`normal_number`]): what was compared.
    pub employee_number: String,
    /// The number as TimeClock 365 gave it, when it knows the person.
    pub timeclock_number: Option<String>,
    /// The numbers as Protime gave them (one per Protime person listed in `protime_ids`).
    pub protime_numbers: Vec<String>,
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
    /// How numbers were compared ([`MATCH_RULE`]).
    pub rule: String,
    pub matched: u32,
    pub conflicts: u32,
    pub only_timeclock: u32,
    pub only_protime: u32,
    /// Conflicts first, then one-sided people, then matches; by employee number within each.
    pub people: Vec<PersonMatch>,
}

#[cfg(test)]
mod tests {
    use super::normal_number;

    #[test]
    fn numbers_compare_without_padding_and_spaces() {
        assert_eq!(normal_number("01256"), "1256");
        assert_eq!(normal_number(" 1256 "), "1256");
        assert_eq!(normal_number("1256"), normal_number("0001256"));
        assert_eq!(normal_number("000"), "0");
        assert_eq!(normal_number("0"), "0");
        // Not all digits: only trimmed, never stripped or case-folded.
        assert_eq!(normal_number(" A-007 "), "A-007");
        assert_ne!(normal_number("A-007"), normal_number("A-7"));
        assert_eq!(normal_number("12 56"), "12 56");
        assert_eq!(normal_number("   "), "");
        // Not ASCII digits: Arabic-Indic digits are text here, not numbers.
        assert_eq!(normal_number("\u{0661}\u{0662}"), "\u{0661}\u{0662}");
    }
}
