//! `--profile NAME`: a scheduled export uses a profile saved in the app — its tenant and endpoint
//! from the app's settings file, its secrets from the keychain (here the mock keychain file, which
//! the test and the command share across processes).

use std::process::Command;
use timebridge_core::profiles::{ProfileInput, ProfileStore, ProtimeTarget, SETTINGS_FILE};
use timebridge_core::secrets::{MockFileStore, SecretKind, SecretStore};
use timebridge_sandbox::{SandboxConfig, DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

#[test]
fn a_saved_profile_drives_a_scheduled_export() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join(SETTINGS_FILE);
    let keychain = dir.path().join("keychain.json");
    save_acme(&settings, &keychain, &sandbox);
    let settings_text = std::fs::read_to_string(&settings).unwrap();
    assert!(!settings_text.contains(DEMO_CLIENT_SECRET) && !settings_text.contains(DEMO_API_KEY));

    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(2);
    let export = |profile: &str, out: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .args([
                "timesheet",
                "export",
                "--from",
                &from.to_string(),
                "--to",
                &to.to_string(),
                "--out",
            ])
            .arg(out)
            .args(["--profile", profile, "--settings"])
            .arg(&settings)
            .env(
                "TIMEBRIDGE_SECRET_STORE",
                format!("mock-file:{}", keychain.display()),
            )
            .output()
            .unwrap()
    };

    // By name, case-insensitively, as a person types it in a scheduled task.
    let out = dir.path().join("by-name.csv");
    let done = export("acme PAYROLL", &out);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().count() > 60, "a row per employee and day");

    // An unknown profile names the ones there are, and writes nothing.
    let out = dir.path().join("unknown.csv");
    let failed = export("Globex", &out);
    assert!(!failed.status.success());
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        err.contains("no profile 'Globex'") && err.contains("Acme payroll"),
        "{err}"
    );
    assert!(!out.exists());

    // The built-in Sandbox profile lives inside the app: the message says what to do instead.
    let failed = export("Sandbox", &out);
    assert!(String::from_utf8_lossy(&failed.stderr).contains("--sandbox-url"));

    // A secret missing from the keychain is named.
    MockFileStore::new(&keychain)
        .delete("acme-payroll", SecretKind::TimeClockApiKey)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let failed = export("Acme payroll", &out);
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        !failed.status.success() && err.contains("TimeClock 365 API key"),
        "{err}"
    );
    assert!(!out.exists());
    runtime.block_on(sandbox.stop());
}

/// Saves the profile "Acme payroll" for the sandbox, its secrets in the mock keychain file; returns its id.
fn save_acme(
    settings: &std::path::Path,
    keychain: &std::path::Path,
    sandbox: &timebridge_sandbox::RunningSandbox,
) -> String {
    let mut profiles = ProfileStore::open(settings).unwrap();
    profiles
        .save_profile(
            &MockFileStore::new(keychain),
            ProfileInput {
                id: None,
                name: "Acme payroll".into(),
                color: "#1c7ed6".into(),
                protime: ProtimeTarget::Custom {
                    api_base: sandbox.protime_api_base(),
                    token_url: sandbox.protime_token_url(),
                },
                client_id: DEMO_CLIENT_ID.into(),
                scopes: vec!["connector-protimeapi-people.read".into()],
                structure_versions: vec![],
                timeclock_endpoint: sandbox.timeclock_endpoint(),
                treat_as_production: false,
                timeclock_default_zone: String::new(),
                client_secret: Some(DEMO_CLIENT_SECRET.into()),
                api_key: Some(DEMO_API_KEY.into()),
            },
        )
        .unwrap()
        .id
}

/// `--preset NAME`: the scheduled export writes what HR saved in the window as a named report (here
/// a CSV with commas, decimal hours with a decimal point, rounded to 15 minutes), and the flags the
/// preset sets cannot be mixed in.
#[test]
fn a_saved_report_drives_the_format_of_a_scheduled_export() {
    use timebridge_reports::timesheet::presets::{self, ReportPreset};
    use timebridge_reports::timesheet::service::ExportFormat;
    use timebridge_reports::timesheet::{
        CsvOptions, HoursFormat, NightShifts, ReportOptions, ReportSource, Rounding, RoundingScope,
        SourceOptions,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join(SETTINGS_FILE);
    let keychain = dir.path().join("keychain.json");
    let id = save_acme(&settings, &keychain, &sandbox);
    let payroll = ReportPreset {
        name: "Payroll".into(),
        source: SourceOptions {
            source: ReportSource::TimeClock,
            tolerance_minutes: 5,
        },
        options: ReportOptions {
            rounding: Rounding::Nearest15,
            rounding_scope: RoundingScope::PerSession,
            night_shifts: NightShifts::StartDay,
        },
        format: ExportFormat::Csv(CsvOptions {
            delimiter: ',',
            decimal_comma: false,
            hours: HoursFormat::Decimal,
            extra_columns: vec![],
        }),
    };
    let mut file = timebridge_core::profiles::JsonSettingsFile::new(&settings);
    presets::save(&mut file, &id, payroll).unwrap();

    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(2);
    let export = |extra: &[&str], out: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .args(["timesheet", "export", "--from", &from.to_string()])
            .args(["--to", &to.to_string(), "--settings"])
            .arg(&settings)
            .args(extra)
            .arg("--out")
            .arg(out)
            .env(
                "TIMEBRIDGE_SECRET_STORE",
                format!("mock-file:{}", keychain.display()),
            )
            .output()
            .unwrap()
    };
    let out = dir.path().join("payroll.csv");
    let done = export(&["--profile", "Acme payroll", "--preset", "payroll"], &out);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains(",") && !header.contains(";"),
        "the preset's comma: {header}"
    );
    // Decimal hours rounded to quarters, with a decimal point: every worked figure is a whole
    // number of quarter hours.
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let worked = rows
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == "worked")
        .unwrap_or_else(|| panic!("no worked column in {header}"));
    let mut figures = 0;
    for row in rows.records() {
        let row = row.unwrap();
        // Day rows only: the file ends with the report's description.
        if chrono::NaiveDate::parse_from_str(&row[2], "%Y-%m-%d").is_err() {
            continue;
        }
        let cell = &row[worked];
        let hours: f64 = cell
            .parse()
            .unwrap_or_else(|_| panic!("not decimal hours with a point: {cell} in {row:?}"));
        assert_eq!(
            (hours * 4.0).fract(),
            0.0,
            "not rounded to 15 minutes: {row:?}"
        );
        figures += 1;
    }
    assert!(figures > 60, "a row per employee and day");

    // A flag the preset sets is refused with it, and nothing is written.
    let mixed = dir.path().join("mixed.csv");
    let refused = export(
        &[
            "--profile",
            "Acme payroll",
            "--preset",
            "Payroll",
            "--format",
            "xlsx",
        ],
        &mixed,
    );
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && err.contains("--format"),
        "{err}"
    );
    assert!(!mixed.exists());
    // An unknown name lists the saved ones; without --profile there is nothing to look in.
    let refused = export(&["--profile", "Acme payroll", "--preset", "Weekly"], &mixed);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("This profile has: Payroll"), "{err}");
    let refused = export(&["--preset", "Payroll"], &mixed);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && err.contains("--profile"),
        "{err}"
    );
    assert!(!mixed.exists());
    runtime.block_on(sandbox.stop());
}
