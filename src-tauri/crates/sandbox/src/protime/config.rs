//! The simulator's switches: [`ProtimeSimConfig`] and the command-line flags that build it.

use std::time::Duration;

/// Documented URI limit.
pub const MAX_URI: usize = 4096;
/// A delta expires this long after its last use.
pub const DELTA_LIFETIME_HOURS: i64 = 72;
pub const API_PREFIX: &str = "/connector/protimeapi/api/v1/";

/// How `POST /clockings` answers on success (the body is undocumented; 202 only in older pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockingPostAnswer {
    /// `201` + `Location`, empty body (the spec's assumption).
    #[default]
    CreatedEmpty,
    /// `201` + `Location` with the created clocking as JSON.
    CreatedWithBody,
    /// `202` + `Operation-Location: {API_PREFIX}status-monitor/clockings/{n}` (older docs). The body is
    /// validated at once (4xx as usual), but the clocking is committed only when the operation
    /// completes (see [`ProtimeSimConfig::accepted_running_polls`] and
    /// [`ProtimeSimConfig::accepted_outcome`]); until then `GET …/status-monitor/clockings/{n}` answers
    /// `Running`.
    Accepted,
}

/// How an accepted (`202`) clocking operation ends.
///
/// UNCONFIRMED point of the spec: the status-monitor resource appears only in older documentation
/// and its body is not documented. The sandbox's reading is `{"id": n, "status": "Running"}`, then
/// `{"id": n, "status": "Succeeded", "resourceLocation": "/connector/protimeapi/api/v1/clockings/{id}"}`
/// or `{"id": n, "status": "Failed", "error": {"code", "message", "reasons"}}` (the API's usual error
/// body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcceptedOutcome {
    /// The clocking is committed and the operation points at it (default).
    #[default]
    Succeeded,
    /// The operation fails with [`ACCEPTED_FAILURE_REASON`]; nothing is committed.
    Failed,
}

/// The reason a failed accepted operation gives (see [`AcceptedOutcome::Failed`]).
pub const ACCEPTED_FAILURE_REASON: &str =
    "The clocking could not be processed: the period is closed for changes";

/// Switches for behaviour the contract leaves unconfirmed, and for tests. Build with
/// `ProtimeSimConfig { page_size: 7, ..Default::default() }`.
#[derive(Debug, Clone)]
pub struct ProtimeSimConfig {
    /// Items per page of every list (the real page size is undocumented). Default 100.
    pub page_size: usize,
    /// Status for a valid token that lacks the scope: 403 (default, general Responses page) or 401.
    pub scope_failure_status: u16,
    /// Scopes the token endpoint silently leaves out of the grant (spec 2: a token may be narrowed
    /// instead of refused; clients compare the granted `scope`). Default none.
    pub withheld_scopes: Vec<String>,
    /// Status when `User-Agent` is missing (undocumented; default 400).
    pub missing_user_agent_status: u16,
    /// Answer of a successful `POST /clockings`.
    pub clocking_post_answer: ClockingPostAnswer,
    /// Status when a usage PUT/DELETE does not match a stored usage (undocumented; default 400; 404 possible).
    pub usage_mismatch_status: u16,
    /// Status of overlapping usages (undocumented; default 400).
    pub usage_overlap_status: u16,
    /// Status when a delta filter uses `person` (undocumented; default 400).
    pub delta_person_status: u16,
    /// Whether a write with body `externalReferences` also needs the `?externalReferences=` query
    /// (undocumented; default false = accept both).
    pub require_ext_ref_query_on_writes: bool,
    /// Whether `Reason` needs `reason.id` and `Activity` needs `activityLevels` (recommended; default true).
    pub require_kind_fields: bool,
    /// Whether `reason`/`activityLevels` on the wrong kind are refused (default false = ignored).
    pub reject_extra_kind_fields: bool,
    /// Whether `dataEntryCode` is mandatory (tenant configuration; default false = auto-generated).
    pub data_entry_code_mandatory: bool,
    /// Whether a PUT updating a definition that has a parent must repeat the parent (seed text; default true).
    pub put_requires_parent: bool,
    /// Status spelling of unknown-badge access clockings: `UnknownBadge` (default, the seed's list)
    /// or `UnknownBadgeNumber` (a newer reference page; `--unknown-badge-number`).
    pub unknown_badge_status: String,
    /// Lenient switch (default off = strict, the seed's shape only): the restrictions PUT also takes
    /// the older shapes (a bare top-level array, a flat list of level restrictions read as one
    /// combination, `level` for `levelIndex`). `--lenient-restriction-shapes`.
    pub lenient_restriction_shapes: bool,
    /// Lenient switch (default off = strict): fields the seeds do not show in a request body
    /// (`isOpen`, `lattitude`, anything else) are ignored instead of refused with 400.
    /// `--lenient-body-fields`.
    pub lenient_body_fields: bool,
    /// Lenient switch (default off = strict): query parameters an endpoint does not document are
    /// ignored, and `expand` and `kind` filter values outside the seed's lists are let through,
    /// instead of refused with 400. `--lenient-query`.
    pub lenient_query: bool,
    /// People use the older `countryIsoCode`/`nationalityIsoCode` spelling (default false).
    pub older_iso_spelling: bool,
    /// Links (`nextLink`, `deltaLink`) percent-encoded (true) or raw with spaces and quotes like the
    /// documentation examples (false, default).
    pub encode_links: bool,
    /// Requests per minute before 429 + `Retry-After: 60` (None = unlimited).
    pub rate_limit_per_minute: Option<u32>,
    /// Fraction (0..1) of API requests that fail with a random injected fault.
    pub fault_rate: f64,
    /// Whether the span rule accepts exactly one year inclusive (2024-01-01..2025-01-01); default false.
    pub year_span_inclusive: bool,
    /// Whether a delta start before 1 January of the previous year is refused (documented; default
    /// true). Off lets the documentation's dated examples (`date ge '2024-01-01'`) run literally.
    pub enforce_delta_start_window: bool,
    /// Put an empty page (with a `nextLink`) before every page of every list and initial delta load,
    /// as the contract allows (default false).
    pub insert_empty_pages: bool,
    /// How long a [`Fault::LateCommit`] drawn by [`Self::fault_rate`] holds a write before committing
    /// it (default 5 s; `--late-commit-secs`).
    pub late_commit_delay: Duration,
    /// Every write (POST/PUT/PATCH/DELETE) is held this long, then committed and answered; the commit
    /// happens even if the client has given up meanwhile, as on a real server (default 0;
    /// `--write-delay-ms`).
    pub write_delay: Duration,
    /// Every API request waits this long before it is handled (default 0; `--latency-ms`; changed at
    /// run time with [`ProtimeSim::set_latency`]).
    pub latency: Duration,
    /// With [`ClockingPostAnswer::Accepted`]: the status monitor answers `Running` to this many polls;
    /// the poll after them completes the operation. The operation also completes on its own this many
    /// seconds after it was accepted, whether or not anybody polls (whichever comes first). Default 1.
    /// UNCONFIRMED point of the spec (see [`AcceptedOutcome`]).
    pub accepted_running_polls: u32,
    /// With [`ClockingPostAnswer::Accepted`]: whether the operation succeeds (the clocking is committed)
    /// or fails with reasons (nothing is committed). Default [`AcceptedOutcome::Succeeded`].
    pub accepted_outcome: AcceptedOutcome,
    /// People's `employeeNumber` written zero-padded to six digits ("001001"), as many tenants
    /// store it, while TimeClock 365 keeps the plain number (default false;
    /// `--protime-zero-padded-numbers`).
    pub zero_padded_numbers: bool,
    /// Demo person 76544's calendar is closed up to this day (`periodClosingDate`), and clockings
    /// on or before it are refused, as payroll's lock makes Protime do (default none;
    /// `--closed-period-until`).
    pub closed_period_until: Option<chrono::NaiveDate>,
    /// The out-clockings HR added by hand on the seeded correction days are not there yet: those
    /// days hold an in-clocking without its out, and the merged report flags them until HR adds
    /// the missing clocking (default off; `--forgotten-out-punches`).
    pub forgotten_out_punches: bool,
}

impl Default for ProtimeSimConfig {
    fn default() -> Self {
        Self {
            page_size: 100,
            scope_failure_status: 403,
            withheld_scopes: Vec::new(),
            missing_user_agent_status: 400,
            clocking_post_answer: ClockingPostAnswer::CreatedEmpty,
            usage_mismatch_status: 400,
            usage_overlap_status: 400,
            delta_person_status: 400,
            require_ext_ref_query_on_writes: false,
            require_kind_fields: true,
            reject_extra_kind_fields: false,
            data_entry_code_mandatory: false,
            put_requires_parent: true,
            unknown_badge_status: "UnknownBadge".into(),
            lenient_restriction_shapes: false,
            lenient_body_fields: false,
            lenient_query: false,
            older_iso_spelling: false,
            encode_links: false,
            rate_limit_per_minute: None,
            fault_rate: 0.0,
            year_span_inclusive: false,
            enforce_delta_start_window: true,
            insert_empty_pages: false,
            late_commit_delay: Duration::from_secs(5),
            write_delay: Duration::ZERO,
            latency: Duration::ZERO,
            accepted_running_polls: 1,
            accepted_outcome: AcceptedOutcome::Succeeded,
            zero_padded_numbers: false,
            closed_period_until: None,
            forgotten_out_punches: false,
        }
    }
}

/// Upper bound of `--write-delay-ms` and `--latency-ms` (10 minutes).
pub const MAX_DELAY_MS: u64 = 600_000;
/// Upper bound of `--late-commit-secs` (10 minutes).
pub const MAX_LATE_COMMIT_SECS: u64 = 600;

#[derive(Debug, Clone, clap::Args)]
pub struct ProtimeSimArgs {
    /// Items per page of Protime list answers.
    #[arg(long, default_value_t = 100)]
    pub page_size: usize,
    /// Fraction (0..1) of Protime API requests that fail with a random fault (5xx, 429, latency,
    /// connection reset before or after a write was committed, and for writes a late commit: the write
    /// is held `--late-commit-secs`, then committed even if the client gave up).
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Answer a valid token lacking the scope with 401 instead of 403.
    #[arg(long, default_value_t = false)]
    pub scope_failure_401: bool,
    /// Seconds a late-commit fault (drawn by --fault-rate, writes only) holds a write before it is
    /// committed and answered; the commit happens even if the client has timed out. 1 to 600.
    #[arg(long, default_value_t = 5)]
    pub late_commit_secs: u64,
    /// Hold every Protime write (POST/PUT/PATCH/DELETE) this many milliseconds, then commit and answer
    /// it; the commit happens even if the client has given up meanwhile. 0 to 600000.
    #[arg(long, default_value_t = 0)]
    pub write_delay_ms: u64,
    /// Every Protime API request waits this many milliseconds before it is handled. 0 to 600000.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Write Protime people's employee numbers zero-padded to six digits ("001001") while TimeClock
    /// 365 keeps them plain, as on tenants that store the number as padded text.
    #[arg(long, default_value_t = false)]
    pub protime_zero_padded_numbers: bool,
    /// Close demo person 76544's calendar up to this day (YYYY-MM-DD, Protime's periodClosingDate):
    /// clockings on or before it are refused.
    #[arg(long, value_name = "DATE", value_parser = parse_closing_date)]
    pub closed_period_until: Option<chrono::NaiveDate>,
    /// Data switch: on the seeded correction days where Protime has more time than TimeClock 365,
    /// the out-clocking HR added later by hand is not there yet (an in without its out), so the
    /// correction can be made from the report.
    #[arg(long, default_value_t = false)]
    pub forgotten_out_punches: bool,
    /// Lenient switch: answer unknown-badge access clockings with `UnknownBadgeNumber` (a newer
    /// reference page) instead of the seed's `UnknownBadge`.
    #[arg(long, default_value_t = false)]
    pub unknown_badge_number: bool,
    /// Lenient switch: the restrictions PUT also accepts the older shapes (bare array, flat list of
    /// level restrictions, `level` for `levelIndex`). Off: only the seed's `{"restrictions": [[...]]}`.
    #[arg(long, default_value_t = false)]
    pub lenient_restriction_shapes: bool,
    /// Lenient switch: ignore request-body fields the seeds do not show (e.g. isOpen, lattitude)
    /// instead of refusing them with 400.
    #[arg(long, default_value_t = false)]
    pub lenient_body_fields: bool,
    /// Lenient switch: ignore query parameters an endpoint does not document, and let `expand` and
    /// `kind` filter values outside the seed's lists through, instead of refusing them with 400.
    #[arg(long, default_value_t = false)]
    pub lenient_query: bool,
}

fn parse_closing_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == s)
        .ok_or_else(|| {
            format!("'{s}' is not a date in the format YYYY-MM-DD (for example 2026-10-31)")
        })
}

impl ProtimeSimArgs {
    pub fn to_config(&self) -> Result<ProtimeSimConfig, String> {
        if self.page_size == 0 {
            return Err("--page-size must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err("--fault-rate must be between 0 and 1".into());
        }
        if !(1..=MAX_LATE_COMMIT_SECS).contains(&self.late_commit_secs) {
            return Err(format!(
                "--late-commit-secs must be between 1 and {MAX_LATE_COMMIT_SECS} (got {})",
                self.late_commit_secs
            ));
        }
        if self.write_delay_ms > MAX_DELAY_MS {
            return Err(format!(
                "--write-delay-ms must be between 0 and {MAX_DELAY_MS} (got {})",
                self.write_delay_ms
            ));
        }
        if self.latency_ms > MAX_DELAY_MS {
            return Err(format!(
                "--latency-ms must be between 0 and {MAX_DELAY_MS} (got {})",
                self.latency_ms
            ));
        }
        Ok(ProtimeSimConfig {
            page_size: self.page_size,
            fault_rate: self.fault_rate,
            scope_failure_status: if self.scope_failure_401 { 401 } else { 403 },
            late_commit_delay: Duration::from_secs(self.late_commit_secs),
            write_delay: Duration::from_millis(self.write_delay_ms),
            latency: Duration::from_millis(self.latency_ms),
            zero_padded_numbers: self.protime_zero_padded_numbers,
            closed_period_until: self.closed_period_until,
            forgotten_out_punches: self.forgotten_out_punches,
            unknown_badge_status: if self.unknown_badge_number {
                "UnknownBadgeNumber".into()
            } else {
                "UnknownBadge".into()
            },
            lenient_restriction_shapes: self.lenient_restriction_shapes,
            lenient_body_fields: self.lenient_body_fields,
            lenient_query: self.lenient_query,
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protime::ProtimeSim;
    use crate::roster::Roster;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: crate::SandboxArgs,
    }

    #[test]
    fn sandbox_switches_do_not_collide() {
        Cli::command().debug_assert();
        let cli = Cli::parse_from([
            "x",
            "--fault-rate",
            "0.25",
            "--page-size",
            "7",
            "--scope-failure-401",
        ]);
        let cfg = cli.args.protime.to_config().unwrap();
        assert_eq!(
            (cfg.page_size, cfg.fault_rate, cfg.scope_failure_status),
            (7, 0.25, 401)
        );
        assert!(!cfg.lenient_query, "strict by default");
        let cli = Cli::parse_from(["x", "--lenient-query", "--lenient-rpc-params"]);
        assert!(cli.args.protime.to_config().unwrap().lenient_query);
        assert!(cli.args.timeclock.to_config().unwrap().lenient_rpc_params);
    }

    #[test]
    fn delay_switches_have_defaults_and_are_validated() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["x"];
            argv.extend_from_slice(extra);
            Cli::try_parse_from(argv).map(|c| c.args.protime.to_config())
        };
        let cfg = parse(&[]).unwrap().unwrap();
        assert_eq!(cfg.late_commit_delay, Duration::from_secs(5));
        assert_eq!(cfg.write_delay, Duration::ZERO);
        assert_eq!(cfg.latency, Duration::ZERO);
        assert_eq!(cfg.accepted_running_polls, 1);
        assert_eq!(cfg.accepted_outcome, AcceptedOutcome::Succeeded);
        let cfg = parse(&[
            "--late-commit-secs",
            "2",
            "--write-delay-ms",
            "250",
            "--latency-ms",
            "40",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            (cfg.late_commit_delay, cfg.write_delay, cfg.latency),
            (
                Duration::from_secs(2),
                Duration::from_millis(250),
                Duration::from_millis(40)
            )
        );
        for (bad, names) in [
            (&["--late-commit-secs", "0"][..], "--late-commit-secs"),
            (&["--late-commit-secs", "601"][..], "--late-commit-secs"),
            (&["--write-delay-ms", "600001"][..], "--write-delay-ms"),
            (&["--latency-ms", "9999999"][..], "--latency-ms"),
        ] {
            let err = parse(bad).unwrap().unwrap_err();
            assert!(err.contains(names), "{err}");
        }
        // Not numbers, or negative: refused by the parser itself.
        for bad in [
            &["--write-delay-ms", "-5"][..],
            &["--latency-ms", "soon"][..],
            &["--late-commit-secs", "1.5"][..],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        // The simulator starts with the configured latency.
        let roster = Roster::generate(1, 60);
        let sim = ProtimeSim::new(
            1,
            &roster,
            ProtimeSimConfig {
                latency: Duration::from_millis(40),
                ..Default::default()
            },
            None,
        );
        assert_eq!(sim.lock().latency, Duration::from_millis(40));
    }
}
