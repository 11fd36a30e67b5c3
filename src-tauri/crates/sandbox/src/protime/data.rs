//! The simulator's own records (written from the spec, not shared with the client) and the seeded demo
//! data drawn from the roster.

use crate::roster::{works_nights, Rng, Roster, RosterPerson, TimeClockCompany};
use crate::timeclock::data::{day_records, to_instant};
use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// First change version handed out; every change takes the next one. Printed as 20 upper-case hex digits.
pub const CV_BASE: u64 = 0x0000_0902_0000_4BD0_0000;

pub fn cv_text(cv: u64) -> String {
    format!("{cv:020X}")
}

/// The demo activity structure version; the GUID is the one the documentation examples use.
pub const STRUCTURE_VERSION: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";
pub const LEVEL_NAMES: [&str; 3] = ["Company", "Department", "Task"];

/// Values the documentation examples use, mapped onto demo people so those examples work as-is:
/// `@badge-number` 1955 and `@employee-number` 01256 (the person's own fields keep the roster values).
pub const SEED_BADGE_ALIAS: (&str, usize) = ("1955", 7);
pub const SEED_EMPLOYEE_ALIAS: (&str, usize) = ("01256", 12);
/// Demo people whose Protime record deliberately disagrees with TimeClock 365 (people are matched
/// across the systems by employee number): this one has another e-mail address in Protime, ...
pub const MISMATCH_EMAIL_INDEX: usize = 23;
/// ... this one carries the employee number of the person before it (a duplicate number), ...
pub const DUPLICATE_NUMBER_INDEX: usize = 45;
/// ... and this one's number is the roster number plus this offset, which TimeClock 365 does not know.
pub const PROTIME_ONLY_INDEX: usize = 49;
pub const PROTIME_ONLY_OFFSET: u32 = 8000;
/// First person id: person 76547 of the examples is the 48th demo person.
pub const PERSON_ID_BASE: i64 = 76500;

#[derive(Debug, Clone)]
pub struct SimPerson {
    pub id: i64,
    pub index: usize,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub employee_number: String,
    pub badge_number: String,
    pub cv: u64,
}

impl SimPerson {
    pub fn to_json(&self, older_spelling: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "firstName": self.first_name,
            "lastName": self.last_name,
            "initials": format!("{}{}", self.first_name.chars().next().unwrap_or('-'), self.last_name.chars().next().unwrap_or('-')),
            "email": self.email,
            "employeeNumber": self.employee_number,
            "badgeNumber": self.badge_number,
            "inServiceDate": "2020-01-01",
            "outOfServiceDate": null,
            "sex": "Unknown",
        });
        let (country, nationality) = if older_spelling {
            ("countryIsoCode", "nationalityIsoCode")
        } else {
            ("countryISOCode", "nationalityISOCode")
        };
        let code = if self.index % 3 == 1 { "IL" } else { "BE" };
        v[country] = json!(code);
        v[nationality] = json!(code);
        v
    }
    /// Custom reference `HRMID` every demo person carries.
    pub fn hrmid(&self) -> String {
        format!("HR{}", self.employee_number)
    }
}

#[derive(Debug, Clone)]
pub struct Terminal {
    pub id: i64,
    pub name: String,
    pub external_code: String,
    /// Custom references, e.g. `SapTerminalCode`.
    pub custom: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct AbsenceDef {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub is_reason_for_clocking: bool,
    pub cv: u64,
}

impl AbsenceDef {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "name": {"default": self.name, "translations": {}},
            "code": self.code,
            "friendlyName": {"default": self.name, "translations": {}},
            "friendlyCode": {"default": self.code, "translations": {}},
            "allowedDurations": ["FullDay", "HalfDay", "Interval"],
            "isEnabled": true,
            "isReasonForClocking": self.is_reason_for_clocking,
            "absenceGroup": {"id": 1},
        })
    }
}

#[derive(Debug, Clone)]
pub struct Clocking {
    pub id: i64,
    pub person: i64,
    pub date: NaiveDate,
    pub time: i32,
    pub original_time: Option<i32>,
    pub kind: String,
    pub terminal: Option<i64>,
    pub geolocation: Option<(f64, f64)>,
    pub reason: Option<i64>,
    pub is_open: Option<bool>,
    /// (level, activity definition id)
    pub levels: Vec<(i64, String)>,
    pub status: String,
    pub is_generated: bool,
    pub cv: u64,
}

impl Clocking {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "person": {"id": self.person},
            "date": self.date.to_string(),
            "timeOfDayInMinutes": self.time,
            "calculatedTimeOfDayInMinutes": self.time,
            "isGenerated": self.is_generated,
            "kind": self.kind,
            "status": self.status,
        });
        if let Some(o) = self.original_time {
            v["originalTimeOfDayInMinutes"] = json!(o);
        }
        if let Some(t) = self.terminal {
            v["terminal"] = json!({"id": t});
        }
        if let Some((lon, lat)) = self.geolocation {
            v["geolocation"] = json!({"longitude": lon, "latitude": lat});
        }
        if let Some(r) = self.reason {
            v["reason"] = json!({"id": r});
        }
        if let Some(o) = self.is_open {
            v["isOpen"] = json!(o);
        }
        if !self.levels.is_empty() {
            v["activityLevels"] = Value::Array(
                self.levels
                    .iter()
                    .map(|(l, id)| json!({"level": l, "activityDefinition": {"id": id}}))
                    .collect(),
            );
        }
        v
    }
}

#[derive(Debug, Clone)]
pub struct AccessClocking {
    pub id: i64,
    pub person: Option<i64>,
    pub date: NaiveDate,
    pub time: i32,
    pub terminal: i64,
    /// Stored with the newer spelling; `UnknownBadgeNumber` is answered per the switch.
    pub status: String,
    pub cv: u64,
}

impl AccessClocking {
    pub fn to_json(&self, unknown_badge: &str) -> Value {
        let status = if self.status == "UnknownBadgeNumber" {
            unknown_badge
        } else {
            self.status.as_str()
        };
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "date": self.date.to_string(),
            "timeOfDayInMinutes": self.time,
            "terminal": {"id": self.terminal},
            "status": status,
        });
        if let Some(p) = self.person {
            v["person"] = json!({"id": p});
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub id: i64,
    pub person: i64,
    pub date: NaiveDate,
    pub normal: i64,
    pub present: i64,
    pub calculated: i64,
    pub flextime: i64,
    pub balance: i64,
    pub shift: Option<i64>,
    pub cv: u64,
}

impl Totals {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "person": {"id": self.person},
            "date": self.date.to_string(),
            "normalTimeDurationInMinutes": self.normal,
            "timePresentDurationInMinutes": self.present,
            "calculatedPresenceDurationInMinutes": self.calculated,
            "weeklyHours1DurationInMinutes": self.calculated,
            "weeklyHours2DurationInMinutes": 0,
            "weeklyHours3DurationInMinutes": 0,
            "payPeriodHoursDurationInMinutes": self.calculated,
            "flextimeDurationInMinutes": self.flextime,
            "flextimeBalanceInMinutes": self.balance,
        });
        if let Some(s) = self.shift {
            v["shiftDefinition"] = json!({"id": s});
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub kind: String,
    pub reference: i64,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Usage {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "activityUsageKind": self.kind,
            "usageReference": {"id": self.reference},
            "from": self.from.to_string(),
        });
        if let Some(u) = self.until {
            v["until"] = json!(u.to_string());
        }
        v
    }
    pub fn overlaps(&self, other: &Usage) -> bool {
        let end_a = self.until.unwrap_or(NaiveDate::MAX);
        let end_b = other.until.unwrap_or(NaiveDate::MAX);
        self.from <= end_b && other.from <= end_a
    }
}

#[derive(Debug, Clone)]
pub struct ActivityDef {
    pub id: String,
    pub version: String,
    pub level: i64,
    pub name: String,
    pub translations: Map<String, Value>,
    pub parent: Option<String>,
    pub short_code: Option<String>,
    pub data_entry_code: Option<String>,
    pub external_reference: Option<String>,
    pub info: Option<String>,
    pub active_from: Option<NaiveDate>,
    pub active_until: Option<NaiveDate>,
    pub custom: BTreeMap<String, String>,
    pub usages: Vec<Usage>,
    /// (level, definition ids)
    pub restrictions: Vec<(i64, Vec<String>)>,
    pub cv: u64,
}

impl ActivityDef {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "structureVersion": self.version,
            "level": self.level,
            "canConfigureRestrictions": true,
            "name": {"default": self.name, "translations": self.translations},
        });
        let opt = |v: &mut Value, k: &str, x: &Option<String>| {
            if let Some(x) = x {
                v[k] = json!(x);
            }
        };
        if let Some(p) = &self.parent {
            v["parent"] = json!({"id": p});
        }
        opt(&mut v, "shortCode", &self.short_code);
        opt(&mut v, "dataEntryCode", &self.data_entry_code);
        opt(&mut v, "externalReference", &self.external_reference);
        opt(&mut v, "info", &self.info);
        opt(
            &mut v,
            "activeFrom",
            &self.active_from.map(|d| d.to_string()),
        );
        opt(
            &mut v,
            "activeUntil",
            &self.active_until.map(|d| d.to_string()),
        );
        v
    }
    pub fn usages_json(&self) -> Value {
        json!({
            "changeVersion": cv_text(self.cv),
            "activityDefinitionId": {"id": self.id},
            "usages": self.usages.iter().map(Usage::to_json).collect::<Vec<_>>(),
        })
    }
    pub fn restrictions_array(&self) -> Value {
        Value::Array(
            self.restrictions
                .iter()
                .map(|(l, ids)| {
                    json!({"level": l, "activityDefinitions": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>()})
                })
                .collect(),
        )
    }
    pub fn restrictions_json(&self) -> Value {
        json!({
            "changeVersion": cv_text(self.cv),
            "activityDefinitionId": {"id": self.id},
            "restrictions": self.restrictions_array(),
        })
    }
}

/// A GUID-looking id derived from the seed (8-4-4-4-12 lower-case hex).
pub fn guid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        0x8000 | (b >> 48) & 0x3FFF,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Everything the demo tenant holds.
pub struct Demo {
    pub people: Vec<SimPerson>,
    pub terminals: Vec<Terminal>,
    pub absence_defs: Vec<AbsenceDef>,
    pub defs: Vec<ActivityDef>,
    pub clockings: Vec<Clocking>,
    pub access: Vec<AccessClocking>,
    pub next_cv: u64,
}

/// Circles are `1..=20`: person index `i` is in circle `i % 20 + 1` and in org-group `121 + i % 5`.
pub fn in_circle(person_index: usize, circle: i64) -> bool {
    (person_index % 20) as i64 + 1 == circle
}
pub fn in_org_group(person_index: usize, group: i64) -> bool {
    121 + (person_index % 5) as i64 == group
}

/// The demo tenant as of `today`. People who also clock in `timeclock` (the same roster people) get
/// their in/out clockings from their TimeClock 365 sessions, so both systems tell the same story
/// except on the seeded [`protime_correction`] days; everyone else's days are drawn independently.
pub fn generate(
    seed: u64,
    roster: &Roster,
    today: NaiveDate,
    timeclock: Option<TimeClockCompany>,
) -> Demo {
    let mut cv = CV_BASE;
    let mut next = || {
        cv += 1;
        cv
    };
    let people: Vec<SimPerson> = roster
        .people
        .iter()
        .take(crate::roster::PROTIME_PEOPLE)
        .map(|p| {
            let mut person = SimPerson {
                id: PERSON_ID_BASE + p.index as i64,
                index: p.index,
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                email: p.email.clone(),
                employee_number: p.employee_number.to_string(),
                badge_number: p.badge_number.clone(),
                cv: next(),
            };
            // Seeded mismatches, so the merged report has something to show besides matches.
            if p.index == MISMATCH_EMAIL_INDEX {
                person.email = format!("{}.{}@old-mail.demo.test", p.index, p.employee_number);
            }
            if p.index == DUPLICATE_NUMBER_INDEX {
                person.employee_number = (p.employee_number - 1).to_string();
            }
            if p.index == PROTIME_ONLY_INDEX {
                person.employee_number = (p.employee_number + PROTIME_ONLY_OFFSET).to_string();
            }
            person
        })
        .collect();
    let terminals: Vec<Terminal> = (0..6)
        .map(|i| {
            let mut custom = BTreeMap::new();
            custom.insert("SapTerminalCode".to_string(), format!("SAPTO{}", i + 1));
            Terminal {
                id: 301 + i,
                name: [
                    "Main entrance",
                    "Warehouse",
                    "Office 2nd floor",
                    "Plant gate",
                    "Canteen",
                    "Mobile app",
                ][i as usize]
                    .to_string(),
                external_code: format!("TERM-{:02}", i + 1),
                custom,
            }
        })
        .collect();
    let absence_names = [
        ("Doctor visit", "DOC", true),
        ("Official business", "OFB", true),
        ("Training", "TRN", true),
        ("Union meeting", "UNI", true),
        ("Holiday", "HOL", false),
        ("Sick leave", "SIC", false),
        ("Parental leave", "PAR", false),
        ("Compensation", "CMP", false),
        ("Smoke break", "SMK", true),
        ("Blood donation", "BLD", true),
    ];
    let absence_defs: Vec<AbsenceDef> = absence_names
        .iter()
        .enumerate()
        .map(|(i, (n, c, r))| AbsenceDef {
            // 6578 (the documented reason id) is "Doctor visit".
            id: 6578 + i as i64,
            name: n.to_string(),
            code: c.to_string(),
            is_reason_for_clocking: *r,
            cv: next(),
        })
        .collect();

    // Activity structure: 4 companies › 12 departments › 24 tasks.
    let mut rng = Rng::derive(seed, &[0xAC71]);
    let mut defs = Vec::new();
    let fixed_l1 = [
        "a7d853ea-89eb-4735-83d1-b891c6fde398",
        "22d320ed-f6ed-44bd-b7b1-fe58f518960c",
        "0b3642ae-16c9-4914-b099-2ba4b99d5ee9",
    ];
    let companies = ["Acme Belgium", "Acme Israel", "Acme Services", "Acme Labs"];
    let departments = [
        "Sales",
        "Production",
        "Logistics",
        "Finance",
        "HR",
        "IT",
        "Support",
        "Research",
        "Quality",
        "Facilities",
        "Marketing",
        "Legal",
    ];
    let tasks = [
        "Assembly",
        "Packing",
        "Inspection",
        "Cleaning",
        "Meetings",
        "Travel",
        "Admin",
        "Coding",
        "Testing",
        "Training",
        "Planning",
        "Reporting",
        "Calls",
        "Maintenance",
        "Loading",
        "Picking",
        "Audit",
        "Design",
        "Review",
        "Support",
        "Onboarding",
        "Inventory",
        "Repairs",
        "Documentation",
    ];
    let date0 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mk = |rng: &mut Rng,
              level: i64,
              id: Option<&str>,
              name: &str,
              parent: Option<String>,
              dec: String,
              next: &mut dyn FnMut() -> u64| {
        let mut custom = BTreeMap::new();
        custom.insert("CustomActivityReference".to_string(), format!("CAR{dec}"));
        let mut translations = Map::new();
        translations.insert("nl".into(), json!(format!("{name} (nl)")));
        ActivityDef {
            id: id.map(str::to_string).unwrap_or_else(|| guid(rng)),
            version: STRUCTURE_VERSION.to_string(),
            level,
            name: name.to_string(),
            translations,
            parent,
            short_code: Some(format!(
                "{}{}",
                &name[..2.min(name.len())].to_uppercase(),
                &dec[dec.len() - 2..]
            )),
            data_entry_code: Some(dec.clone()),
            external_reference: Some(format!(
                "{}-{}",
                &name.to_uppercase().replace(' ', "")[..3.min(name.len())],
                dec
            )),
            info: None,
            active_from: Some(date0),
            active_until: None,
            custom,
            usages: Vec::new(),
            restrictions: Vec::new(),
            cv: next(),
        }
    };
    for (i, c) in companies.iter().enumerate() {
        let d = mk(
            &mut rng,
            1,
            fixed_l1.get(i).copied(),
            c,
            None,
            format!("{:05}", 11 + i),
            &mut next,
        );
        defs.push(d);
    }
    for (i, dep) in departments.iter().enumerate() {
        let parent = defs[i % 4].id.clone();
        let d = mk(
            &mut rng,
            2,
            None,
            dep,
            Some(parent),
            format!("{:05}", 10011 + i),
            &mut next,
        );
        defs.push(d);
    }
    for (i, t) in tasks.iter().enumerate() {
        let parent = defs[4 + i % 12].id.clone();
        let id = match i {
            0 => Some("b2593723-9574-4659-8367-706645454367"),
            1 => Some("38fc2206-b51f-434a-9c36-9e0esfc5e70e"),
            _ => None,
        };
        let mut d = mk(
            &mut rng,
            3,
            id,
            t,
            Some(parent),
            format!("{:05}", 20001 + i),
            &mut next,
        );
        if i % 3 == 0 {
            d.usages.push(Usage {
                kind: "Circle".into(),
                reference: (i % 20) as i64 + 1,
                from: date0,
                until: None,
            });
        }
        if i % 5 == 1 {
            d.usages.push(Usage {
                kind: "Person".into(),
                reference: PERSON_ID_BASE + i as i64,
                from: date0,
                until: Some(NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()),
            });
        }
        if i % 4 == 0 {
            d.restrictions.push((1, vec![defs[i % 4].id.clone()]));
        }
        defs.push(d);
    }

    // 60 days of clockings up to today.
    let mut clockings = Vec::new();
    let mut access = Vec::new();
    let mut clocking_id = 100_000i64;
    let mut access_id = 1000i64;
    let start = today - Days::days(59);
    let level3: Vec<(String, String, String)> = defs
        .iter()
        .filter(|d| d.level == 3)
        .map(|d| {
            let l2 = d.parent.clone().unwrap();
            let l1 = defs
                .iter()
                .find(|x| x.id == l2)
                .and_then(|x| x.parent.clone())
                .unwrap();
            (l1, l2, d.id.clone())
        })
        .collect();
    let mut day = start;
    while day <= today {
        for p in &people {
            let member = &roster.people[p.index];
            let mut r = Rng::derive(
                seed,
                &[0xC10C, p.index as u64, day.num_days_from_ce() as u64],
            );
            let shared = timeclock.filter(|tc| p.index < tc.employees);
            let plan = match shared {
                Some(tc) => DayPlan {
                    shifts: shifts_from_timeclock(seed, member, day, tc.window),
                    lunch: None,
                },
                None => independent_day(&mut r, p.index, day),
            };
            let Some(&(t_in, _)) = plan.shifts.first() else {
                continue;
            };
            let t_out = plan.shifts.last().and_then(|s| s.1);
            let terminal = 301 + (p.index % 5) as i64;
            let mut push = |kind: &str,
                            time: i32,
                            reason: Option<i64>,
                            levels: Vec<(i64, String)>,
                            cv: u64|
             -> usize {
                clocking_id += 1;
                clockings.push(Clocking {
                    id: clocking_id,
                    person: p.id,
                    date: day,
                    time,
                    original_time: None,
                    kind: kind.to_string(),
                    terminal: Some(terminal),
                    geolocation: None,
                    reason,
                    is_open: reason.map(|_| false),
                    levels,
                    status: "Active".into(),
                    is_generated: false,
                    cv,
                });
                clockings.len() - 1
            };
            // Positions (in `clockings`) of the day's first in- and last out-clocking.
            let mut first_in = None;
            let mut last_out = None;
            for &(clock_in, clock_out) in &plan.shifts {
                let at = push("InOut", clock_in, None, vec![], next());
                first_in.get_or_insert(at);
                if let Some(o) = clock_out {
                    last_out = Some(push("InOut", o, None, vec![], next()));
                }
            }
            if let Some((out, back)) = plan.lunch {
                push("InOut", out, None, vec![], next());
                push("InOut", back, None, vec![], next());
            }
            if p.index % 4 == 0 {
                let (l1, l2, l3) = r.pick(&level3).clone();
                push(
                    "Activity",
                    t_in + 2,
                    None,
                    vec![(1, l1), (2, l2), (3, l3)],
                    next(),
                );
                if let Some(o) = t_out {
                    push("ActivityEnd", o - 2, None, vec![], next());
                }
            }
            if r.chance(0.06) {
                push(
                    "Reason",
                    t_in + 120,
                    Some(6578 + r.range(0, 3)),
                    vec![],
                    next(),
                );
            }
            if r.chance(0.03) {
                // A clocking entered by mistake and deleted in Protime: soft delete.
                let at = push("InOut", t_in + 5, None, vec![], next());
                clockings[at].status = "Deleted".into();
            }
            // The seeded disagreement of a shared person: HR corrected or completed a clocking in
            // Protime that TimeClock 365 still has as it was.
            let correction = shared.and_then(|_| protime_correction(seed, p.index, day));
            if let (Some(minutes), Some(first_in), Some(last_out)) =
                (correction, first_in, last_out)
            {
                if minutes > 0 {
                    // A forgotten out-clocking, added later by hand at the wrong time.
                    clockings[last_out].time += minutes;
                } else {
                    // The in-clocking moved to when the person was really at their post.
                    let c = &mut clockings[first_in];
                    c.original_time = Some(c.time);
                    c.time -= minutes;
                }
            }
            if r.chance(0.04) {
                // An edited clocking keeps its original time. A shared person's edit is a fix of a
                // terminal that ran five minutes early, so the times still agree with TimeClock 365.
                if let Some(c) = clockings
                    .iter_mut()
                    .rev()
                    .take_while(|c| c.person == p.id && c.date == day)
                    .find(|c| c.kind == "InOut" && c.original_time.is_none())
                {
                    if shared.is_some() {
                        c.original_time = Some(c.time - 5);
                    } else {
                        c.original_time = Some(c.time);
                        c.time += 5;
                    }
                }
            }
            access_id += 1;
            let statuses = [
                "AccessRefused",
                "WrongPinCode",
                "AlarmCode",
                "AntiPassbackError",
                "OutZone",
            ];
            let status = if r.chance(0.9) {
                "AccessOk".to_string()
            } else {
                r.pick(&statuses).to_string()
            };
            access.push(AccessClocking {
                id: access_id,
                person: Some(p.id),
                date: day,
                time: (t_in - 3).rem_euclid(1440),
                terminal: 301,
                status,
                cv: next(),
            });
        }
        // One unknown badge a day.
        access_id += 1;
        access.push(AccessClocking {
            id: access_id,
            person: None,
            date: day,
            time: 600,
            terminal: 304,
            status: "UnknownBadgeNumber".into(),
            cv: next(),
        });
        day += Days::days(1);
    }
    // The documented example access clocking 1234 exists.
    access.sort_by_key(|a| a.id);
    let next_cv = next();
    Demo {
        people,
        terminals,
        absence_defs,
        defs,
        clockings,
        access,
        next_cv,
    }
}

/// One person's presence on one day, as Protime minutes on that date.
struct DayPlan {
    /// (in, out) per session; `None` out while the session is still open.
    shifts: Vec<(i32, Option<i32>)>,
    /// A clocked lunch: out and back in.
    lunch: Option<(i32, i32)>,
}

/// The day of a Protime person who does not clock in TimeClock 365: drawn from `r` alone.
fn independent_day(r: &mut Rng, index: usize, day: NaiveDate) -> DayPlan {
    let none = DayPlan {
        shifts: Vec::new(),
        lunch: None,
    };
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    if weekend && !r.chance(0.05) {
        return none;
    }
    if r.chance(0.07) {
        return none; // absent
    }
    let night = works_nights(index);
    let (t_in, t_out) = if night {
        (
            1320 + r.range(-10, 10) as i32,
            1800 + r.range(-10, 20) as i32,
        )
    } else {
        (480 + r.range(-30, 30) as i32, 990 + r.range(-30, 40) as i32)
    };
    let lunch = (!night && r.chance(0.5))
        .then(|| (720 + r.range(0, 15) as i32, 750 + r.range(0, 15) as i32));
    DayPlan {
        shifts: vec![(t_in, Some(t_out))],
        lunch,
    }
}

/// A shared person's TimeClock 365 sessions of `day` as Protime (in, out) minutes on that date: the
/// same local times in the person's own zone (an "abroad" session is converted), an end after
/// midnight as 1440 + its time (Protime keeps a night shift's out-clocking on the shift's date), an
/// open session without an out. Absences are not presence and give no clockings.
pub fn shifts_from_timeclock(
    seed: u64,
    person: &RosterPerson,
    day: NaiveDate,
    window: (NaiveDate, NaiveDate),
) -> Vec<(i32, Option<i32>)> {
    let home: Tz = person.timezone.parse().unwrap_or(chrono_tz::UTC);
    let minutes_on_day = |t: NaiveDateTime| {
        ((t.date() - day).num_days() * 1440) as i32 + (t.hour() * 60 + t.minute()) as i32
    };
    day_records(seed, person, day, window)
        .into_iter()
        .filter(|r| r.absence.is_none())
        .map(|r| {
            let local = |t: NaiveDateTime| {
                if r.zone == person.timezone {
                    t
                } else {
                    let zone: Tz = r.zone.parse().unwrap_or(chrono_tz::UTC);
                    to_instant(zone, t, false)
                        .with_timezone(&home)
                        .naive_local()
                }
            };
            (
                minutes_on_day(local(r.at.start)),
                r.at.end.map(|e| minutes_on_day(local(e))),
            )
        })
        .collect()
}

/// The deliberate disagreement of a shared person on `day`, if any: on one day in every 30, Protime
/// holds a corrected or hand-completed clocking, so its time present differs from TimeClock 365's
/// worked time by 15–60 minutes (positive: Protime has more). People are spread evenly over the
/// 30-day cycle (one or two a day), so any week of the demo has some to highlight. Only days with a
/// closed session use it.
pub fn protime_correction(seed: u64, person_index: usize, day: NaiveDate) -> Option<i32> {
    const CYCLE: i64 = 30;
    let day_number = day.num_days_from_ce() as i64;
    // 7 and 30 are coprime: thirty consecutive people land on thirty different days of the cycle.
    let phase = Rng::derive(seed, &[0xD1FF]).range(0, CYCLE - 1);
    if (day_number + phase + person_index as i64 * 7).rem_euclid(CYCLE) != 0 {
        return None;
    }
    let mut r = Rng::derive(seed, &[0xD1FF, person_index as u64, day_number as u64]);
    let minutes = r.range(15, 60) as i32;
    Some(if r.chance(0.5) { minutes } else { -minutes })
}

/// The demo tenant's daily maximum of counted presence, in minutes.
pub const MAX_COUNTED_PRESENCE: i64 = 600;

/// Calculated totals of one person for `dates`, from the active in/out clockings (pairs in time order).
pub fn compute_totals(
    person: i64,
    clockings: &[&Clocking],
    dates: &[NaiveDate],
) -> Vec<(NaiveDate, i64, i64, i64)> {
    let mut out = Vec::new();
    for &day in dates {
        let mut times: Vec<i32> = clockings
            .iter()
            .filter(|c| {
                c.person == person && c.date == day && c.kind == "InOut" && c.status == "Active"
            })
            .map(|c| c.time)
            .collect();
        times.sort();
        let present: i64 = times
            .chunks(2)
            .filter(|p| p.len() == 2)
            .map(|p| (p[1] - p[0]) as i64)
            .sum();
        let normal = if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            0
        } else {
            480
        };
        // The demo tenant pays breaks (TimeClock 365's worked time counts lunch too, so the two
        // compare), and presence beyond its ten-hour daily maximum does not count.
        let calculated = present.min(MAX_COUNTED_PRESENCE);
        out.push((day, normal, present, calculated));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeclock::data::dst_change;

    const SEED: u64 = 1;

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The demo of both systems as the sandbox starts them: 60 TimeClock 365 employees, 60 days.
    fn both(today: NaiveDate, employees: usize) -> (Roster, Demo, TimeClockCompany) {
        let roster = Roster::generate(SEED, 60);
        let company = TimeClockCompany {
            employees,
            window: (today - Days::days(59), today),
        };
        (
            roster.clone(),
            generate(SEED, &roster, today, Some(company)),
            company,
        )
    }

    /// TimeClock 365's worked minutes of a day: closed sessions, absences excluded (what its
    /// `timesheet` reports), rounded to the minute like the report does.
    fn timeclock_worked(p: &RosterPerson, day: NaiveDate, window: (NaiveDate, NaiveDate)) -> i64 {
        day_records(SEED, p, day, window)
            .iter()
            .filter(|r| r.absence.is_none() && r.at.end.is_some())
            .map(|r| (r.duration.unwrap_or(0) + 30).div_euclid(60))
            .sum()
    }

    fn present(demo: &Demo, person: i64, day: NaiveDate) -> i64 {
        let refs: Vec<&Clocking> = demo.clockings.iter().collect();
        compute_totals(person, &refs, &[day])[0].2
    }

    #[test]
    fn time_present_equals_timeclock_worked_time_except_on_the_seeded_days() {
        let today = ymd("2026-11-22");
        let (roster, demo, company) = both(today, 60);
        let week: Vec<NaiveDate> = ymd("2026-11-09").iter_days().take(7).collect();
        let (mut compared, mut worked_days, mut disagreements) = (0, 0, 0);
        for p in &demo.people {
            let member = &roster.people[p.index];
            for &day in &week {
                let worked = timeclock_worked(member, day, company.window);
                let protime = present(&demo, p.id, day);
                compared += 1;
                worked_days += usize::from(worked > 0);
                match protime_correction(SEED, p.index, day).filter(|_| worked > 0) {
                    Some(m) => {
                        disagreements += 1;
                        assert!((15..=60).contains(&m.abs()), "{m}");
                        assert_eq!(protime, worked + m as i64, "{} {day}", p.id);
                    }
                    None => assert_eq!(protime, worked, "person {} on {day}", p.id),
                }
            }
        }
        assert!(worked_days > 150, "a working week: {worked_days}");
        // About one day in 30: something for the tolerance highlight, not a sea of red.
        assert!(
            (3..=worked_days / 10).contains(&disagreements),
            "{disagreements} of {compared}"
        );
    }

    #[test]
    fn the_whole_window_agrees_outside_dst_changes_and_keeps_its_other_clockings() {
        let today = ymd("2026-11-22");
        let (roster, demo, company) = both(today, 60);
        let mut night_out_past_midnight = false;
        for p in &demo.people {
            let member = &roster.people[p.index];
            for day in company.window.0.iter_days().take_while(|d| *d <= today) {
                // Protime counts wall-clock minutes; on a DST change the night fixture differs by
                // the hour that was skipped or repeated.
                if dst_change(member.timezone, day).is_some() {
                    continue;
                }
                let worked = timeclock_worked(member, day, company.window);
                let expected = worked
                    + protime_correction(SEED, p.index, day)
                        .filter(|_| worked > 0)
                        .map_or(0, i64::from);
                assert_eq!(present(&demo, p.id, day), expected, "{} {day}", p.id);
            }
            night_out_past_midnight |= works_nights(p.index)
                && demo
                    .clockings
                    .iter()
                    .any(|c| c.person == p.id && c.kind == "InOut" && c.time > 1440);
        }
        assert!(night_out_past_midnight, "night shifts end on the next day");
        // Today's sessions are open in TimeClock 365: Protime has their in-clocking only.
        let mut open_today = 0;
        for p in &demo.people {
            let open = day_records(SEED, &roster.people[p.index], today, company.window)
                .iter()
                .any(|r| r.absence.is_none() && r.at.end.is_none());
            let ins = demo
                .clockings
                .iter()
                .filter(|c| {
                    c.person == p.id && c.date == today && c.kind == "InOut" && c.status == "Active"
                })
                .count();
            if open {
                open_today += 1;
                assert_eq!(ins, 1, "{}", p.id);
            }
        }
        assert!(open_today > 5, "{open_today}");
        for kind in ["Activity", "ActivityEnd", "Reason"] {
            assert!(demo.clockings.iter().any(|c| c.kind == kind), "{kind}");
        }
        assert!(demo.clockings.iter().any(|c| c.status == "Deleted"));
        assert!(demo.clockings.iter().any(|c| c.original_time.is_some()));
        assert!(demo.access.iter().any(|a| a.id == 1234));
    }

    #[test]
    fn people_outside_the_timeclock_company_keep_their_own_days() {
        let today = ymd("2026-11-22");
        let (_, shared, _) = both(today, 60);
        let (_, partly, _) = both(today, 10);
        let of = |demo: &Demo, id: i64| {
            demo.clockings
                .iter()
                .filter(|c| c.person == id && c.kind == "InOut")
                .map(|c| (c.date, c.time))
                .collect::<Vec<_>>()
        };
        // The first ten clock in both; person 30 only in Protime once the company is smaller.
        assert_eq!(
            of(&shared, PERSON_ID_BASE + 3),
            of(&partly, PERSON_ID_BASE + 3)
        );
        let alone = of(&partly, PERSON_ID_BASE + 30);
        assert!(alone.len() > 40, "{}", alone.len());
        assert_ne!(of(&shared, PERSON_ID_BASE + 30), alone);
    }

    #[test]
    fn each_person_disagrees_once_in_thirty_days_and_every_day_has_someone() {
        let days: Vec<NaiveDate> = ymd("2026-09-01").iter_days().take(90).collect();
        for index in 0..50 {
            let n = days
                .iter()
                .filter(|d| protime_correction(SEED, index, **d).is_some())
                .count();
            assert_eq!(n, 3, "person {index}: once per 30 days");
        }
        for d in &days {
            let people = (0..50)
                .filter(|i| protime_correction(SEED, *i, *d).is_some())
                .count();
            assert!((1..=2).contains(&people), "{d}: {people}");
        }
        // Another seed, other days.
        let moved = (0..50).any(|i| {
            days.iter().any(|d| {
                protime_correction(SEED, i, *d).is_some() != protime_correction(2, i, *d).is_some()
            })
        });
        assert!(moved);
    }

    #[test]
    fn calculated_presence_is_capped_at_the_daily_maximum() {
        let day = ymd("2026-11-10");
        let clocking = |time: i32| Clocking {
            id: time as i64,
            person: 1,
            date: day,
            time,
            original_time: None,
            kind: "InOut".into(),
            terminal: None,
            geolocation: None,
            reason: None,
            is_open: None,
            levels: Vec::new(),
            status: "Active".into(),
            is_generated: false,
            cv: 0,
        };
        let eight_hours = [clocking(480), clocking(960)];
        let long_day = [clocking(420), clocking(1140)];
        let rows = |cs: &[Clocking]| {
            let refs: Vec<&Clocking> = cs.iter().collect();
            compute_totals(1, &refs, &[day])[0]
        };
        assert_eq!(rows(&eight_hours), (day, 480, 480, 480));
        assert_eq!(rows(&long_day), (day, 480, 720, MAX_COUNTED_PRESENCE));
    }
}
