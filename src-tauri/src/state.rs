//! Managed state: the active workspace, opened lazily on first use (the built-in sandbox on first
//! launch) so the window appears at once.

use std::sync::Arc;
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use tokio::sync::OnceCell;

pub struct AppState {
    workspace: OnceCell<Arc<Workspace>>,
}

impl AppState {
    pub fn new() -> Self {
        Self {
            workspace: OnceCell::new(),
        }
    }

    pub async fn workspace(&self) -> Result<Arc<Workspace>, AppError> {
        self.workspace
            .get_or_try_init(|| async { Workspace::open_builtin_sandbox(1).await.map(Arc::new) })
            .await
            .cloned()
    }
}
