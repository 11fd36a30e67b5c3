//! Dates are never rewritten: exactly `YYYY-MM-DD`, a real calendar day, years 1900..=2199.

use super::super::csv::parse;
use super::super::*;
use super::form;

const NOT_DATES: &[&str] = &[
    "29/11/2026",
    "2026-11-31",
    "2026-02-29",
    "2026-1-5",
    "2026-01-5",
    "0029-01-01",
    "1899-12-31",
    "2200-01-01",
    "+2026-01-01",
    "20260101",
    "2026-13-01",
    "2026-00-10",
    "2026-11-30T00:00",
    "2026/11/30",
    "２０２６-01-01",
];

#[test]
fn only_exact_calendar_dates_pass() {
    assert_eq!(
        strict_date("2026-11-30").unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    );
    assert!(strict_date("2024-02-29").is_ok());
    assert!(strict_date("1900-01-01").is_ok());
    assert!(strict_date("2199-12-31").is_ok());
    for bad in NOT_DATES {
        let e = strict_date(bad).unwrap_err();
        assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
    }
}

#[test]
fn the_csv_names_line_column_and_format_for_every_bad_date() {
    let mut text = String::from("externalReference,name,activeFrom,activeUntil\n");
    for (i, bad) in NOT_DATES.iter().enumerate() {
        text.push_str(&format!("D-{i},Row {i},{bad},\n"));
        text.push_str(&format!("E-{i},Row {i},,{bad}\n"));
    }
    text.push_str("OK-1,Fine,2026-11-30,2026-12-31\n");
    let plan = parse(&text);
    assert_eq!(plan.rows.len(), 1, "{:?}", plan.errors);
    assert_eq!(plan.rows[0].form.active_from, "2026-11-30");
    assert_eq!(plan.errors.len(), NOT_DATES.len() * 2);
    for (i, bad) in NOT_DATES.iter().enumerate() {
        let line = 2 + 2 * i as u32;
        for (line, column) in [(line, "activeFrom"), (line + 1, "activeUntil")] {
            let e = plan
                .errors
                .iter()
                .find(|e| e.line == line)
                .unwrap_or_else(|| panic!("no error on line {line} for {bad}"));
            assert_eq!(e.column, column);
            let text = e.to_string();
            assert!(
                text.starts_with(&format!("line {line}, column {column}: '{bad}'")),
                "{text}"
            );
            assert!(text.contains("YYYY-MM-DD"), "{text}");
        }
    }
}

#[test]
fn forms_and_usages_refuse_what_is_not_exactly_a_date() {
    let ctx = CheckContext {
        level: 1,
        siblings: &[],
        editing: None,
        creating: true,
    };
    for bad in NOT_DATES {
        let mut f = form("Dated");
        f.active_from = bad.to_string();
        let e = check_form(&f, &ctx).unwrap_err();
        assert!(
            e.reasons[0].starts_with("Active from: ") && e.reasons[0].contains("YYYY-MM-DD"),
            "{bad}: {:?}",
            e.reasons
        );
        let mut f = form("Dated");
        f.active_until = bad.to_string();
        assert!(check_form(&f, &ctx).unwrap_err().reasons[0].starts_with("Active until: "));
        let u = UsageForm {
            kind: "Person".into(),
            reference: "1".into(),
            reference_name: String::new(),
            from: bad.to_string(),
            until: String::new(),
        };
        let e = usage_of(&u).unwrap_err();
        assert!(e.reasons[0].starts_with("From: "), "{:?}", e.reasons);
        let u = UsageForm {
            from: "2026-01-01".into(),
            until: bad.to_string(),
            ..u
        };
        let e = usage_of(&u).unwrap_err();
        assert!(e.reasons[0].starts_with("Until: "), "{:?}", e.reasons);
    }
    // A good date goes through unchanged.
    let mut f = form("Dated");
    f.active_from = "2026-11-30".into();
    let input = check_form(&f, &ctx).unwrap();
    assert_eq!(input.active_from, NaiveDate::from_ymd_opt(2026, 11, 30));
}
