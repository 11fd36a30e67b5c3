//! Lenient decoding of the scalars TimeClock 365 sends loosely typed: integer-or-string numbers,
//! booleans as 0/1, local date-times with a space or a `T` and optional fractions, empty text as
//! nothing. Every model field that may drift decodes through one of these.

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Lenient scalar helpers
// ---------------------------------------------------------------------------------------------

/// A JSON scalar as it may arrive: string, number, bool or null (decoded with a visitor, no
/// buffering, since this runs for every record at report scale).
enum Scalar {
    Str(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Option<Scalar>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::UInt(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(v)))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Scalar>, D::Error> {
    d.deserialize_option(ScalarVisitor)
}

/// Accepts a JSON string or number and keeps it as a string (`employeeNumber`, `externalId`, codes).
/// Strings are kept verbatim, so leading zeros survive.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    Ok(match scalar(d)? {
        None => None,
        Some(Scalar::Str(s)) => Some(s),
        Some(Scalar::Int(n)) => Some(n.to_string()),
        Some(Scalar::UInt(n)) => Some(n.to_string()),
        Some(Scalar::Float(f)) => Some(f.to_string()),
        Some(Scalar::Bool(b)) => Some(b.to_string()),
    })
}

/// Accepts a number or a numeric string (`duration`, totals); empty string means none.
pub(crate) fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match scalar(d)? {
        None => None,
        Some(Scalar::Int(n)) => Some(n),
        Some(Scalar::UInt(n)) => Some(i64::try_from(n).map_err(D::Error::custom)?),
        Some(Scalar::Float(f)) => Some(f.round() as i64),
        Some(Scalar::Str(s)) => {
            let t = s.trim();
            if t.is_empty() {
                None
            } else if let Ok(n) = t.parse::<i64>() {
                Some(n)
            } else {
                Some(
                    t.parse::<f64>()
                        .map_err(|_| D::Error::custom(format!("'{s}' is not a number")))?
                        .round() as i64,
                )
            }
        }
        Some(Scalar::Bool(_)) => return Err(D::Error::custom("expected a number, got a boolean")),
    })
}

/// Accepts `true`/`false`, `0`/`1` and their string forms (`isAbsence`).
pub(crate) fn bool_or_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match scalar(d)? {
        None => None,
        Some(Scalar::Bool(b)) => Some(b),
        Some(Scalar::Int(n)) => Some(n != 0),
        Some(Scalar::UInt(n)) => Some(n != 0),
        Some(Scalar::Float(f)) => Some(f != 0.0),
        Some(Scalar::Str(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" => Some(false),
            other => return Err(D::Error::custom(format!("'{other}' is not a boolean"))),
        },
    })
}

/// Parses a local date-time: strict `YYYY-MM-DD HH:MM:SS` first, then the ISO `T` separator,
/// fractional seconds, minutes-only and a bare date (midnight). Empty and zero dates are `None`.
pub fn parse_local_datetime(raw: &str) -> Result<Option<NaiveDateTime>, String> {
    let s = raw.trim();
    if s.is_empty() || s.starts_with("0000-00-00") {
        return Ok(None);
    }
    if let Some(t) = fast_datetime(s) {
        return Ok(Some(t));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Ok(Some(t));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Some(t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0));
    }
    Err(format!(
        "'{raw}' is not a date-time (expected YYYY-MM-DD HH:MM:SS)"
    ))
}

/// The documented `YYYY-MM-DD HH:MM:SS` (or with `T`) without chrono's format machinery: this runs
/// several times per record at report scale.
pub(crate) fn fast_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || (b[10] != b' ' && b[10] != b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?.and_hms_opt(
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
    )
}

pub(crate) fn required_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<NaiveDateTime, D::Error> {
    let s = std::borrow::Cow::<str>::deserialize(d)?;
    parse_local_datetime(&s)
        .map_err(D::Error::custom)?
        .ok_or_else(|| D::Error::custom(format!("'{s}' is an empty start date")))
}

/// Missing, `null`, `""` and `"0000-00-00 00:00:00"` all mean "none" (an open session).
pub(crate) fn optional_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_local_datetime(&s).map_err(D::Error::custom),
    }
}

/// Empty strings become `None` (zones, names, notes).
pub(crate) fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.trim().is_empty()))
}
