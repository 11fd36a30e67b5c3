use super::*;
use crate::roster::{works_nights, Roster, RosterPerson, TimeClockCompany};
use crate::timeclock::data::day_records;
use crate::timeclock::data::dst_change;
use chrono::{Duration as Days, NaiveDate};

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

/// The seed's example access clocking 1234 names a person on whatever day the sandbox starts (on
/// 2026-12-01 it once fell on the day's unknown badge and the documented lookup had no person).
#[test]
fn documented_access_clocking_belongs_to_a_person_on_every_start_day() {
    let mut today = ymd("2026-01-01");
    while today <= ymd("2027-01-31") {
        let (_, demo, _) = both(today, 60);
        let example = demo.access.iter().find(|a| a.id == 1234);
        assert!(
            example.is_some_and(|a| a.person.is_some()),
            "access clocking 1234 on {today}: {example:?}"
        );
        today += Days::days(1);
    }
}

/// `--forgotten-out-punches` takes out exactly the hand-added out-clockings: those days keep an
/// in-clocking without its out (an odd In/Out count, less time present than TimeClock 365 worked),
/// and every other day is as before.
#[test]
fn forgotten_out_punches_leave_an_in_without_its_out_on_the_seeded_days_only() {
    let today = ymd("2026-11-22");
    let (roster, full, company) = both(today, 60);
    let (_, mut forgot, _) = both(today, 60);
    assert!(!full.hand_added_outs.is_empty());
    let removed: std::collections::HashSet<i64> = forgot.hand_added_outs.iter().copied().collect();
    forgot.clockings.retain(|c| !removed.contains(&c.id));
    let in_outs = |demo: &Demo, person: i64, day: NaiveDate| {
        demo.clockings
            .iter()
            .filter(|c| {
                c.person == person && c.date == day && c.kind == "InOut" && c.status == "Active"
            })
            .count()
    };
    let mut forgotten_days = 0;
    for p in &full.people {
        let member = &roster.people[p.index];
        for day in ymd("2026-10-01").iter_days().take_while(|d| *d <= today) {
            let hand_added = full
                .clockings
                .iter()
                .any(|c| c.person == p.id && c.date == day && removed.contains(&c.id));
            if hand_added {
                forgotten_days += 1;
                assert!(protime_correction(SEED, p.index, day).is_some_and(|m| m > 0));
                assert_eq!(in_outs(&forgot, p.id, day) % 2, 1, "{} {day}", p.id);
                let worked = timeclock_worked(member, day, company.window);
                assert!(present(&forgot, p.id, day) < worked, "{} {day}", p.id);
            } else {
                assert_eq!(in_outs(&forgot, p.id, day), in_outs(&full, p.id, day));
                assert_eq!(present(&forgot, p.id, day), present(&full, p.id, day));
            }
        }
    }
    assert!(forgotten_days >= 10, "{forgotten_days}");
}
