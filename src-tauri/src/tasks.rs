//! Long tasks the window can follow and cancel (a month's report, an export): each runs under an
//! id the UI chose, its stage can be polled, and cancelling drops the work at its next await, so a
//! cancelled export never reaches the file write.

use futures::future::{AbortHandle, Abortable};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use timebridge_core::{AppError, ErrorCode};
use timebridge_reports::timesheet::service::ExportStage;

#[derive(Default)]
pub struct Tasks {
    running: Mutex<HashMap<String, Running>>,
    /// Files exported in this session: the only ones "open folder" will show.
    exported: Mutex<HashSet<PathBuf>>,
}

struct Running {
    abort: AbortHandle,
    stage: Option<ExportStage>,
}

impl Tasks {
    /// Runs `work` under `id` until it ends or [`Tasks::cancel`] stops it.
    pub async fn run<T>(
        &self,
        id: &str,
        work: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let (abort, registration) = AbortHandle::new_pair();
        {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if running.contains_key(id) {
                return Err(AppError::validation(format!(
                    "A task '{id}' is already running"
                )));
            }
            running.insert(id.to_string(), Running { abort, stage: None });
        }
        let outcome = Abortable::new(work, registration).await;
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        outcome.unwrap_or_else(|_| {
            Err(AppError::new(
                ErrorCode::Cancelled,
                "Cancelled: nothing was written",
            ))
        })
    }

    pub fn set_stage(&self, id: &str, stage: ExportStage) {
        if let Some(r) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(id)
        {
            r.stage = Some(stage);
        }
    }

    /// The stage of a running task; `None` when it has not reported one or is not running.
    pub fn stage(&self, id: &str) -> Option<ExportStage> {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .and_then(|r| r.stage)
    }

    /// Stops the task; `false` when no such task runs (it may just have finished).
    pub fn cancel(&self, id: &str) -> bool {
        match self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            Some(r) => {
                r.abort.abort();
                true
            }
            None => false,
        }
    }

    pub fn remember_export(&self, path: &Path) {
        self.exported
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }

    pub fn was_exported(&self, path: &Path) -> bool {
        self.exported
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cancelled_task_stops_at_its_next_await_and_says_so() {
        let tasks = std::sync::Arc::new(Tasks::default());
        let reached_end = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (t, end) = (tasks.clone(), reached_end.clone());
        let job = tokio::spawn(async move {
            t.run("export-1", async {
                t.set_stage("export-1", ExportStage::Fetching);
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                end.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            })
            .await
        });
        while tasks.stage("export-1").is_none() {
            tokio::task::yield_now().await;
        }
        assert_eq!(tasks.stage("export-1"), Some(ExportStage::Fetching));
        assert!(tasks.cancel("export-1"));
        let err = job.await.unwrap().unwrap_err();
        assert_eq!(err.code, ErrorCode::Cancelled);
        assert!(!reached_end.load(std::sync::atomic::Ordering::SeqCst));
        assert!(!tasks.cancel("export-1"), "gone once ended");
        assert_eq!(tasks.stage("export-1"), None);
        assert_eq!(tasks.run("x", async { Ok(7) }).await.unwrap(), 7);
    }
}
