//! The activity structure versions a profile knows, and which one is in force on a day.
//!
//! Protime has no endpoint that lists structure versions, so the user types them in from the
//! myProtime configuration. A tenant can replace its structure (a new version from 1 January, say);
//! Protime then books an activity clocking against the version active on the clocking's date (seed
//! "create clocking": "the Protime API automatically selects the active structure version"), so the
//! clocking form must offer that version's definitions, not always the first one typed in.

use crate::dates::Day;
use crate::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

/// A known activity structure version, the names of its levels (level 1 first) and the first day
/// it is in force. `valid_from: None` means "since before any clocking this app will send"; at most
/// one version may leave it empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StructureVersionConfig {
    pub id: String,
    pub name: String,
    pub level_names: Vec<String>,
    /// Settings written before versions had dates have no such field: serde reads it as `None`.
    pub valid_from: Option<Day>,
}

/// What is wrong with a list of structure versions, in words for the profile form.
pub fn structure_version_problems(versions: &[StructureVersionConfig]) -> Vec<String> {
    let mut problems = Vec::new();
    for v in versions {
        if v.id.trim().is_empty() {
            problems.push("Every activity structure version needs its id.".into());
        }
        if v.level_names.iter().any(|l| l.trim().is_empty()) {
            problems.push(format!(
                "Activity structure version '{}' has an empty level name.",
                v.name
            ));
        }
    }
    let undated = versions.iter().filter(|v| v.valid_from.is_none()).count();
    if undated > 1 {
        problems.push(
            "Only one activity structure version can be without a start date: give the others the day they take effect."
                .into(),
        );
    }
    let mut starts: Vec<Day> = versions.iter().filter_map(|v| v.valid_from).collect();
    starts.sort();
    if let Some(day) = starts.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]) {
        problems.push(format!(
            "Two activity structure versions start on {day}: each version needs its own start date."
        ));
    }
    let mut ids: Vec<&str> = versions.iter().map(|v| v.id.trim()).collect();
    ids.sort_unstable();
    if let Some(id) = ids.windows(2).find(|w| w[0] == w[1] && !w[0].is_empty()) {
        problems.push(format!(
            "The activity structure version '{}' is listed twice.",
            id[0]
        ));
    }
    problems
}

/// The version in force on `date`: the one with the latest start on or before it (an undated
/// version counts as the earliest). `Ok(None)` when the profile names no version at all; an error
/// when every version starts after `date`, since guessing would book the clocking on definitions
/// Protime will refuse for that day.
pub fn structure_version_on(
    versions: &[StructureVersionConfig],
    date: Day,
) -> Result<Option<&StructureVersionConfig>, AppError> {
    if versions.is_empty() {
        return Ok(None);
    }
    let in_force = versions
        .iter()
        .filter(|v| v.valid_from.is_none_or(|from| from <= date))
        .max_by_key(|v| v.valid_from);
    match in_force {
        Some(v) => Ok(Some(v)),
        None => {
            let earliest = versions
                .iter()
                .filter_map(|v| v.valid_from)
                .min()
                .map(|d| d.to_string())
                .unwrap_or_default();
            Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "No activity structure version is in force on {date}: the earliest this profile knows starts on {earliest}. Add the version for that day in Settings, or choose a later date."
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, from: Option<&str>) -> StructureVersionConfig {
        StructureVersionConfig {
            id: id.into(),
            name: id.into(),
            level_names: vec!["Project".into()],
            valid_from: from.map(|d| d.parse().unwrap()),
        }
    }

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn the_version_in_force_is_the_latest_started_on_or_before_the_day() {
        let versions = [
            version("2027", Some("2027-01-01")),
            version("old", None),
            version("2026", Some("2026-01-01")),
        ];
        let on = |d: &str| {
            structure_version_on(&versions, day(d))
                .unwrap()
                .unwrap()
                .id
                .clone()
        };
        assert_eq!(on("2025-06-30"), "old");
        assert_eq!(on("2025-12-31"), "old");
        assert_eq!(on("2026-01-01"), "2026");
        assert_eq!(on("2026-12-31"), "2026");
        assert_eq!(on("2027-01-01"), "2027");
        assert_eq!(on("2030-05-05"), "2027");
    }

    #[test]
    fn a_day_before_every_version_is_refused_with_the_earliest_start() {
        let versions = [version("2026", Some("2026-01-01"))];
        let err = structure_version_on(&versions, day("2025-12-31")).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert!(err.message.contains("2026-01-01"), "{}", err.message);
        assert!(structure_version_on(&[], day("2025-12-31"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn ambiguous_lists_are_refused() {
        let two_undated = [version("a", None), version("b", None)];
        assert!(structure_version_problems(&two_undated)
            .iter()
            .any(|p| p.contains("without a start date")));
        let same_start = [
            version("a", Some("2026-01-01")),
            version("b", Some("2026-01-01")),
        ];
        assert!(structure_version_problems(&same_start)
            .iter()
            .any(|p| p.contains("2026-01-01")));
        let twice = [version("a", None), version("a", Some("2026-01-01"))];
        assert!(structure_version_problems(&twice)
            .iter()
            .any(|p| p.contains("listed twice")));
        let fine = [version("a", None), version("b", Some("2026-01-01"))];
        assert!(structure_version_problems(&fine).is_empty());
    }

    #[test]
    fn settings_written_before_start_dates_still_read() {
        let old = r#"{"id":"v1","name":"2025","level_names":["Company","Project"]}"#;
        let v: StructureVersionConfig = serde_json::from_str(old).unwrap();
        assert_eq!(v.valid_from, None);
        let dated = r#"{"id":"v1","name":"2025","level_names":[],"valid_from":"2026-13-01"}"#;
        assert!(serde_json::from_str::<StructureVersionConfig>(dated).is_err());
    }
}
