use super::*;
use crate::timesheet::{
    CsvOptions, HoursFormat, NightShifts, OptionalColumn, ReportSource, Rounding, RoundingScope,
    XlsxOptions,
};
use timebridge_core::profiles::JsonSettingsFile;

fn payroll(name: &str) -> ReportPreset {
    ReportPreset {
        name: name.into(),
        source: SourceOptions {
            source: ReportSource::Merged,
            tolerance_minutes: 10,
        },
        options: ReportOptions {
            rounding: Rounding::Nearest15,
            rounding_scope: RoundingScope::PerDay,
            night_shifts: NightShifts::SplitAtMidnight,
        },
        format: ExportFormat::Csv(CsvOptions {
            delimiter: ',',
            decimal_comma: false,
            hours: HoursFormat::Decimal,
            extra_columns: vec![OptionalColumn::parse("weekly_hours_1").unwrap()],
        }),
    }
}

fn settings_in(dir: &tempfile::TempDir) -> JsonSettingsFile {
    JsonSettingsFile::new(&dir.path().join("settings.json"))
}

#[test]
fn a_saved_preset_comes_back_whole_from_the_file_and_only_for_its_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_in(&dir);
    save(&mut settings, "profile-a", payroll("  Payroll  ")).unwrap();
    // A second process (the command line) reads the same file.
    let reread = settings_in(&dir);
    let mine = list(&reread, "profile-a").unwrap();
    assert_eq!(
        mine,
        vec![payroll("Payroll")],
        "saved trimmed, every field kept"
    );
    assert!(list(&reread, "profile-b").unwrap().is_empty());
    assert_eq!(
        find(&reread, "profile-a", "payroll ").unwrap().name,
        "Payroll"
    );
}

#[test]
fn the_same_name_replaces_and_names_are_listed_alphabetically() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_in(&dir);
    save(&mut settings, "p", payroll("Zeta")).unwrap();
    save(&mut settings, "p", payroll("alpha")).unwrap();
    let mut xlsx = payroll("ZETA");
    xlsx.format = ExportFormat::Xlsx(XlsxOptions {
        hours: HoursFormat::HoursMinutes,
        sheet_per_employee: true,
        extra_columns: vec![],
    });
    let saved = save(&mut settings, "p", xlsx.clone()).unwrap();
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0].name, "alpha");
    assert_eq!(saved[1], xlsx);
}

#[test]
fn delete_removes_one_and_a_missing_name_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_in(&dir);
    save(&mut settings, "p", payroll("One")).unwrap();
    save(&mut settings, "p", payroll("Two")).unwrap();
    let left = delete(&mut settings, "p", "one").unwrap();
    assert_eq!(left.len(), 1);
    let missing = delete(&mut settings, "p", "One").unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    let unknown = find(&settings, "p", "Three").unwrap_err();
    assert!(
        unknown.message.contains("This profile has: Two"),
        "{}",
        unknown.message
    );
}

#[test]
fn bad_presets_are_refused_with_what_to_do_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_in(&dir);
    let mut cases = vec![
        (payroll("   "), "Give the saved report a name"),
        (payroll(&"x".repeat(61)), "at most 60"),
        (payroll("Two\nlines"), "control character"),
    ];
    let mut wide = payroll("Wide");
    wide.source.tolerance_minutes = 241;
    cases.push((wide, "0 to 240"));
    let mut tab = payroll("Tab");
    if let ExportFormat::Csv(csv) = &mut tab.format {
        csv.delimiter = '\t';
    }
    cases.push((tab, "delimiter"));
    for (preset, says) in cases {
        let e = save(&mut settings, "p", preset).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains(says), "{} should say {says}", e.message);
    }
    assert!(
        !dir.path().join("settings.json").exists(),
        "a refused preset wrote the file"
    );
}

#[test]
fn a_damaged_entry_is_reported_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    std::fs::write(
        &path,
        r#"{"report_presets": {"p": [{"name": 3}]}, "profiles": []}"#,
    )
    .unwrap();
    let mut settings = JsonSettingsFile::new(&path);
    let e = save(&mut settings, "p", payroll("New")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage);
    assert!(e.message.contains("report_presets"), "{}", e.message);
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        kept["report_presets"]["p"][0]["name"], 3,
        "the damaged entry was replaced"
    );
}

#[test]
fn a_profile_holds_at_most_fifty() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_in(&dir);
    for i in 0..MAX_PRESETS {
        save(&mut settings, "p", payroll(&format!("Report {i}"))).unwrap();
    }
    let e = save(&mut settings, "p", payroll("One more")).unwrap_err();
    assert!(e.message.contains("delete one first"), "{}", e.message);
    // Replacing one still works at the limit.
    save(&mut settings, "p", payroll("report 7")).unwrap();
}
