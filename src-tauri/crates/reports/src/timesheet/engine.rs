use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use timebridge_core::dates::Day;
use timebridge_timeclock::models::{EmployeeExtended, EmployeeTimesheet};
use timebridge_timeclock::zone::ZoneWarning;
use timebridge_timeclock::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum Rounding {
    None,
    Nearest5,
    Nearest15,
}

impl Rounding {
    fn step(self) -> i64 {
        match self {
            Rounding::None => 1,
            Rounding::Nearest5 => 5,
            Rounding::Nearest15 => 15,
        }
    }
    /// Nearest multiple of the step; halves go up.
    fn apply(self, minutes: i64) -> i64 {
        let s = self.step();
        ((minutes + s / 2).div_euclid(s)) * s
    }
    pub fn describe(self) -> &'static str {
        match self {
            Rounding::None => "no rounding",
            Rounding::Nearest5 => "rounded to the nearest 5 minutes",
            Rounding::Nearest15 => "rounded to the nearest 15 minutes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum RoundingScope {
    PerSession,
    PerDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum NightShifts {
    /// The whole session counts on the day it starts (the default).
    StartDay,
    /// The part after local midnight counts on the next day.
    SplitAtMidnight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReportOptions {
    pub rounding: Rounding,
    pub rounding_scope: RoundingScope,
    pub night_shifts: NightShifts,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            rounding: Rounding::None,
            rounding_scope: RoundingScope::PerSession,
            night_shifts: NightShifts::StartDay,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct WorkLogRow {
    pub name: Option<String>,
    pub external_id: Option<String>,
    /// Local `HH:MM` in the session's zone.
    pub start: String,
    pub end: Option<String>,
    #[specta(type = i32)]
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DayRow {
    pub employee_number: String,
    pub email: Option<String>,
    /// `YYYY-MM-DD`, the local date the minutes belong to.
    pub date: String,
    /// `YYYY-Www`, the ISO week of `date`.
    pub iso_week: String,
    pub first_in: Option<String>,
    pub last_out: Option<String>,
    pub sessions: u32,
    /// Closed sessions only, after rounding.
    #[specta(type = i32)]
    pub worked_minutes: i64,
    /// Lunch time inside those sessions.
    #[specta(type = i32)]
    pub lunch_minutes: i64,
    /// `worked - lunch`.
    #[specta(type = i32)]
    pub net_minutes: i64,
    /// Lunches that lie (partly) outside every session, in minutes; not subtracted.
    #[specta(type = i32)]
    pub lunch_outside_minutes: i64,
    pub absences: Vec<String>,
    /// An open session (no punch-out yet) started this day; it is not counted.
    pub open_session: bool,
    pub zone: String,
    pub work_logs: Vec<WorkLogRow>,
    /// The person's name when a source knows it (Protime does; TimeClock 365 reports none).
    pub name: Option<String>,
    /// The employee's groups in TimeClock 365 (from `extended-sessions`), for filtering.
    pub groups: Vec<String>,
    /// Protime's calculated totals of the day (Protime and merged reports).
    pub protime: Option<ProtimeDay>,
    /// Merged reports, matched people: TimeClock worked minus Protime time present: both are the
    /// raw time between in and out, before any break rule (calculated presence deducts Protime's).
    #[specta(type = Option<i32>)]
    pub difference_minutes: Option<i64>,
    /// The difference is larger than the report's tolerance.
    pub outside_tolerance: bool,
    /// The day's sessions as TimeClock 365 describes them: location, punch channels, sent-at
    /// times and notes.
    pub punches: Vec<super::details::Punch>,
    /// The day's absences with approval, payroll codes and notes (`absences` has their names).
    pub absence_details: Vec<super::details::AbsenceDetail>,
    /// A session of the day had no usable time zone and was read in the profile's default zone.
    pub default_zone_used: bool,
}

/// Protime's calculated totals of one person and day, in minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct ProtimeDay {
    #[specta(type = i32)]
    pub normal_minutes: i64,
    #[specta(type = i32)]
    pub present_minutes: i64,
    #[specta(type = i32)]
    pub calculated_minutes: i64,
    #[specta(type = i32)]
    pub flextime_minutes: i64,
    /// The running balance after the day: shown per row, never added up.
    #[specta(type = i32)]
    pub flextime_balance_minutes: i64,
    /// The other fields of the day's calculated totals, `None` where the tenant sends none.
    pub extra: crate::protime_totals::TotalsExtra,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Totals {
    pub key: String,
    pub days: u32,
    pub sessions: u32,
    #[specta(type = i32)]
    pub worked_minutes: i64,
    #[specta(type = i32)]
    pub lunch_minutes: i64,
    #[specta(type = i32)]
    pub net_minutes: i64,
    pub open_sessions: u32,
    /// Sums of the rows' Protime columns (0 when the report has none).
    #[specta(type = i32)]
    pub normal_minutes: i64,
    #[specta(type = i32)]
    pub present_minutes: i64,
    #[specta(type = i32)]
    pub calculated_minutes: i64,
    #[specta(type = i32)]
    pub flextime_minutes: i64,
    #[specta(type = i32)]
    pub difference_minutes: i64,
    /// Days whose difference is beyond the tolerance.
    pub outside_tolerance: u32,
}

impl Totals {
    fn add(&mut self, r: &DayRow) {
        if let Some(p) = &r.protime {
            self.normal_minutes += p.normal_minutes;
            self.present_minutes += p.present_minutes;
            self.calculated_minutes += p.calculated_minutes;
            self.flextime_minutes += p.flextime_minutes;
        }
        self.difference_minutes += r.difference_minutes.unwrap_or(0);
        self.outside_tolerance += r.outside_tolerance as u32;
        self.days += 1;
        self.sessions += r.sessions;
        self.worked_minutes += r.worked_minutes;
        self.lunch_minutes += r.lunch_minutes;
        self.net_minutes += r.net_minutes;
        self.open_sessions += r.open_session as u32;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Report {
    pub from: Day,
    pub to: Day,
    pub options: ReportOptions,
    /// Sorted by employee number, then date.
    pub rows: Vec<DayRow>,
    pub per_employee: Vec<Totals>,
    pub per_week: Vec<Totals>,
    pub overall: Totals,
    /// Time-zone guesses and other things payroll should know.
    pub warnings: Vec<String>,
    /// Where the rows come from.
    pub source: ReportSource,
    /// Merged reports: a difference larger than this many minutes is flagged.
    #[specta(type = i32)]
    pub tolerance_minutes: i64,
    /// Merged reports: how people were matched across the two systems.
    pub matching: Option<super::matching::PeopleMatching>,
    /// TimeClock 365's expected (contract or scheduled) time per employee for the whole period,
    /// from `extended-sessions`' `expectedSeconds`. The API gives it per period, not per day, so it
    /// sits beside the per-employee totals rather than in the day rows.
    pub expected: Vec<ExpectedTime>,
}

/// Expected time of one employee over the report's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ExpectedTime {
    pub employee_number: String,
    #[specta(type = i32)]
    pub minutes: i64,
}

/// Which system a report's rows come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum ReportSource {
    /// TimeClock 365 sessions, lunches and work logs.
    #[default]
    TimeClock,
    /// Protime calculated totals, from the local cache.
    Protime,
    /// Both, people matched by employee number.
    Merged,
}

impl ReportSource {
    /// The words of the CLI's `--source`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "timeclock" => Some(Self::TimeClock),
            "protime" => Some(Self::Protime),
            "merged" => Some(Self::Merged),
            _ => None,
        }
    }
    pub fn has_protime(self) -> bool {
        self != Self::TimeClock
    }
}

/// A piece of worked time attributed to one local day.
struct Piece {
    date: NaiveDate,
    seconds: i64,
}

fn local_midnight_after(zone: Tz, t: DateTime<Tz>) -> DateTime<Tz> {
    let next = t.date_naive() + Duration::days(1);
    let naive = next.and_time(NaiveTime::MIN);
    // Midnight can be skipped or doubled by DST in some zones; take the earliest valid instant.
    zone.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| timebridge_timeclock::zone::shift_forward(zone, naive))
}

/// Splits a closed span into per-day pieces of real elapsed seconds.
fn pieces(span: &Span, end: DateTime<Tz>, night: NightShifts) -> Vec<Piece> {
    let total = (end - span.start).num_seconds().max(0);
    if night == NightShifts::StartDay {
        return vec![Piece {
            date: span.start.date_naive(),
            seconds: total,
        }];
    }
    let mut out = Vec::new();
    let mut cursor = span.start;
    while cursor < end {
        let midnight = local_midnight_after(span.zone, cursor);
        let stop = if midnight < end { midnight } else { end };
        out.push(Piece {
            date: cursor.date_naive(),
            seconds: (stop - cursor).num_seconds(),
        });
        cursor = stop;
    }
    out
}

fn overlap_seconds(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> i64 {
    let start = a.0.max(b.0);
    let stop = a.1.min(b.1);
    (stop - start).num_seconds().max(0)
}

fn minutes_of(seconds: i64) -> i64 {
    (seconds + 30).div_euclid(60)
}

/// Local `HH:MM`. Written out rather than with `format("%H:%M")`, which parses its pattern on
/// every call: a month of thousands of employees formats a few hundred thousand of these.
fn hhmm(t: &DateTime<Tz>) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", t.hour(), t.minute())
}

pub(crate) fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Pushes one item, growing the list by exactly one when it is full. A day holds one or two
/// sessions, absences or work logs: grown by doubling, each list had room for four, and a month of
/// thousands of employees held over 100 MB of empty room, the peak of the whole export.
fn push_exact<T>(list: &mut Vec<T>, item: T) {
    if list.len() == list.capacity() {
        list.reserve_exact(1);
    }
    list.push(item);
}

#[derive(Default)]
struct DayAcc {
    email: Option<String>,
    zone: String,
    first_in: Option<DateTime<Tz>>,
    last_out: Option<DateTime<Tz>>,
    sessions: u32,
    session_minutes: Vec<i64>,
    lunch_seconds: i64,
    lunch_outside_seconds: i64,
    absences: Vec<String>,
    open_session: bool,
    work_logs: Vec<WorkLogRow>,
    punches: Vec<super::details::Punch>,
    absence_details: Vec<super::details::AbsenceDetail>,
    default_zone_used: bool,
}

/// Builds the report for `from..=to` (local start dates) from `timesheet` and, when given,
/// `extended-sessions` (absences).
pub fn build(
    from: NaiveDate,
    to: NaiveDate,
    timesheet: &[EmployeeTimesheet],
    extended: &[EmployeeExtended],
    options: ReportOptions,
) -> Report {
    build_from(from, to, timesheet, extended, options)
}

/// [`build`] from the decoded answers, dropping each employee's sessions once they are counted:
/// the day rows then reuse that memory, so the answers and the report are not held whole at once
/// (the peak of a month of thousands of employees).
pub fn build_consuming(
    from: NaiveDate,
    to: NaiveDate,
    timesheet: Vec<EmployeeTimesheet>,
    extended: Vec<EmployeeExtended>,
    options: ReportOptions,
) -> Report {
    build_from(from, to, timesheet, extended, options)
}

fn build_from<T: Borrow<EmployeeTimesheet>, E: Borrow<EmployeeExtended>>(
    from: NaiveDate,
    to: NaiveDate,
    timesheet: impl IntoIterator<Item = T>,
    extended: impl IntoIterator<Item = E>,
    options: ReportOptions,
) -> Report {
    let mut days: BTreeMap<(String, NaiveDate), DayAcc> = BTreeMap::new();
    let mut warnings = Vec::new();
    for emp in timesheet {
        let emp = emp.borrow();
        let number = emp
            .employee_number
            .clone()
            .unwrap_or_else(|| "(no number)".into());
        for s in &emp.sessions {
            let Some(span) = &s.span else {
                warnings.push(format!(
                    "{number}: a session at {} has no usable time zone and was skipped",
                    s.start_date
                ));
                continue;
            };
            for w in &span.warnings {
                warnings.push(match w {
                    ZoneWarning::DefaultZone { given, used } => format!(
                        "{number}: the session at {} has {} as its time zone; read in the profile's default zone {used}",
                        s.start_date,
                        given.as_deref().map_or("nothing".to_string(), |g| format!("'{g}'"))
                    ),
                    other => format!("{number}: {other:?}"),
                });
            }
            let start_day = span.start.date_naive();
            let acc = days.entry((number.clone(), start_day)).or_default();
            push_exact(&mut acc.punches, super::details::Punch::from_timesheet(s));
            acc.default_zone_used |= span
                .warnings
                .iter()
                .any(|w| matches!(w, ZoneWarning::DefaultZone { .. }));
            acc.email = emp.email.clone();
            acc.zone = span.zone.name().to_string();
            acc.sessions += 1;
            acc.first_in = Some(acc.first_in.map_or(span.start, |f| f.min(span.start)));
            let Some(end) = span.end else {
                acc.open_session = true;
                continue;
            };
            acc.last_out = Some(acc.last_out.map_or(end, |l| l.max(end)));
            let session_window = (span.start.with_timezone(&Utc), end.with_timezone(&Utc));
            for l in &s.lunches {
                let Some(ls) = &l.span else { continue };
                let Some(le) = ls.end else { continue };
                let lw = (ls.start.with_timezone(&Utc), le.with_timezone(&Utc));
                let inside = overlap_seconds(session_window, lw);
                let whole = (lw.1 - lw.0).num_seconds().max(0);
                acc.lunch_seconds += inside;
                acc.lunch_outside_seconds += whole - inside;
            }
            for w in &s.work_logs {
                let Some(ws) = &w.span else { continue };
                push_exact(
                    &mut acc.work_logs,
                    WorkLogRow {
                        name: w.name.clone(),
                        external_id: w.external_id.clone(),
                        start: hhmm(&ws.start),
                        end: ws.end.as_ref().map(hhmm),
                        minutes: ws
                            .end
                            .map(|e| minutes_of((e - ws.start).num_seconds()))
                            .unwrap_or(0),
                    },
                );
            }
            for p in pieces(span, end, options.night_shifts) {
                let minutes = minutes_of(p.seconds);
                let minutes = if options.rounding_scope == RoundingScope::PerSession {
                    options.rounding.apply(minutes)
                } else {
                    minutes
                };
                push_exact(
                    &mut days
                        .entry((number.clone(), p.date))
                        .or_default()
                        .session_minutes,
                    minutes,
                );
            }
        }
    }
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut expected = Vec::new();
    for emp in extended {
        let emp = emp.borrow();
        if let (Some(number), Some(seconds)) = (&emp.employee_number, emp.expected_seconds) {
            expected.push(ExpectedTime {
                employee_number: number.clone(),
                minutes: minutes_of(seconds),
            });
        }
        let number = emp
            .employee_number
            .clone()
            .unwrap_or_else(|| "(no number)".into());
        if let Some(g) = &emp.groups {
            groups.insert(number.clone(), group_names(g));
        }
        for s in emp.sessions.iter().filter(|s| s.is_absence == Some(true)) {
            let acc = days
                .entry((number.clone(), s.start_date.date()))
                .or_default();
            push_exact(
                &mut acc.absences,
                s.absence_name.clone().unwrap_or_else(|| "Absence".into()),
            );
            push_exact(
                &mut acc.absence_details,
                super::details::AbsenceDetail::from_ext(s),
            );
        }
        // Sent-at times and notes come only with extended-sessions: add them to the punch with
        // the same local start.
        for s in emp.sessions.iter().filter(|s| s.is_absence != Some(true)) {
            if let Some(acc) = days.get_mut(&(number.clone(), s.start_date.date())) {
                for p in &mut acc.punches {
                    if p.enrich(s) {
                        break;
                    }
                }
            }
        }
    }

    // Sized exactly: grown by doubling, the list of a month's rows was up to half empty.
    let in_period = days
        .keys()
        .filter(|(_, date)| *date >= from && *date <= to)
        .count();
    let mut rows = Vec::with_capacity(in_period);
    for ((number, date), acc) in days {
        if date < from || date > to {
            continue;
        }
        let raw: i64 = acc.session_minutes.iter().sum();
        let worked = if options.rounding_scope == RoundingScope::PerDay {
            options.rounding.apply(raw)
        } else {
            raw
        };
        let lunch = minutes_of(acc.lunch_seconds);
        rows.push(DayRow {
            email: acc.email,
            date: date.format("%Y-%m-%d").to_string(),
            iso_week: iso_week(date),
            first_in: acc.first_in.as_ref().map(hhmm),
            last_out: acc.last_out.as_ref().map(hhmm),
            sessions: acc.sessions,
            worked_minutes: worked,
            lunch_minutes: lunch,
            net_minutes: worked - lunch,
            lunch_outside_minutes: minutes_of(acc.lunch_outside_seconds),
            absences: acc.absences,
            open_session: acc.open_session,
            zone: acc.zone,
            work_logs: acc.work_logs,
            name: None,
            groups: groups.get(&number).cloned().unwrap_or_default(),
            protime: None,
            difference_minutes: None,
            outside_tolerance: false,
            punches: acc.punches,
            absence_details: acc.absence_details,
            default_zone_used: acc.default_zone_used,
            employee_number: number,
        });
    }
    let mut report = summarize(from, to, options, rows, warnings);
    report.expected = expected;
    report
        .expected
        .sort_by(|a, b| employee_order(&a.employee_number, &b.employee_number));
    report
}

/// Sorts the rows (employee number, then date) and adds them up per employee, ISO week and overall,
/// in one pass: an employee's rows are adjacent once sorted.
pub fn summarize(
    from: NaiveDate,
    to: NaiveDate,
    options: ReportOptions,
    mut rows: Vec<DayRow>,
    warnings: Vec<String>,
) -> Report {
    sort_rows(&mut rows);

    let mut per_employee: Vec<Totals> = Vec::new();
    let mut per_week: BTreeMap<&str, Totals> = BTreeMap::new();
    let mut overall = Totals {
        key: "All".into(),
        ..Default::default()
    };
    for r in &rows {
        match per_employee.last_mut() {
            Some(t) if t.key == r.employee_number => t.add(r),
            _ => {
                let mut t = Totals {
                    key: r.employee_number.clone(),
                    ..Default::default()
                };
                t.add(r);
                per_employee.push(t);
            }
        }
        per_week
            .entry(r.iso_week.as_str())
            .or_insert_with(|| Totals {
                key: r.iso_week.clone(),
                ..Default::default()
            })
            .add(r);
        overall.add(r);
    }
    let per_week = per_week.into_values().collect();
    Report {
        from: from.into(),
        to: to.into(),
        options,
        rows,
        per_employee,
        per_week,
        overall,
        warnings,
        source: ReportSource::TimeClock,
        tolerance_minutes: 0,
        matching: None,
        expected: Vec::new(),
    }
}

/// Sorts the rows by employee number, then date, stably. The rows are large (about 500 bytes), and a
/// stable sort of the rows themselves borrows a buffer of half of them (20 MB for a month of 4,000
/// employees); sorting their positions and then moving each row once along the cycles of that
/// permutation gives the same order with a buffer of positions only.
fn sort_rows(rows: &mut [DayRow]) {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&rows[a], &rows[b]);
        employee_order(&a.employee_number, &b.employee_number).then_with(|| a.date.cmp(&b.date))
    });
    // order[k] is the position of the row that belongs at k; usize::MAX marks a place done.
    for start in 0..order.len() {
        if order[start] == usize::MAX {
            continue;
        }
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = usize::MAX;
            if from == start {
                break;
            }
            rows.swap(at, from);
            at = from;
        }
    }
}

/// Numeric employee numbers sort numerically (1002 before 10001), others after, by text. Compared
/// in place: a sort compares n·log n times, and building a key each time allocated as often.
pub(crate) fn employee_order(a: &str, b: &str) -> std::cmp::Ordering {
    let number = |n: &str| n.parse::<u64>().unwrap_or(u64::MAX);
    number(a).cmp(&number(b)).then_with(|| a.cmp(b))
}

mod groups;
pub use groups::group_names;

#[cfg(test)]
mod tests;
