//! `timebridge timesheet export`: the same report engine as the app, for scheduled exports.

use crate::connection::ConnectionArgs;
use chrono::NaiveDate;
use std::path::PathBuf;
use timebridge_reports::protime_totals::TotalsCache;
use timebridge_reports::timesheet::service::ExportFormat;
use timebridge_reports::timesheet::sources::{build_report, ProtimeSide, SourceOptions};
use timebridge_reports::timesheet::ReportSource;
use timebridge_reports::timesheet::{
    self, CsvOptions, HoursFormat, NightShifts, PdfOptions, ReportOptions, Rounding, RoundingScope,
    XlsxOptions,
};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Source {
    /// TimeClock 365 sessions, lunches, work logs and absences.
    Timeclock,
    /// Protime calculated totals (normal time, time present, calculated presence, flextime).
    Protime,
    /// Both, people matched by employee number, with the difference and a tolerance flag.
    Merged,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
    /// A4 landscape, one section per employee with signature lines, and a summary.
    Pdf,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoundingArg {
    None,
    #[value(name = "5")]
    Five,
    #[value(name = "15")]
    Fifteen,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum HoursArg {
    /// 8:45
    Hmm,
    /// 8.75
    Decimal,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// First day, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub from: NaiveDate,
    /// Last day, YYYY-MM-DD (inclusive).
    #[arg(long, value_parser = parse_date)]
    pub to: NaiveDate,
    #[arg(long, value_enum, default_value = "timeclock")]
    pub source: Source,
    /// Merged source: a difference larger than this many minutes is flagged.
    #[arg(long, value_name = "MINUTES", default_value_t = 5)]
    pub tolerance: u32,
    /// The Protime totals cache (default: timebridge/cli-protime-totals.sqlite in your data folder).
    /// It is kept current through Protime's change feed, so later exports fetch only what changed.
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Where to write the file. It appears only when the export succeeded (no partial file).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// CSV delimiter: ';' or ','.
    #[arg(long, default_value = ";", value_parser = parse_delimiter)]
    pub delimiter: char,
    /// Decimal point instead of a decimal comma (decimal hours only).
    #[arg(long)]
    pub decimal_point: bool,
    /// Optional columns, comma-separated: weekly_hours_1, weekly_hours_2, weekly_hours_3,
    /// pay_period_hours, shift_definition_id (Protime and merged; also in the PDF), location,
    /// punch_source, start_sent_at, end_sent_at, sent_late, punch_notes, absence_notes,
    /// absence_approval, absence_codes, work_logs, time_zone_assumed (CSV/XLSX).
    #[arg(long, value_name = "NAMES", value_delimiter = ',', value_parser = parse_column)]
    pub columns: Vec<timesheet::OptionalColumn>,
    #[arg(long, value_enum, default_value = "hmm")]
    pub hours: HoursArg,
    #[arg(long, value_enum, default_value = "none")]
    pub rounding: RoundingArg,
    /// Round each day's total instead of each session.
    #[arg(long)]
    pub round_per_day: bool,
    /// XLSX: one more sheet per employee.
    #[arg(long)]
    pub sheet_per_employee: bool,
    /// PDF: the name in every page header (e.g. the company or profile). Default: the connection.
    #[arg(long, value_name = "NAME")]
    pub pdf_header: Option<String>,
    /// Count the part of a night shift after midnight on the next day.
    #[arg(long)]
    pub split_at_midnight: bool,
    /// A report saved in the app's Timesheets screen for the --profile: its source, tolerance,
    /// rounding, night shifts, hours, columns and file format with its options. The flags it sets
    /// cannot be given with it.
    #[arg(
        long,
        value_name = "NAME",
        requires = "profile",
        conflicts_with_all = [
            "source", "tolerance", "format", "delimiter", "decimal_point", "columns", "hours",
            "rounding", "round_per_day", "sheet_per_employee", "split_at_midnight",
        ]
    )]
    pub preset: Option<String>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    timebridge_core::dates::parse_day(s)
}

fn parse_delimiter(s: &str) -> Result<char, String> {
    match s {
        ";" => Ok(';'),
        "," => Ok(','),
        other => Err(format!(
            "'{other}' is not a supported delimiter: use ';' or ','"
        )),
    }
}

fn parse_column(s: &str) -> Result<timesheet::OptionalColumn, String> {
    timesheet::OptionalColumn::parse(s)
}

/// What the report is built from and how it is written: from a saved report, or from the flags.
struct Chosen {
    source: SourceOptions,
    options: ReportOptions,
    format: ExportFormat,
}

fn chosen_by_flags(args: &ExportArgs) -> Chosen {
    let options = ReportOptions {
        rounding: match args.rounding {
            RoundingArg::None => Rounding::None,
            RoundingArg::Five => Rounding::Nearest5,
            RoundingArg::Fifteen => Rounding::Nearest15,
        },
        rounding_scope: if args.round_per_day {
            RoundingScope::PerDay
        } else {
            RoundingScope::PerSession
        },
        night_shifts: if args.split_at_midnight {
            NightShifts::SplitAtMidnight
        } else {
            NightShifts::StartDay
        },
    };
    let source = SourceOptions {
        source: match args.source {
            Source::Timeclock => ReportSource::TimeClock,
            Source::Protime => ReportSource::Protime,
            Source::Merged => ReportSource::Merged,
        },
        tolerance_minutes: args.tolerance,
    };
    let hours = match args.hours {
        HoursArg::Hmm => HoursFormat::HoursMinutes,
        HoursArg::Decimal => HoursFormat::Decimal,
    };
    let format = match args.format {
        Format::Csv => ExportFormat::Csv(CsvOptions {
            delimiter: args.delimiter,
            decimal_comma: !args.decimal_point,
            hours,
            extra_columns: args.columns.clone(),
        }),
        Format::Xlsx => ExportFormat::Xlsx(XlsxOptions {
            hours,
            sheet_per_employee: args.sheet_per_employee,
            extra_columns: args.columns.clone(),
        }),
        Format::Pdf => ExportFormat::Pdf(PdfOptions {
            extra_columns: args.columns.clone(),
            ..PdfOptions::new(hours)
        }),
    };
    Chosen {
        source,
        options,
        format,
    }
}

pub async fn export(args: ExportArgs) -> Result<(), String> {
    let Chosen {
        source,
        options,
        format,
    } = match &args.preset {
        Some(name) => {
            let saved = args.connection.saved_report(name)?;
            Chosen {
                source: saved.source,
                options: saved.options,
                format: saved.format,
            }
        }
        None => chosen_by_flags(&args),
    };
    let report = match source.source {
        ReportSource::TimeClock => {
            let client = args.connection.timeclock()?;
            timesheet::timeclock_report(&client, args.from, args.to, options)
                .await
                .map_err(|e| e.to_string())?
        }
        ReportSource::Protime | ReportSource::Merged => {
            let connection = args.connection.connect()?;
            // A Protime export needs no TimeClock 365 key.
            let timeclock = match source.source {
                ReportSource::Protime => None,
                _ => Some(args.connection.timeclock()?),
            };
            let cache_path = match &args.cache {
                Some(p) => p.clone(),
                None => dirs::data_dir()
                    .ok_or("cannot find your data folder: pass --cache FILE")?
                    .join("timebridge")
                    .join("cli-protime-totals.sqlite"),
            };
            let cache = TotalsCache::open(&cache_path).map_err(|e| e.to_string())?;
            let protime = ProtimeSide {
                client: &connection.protime,
                cache: &cache,
                scope: &connection.target,
            };
            // A scheduled export always syncs first: it must not hand payroll five-minute-old data.
            build_report(
                source,
                timeclock.as_ref(),
                &protime,
                args.from,
                args.to,
                options,
                std::time::Duration::ZERO,
            )
            .await
            .map_err(|e| e.to_string())?
        }
    };
    // The PDF's page header names the connection unless --pdf-header says otherwise.
    let format = match format {
        ExportFormat::Pdf(_) => {
            let header = args.pdf_header.clone().unwrap_or_else(|| {
                if let Some(profile) = &args.connection.profile {
                    profile.clone()
                } else if args.connection.sandbox_url.is_some() {
                    "Sandbox".into()
                } else {
                    "TimeClock 365".into()
                }
            });
            format.with_context(&header, &report)
        }
        other => other,
    };
    let bytes = format.render(&report).map_err(|e| e.message)?;
    write_atomically(&args.out, &bytes)?;
    println!(
        "{}: {} rows, {} employees, {} worked minutes in all",
        args.out.display(),
        report.rows.len(),
        report.per_employee.len(),
        report.overall.worked_minutes
    );
    for w in report.warnings.iter().take(20) {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// The folder must exist; the file appears only when complete.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !dir.is_dir() {
        return Err(format!("the folder {} does not exist", dir.display()));
    }
    timesheet::service::write_atomically(path, bytes).map_err(|e| e.message)
}
