//! Writes the `result` arrays of the four methods in the documented shapes (spec §7).
//!
//! Generated lazily, one employee at a time, straight into the output buffer.

use super::data::{day_records, expected_seconds, DayRecord, ExternalId, Interval};
use super::{DateTimeStyle, OpenEnd, TimeClockSim};
use crate::roster::{Rng, RosterPerson};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{json, Map, Value};

struct Ctx<'a> {
    sim: &'a TimeClockSim,
}

impl Ctx<'_> {
    fn dt(&self, t: NaiveDateTime) -> Value {
        let f = match self.sim.inner.config.datetime_style {
            DateTimeStyle::Space => "%Y-%m-%d %H:%M:%S",
            DateTimeStyle::IsoT => "%Y-%m-%dT%H:%M:%S",
            DateTimeStyle::Fractional => "%Y-%m-%d %H:%M:%S%.6f",
        };
        Value::String(t.format(f).to_string())
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

    fn interval(&self, i: &Interval, zone: Option<&str>) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("startDate".into(), self.dt(i.start));
        self.put_end(&mut m, "endDate", i.end);
        if let Some(z) = zone {
            m.insert("timezone".into(), json!(z));
        }
        m.insert("startSourceType".into(), json!(i.src_start));
        m.insert("endSourceType".into(), json!(i.src_end));
        m
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
        let value = match method {
            "sessions" => plain(&ctx, p, &records, false, false),
            "lunches" => plain(&ctx, p, &records, true, false),
            "timesheet" => plain(&ctx, p, &records, false, true),
            _ => extended(&ctx, p, &records, start, end, window),
        };
        let Some(value) = value else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut out, &value).expect("json");
    }
    out.push(b']');
    out
}

fn plain(
    ctx: &Ctx,
    p: &RosterPerson,
    records: &[(NaiveDate, DayRecord)],
    lunches: bool,
    timesheet: bool,
) -> Option<Value> {
    let mut items = Vec::new();
    for (_, r) in records.iter().filter(|(_, r)| r.absence.is_none()) {
        if lunches {
            for l in &r.lunches {
                items.push(Value::Object(ctx.interval(l, Some(r.zone))));
            }
            continue;
        }
        let mut m = ctx.interval(&r.at, Some(r.zone));
        m.insert("locationType".into(), json!(r.location));
        if timesheet {
            let ls: Vec<Value> = r
                .lunches
                .iter()
                .map(|l| Value::Object(ctx.interval(l, None)))
                .collect();
            let ws: Vec<Value> = r
                .work_logs
                .iter()
                .map(|w| {
                    let mut m = Map::new();
                    m.insert("name".into(), json!(w.name));
                    m.insert(
                        "externalId".into(),
                        match &w.external_id {
                            ExternalId::Text(s) => json!(s),
                            ExternalId::Number(n) => json!(n),
                            ExternalId::None => Value::Null,
                        },
                    );
                    m.extend(ctx.interval(&w.at, None));
                    Value::Object(m)
                })
                .collect();
            m.insert("lunches".into(), Value::Array(ls));
            m.insert("workLogs".into(), Value::Array(ws));
        }
        items.push(Value::Object(m));
    }
    if items.is_empty() && ctx.sim.inner.config.omit_idle_employees {
        return None;
    }
    Some(json!({
        "employeeNumber": ctx.employee_number(p, false),
        "email": p.email,
        "sessions": items,
    }))
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
        m.insert("startDateSentAt".into(), ctx.dt(r.at.start));
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
