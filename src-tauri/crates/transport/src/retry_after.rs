//! `Retry-After`: delta-seconds or an HTTP date, clamped to a cap.

use std::time::Duration;

/// The longest wait a `Retry-After` may impose (unless a caller asks for another cap): a call never
/// hangs for minutes because a server said so.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Header values longer than this are not a delay anyone sends; they are ignored.
pub const MAX_RETRY_AFTER_HEADER_LEN: usize = 64;

/// [`parse_retry_after_capped`] with [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    parse_retry_after_capped(value, MAX_RETRY_AFTER)
}

/// Parses a `Retry-After` value: delta-seconds (whole, fractional or in exponent form, as servers
/// send them) or an HTTP date (a date in the past means "now"). The result is never longer than
/// `cap`: `1e20`, `inf` or a 30-digit integer become `cap`. Negative numbers, `NaN`, overlong values
/// and anything else are `None`. Never panics.
pub fn parse_retry_after_capped(value: &str, cap: Duration) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || value.len() > MAX_RETRY_AFTER_HEADER_LEN {
        return None;
    }
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(cap));
    }
    if value.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        if let Ok(secs) = value.parse::<f64>() {
            if secs.is_nan() || secs < 0.0 {
                return None;
            }
            // Compared before converting: `Duration::from_secs_f64` panics past u64::MAX seconds.
            if secs >= cap.as_secs_f64() {
                return Some(cap);
            }
            return Some(Duration::try_from_secs_f64(secs).map_or(cap, |d| d.min(cap)));
        }
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO).min(cap))
}

/// The `Retry-After` of a response's headers, parsed and capped.
pub fn retry_after_header(headers: &reqwest::header::HeaderMap, cap: Duration) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after_capped(v, cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_fractions_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("0.25"), Some(Duration::from_millis(250)));
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after_capped("60", Duration::from_secs(120)),
            Some(Duration::from_secs(60))
        );
        let later = chrono::Utc::now() + chrono::Duration::seconds(20);
        let d = parse_retry_after(&later.to_rfc2822().replace("+0000", "GMT")).unwrap();
        assert!(
            d > Duration::from_secs(15) && d <= Duration::from_secs(21),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(MAX_RETRY_AFTER)
        );
    }

    #[test]
    fn absurd_values_are_capped_or_ignored_without_panics() {
        for huge in [
            "1e20",
            "1E308",
            "99999999999999999999",
            "18446744073709551616",
            "18446744073709551615",
            "18446744073709551615.5",
            "3600",
            "31.5",
            "1e400",
        ] {
            assert_eq!(parse_retry_after(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
        let cap = Duration::from_millis(100);
        assert_eq!(parse_retry_after_capped("1e20", cap), Some(cap));
        assert_eq!(
            parse_retry_after_capped("99999999999999999999", cap),
            Some(cap)
        );
        for junk in [
            "",
            "soon",
            "inf",
            "+inf",
            "-1",
            "-0.5",
            "NaN",
            "nan",
            "-inf",
            "0x10",
            "1e",
            "١٢",
            "1111111111111111111111111111111111111111111111111111111111111111111111",
        ] {
            assert_eq!(parse_retry_after(junk), None, "{junk}");
        }
    }

    #[test]
    fn from_headers() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after_header(&h, MAX_RETRY_AFTER), None);
        h.insert(reqwest::header::RETRY_AFTER, "1e20".parse().unwrap());
        assert_eq!(
            retry_after_header(&h, Duration::from_secs(3)),
            Some(Duration::from_secs(3))
        );
    }
}
