//! Managed state: the active workspace, opened lazily on first use (the built-in sandbox on first
//! launch) so the window appears at once, and the outbox in the app-data folder.

use std::path::PathBuf;
use std::sync::Arc;
use timebridge_core::clocking::Outbox;
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use tokio::sync::OnceCell;

pub struct AppState {
    data_dir: PathBuf,
    workspace: OnceCell<Arc<Workspace>>,
    outbox: OnceCell<Arc<Outbox>>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            workspace: OnceCell::new(),
            outbox: OnceCell::new(),
        }
    }

    pub async fn workspace(&self) -> Result<Arc<Workspace>, AppError> {
        self.workspace
            .get_or_try_init(|| async { Workspace::open_builtin_sandbox(1).await.map(Arc::new) })
            .await
            .cloned()
    }

    /// The outbox database, `timebridge.sqlite` in the app-data folder.
    pub async fn outbox(&self) -> Result<Arc<Outbox>, AppError> {
        self.outbox
            .get_or_try_init(|| async {
                std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                    AppError::new(
                        timebridge_core::ErrorCode::Storage,
                        format!(
                            "Cannot create the data folder {}: {e}",
                            self.data_dir.display()
                        ),
                    )
                })?;
                Outbox::open(&self.data_dir.join("timebridge.sqlite")).map(Arc::new)
            })
            .await
            .cloned()
    }
}

/// How often queued and uncertain clockings are retried in the background.
const DRAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// Sends queued clockings once the connection is back, without the user having to ask.
pub fn spawn_outbox_drainer(app: tauri::AppHandle) {
    use tauri::Manager;
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(DRAIN_EVERY).await;
            let state = app.state::<AppState>();
            let (Ok(ws), Ok(outbox)) = (state.workspace().await, state.outbox().await) else {
                continue;
            };
            match timebridge_core::clocking::service::drain_if_due(&ws, &outbox).await {
                Ok(Some(report)) => tracing::info!(?report, "background outbox drain"),
                Ok(None) => {}
                Err(e) => tracing::warn!("background outbox drain failed: {}", e.message),
            }
        }
    });
}
