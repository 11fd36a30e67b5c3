//! Blocking work called from async code.

/// Runs a blocking call `f` (a keychain round trip, a SQLite statement, a settings file write) from
/// async code without stalling the runtime's other tasks. A keychain call is a D-Bus (or OS) round
/// trip that may wait on an unlock prompt; SQLite waits on the disk and on other processes' locks.
/// On a multi-threaded tokio runtime (the app's and the CLI's) `block_in_place` hands this worker's
/// other tasks to another thread while `f` blocks. Elsewhere (no runtime, or a current-thread one
/// as in unit tests, where `block_in_place` is not allowed) `f` simply runs. The callers borrow
/// their stores and connections, which `spawn_blocking` (it needs `'static` data) cannot take.
pub fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One worker, and the blocking call runs on it (a test body runs on the test's own thread).
    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn blocking_calls_from_async_code_leave_the_runtime_responsive() {
        // While one call blocks for 300 ms, a timer task on the same runtime still fires on time.
        let saw_tick = tokio::spawn(async {
            let ticked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let t = ticked.clone();
            let timer = tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                t.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            tokio::task::yield_now().await;
            let saw_tick = off_runtime(|| {
                std::thread::sleep(std::time::Duration::from_millis(300));
                ticked.load(std::sync::atomic::Ordering::SeqCst)
            });
            timer.await.unwrap();
            saw_tick
        })
        .await
        .unwrap();
        assert!(saw_tick, "the runtime was stalled by the blocking call");
        // And on a current-thread runtime (where block_in_place would panic) it just runs.
        let on_current_thread = std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(async { off_runtime(|| 7) })
        });
        assert_eq!(on_current_thread.join().unwrap(), 7);
    }
}
