//! CSV import of many clockings at once (app and `timebridge clockings import`). Every row is checked
//! before anything is sent; errors name the line, the column and what to do.
//!
//! Columns (header row required; `,` or `;` detected): `person` (an internal id, or
//! `<reference>=<value>` such as `@badge-number=1955`), `date` (YYYY-MM-DD), `time` (HH:MM), `day`
//! (`previous`, `same` or `next`; optional, default `same`), `kind`, `reason` (id), `activities`
//! (`level:reference` items separated by `|`, e.g. `1:@data-entry-code=00014|2:9f1c…`), `terminal`,
//! `latitude`, `longitude`.

use super::draft::{ActivityLevelDraft, ClockingDraft, ClockingKind, Reference};
use super::minutes::{entered_minutes, DayOffset};
use super::outbox::{canonical_json, Outbox, OutboxStatus};
use serde::Serialize;
pub use timebridge_core::csv_rows::RowError;
use timebridge_core::csv_rows::{err, Columns, CsvTable};
use timebridge_core::dates::Day;
use timebridge_core::AppError;

const KNOWN: &[&str] = &[
    "person",
    "date",
    "time",
    "day",
    "kind",
    "reason",
    "activities",
    "terminal",
    "latitude",
    "longitude",
];
const REQUIRED: &[&str] = &["person", "date", "time", "kind"];

/// A valid row, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportRow {
    pub line: u32,
    pub draft: ClockingDraft,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
}

/// FNV-1a: stable across Rust versions, so outbox keys stored on disk stay valid.
fn fnv1a(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// A planned row in the outbox: its line, its item, and when an earlier import already sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct EnqueuedRow {
    pub line: u32,
    pub id: i64,
    pub already_sent_at: Option<String>,
}

/// Puts every row of a clean plan in the outbox for `tenant`, keyed on what the row is (every field of
/// the clocking) and its occurrence among identical rows of the file: importing the same file again,
/// or an edited copy, resumes it and never sends a row twice, while two identical rows stay two.
/// A key never matches across tenants.
pub fn enqueue_plan(
    outbox: &Outbox,
    tenant: &str,
    profile_id: &str,
    plan: &ImportPlan,
) -> Result<Vec<EnqueuedRow>, AppError> {
    if !plan.errors.is_empty() {
        return Err(AppError::validation(format!(
            "The file has {} problem(s); nothing was sent",
            plan.errors.len()
        )));
    }
    let mut occurrences: std::collections::HashMap<String, u32> = Default::default();
    plan.rows
        .iter()
        .map(|row| {
            let content = fnv1a(canonical_json(&row.draft)?.as_bytes());
            let n = occurrences.entry(content.clone()).or_insert(0);
            *n += 1;
            let key = format!("import:{content}:{n}");
            let enqueued = outbox.enqueue_keyed(tenant, profile_id, &key, &row.draft)?;
            let already_sent_at = (enqueued.existed && enqueued.item.status == OutboxStatus::Sent)
                .then(|| {
                    enqueued
                        .item
                        .sent_at
                        .clone()
                        .unwrap_or(enqueued.item.updated_at.clone())
                });
            Ok(EnqueuedRow {
                line: row.line,
                id: enqueued.item.id,
                already_sent_at,
            })
        })
        .collect()
}

/// Parses the whole file. Rows with errors are reported and left out of `rows`; the caller decides
/// whether to send anything (the CLI and the app send nothing until the file is clean).
pub fn parse(text: &str) -> ImportPlan {
    let mut plan = ImportPlan {
        rows: Vec::new(),
        errors: Vec::new(),
    };
    // Headers are matched without regard to case or surrounding spaces.
    let canonical = |h: &str| {
        let h = h.trim().to_ascii_lowercase();
        KNOWN.contains(&h.as_str()).then_some(h)
    };
    let columns = Columns {
        item: "clocking",
        canonical: &canonical,
        known: &KNOWN.join(", "),
        required: REQUIRED,
    };
    let Some(table) = CsvTable::read(text, &columns, &mut plan.errors) else {
        return plan;
    };
    for (line, values) in table.rows() {
        let get = |name: &str| values.get(name);
        match parse_row(line, &get) {
            Ok(draft) => plan.rows.push(ImportRow { line, draft }),
            Err(mut e) => plan.errors.append(&mut e),
        }
    }
    if plan.rows.is_empty() && plan.errors.is_empty() {
        plan.errors
            .push(err(1, "", "The file has a header row but no clockings"));
    }
    plan
}

fn parse_row(line: u32, get: &dyn Fn(&str) -> String) -> Result<ClockingDraft, Vec<RowError>> {
    let mut errors = Vec::new();
    let person = Reference::parse(&get("person"));
    if person.is_none() {
        errors.push(err(
            line,
            "person",
            "Give the person's id or a reference such as @badge-number=1955",
        ));
    }
    let date = match get("date").parse::<Day>() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(err(line, "date", e));
            None
        }
    };
    let day_text = get("day");
    let day = DayOffset::parse(&day_text);
    if day.is_none() {
        errors.push(err(
            line,
            "day",
            format!("'{day_text}' is not a day: use previous, same or next"),
        ));
    }
    let time_text = get("time");
    let minutes = match entered_minutes(&time_text, day.unwrap_or(DayOffset::SameDay)) {
        Ok(m) => day.map(|_| m),
        Err(e) => {
            errors.push(err(line, "time", e));
            None
        }
    };
    let kind_text = get("kind");
    let kind = ClockingKind::parse(&kind_text);
    if kind.is_none() {
        errors.push(err(
            line,
            "kind",
            format!("'{kind_text}' is not a kind: use InOut, Reason, Activity or ActivityEnd"),
        ));
    }
    let reason_text = get("reason");
    let reason = if reason_text.is_empty() {
        None
    } else {
        Reference::parse(&reason_text)
    };
    let mut activity_levels = Vec::new();
    let activities = get("activities");
    for item in activities
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let parsed = item
            .split_once(':')
            .and_then(|(level, r)| Some((level.trim().parse::<u32>().ok()?, Reference::parse(r)?)));
        match parsed {
            Some((level, activity)) => activity_levels.push(ActivityLevelDraft { level, activity }),
            None => errors.push(err(
                line,
                "activities",
                format!("'{item}' is not level:reference, e.g. 1:@data-entry-code=00014"),
            )),
        }
    }
    let terminal_text = get("terminal");
    let terminal = if terminal_text.is_empty() {
        None
    } else {
        Reference::parse(&terminal_text)
    };
    let mut number = |name: &str| {
        let t = get(name);
        if t.is_empty() {
            return None;
        }
        match t.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                errors.push(err(line, name, format!("'{t}' is not a number")));
                None
            }
        }
    };
    let latitude = number("latitude");
    let longitude = number("longitude");
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(person), Some(date), Some(minutes), Some(kind)) = (person, date, minutes, kind)
    else {
        return Err(vec![err(line, "", "This line is incomplete")]);
    };
    let draft = ClockingDraft {
        person,
        date,
        time_of_day_in_minutes: minutes,
        kind,
        reason,
        is_open: None,
        activity_levels,
        terminal,
        latitude,
        longitude,
    };
    draft.validate().map_err(|issues| {
        issues
            .into_iter()
            .map(|i| err(line, &i.field, i.message))
            .collect::<Vec<_>>()
    })?;
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_and_commas_with_every_kind() {
        let file = "\u{feff}person;date;time;day;kind;reason;activities;terminal;latitude;longitude\n\
                    @badge-number=1955;2024-12-17;08:20;;InOut;;;;;\n\
                    76547;2024-12-17;22:00;previous;Reason;6578;;;;\n\
                    @employee-number=01256;2024-01-05;08:00;same;Activity;;1:@data-entry-code=00014|2:@data-entry-code=10019;@external-code=T1;51,144127;4,392225\n\
                    76547;2024-12-17;06:00;next;ActivityEnd;;;;;\n";
        let plan = parse(file);
        assert_eq!(plan.errors, vec![]);
        assert_eq!(plan.rows.len(), 4);
        assert_eq!(plan.rows[0].draft.time_of_day_in_minutes, 500);
        assert_eq!(plan.rows[1].draft.time_of_day_in_minutes, -120);
        assert_eq!(plan.rows[3].draft.time_of_day_in_minutes, 1800);
        assert_eq!(plan.rows[2].draft.activity_levels.len(), 2);
        assert_eq!(plan.rows[2].draft.latitude, Some(51.144127));
        assert_eq!(plan.rows[2].line, 4);

        // The whole range of the seed: 24:00 on the next day is 2880, 00:00 the day before −1440.
        let edges = parse("person,date,time,day,kind\n76547,2024-12-17,24:00,next,InOut\n76547,2024-12-17,00:00,previous,InOut\n");
        assert_eq!(edges.errors, vec![]);
        assert_eq!(edges.rows[0].draft.time_of_day_in_minutes, 2880);
        assert_eq!(edges.rows[1].draft.time_of_day_in_minutes, -1440);

        let commas = parse("person,date,time,kind\n76547,2024-12-17,08:00,InOut\n");
        assert_eq!((commas.rows.len(), commas.errors.len()), (1, 0));
    }

    #[test]
    fn a_problem_after_blank_lines_names_the_line_an_editor_shows() {
        let plan = parse("person,date,time,kind\n76547,2024-12-17,08:00,InOut\n\n\n76547,2024-12-17,25:00,InOut\n");
        assert_eq!(plan.rows[0].line, 2);
        assert_eq!(
            (plan.errors[0].line, plan.errors[0].column.as_str()),
            (5, "time")
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let file = "person,date,time,day,kind,reason\n\
                    76547,2024-12-17,25:00,same,InOut,\n\
                    ,2024-12-17,08:00,same,InOut,\n\
                    76547,2024-12-17,08:00,tomorrow,InOut,\n\
                    76547,2024-12-17,08:00,same,Reason,\n\
                    76547,17/12/2024,08:00,same,Break,\n\
                    76547,2024-12-17,08:00,same,InOut,\n";
        let plan = parse(file);
        assert_eq!(plan.rows.len(), 1);
        let got: Vec<(u32, &str)> = plan
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "time"),
                (3, "person"),
                (4, "day"),
                (5, "reason"),
                (6, "date"),
                (6, "kind")
            ]
        );
        assert!(plan.errors[5]
            .message
            .contains("InOut, Reason, Activity or ActivityEnd"));
        assert_eq!(plan.errors[0].to_string(), "line 2, column time: '25:00' is not a time of day: hours go from 00 to 23 and minutes from 00 to 59 (24:00 is the end of the day)");
    }

    #[test]
    fn header_problems_stop_early() {
        assert_eq!(parse("").errors[0].line, 1);
        let missing = parse("person,date,kind\n1,2024-01-01,InOut\n");
        assert_eq!(missing.errors[0].column, "time");
        let unknown = parse("person,date,time,kind,colour\n1,2024-01-01,08:00,InOut,red\n");
        assert!(unknown.errors[0]
            .message
            .contains("Unknown column 'colour'"));
        assert!(parse("person,date,time,kind\n").errors[0]
            .message
            .contains("no clockings"));
    }
}
