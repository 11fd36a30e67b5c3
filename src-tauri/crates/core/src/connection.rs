//! Live connection status of both systems, obtained through the real clients over HTTP.

use crate::workspace::Workspace;
use crate::AppError;
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SystemStatus {
    pub ok: bool,
    /// One line for the status bar, e.g. "50 people".
    pub summary: String,
    pub error: Option<AppError>,
    pub latency_ms: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionStatus {
    pub protime: SystemStatus,
    pub timeclock: SystemStatus,
    /// RFC 3339 time of the check.
    pub checked_at: String,
}

impl SystemStatus {
    fn from_result(result: Result<String, AppError>, started: Instant) -> Self {
        let latency_ms = started.elapsed().as_millis().min(u32::MAX as u128) as u32;
        match result {
            Ok(summary) => Self {
                ok: true,
                summary,
                error: None,
                latency_ms,
            },
            Err(e) => Self {
                ok: false,
                summary: e.message.clone(),
                error: Some(e),
                latency_ms,
            },
        }
    }
}

/// Checks both systems at once: Protime token + `GET /people`; TimeClock 365 `sessions` for today.
pub async fn check(ws: &Workspace) -> ConnectionStatus {
    let protime = async {
        let started = Instant::now();
        let r = async {
            let people = ws.protime.people().await?;
            Ok::<_, AppError>(format!("{} people", people.len()))
        }
        .await;
        SystemStatus::from_result(r, started)
    };
    let timeclock = async {
        let started = Instant::now();
        let today = chrono::Local::now().date_naive();
        let r = async {
            let employees = ws.timeclock.sessions(today, today).await?;
            let sessions: usize = employees.iter().map(|e| e.sessions.len()).sum();
            Ok::<_, AppError>(format!(
                "{} employees, {} sessions today",
                employees.len(),
                sessions
            ))
        }
        .await;
        SystemStatus::from_result(r, started)
    };
    let (protime, timeclock) = tokio::join!(protime, timeclock);
    ConnectionStatus {
        protime,
        timeclock,
        checked_at: chrono::Utc::now().to_rfc3339(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn builtin_sandbox_reports_both_systems_green() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let status = check(&ws).await;
        assert!(status.protime.ok, "{:?}", status.protime);
        assert_eq!(status.protime.summary, "50 people");
        assert!(status.timeclock.ok, "{:?}", status.timeclock);
        assert!(status.timeclock.summary.starts_with("60 employees"));
        ws.close().await;
    }
}
