//! Writes the `result` arrays of the four methods in the documented shapes (spec §7).
//!
//! Generated lazily, one employee at a time, straight into the output buffer.

use super::data::{day_records, expected_seconds, DayRecord, ExternalId, Interval};
use super::{DateTimeStyle, OpenEnd, TimeClockSim};
use crate::roster::{Rng, RosterPerson};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

struct Ctx<'a> {
    sim: &'a TimeClockSim,
}

impl Ctx<'_> {
    fn dt(&self, t: NaiveDateTime) -> Value {
        Value::String(self.dt_string(t))
    }

    /// `YYYY-MM-DD HH:MM:SS` in the configured style, without chrono's format machinery.
    fn dt_string(&self, t: NaiveDateTime) -> String {
        use std::fmt::Write;
        let sep = match self.sim.inner.config.datetime_style {
            DateTimeStyle::IsoT => 'T',
            _ => ' ',
        };
        let mut out = String::with_capacity(26);
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        if self.sim.inner.config.datetime_style == DateTimeStyle::Fractional {
            let _ = write!(out, ".{:06}", t.nanosecond() / 1000);
        }
        out
    }

    /// The `endDate` member of a possibly open record, per the open style (`None` = leave out).
    fn end_value(&self, end: Option<NaiveDateTime>) -> Option<Option<String>> {
        match end {
            Some(t) => Some(Some(self.dt_string(t))),
            None => match self.sim.inner.config.open_end {
                OpenEnd::Null => Some(None),
                OpenEnd::Absent => None,
                OpenEnd::Empty => Some(Some(String::new())),
                OpenEnd::Zero => Some(Some("0000-00-00 00:00:00".into())),
            },
        }
    }

    /// `endDate` of a possibly open record, in the configured open style.
    fn put_end(&self, m: &mut Map<String, Value>, key: &str, end: Option<NaiveDateTime>) {
        match end {
            Some(t) => {
                m.insert(key.into(), self.dt(t));
            }
            None => match self.sim.inner.config.open_end {
                OpenEnd::Null => {
                    m.insert(key.into(), Value::Null);
                }
                OpenEnd::Absent => {}
                OpenEnd::Empty => {
                    m.insert(key.into(), json!(""));
                }
                OpenEnd::Zero => {
                    m.insert(key.into(), json!("0000-00-00 00:00:00"));
                }
            },
        }
    }

    fn employee_number(&self, p: &RosterPerson, as_string: bool) -> Value {
        if as_string || self.sim.inner.config.loose_scalars {
            json!(p.employee_number.to_string())
        } else {
            json!(p.employee_number)
        }
    }

    fn number(&self, n: i64) -> Value {
        if self.sim.inner.config.loose_scalars {
            json!(n.to_string())
        } else {
            json!(n)
        }
    }
}

fn days(start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    start.iter_days().take_while(move |d| *d <= end)
}

/// The serialised `result` array for a validated request.
pub(super) fn result(
    sim: &TimeClockSim,
    method: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<u8> {
    let ctx = Ctx { sim };
    let window = (sim.first_day(), sim.inner.today);
    let mut out = Vec::with_capacity(64 * 1024);
    out.push(b'[');
    let mut first = true;
    for p in &sim.inner.employees {
        let records: Vec<(NaiveDate, DayRecord)> = days(start, end)
            .flat_map(|d| {
                day_records(sim.inner.seed, p, d, window)
                    .into_iter()
                    .map(move |r| (d, r))
            })
            .collect();
        let mark = out.len();
        if !first {
            out.push(b',');
        }
        let written = match method {
            "sessions" => plain(&ctx, &mut out, p, &records, false, false),
            "lunches" => plain(&ctx, &mut out, p, &records, true, false),
            "timesheet" => plain(&ctx, &mut out, p, &records, false, true),
            _ => match extended(&ctx, p, &records, start, end, window) {
                Some(v) => {
                    serde_json::to_writer(&mut out, &v).expect("json");
                    true
                }
                None => false,
            },
        };
        if written {
            first = false;
        } else {
            out.truncate(mark);
        }
    }
    out.push(b']');
    out
}

/// One interval (session, lunch or work log) written member by member, in the guide's order.
struct IntervalOut<'a> {
    ctx: &'a Ctx<'a>,
    at: &'a Interval,
    /// Work logs start with `name` and `externalId`.
    work_log: Option<(&'a str, &'a ExternalId)>,
    zone: Option<&'a str>,
    /// `Some` for work sessions (`locationType` is written, possibly null).
    location: Option<Option<&'a str>>,
    /// `timesheet`: the nested lunches and work logs of this session.
    nested: Option<&'a DayRecord>,
}

impl Serialize for IntervalOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some((name, id)) = self.work_log {
            m.serialize_entry("name", name)?;
            match id {
                ExternalId::Text(t) => m.serialize_entry("externalId", t)?,
                ExternalId::Number(n) => m.serialize_entry("externalId", n)?,
                ExternalId::None => m.serialize_entry("externalId", &None::<&str>)?,
            }
        }
        m.serialize_entry("startDate", &self.ctx.dt_string(self.at.start))?;
        if let Some(end) = self.ctx.end_value(self.at.end) {
            m.serialize_entry("endDate", &end)?;
        }
        if let Some(z) = self.zone {
            m.serialize_entry("timezone", z)?;
        }
        if let Some(loc) = self.location {
            m.serialize_entry("locationType", &loc)?;
        }
        m.serialize_entry("startSourceType", self.at.src_start)?;
        m.serialize_entry("endSourceType", &self.at.src_end)?;
        if let Some(r) = self.nested {
            m.serialize_entry(
                "lunches",
                &Seq(r.lunches.iter().map(|l| IntervalOut {
                    ctx: self.ctx,
                    at: l,
                    work_log: None,
                    zone: None,
                    location: None,
                    nested: None,
                })),
            )?;
            m.serialize_entry(
                "workLogs",
                &Seq(r.work_logs.iter().map(|w| IntervalOut {
                    ctx: self.ctx,
                    at: &w.at,
                    work_log: Some((w.name, &w.external_id)),
                    zone: None,
                    location: None,
                    nested: None,
                })),
            )?;
        }
        m.end()
    }
}

/// Serialises an iterator as a JSON array (cloned, so it can be written more than once).
struct Seq<I>(I);

impl<I: Iterator<Item = T> + Clone, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.0.clone() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

struct PlainEmployee<'a> {
    ctx: &'a Ctx<'a>,
    person: &'a RosterPerson,
    items: Vec<IntervalOut<'a>>,
}

impl Serialize for PlainEmployee<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry(
            "employeeNumber",
            &self.ctx.employee_number(self.person, false),
        )?;
        m.serialize_entry("email", &self.person.email)?;
        m.serialize_entry("sessions", &self.items)?;
        m.end()
    }
}

fn plain(
    ctx: &Ctx,
    out: &mut Vec<u8>,
    p: &RosterPerson,
    records: &[(NaiveDate, DayRecord)],
    lunches: bool,
    timesheet: bool,
) -> bool {
    let mut items = Vec::new();
    for (_, r) in records.iter().filter(|(_, r)| r.absence.is_none()) {
        if lunches {
            items.extend(r.lunches.iter().map(|l| IntervalOut {
                ctx,
                at: l,
                work_log: None,
                zone: Some(r.zone),
                location: None,
                nested: None,
            }));
            continue;
        }
        items.push(IntervalOut {
            ctx,
            at: &r.at,
            work_log: None,
            zone: Some(r.zone),
            location: Some(r.location),
            nested: timesheet.then_some(r),
        });
    }
    if items.is_empty() && ctx.sim.inner.config.omit_idle_employees {
        return false;
    }
    serde_json::to_writer(
        out,
        &PlainEmployee {
            ctx,
            person: p,
            items,
        },
    )
    .expect("json");
    true
}

fn extended(
    ctx: &Ctx,
    p: &RosterPerson,
    records: &[(NaiveDate, DayRecord)],
    start: NaiveDate,
    end: NaiveDate,
    window: (NaiveDate, NaiveDate),
) -> Option<Value> {
    if records.is_empty() && ctx.sim.inner.config.omit_idle_employees {
        return None;
    }
    let loose = ctx.sim.inner.config.loose_scalars;
    let mut worked = 0i64;
    let mut leave = 0i64;
    let mut items = Vec::new();
    for (_, r) in records {
        if r.at.end.is_some() {
            if r.absence.is_some() {
                leave += r.duration.unwrap_or(0);
            } else {
                worked += r.duration.unwrap_or(0);
            }
        }
        let mut m = Map::new();
        m.insert("startDate".into(), ctx.dt(r.at.start));
        m.insert(
            "startDateSentAt".into(),
            ctx.dt(r.at.start + chrono::Duration::minutes(r.start_sent_after_minutes)),
        );
        m.insert("startNote".into(), json!(r.start_note));
        ctx.put_end(&mut m, "endDate", r.at.end);
        m.insert(
            "endDateSentAt".into(),
            r.at.end.map_or(Value::Null, |t| ctx.dt(t)),
        );
        m.insert("endNote".into(), Value::Null);
        m.insert(
            "duration".into(),
            r.duration.map_or(Value::Null, |d| ctx.number(d)),
        );
        m.insert("timezone".into(), json!(r.zone));
        m.insert("locationType".into(), json!(r.location));
        m.insert("startSourceType".into(), json!(r.at.src_start));
        m.insert("endSourceType".into(), json!(r.at.src_end));
        let is_abs = r.absence.is_some();
        m.insert(
            "isAbsence".into(),
            if loose {
                json!(is_abs as u8)
            } else {
                json!(is_abs)
            },
        );
        let a = r.absence.as_ref();
        m.insert("absenceName".into(), json!(a.map(|a| a.name)));
        m.insert("absenceNote".into(), json!(a.and_then(|a| a.note)));
        m.insert(
            "absenceApprovedDate".into(),
            a.and_then(|a| a.approved)
                .map_or(Value::Null, |t| ctx.dt(t)),
        );
        m.insert(
            "absenceApprovedManager".into(),
            json!(a.and_then(|a| a.approved).map(|_| "Dana Manager")),
        );
        m.insert("absenceCodeDays".into(), json!(a.map(|a| a.code_days)));
        m.insert("absenceCodeHors".into(), json!(a.map(|a| a.code_hours)));
        items.push(Value::Object(m));
    }
    let expected: i64 = days(start, end)
        .map(|d| expected_seconds(p, d, window))
        .sum();
    let mut rng = Rng::derive(ctx.sim.inner.seed, &[p.employee_number as u64, 0xE7]);
    let teams = ["Support", "Sales", "Operations", "R&D"];
    let country = if p.timezone == "Asia/Jerusalem" {
        "Israel"
    } else {
        "Belgium"
    };
    let started = NaiveDate::from_ymd_opt(
        2010 + rng.range(0, 14) as i32,
        1 + rng.range(0, 11) as u32,
        1 + rng.range(0, 27) as u32,
    )
    .expect("valid date");
    let birthday = NaiveDate::from_ymd_opt(
        1960 + rng.range(0, 40) as i32,
        1 + rng.range(0, 11) as u32,
        1 + rng.range(0, 27) as u32,
    )
    .expect("valid date");
    Some(json!({
        "id": 20000 + p.employee_number,
        "employeeNumber": ctx.employee_number(p, true),
        "email": p.email,
        "passport": format!("P{}{}", p.employee_number, birthday.year() % 100),
        "groups": [country, teams[p.index % teams.len()]],
        "workStartedAt": started.format("%Y-%m-%d").to_string(),
        "workEndedAt": Value::Null,
        "birthday": birthday.format("%Y-%m-%d").to_string(),
        "gender": *rng.pick(&["female", "male"]),
        "totalWorkedSeconds": ctx.number(worked),
        "totalLeaveSeconds": ctx.number(leave),
        "expectedSeconds": ctx.number(expected),
        "sessions": items,
    }))
}
