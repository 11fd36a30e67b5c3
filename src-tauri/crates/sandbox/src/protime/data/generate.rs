//! The seeded demo tenant.

use super::*;
use crate::roster::{works_nights, Rng, Roster, RosterPerson, TimeClockCompany};
use crate::timeclock::data::{day_records, to_instant};
use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde_json::{json, Map};
use std::collections::BTreeMap;

/// Writes every numeric employee number zero-padded to six digits, as tenants that store the number
/// as text often do ("1001" becomes "001001"); TimeClock 365 keeps the plain number, so a merged
/// report must compare the two by value. Numbers that are not all digits are left as they are.
pub fn zero_pad_employee_numbers(people: &mut [SimPerson]) {
    for p in people {
        if p.employee_number.bytes().all(|b| b.is_ascii_digit()) {
            p.employee_number = format!("{:0>6}", p.employee_number);
        }
    }
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
                period_closing_date: None,
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
            d.restrictions.push(vec![(1, vec![defs[i % 4].id.clone()])]);
        }
        defs.push(d);
    }

    // 60 days of clockings up to today.
    let mut clockings = Vec::new();
    let mut access = Vec::new();
    let mut clocking_id = 100_000i64;
    let mut hand_added_outs = Vec::new();
    let mut access_id = 1000i64;
    // Unknown badges are numbered apart from people's access clockings, so the documented example
    // id 1234 always belongs to a person, whatever day the data starts on.
    let mut unknown_badge_id = 100_000_000i64;
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
                    hand_added_outs.push(clockings[last_out].id);
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
        unknown_badge_id += 1;
        access.push(AccessClocking {
            id: unknown_badge_id,
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
        hand_added_outs,
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
