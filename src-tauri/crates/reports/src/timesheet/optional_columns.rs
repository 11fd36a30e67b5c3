//! Columns an export adds only when the user asks for them: the rest of Protime's calculated totals
//! (weekly hours types, pay-period hours, shift definition) and what TimeClock 365 says about each
//! punch and absence (location, punch channels, sent-at times, notes, approval, payroll codes, work
//! logs). They come after the stable columns, in the order of [`ALL`], so a payroll import that reads
//! the stable columns by position keeps working whichever are chosen.
//!
//! One column is not chosen but added by the report itself: `time_zone_assumed`, whenever a row used
//! the profile's default zone, because such minutes may be off by the zone difference.

use super::details::Punch;
use super::engine::{DayRow, Report};
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
pub enum OptionalColumn {
    WeeklyHours1,
    WeeklyHours2,
    WeeklyHours3,
    PayPeriodHours,
    ShiftDefinition,
    Location,
    PunchSource,
    StartSentAt,
    EndSentAt,
    SentLate,
    PunchNotes,
    AbsenceNotes,
    AbsenceApproval,
    AbsenceCodes,
    WorkLogs,
    DefaultZoneUsed,
}

/// Every optional column, in the order exports write them.
pub const ALL: [OptionalColumn; 16] = [
    OptionalColumn::WeeklyHours1,
    OptionalColumn::WeeklyHours2,
    OptionalColumn::WeeklyHours3,
    OptionalColumn::PayPeriodHours,
    OptionalColumn::ShiftDefinition,
    OptionalColumn::Location,
    OptionalColumn::PunchSource,
    OptionalColumn::StartSentAt,
    OptionalColumn::EndSentAt,
    OptionalColumn::SentLate,
    OptionalColumn::PunchNotes,
    OptionalColumn::AbsenceNotes,
    OptionalColumn::AbsenceApproval,
    OptionalColumn::AbsenceCodes,
    OptionalColumn::WorkLogs,
    OptionalColumn::DefaultZoneUsed,
];

/// A cell of an optional column: a duration (added up in total rows) or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Minutes(Option<i64>),
    Text(String),
}

fn join<'a>(parts: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.flatten() {
        if !p.is_empty() && !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(" | ")
}

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "yes" } else { "no" }.into())
}

fn per_punch(r: &DayRow, f: impl Fn(&Punch) -> Option<String>) -> Cell {
    let parts: Vec<Option<String>> = r.punches.iter().map(f).collect();
    Cell::Text(join(parts.iter().map(|p| p.as_deref())))
}

impl OptionalColumn {
    /// The CSV header.
    pub fn csv_name(self) -> &'static str {
        match self {
            Self::WeeklyHours1 => "weekly_hours_1",
            Self::WeeklyHours2 => "weekly_hours_2",
            Self::WeeklyHours3 => "weekly_hours_3",
            Self::PayPeriodHours => "pay_period_hours",
            Self::ShiftDefinition => "shift_definition_id",
            Self::Location => "location",
            Self::PunchSource => "punch_source",
            Self::StartSentAt => "start_sent_at",
            Self::EndSentAt => "end_sent_at",
            Self::SentLate => "sent_late",
            Self::PunchNotes => "punch_notes",
            Self::AbsenceNotes => "absence_notes",
            Self::AbsenceApproval => "absence_approval",
            Self::AbsenceCodes => "absence_codes",
            Self::WorkLogs => "work_logs",
            Self::DefaultZoneUsed => "time_zone_assumed",
        }
    }

    /// The column of a CSV header name (how the CLI names them).
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        ALL.into_iter()
            .find(|c| c.csv_name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let known: Vec<&str> = ALL.iter().map(|c| c.csv_name()).collect();
                format!(
                    "'{name}' is not an optional column: use one of {}",
                    known.join(", ")
                )
            })
    }

    /// The XLSX and PDF header.
    pub fn title(self) -> &'static str {
        match self {
            Self::WeeklyHours1 => "Weekly hours 1",
            Self::WeeklyHours2 => "Weekly hours 2",
            Self::WeeklyHours3 => "Weekly hours 3",
            Self::PayPeriodHours => "Pay-period hours",
            Self::ShiftDefinition => "Shift definition",
            Self::Location => "Location",
            Self::PunchSource => "Punch source",
            Self::StartSentAt => "In sent at",
            Self::EndSentAt => "Out sent at",
            Self::SentLate => "Sent late",
            Self::PunchNotes => "Punch notes",
            Self::AbsenceNotes => "Absence notes",
            Self::AbsenceApproval => "Absence approval",
            Self::AbsenceCodes => "Absence codes",
            Self::WorkLogs => "Work logs",
            Self::DefaultZoneUsed => "Time zone assumed",
        }
    }

    /// Columns that exist only where the report has Protime's totals.
    pub fn needs_protime(self) -> bool {
        matches!(
            self,
            Self::WeeklyHours1
                | Self::WeeklyHours2
                | Self::WeeklyHours3
                | Self::PayPeriodHours
                | Self::ShiftDefinition
        )
    }

    /// A duration column ([`Cell::Minutes`]), added up in total rows.
    pub fn is_duration(self) -> bool {
        matches!(
            self,
            Self::WeeklyHours1 | Self::WeeklyHours2 | Self::WeeklyHours3 | Self::PayPeriodHours
        )
    }

    pub fn cell(self, r: &DayRow) -> Cell {
        let extra = r.protime.map(|p| p.extra).unwrap_or_default();
        match self {
            Self::WeeklyHours1 => Cell::Minutes(extra.weekly_hours1_minutes),
            Self::WeeklyHours2 => Cell::Minutes(extra.weekly_hours2_minutes),
            Self::WeeklyHours3 => Cell::Minutes(extra.weekly_hours3_minutes),
            Self::PayPeriodHours => Cell::Minutes(extra.pay_period_minutes),
            Self::ShiftDefinition => Cell::Text(
                extra
                    .shift_definition_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            Self::Location => per_punch(r, |p| p.location.clone()),
            Self::PunchSource => per_punch(r, Punch::sources),
            Self::StartSentAt => per_punch(r, |p| p.start_sent_at.clone()),
            Self::EndSentAt => per_punch(r, |p| p.end_sent_at.clone()),
            Self::SentLate => yes_no(r.punches.iter().any(|p| p.sent_late)),
            Self::PunchNotes => per_punch(r, |p| {
                let notes: Vec<String> = [("in", &p.start_note), ("out", &p.end_note)]
                    .into_iter()
                    .filter_map(|(k, n)| n.as_ref().map(|n| format!("{k}: {n}")))
                    .collect();
                (!notes.is_empty()).then(|| notes.join("; "))
            }),
            Self::AbsenceNotes => {
                Cell::Text(join(r.absence_details.iter().map(|a| a.note.as_deref())))
            }
            Self::AbsenceApproval => {
                let parts: Vec<String> = r
                    .absence_details
                    .iter()
                    .map(|a| format!("{}: {}", a.name, a.approval()))
                    .collect();
                Cell::Text(parts.join(" | "))
            }
            Self::AbsenceCodes => {
                let parts: Vec<String> = r
                    .absence_details
                    .iter()
                    .filter_map(|a| Some(format!("{}: {}", a.name, a.codes()?)))
                    .collect();
                Cell::Text(parts.join(" | "))
            }
            Self::WorkLogs => {
                let parts: Vec<String> = r
                    .work_logs
                    .iter()
                    .map(|w| {
                        let mut s = w.name.clone().unwrap_or_else(|| "(no name)".into());
                        if let Some(id) = &w.external_id {
                            s.push_str(&format!(" [{id}]"));
                        }
                        s.push_str(&format!(
                            " {}-{} {}:{:02}",
                            w.start,
                            w.end.as_deref().unwrap_or("open"),
                            w.minutes / 60,
                            w.minutes % 60
                        ));
                        s
                    })
                    .collect();
                Cell::Text(parts.join(" | "))
            }
            Self::DefaultZoneUsed => yes_no(r.default_zone_used),
        }
    }
}

/// The optional columns an export of `report` writes: the `wanted` ones in [`ALL`]'s order (Protime
/// columns only where the report has Protime's totals), plus `time_zone_assumed` whenever a row
/// used the default zone.
pub fn chosen(report: &Report, wanted: &[OptionalColumn]) -> Vec<OptionalColumn> {
    let assumed = report.rows.iter().any(|r| r.default_zone_used);
    ALL.into_iter()
        .filter(|c| wanted.contains(c) || (*c == OptionalColumn::DefaultZoneUsed && assumed))
        .filter(|c| !c.needs_protime() || report.source.has_protime())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protime_totals::TotalsExtra;
    use crate::timesheet::details::AbsenceDetail;
    use crate::timesheet::engine::{ProtimeDay, ReportSource, WorkLogRow};

    fn row() -> DayRow {
        DayRow {
            employee_number: "1001".into(),
            email: None,
            date: "2025-01-24".into(),
            iso_week: "2025-W04".into(),
            first_in: None,
            last_out: None,
            sessions: 1,
            worked_minutes: 0,
            lunch_minutes: 0,
            net_minutes: 0,
            lunch_outside_minutes: 0,
            absences: vec![],
            open_session: false,
            zone: "Asia/Jerusalem".into(),
            work_logs: vec![WorkLogRow {
                name: Some("task".into()),
                external_id: Some("DR-4258".into()),
                start: "08:15".into(),
                end: Some("12:10".into()),
                minutes: 235,
            }],
            name: None,
            groups: vec![],
            protime: Some(ProtimeDay {
                extra: TotalsExtra {
                    weekly_hours1_minutes: Some(480),
                    weekly_hours2_minutes: None,
                    weekly_hours3_minutes: None,
                    pay_period_minutes: Some(450),
                    shift_definition_id: Some(7),
                },
                ..Default::default()
            }),
            difference_minutes: None,
            outside_tolerance: false,
            punches: vec![Punch {
                start: "2025-01-24 08:00:00".into(),
                end: Some("2025-01-24 16:00:00".into()),
                location: Some("office".into()),
                start_source: Some("web".into()),
                end_source: Some("phone".into()),
                start_sent_at: Some("2025-01-24 08:00:10".into()),
                end_sent_at: Some("2025-01-25 09:00:00".into()),
                start_note: Some("late bus".into()),
                end_note: None,
                sent_late: true,
            }],
            absence_details: vec![AbsenceDetail {
                name: "Doctor".into(),
                note: Some("dentist".into()),
                approved_at: None,
                approved_by: Some("Dana".into()),
                code_days: None,
                code_hours: Some("D7".into()),
            }],
            default_zone_used: true,
        }
    }

    #[test]
    fn every_column_reads_its_field() {
        let r = row();
        let text = |c: OptionalColumn| match c.cell(&r) {
            Cell::Text(t) => t,
            Cell::Minutes(m) => format!("{m:?}"),
        };
        assert_eq!(text(OptionalColumn::WeeklyHours1), "Some(480)");
        assert_eq!(text(OptionalColumn::WeeklyHours2), "None");
        assert_eq!(text(OptionalColumn::PayPeriodHours), "Some(450)");
        assert_eq!(text(OptionalColumn::ShiftDefinition), "7");
        assert_eq!(text(OptionalColumn::Location), "office");
        assert_eq!(text(OptionalColumn::PunchSource), "web → phone");
        assert_eq!(text(OptionalColumn::StartSentAt), "2025-01-24 08:00:10");
        assert_eq!(text(OptionalColumn::EndSentAt), "2025-01-25 09:00:00");
        assert_eq!(text(OptionalColumn::SentLate), "yes");
        assert_eq!(text(OptionalColumn::PunchNotes), "in: late bus");
        assert_eq!(text(OptionalColumn::AbsenceNotes), "dentist");
        assert_eq!(
            text(OptionalColumn::AbsenceApproval),
            "Doctor: approved by Dana"
        );
        assert_eq!(text(OptionalColumn::AbsenceCodes), "Doctor: hours D7");
        assert_eq!(
            text(OptionalColumn::WorkLogs),
            "task [DR-4258] 08:15-12:10 3:55"
        );
        assert_eq!(text(OptionalColumn::DefaultZoneUsed), "yes");
    }

    #[test]
    fn chosen_columns_keep_the_fixed_order_and_the_zone_flag_comes_by_itself() {
        let mut report = crate::timesheet::engine::summarize(
            "2025-01-24".parse().unwrap(),
            "2025-01-24".parse().unwrap(),
            Default::default(),
            vec![row()],
            vec![],
        );
        let wanted = [
            OptionalColumn::WorkLogs,
            OptionalColumn::WeeklyHours1,
            OptionalColumn::Location,
        ];
        // A TimeClock report has no Protime columns; the zone flag is there because a row used it.
        assert_eq!(
            chosen(&report, &wanted),
            vec![
                OptionalColumn::Location,
                OptionalColumn::WorkLogs,
                OptionalColumn::DefaultZoneUsed
            ]
        );
        report.source = ReportSource::Merged;
        report.rows[0].default_zone_used = false;
        assert_eq!(
            chosen(&report, &wanted),
            vec![
                OptionalColumn::WeeklyHours1,
                OptionalColumn::Location,
                OptionalColumn::WorkLogs
            ]
        );
        assert!(chosen(&report, &[]).is_empty());
        assert_eq!(
            OptionalColumn::parse(" Work_Logs "),
            Ok(OptionalColumn::WorkLogs)
        );
        let e = OptionalColumn::parse("worklogs").unwrap_err();
        assert!(e.contains("'worklogs'") && e.contains("work_logs"), "{e}");
    }

    #[test]
    fn csv_and_xlsx_carry_the_chosen_columns_and_add_up_durations() {
        use crate::timesheet::{csv_export, xlsx_export, CsvOptions, HoursFormat, XlsxOptions};
        use calamine::{Data, Reader};
        let mut second = row();
        second.date = "2025-01-25".into();
        second.protime.as_mut().unwrap().extra.weekly_hours1_minutes = None;
        second.protime.as_mut().unwrap().extra.pay_period_minutes = Some(30);
        second.default_zone_used = false;
        let mut report = crate::timesheet::engine::summarize(
            "2025-01-24".parse().unwrap(),
            "2025-01-25".parse().unwrap(),
            Default::default(),
            vec![row(), second],
            vec![],
        );
        report.source = ReportSource::Protime;
        let wanted = vec![
            OptionalColumn::WorkLogs,
            OptionalColumn::WeeklyHours1,
            OptionalColumn::PayPeriodHours,
        ];
        let csv = csv_export::write(
            &report,
            &CsvOptions {
                extra_columns: wanted.clone(),
                ..Default::default()
            },
        )
        .unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(
            lines[0].ends_with(
                ";flextime_balance;weekly_hours_1;pay_period_hours;work_logs;time_zone_assumed"
            ),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].ends_with(";8:00;7:30;task [DR-4258] 08:15-12:10 3:55;yes"),
            "{}",
            lines[1]
        );
        // A null weekly-hours value stays an empty cell, not 0:00.
        assert!(
            lines[2].ends_with(";;0:30;task [DR-4258] 08:15-12:10 3:55;no"),
            "{}",
            lines[2]
        );
        let total = lines.iter().find(|l| l.starts_with("Total;")).unwrap();
        assert!(total.ends_with(";8:00;8:00;;"), "{total}");

        let bytes = xlsx_export::write(
            &report,
            &XlsxOptions {
                hours: HoursFormat::Decimal,
                sheet_per_employee: false,
                extra_columns: wanted,
            },
        )
        .unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Timesheet").unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(
            header[at("Weekly hours 1")..],
            [
                "Weekly hours 1",
                "Pay-period hours",
                "Work logs",
                "Time zone assumed"
            ]
        );
        assert_eq!(rows[1][at("Weekly hours 1")], Data::Float(8.0));
        assert_eq!(rows[2][at("Weekly hours 1")], Data::Empty);
        assert_eq!(
            rows[1][at("Work logs")],
            Data::String("task [DR-4258] 08:15-12:10 3:55".into())
        );
        assert_eq!(rows[3][0], Data::String("Total".into()));
        assert_eq!(rows[3][at("Pay-period hours")], Data::Float(8.0));
    }
}
