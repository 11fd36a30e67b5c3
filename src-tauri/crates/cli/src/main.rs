//! `timebridge`: the command line over the same core as the app.

mod activities;
mod clockings;
mod connection;
mod timesheet;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "timebridge",
    version,
    about = "Timebridge: Protime and TimeClock 365 from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built-in simulators of both APIs on 127.0.0.1 until interrupted.
    Sandbox(timebridge_sandbox::SandboxArgs),
    /// Protime clockings.
    #[command(subcommand)]
    Clockings(ClockingsCommand),
    /// Timesheet reports.
    #[command(subcommand)]
    Timesheet(TimesheetCommand),
    /// Protime activity definitions.
    #[command(subcommand)]
    Activities(ActivitiesCommand),
}

#[derive(Subcommand)]
enum TimesheetCommand {
    /// Export a timesheet report to a file (CSV for payroll).
    Export(Box<timesheet::ExportArgs>),
}

#[derive(Subcommand)]
enum ActivitiesCommand {
    /// Create or update activity definitions from a CSV file, keyed on their external reference.
    /// Every row is checked first; exits non-zero if any row was refused.
    Import(activities::ImportArgs),
}

#[derive(Subcommand)]
enum ClockingsCommand {
    /// Import clockings from a CSV file: every row is checked first, then each is sent exactly once.
    /// Exits non-zero unless every row was sent.
    Import(clockings::ImportArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TIMEBRIDGE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Sandbox(args) => run_sandbox(args).await.map(|()| true),
            Command::Clockings(ClockingsCommand::Import(args)) => clockings::import(args).await,
            Command::Timesheet(TimesheetCommand::Export(args)) => {
                timesheet::export(*args).await.map(|()| true)
            }
            Command::Activities(ActivitiesCommand::Import(args)) => activities::import(args).await,
        }
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_sandbox(args: timebridge_sandbox::SandboxArgs) -> Result<(), String> {
    let config = args.to_config()?;
    let sandbox = timebridge_sandbox::start(args.port, config)
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    println!(
        "sandbox ready on {} (Protime API {}, token {}, TimeClock 365 {}; client id {}, secret {}, API key {})",
        sandbox.base_url(),
        sandbox.protime_api_base(),
        sandbox.protime_token_url(),
        sandbox.timeclock_endpoint(),
        timebridge_sandbox::DEMO_CLIENT_ID,
        timebridge_sandbox::DEMO_CLIENT_SECRET,
        timebridge_sandbox::DEMO_API_KEY,
    );
    wait_for_stop_signal().await;
    eprintln!("stopping the sandbox");
    sandbox.stop().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_stop_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
