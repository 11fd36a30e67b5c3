//! `timeOfDayInMinutes` arithmetic. Protime accepts −1440…2880: 0…1439 is a time on the clocking's
//! date, negative values are on the previous day and values from 1440 on the next day (spec 4.1).
//! The clock time a user types becomes minutes here and nowhere else.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The range lives with the client's `NewClocking`; these names are the clocking domain's view of it.
pub const MIN_MINUTES: i32 = timebridge_protime::models::MIN_TIME_OF_DAY_IN_MINUTES;
pub const MAX_MINUTES: i32 = timebridge_protime::models::MAX_TIME_OF_DAY_IN_MINUTES;

/// Which calendar day the entered clock time falls on, relative to the clocking's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum DayOffset {
    PreviousDay,
    SameDay,
    NextDay,
}

impl DayOffset {
    fn days(self) -> i32 {
        match self {
            DayOffset::PreviousDay => -1,
            DayOffset::SameDay => 0,
            DayOffset::NextDay => 1,
        }
    }

    /// Parses the CSV spelling: `previous`, `same` or `next` (empty means `same`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "same" => Some(DayOffset::SameDay),
            "previous" => Some(DayOffset::PreviousDay),
            "next" => Some(DayOffset::NextDay),
            _ => None,
        }
    }
}

/// Parses `HH:MM` (24-hour, 00:00…23:59), and `24:00`: the end of a day, which is how the top of
/// Protime's range (2880, midnight at the end of the next day) is written.
pub fn parse_clock_time(text: &str) -> Result<(u32, u32), String> {
    let t = text.trim();
    let (h, m) = t
        .split_once(':')
        .ok_or_else(|| format!("'{t}' is not a time: use HH:MM, for example 08:30"))?;
    let well_formed = m.len() == 2 && !h.is_empty() && h.len() <= 2;
    let (h, m): (u32, u32) = match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) if well_formed => (h, m),
        _ => return Err(format!("'{t}' is not a time: use HH:MM, for example 08:30")),
    };
    if (h > 23 || m > 59) && (h, m) != (24, 0) {
        return Err(format!(
            "'{t}' is not a time of day: hours go from 00 to 23 and minutes from 00 to 59 (24:00 is the end of the day)"
        ));
    }
    Ok((h, m))
}

/// The value sent as `timeOfDayInMinutes` for a clock time on a day relative to the clocking's date.
pub fn time_of_day_in_minutes(hours: u32, minutes: u32, day: DayOffset) -> i32 {
    day.days() * 1440 + (hours * 60 + minutes) as i32
}

/// The minutes for a clock time as typed (`HH:MM` or `24:00`) on a day relative to the clocking's date.
pub fn entered_minutes(time: &str, day: DayOffset) -> Result<i32, String> {
    if time.trim().is_empty() {
        return Err("Enter the time as HH:MM, for example 08:30".into());
    }
    let (h, m) = parse_clock_time(time)?;
    Ok(time_of_day_in_minutes(h, m, day))
}

/// The inverse: clock time and day for a `timeOfDayInMinutes` value, `None` outside −1440…2880.
/// 2880 is exactly midnight at the end of the next day, shown as 24:00 on the next day.
pub fn split_minutes(value: i32) -> Option<(u32, u32, DayOffset)> {
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&value) {
        return None;
    }
    let (day, within) = match value {
        v if v < 0 => (DayOffset::PreviousDay, v + 1440),
        v if v < 1440 => (DayOffset::SameDay, v),
        v => (DayOffset::NextDay, v - 1440),
    };
    Some(((within / 60) as u32, (within % 60) as u32, day))
}

/// The compact form for lists: `08:30`, `22:00 (−1)` on the previous day, `06:00 (+1)` on the next,
/// and the value itself when it is outside the range (an old row never hides what it holds).
pub fn short_clock_text(value: i32) -> String {
    match split_minutes(value) {
        Some((h, m, DayOffset::PreviousDay)) => format!("{h:02}:{m:02} (−1)"),
        Some((h, m, DayOffset::SameDay)) => format!("{h:02}:{m:02}"),
        Some((h, m, DayOffset::NextDay)) => format!("{h:02}:{m:02} (+1)"),
        None => format!("{value} min"),
    }
}

/// Says in words what will be sent, e.g. "22:00 on the previous day → −120 on 14 Feb 2025".
pub fn describe(date: NaiveDate, value: i32) -> Option<String> {
    let (h, m, day) = split_minutes(value)?;
    let real_day = date + Duration::days(day.days() as i64);
    let when = match day {
        DayOffset::PreviousDay => format!("on the previous day ({})", real_day.format("%-d %b %Y")),
        DayOffset::SameDay => format!("on {}", real_day.format("%-d %b %Y")),
        DayOffset::NextDay => format!("on the next day ({})", real_day.format("%-d %b %Y")),
    };
    let sign = if value < 0 {
        "−".to_string()
    } else {
        String::new()
    };
    Some(format!(
        "{h:02}:{m:02} {when} → {sign}{} on {}",
        value.abs(),
        date.format("%-d %b %Y")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // 22:00 on 13 Feb for a shift on 14 Feb = −120; 06:00 next day = 1800.
        assert_eq!(time_of_day_in_minutes(22, 0, DayOffset::PreviousDay), -120);
        assert_eq!(time_of_day_in_minutes(6, 0, DayOffset::NextDay), 1800);
        assert_eq!(time_of_day_in_minutes(8, 20, DayOffset::SameDay), 500);
        let d = NaiveDate::from_ymd_opt(2025, 2, 14).unwrap();
        assert_eq!(
            describe(d, -120).unwrap(),
            "22:00 on the previous day (13 Feb 2025) → −120 on 14 Feb 2025"
        );
        assert_eq!(
            describe(d, 2880).unwrap(),
            "24:00 on the next day (15 Feb 2025) → 2880 on 14 Feb 2025"
        );
        assert!(describe(d, 2881).is_none());
        assert_eq!(short_clock_text(-120), "22:00 (−1)");
        assert_eq!(short_clock_text(500), "08:20");
        assert_eq!(short_clock_text(2880), "24:00 (+1)");
        assert_eq!(short_clock_text(-1440), "00:00 (−1)");
    }

    #[test]
    fn clock_time_parsing() {
        assert_eq!(parse_clock_time("08:30"), Ok((8, 30)));
        assert_eq!(parse_clock_time("8:05"), Ok((8, 5)));
        assert_eq!(parse_clock_time("24:00"), Ok((24, 0)));
        assert_eq!(entered_minutes("24:00", DayOffset::NextDay), Ok(2880));
        assert_eq!(entered_minutes("00:00", DayOffset::PreviousDay), Ok(-1440));
        for bad in [
            "24:01", "25:00", "12:60", "1230", "12:3", "ab:cd", "", "-1:00",
        ] {
            assert!(parse_clock_time(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn every_entered_time_round_trips() {
        for day in [
            DayOffset::PreviousDay,
            DayOffset::SameDay,
            DayOffset::NextDay,
        ] {
            for h in 0..24 {
                for m in 0..60 {
                    let v = time_of_day_in_minutes(h, m, day);
                    assert!((MIN_MINUTES..MAX_MINUTES).contains(&v));
                    assert_eq!(split_minutes(v), Some((h, m, day)));
                }
            }
        }
    }

    proptest::proptest! {
        /// Any value Protime accepts splits into a clock time and day that give the value back.
        #[test]
        fn any_valid_value_round_trips(v in MIN_MINUTES..=MAX_MINUTES) {
            let (h, m, day) = split_minutes(v).unwrap();
            proptest::prop_assert_eq!(time_of_day_in_minutes(h, m, day), v);
            proptest::prop_assert!(h <= 24 && m < 60);
        }

        #[test]
        fn out_of_range_values_have_no_clock_time(v in proptest::prop_oneof![i32::MIN..MIN_MINUTES, (MAX_MINUTES + 1)..i32::MAX]) {
            proptest::prop_assert!(split_minutes(v).is_none());
        }
    }
}
