//! Report rows from Protime's calculated totals, and the merged TimeClock 365 / Protime report.
//!
//! People are matched by employee number: TimeClock 365's `employeeNumber` against the Protime
//! person's `employeeNumber` (the value behind its `@employee-number` reference). A number that two
//! Protime people share, or whose TimeClock and Protime e-mail addresses disagree, is a *conflict*:
//! its rows are shown without a comparison rather than compared against what may be someone else.

use super::engine::{iso_week, summarize, DayRow, ProtimeDay, Report, ReportOptions, ReportSource};
pub use super::matching::{normal_number, MatchStatus, PeopleMatching, PersonMatch, MATCH_RULE};
use crate::protime_totals::{CachedTotal, TotalsCache, Window};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use timebridge_core::AppError;
use timebridge_protime::ProtimeClient;
use timebridge_timeclock::TimeClockClient;

/// Default tolerance of the merged report's difference, in minutes.
pub const DEFAULT_TOLERANCE_MINUTES: i64 = 5;

/// A Protime person as the merge needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtimePerson {
    pub id: i64,
    pub name: String,
    pub employee_number: Option<String>,
    pub email: Option<String>,
}

fn empty_row(number: &str, date: NaiveDate) -> DayRow {
    DayRow {
        employee_number: number.to_string(),
        email: None,
        date: date.format("%Y-%m-%d").to_string(),
        iso_week: iso_week(date),
        first_in: None,
        last_out: None,
        sessions: 0,
        worked_minutes: 0,
        lunch_minutes: 0,
        net_minutes: 0,
        lunch_outside_minutes: 0,
        absences: Vec::new(),
        open_session: false,
        zone: String::new(),
        work_logs: Vec::new(),
        name: None,
        groups: Vec::new(),
        protime: None,
        difference_minutes: None,
        outside_tolerance: false,
        punches: Vec::new(),
        absence_details: Vec::new(),
        default_zone_used: false,
    }
}

fn protime_day(t: &CachedTotal) -> ProtimeDay {
    ProtimeDay {
        normal_minutes: t.normal_minutes,
        present_minutes: t.present_minutes,
        calculated_minutes: t.calculated_minutes,
        flextime_minutes: t.flextime_minutes,
        flextime_balance_minutes: t.flextime_balance_minutes,
        extra: t.extra,
    }
}

/// A day with nothing to report on Protime's side (a weekend without presence, say).
fn is_blank(t: &CachedTotal) -> bool {
    t.normal_minutes == 0
        && t.present_minutes == 0
        && t.calculated_minutes == 0
        && t.flextime_minutes == 0
}

/// The number a Protime person is reported under: the employee number, else `#<id>`.
fn number_of(p: Option<&ProtimePerson>, id: i64) -> String {
    p.and_then(|p| p.employee_number.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("#{id}"))
}

/// The Protime report: one row per person and day with something on it.
pub fn protime_report(
    from: NaiveDate,
    to: NaiveDate,
    options: ReportOptions,
    people: &[ProtimePerson],
    totals: &[CachedTotal],
) -> Report {
    let by_id: HashMap<i64, &ProtimePerson> = people.iter().map(|p| (p.id, p)).collect();
    let rows = totals
        .iter()
        .filter(|t| t.date >= from && t.date <= to && !is_blank(t))
        .map(|t| {
            let person = by_id.get(&t.person_id).copied();
            DayRow {
                email: person.and_then(|p| p.email.clone()),
                name: person.map(|p| p.name.clone()),
                protime: Some(protime_day(t)),
                ..empty_row(&number_of(person, t.person_id), t.date)
            }
        })
        .collect();
    let mut report = summarize(from, to, options, rows, Vec::new());
    report.source = ReportSource::Protime;
    report
}

fn same_email(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        // One side has no address: nothing contradicts the number.
        _ => true,
    }
}

/// Matches the people of a TimeClock report with Protime's by employee number, compared in its
/// normal form ([`normal_number`]).
pub fn match_people(timeclock: &Report, people: &[ProtimePerson]) -> PeopleMatching {
    // normal form -> (number as TimeClock 365 wrote it, e-mail)
    let mut tc: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for r in &timeclock.rows {
        let entry = tc
            .entry(normal_number(&r.employee_number))
            .or_insert_with(|| (r.employee_number.clone(), None));
        if entry.1.is_none() {
            entry.1 = r.email.clone();
        }
    }
    let mut pt: BTreeMap<String, Vec<&ProtimePerson>> = BTreeMap::new();
    for p in people {
        if let Some(n) = p.employee_number.as_ref().filter(|n| !n.trim().is_empty()) {
            pt.entry(normal_number(n)).or_default().push(p);
        }
    }
    let mut numbers: Vec<&String> = tc.keys().chain(pt.keys()).collect();
    numbers.sort_by(|a, b| super::engine::employee_order(a, b));
    numbers.dedup();
    let mut out = PeopleMatching {
        rule: MATCH_RULE.to_string(),
        ..Default::default()
    };
    for n in numbers {
        let tc_number = tc.get(n).map(|(number, _)| number.clone());
        let tc_email = tc.get(n).and_then(|(_, email)| email.clone());
        let ps = pt.get(n).cloned().unwrap_or_default();
        let protime_numbers: Vec<String> = ps
            .iter()
            .filter_map(|p| p.employee_number.clone())
            .collect();
        let (status, note) = match (tc.contains_key(n), ps.len()) {
            (_, k) if k > 1 => (
                MatchStatus::Conflict,
                Some(format!(
                    "{k} Protime people share employee number {n} (written {}): give each their own number in myProtime",
                    protime_numbers.join(", ")
                )),
            ),
            (true, 1) if !same_email(&tc_email, &ps[0].email) => (
                MatchStatus::Conflict,
                Some(format!(
                    "Employee number {n} has e-mail {} in TimeClock 365 but {} in Protime: check it is the same person",
                    tc_email.as_deref().unwrap_or("-"),
                    ps[0].email.as_deref().unwrap_or("-")
                )),
            ),
            (true, 1) => (MatchStatus::Matched, None),
            (true, _) => (MatchStatus::OnlyTimeClock, None),
            (false, _) => (MatchStatus::OnlyProtime, None),
        };
        match status {
            MatchStatus::Matched => out.matched += 1,
            MatchStatus::Conflict => out.conflicts += 1,
            MatchStatus::OnlyTimeClock => out.only_timeclock += 1,
            MatchStatus::OnlyProtime => out.only_protime += 1,
        }
        out.people.push(PersonMatch {
            employee_number: n.clone(),
            timeclock_number: tc_number,
            protime_numbers,
            status,
            timeclock_email: tc_email,
            protime_ids: ps.iter().map(|p| p.id).collect(),
            protime_name: ps.first().map(|p| p.name.clone()),
            protime_email: ps.first().and_then(|p| p.email.clone()),
            note,
        });
    }
    let rank = |s: MatchStatus| match s {
        MatchStatus::Conflict => 0,
        MatchStatus::OnlyTimeClock | MatchStatus::OnlyProtime => 1,
        MatchStatus::Matched => 2,
    };
    // Stable: employee-number order is kept within each group.
    out.people.sort_by_key(|p| rank(p.status));
    out
}

/// The merged report: TimeClock 365 rows with Protime's totals beside them for matched people
/// (a day present on one side only gets zeros on the other), the difference worked − time
/// present (like for like: calculated presence has Protime's break rule applied) and the tolerance flag; conflicting and one-sided people keep their own rows only.
pub fn merged_report(
    timeclock: Report,
    people: &[ProtimePerson],
    totals: &[CachedTotal],
    tolerance_minutes: i64,
) -> Report {
    let matching = match_people(&timeclock, people);
    let expected = timeclock.expected.clone();
    // Keyed by the normal form: "01256" in Protime and 1256 in TimeClock 365 are one person.
    let status: HashMap<&str, MatchStatus> = matching
        .people
        .iter()
        .map(|p| (p.employee_number.as_str(), p.status))
        .collect();
    // A matched person's rows carry the number as TimeClock 365 writes it, whichever side a day
    // came from, so the person's days add up under one number.
    let shown: HashMap<&str, &str> = matching
        .people
        .iter()
        .filter_map(|p| Some((p.employee_number.as_str(), p.timeclock_number.as_deref()?)))
        .collect();
    let (from, to) = (timeclock.from.date(), timeclock.to.date());
    let by_id: HashMap<i64, &ProtimePerson> = people.iter().map(|p| (p.id, p)).collect();
    // Days only Protime has still belong to the employee's TimeClock groups.
    let groups: HashMap<String, Vec<String>> = timeclock
        .rows
        .iter()
        .filter(|r| !r.groups.is_empty())
        .map(|r| (normal_number(&r.employee_number), r.groups.clone()))
        .collect();
    let mut rows: BTreeMap<(String, String), DayRow> = timeclock
        .rows
        .into_iter()
        .map(|r| ((normal_number(&r.employee_number), r.date.clone()), r))
        .collect();
    for t in totals.iter().filter(|t| t.date >= from && t.date <= to) {
        let person = by_id.get(&t.person_id).copied();
        let written = number_of(person, t.person_id);
        let normal = normal_number(&written);
        let st = status.get(normal.as_str()).copied();
        let number = match st {
            Some(MatchStatus::Matched) => shown
                .get(normal.as_str())
                .map_or(written, |n| n.to_string()),
            _ => written,
        };
        let key = (normal, t.date.format("%Y-%m-%d").to_string());
        match st {
            // A day with nothing on either side (a weekend, say) is no row.
            Some(MatchStatus::Matched) if is_blank(t) && !rows.contains_key(&key) => {}
            Some(MatchStatus::Matched) => {
                let row = rows
                    .entry(key)
                    .or_insert_with(|| empty_row(&number, t.date));
                row.protime = Some(protime_day(t));
                row.name = person.map(|p| p.name.clone());
            }
            // Protime-only people (also those without a number) are listed with their own totals.
            Some(MatchStatus::OnlyProtime) | None if !is_blank(t) => {
                let row = rows
                    .entry(key)
                    .or_insert_with(|| empty_row(&number, t.date));
                row.protime = Some(protime_day(t));
                row.name = person.map(|p| p.name.clone());
                row.email = person.and_then(|p| p.email.clone());
            }
            _ => {}
        }
    }
    let mut names: HashMap<String, String> = HashMap::new();
    for p in people {
        if let Some(n) = &p.employee_number {
            names
                .entry(normal_number(n))
                .or_insert_with(|| p.name.clone());
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for ((normal, _), mut row) in rows {
        if status.get(normal.as_str()) == Some(&MatchStatus::Matched) {
            let p = row.protime.get_or_insert_with(ProtimeDay::default);
            let diff = row.worked_minutes - p.present_minutes;
            row.difference_minutes = Some(diff);
            row.outside_tolerance = diff.abs() > tolerance_minutes;
            if row.name.is_none() {
                row.name = names.get(&normal).cloned();
            }
            if row.groups.is_empty() {
                row.groups = groups.get(&normal).cloned().unwrap_or_default();
            }
        }
        out.push(row);
    }
    let mut report = summarize(from, to, timeclock.options, out, timeclock.warnings);
    report.source = ReportSource::Merged;
    report.expected = expected;
    report.tolerance_minutes = tolerance_minutes;
    report.matching = Some(matching);
    report
}

/// What the report is built from, as the screen and the CLI choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct SourceOptions {
    pub source: ReportSource,
    /// Merged reports: differences larger than this many minutes are flagged.
    pub tolerance_minutes: u32,
}

impl Default for SourceOptions {
    fn default() -> Self {
        Self {
            source: ReportSource::TimeClock,
            tolerance_minutes: DEFAULT_TOLERANCE_MINUTES as u32,
        }
    }
}

/// Where Protime data comes from: the client, the cache and the cache's scope (profile/tenant).
pub struct ProtimeSide<'a> {
    pub client: &'a ProtimeClient,
    pub cache: &'a TotalsCache,
    pub scope: &'a str,
}

impl ProtimeSide<'_> {
    /// Refreshes the cache when it is older than `max_age` and reads the people and the days. If
    /// Protime cannot be reached but an earlier sync exists, the report uses it with a warning.
    async fn load(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        max_age: std::time::Duration,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<ProtimePerson>, Vec<CachedTotal>), AppError> {
        let today = chrono::Local::now().date_naive();
        // Days before the change feed's reach come from the filtered list; the rest from the cache.
        let (before, covered) =
            crate::protime_totals::before_feed::split(Window { from, to }, today);
        let mut totals = Vec::new();
        if let Some(b) = before {
            totals.extend(crate::protime_totals::before_feed::list_totals(self.client, b).await?);
            warnings.push(format!(
                "Protime totals from {} to {} are read from Protime's list at each report: the change feed reaches back only to {}",
                b.from,
                b.to,
                crate::protime_totals::before_feed::feed_reaches_from(today)
            ));
        }
        if let Some(window) = covered {
            TotalsCache::check_window(window, today)?;
            if let Err(e) = self
                .cache
                .ensure_fresh(self.client, self.scope, window, today, max_age)
                .await
            {
                match self.cache.status(self.scope, window)?.last_synced {
                    Some(at) if e.code != timebridge_core::ErrorCode::Validation => {
                        warnings.push(format!(
                        "Protime could not be refreshed ({}); showing the totals synced at {at}",
                        e.message
                    ))
                    }
                    _ => return Err(e),
                }
            }
            totals.extend(self.cache.rows(self.scope, window.from, window.to)?);
        }
        let people = self
            .client
            .people()
            .await?
            .into_iter()
            .map(|p| ProtimePerson {
                id: p.id,
                name: p.display_name(),
                employee_number: p.employee_number,
                email: p.email,
            })
            .collect();
        Ok((people, totals))
    }
}

/// Builds the report of `source` for `from..=to`. The Protime cache is refreshed first when it is
/// older than `max_age`. `timeclock` may be `None` for the Protime source.
pub async fn build_report(
    source: SourceOptions,
    timeclock: Option<&TimeClockClient>,
    protime: &ProtimeSide<'_>,
    from: NaiveDate,
    to: NaiveDate,
    options: ReportOptions,
    max_age: std::time::Duration,
) -> Result<Report, AppError> {
    let timeclock = || {
        timeclock.ok_or_else(|| {
            AppError::new(
                timebridge_core::ErrorCode::Config,
                "This report needs TimeClock 365: say where it is and give its key",
            )
        })
    };
    match source.source {
        ReportSource::TimeClock => super::timeclock_report(timeclock()?, from, to, options).await,
        ReportSource::Protime => {
            if to < from {
                return Err(AppError::validation(format!(
                    "The period ends ({to}) before it starts ({from})"
                )));
            }
            let mut warnings = Vec::new();
            let (people, totals) = protime.load(from, to, max_age, &mut warnings).await?;
            let mut r = protime_report(from, to, options, &people, &totals);
            r.warnings = warnings;
            Ok(r)
        }
        ReportSource::Merged => {
            let tc = super::timeclock_report(timeclock()?, from, to, options).await?;
            let mut warnings = Vec::new();
            let (people, totals) = protime.load(from, to, max_age, &mut warnings).await?;
            let mut r = merged_report(tc, &people, &totals, source.tolerance_minutes as i64);
            r.warnings.extend(warnings);
            Ok(r)
        }
    }
}

#[cfg(test)]
mod tests;
