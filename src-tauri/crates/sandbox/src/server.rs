//! The sandbox's own accept loop: hyper HTTP/1 connections over the merged axum router, each with a
//! kill switch a handler can fire to drop its connection without an answer (the "connection reset"
//! faults), and a shutdown that stops accepting and waits a bounded time for connections in flight.
//!
//! Nothing here relies on a panic: a reset is the connection future being dropped, which closes the
//! socket, exactly what a client sees when a real server or proxy goes away mid-request.

use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Notify};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long [`crate::RunningSandbox::stop`] waits for connections in flight before dropping them.
pub const STOP_GRACE: Duration = Duration::from_secs(2);

/// The kill switch of one connection, put into every request's extensions. Firing it drops the
/// connection: the request being handled gets no answer and the socket closes.
#[derive(Clone, Debug, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn new() -> Self {
        Self::default()
    }
    /// Drops the connection. Safe to call before the connection task waits for it (the permit is kept).
    pub fn fire(&self) {
        self.0.notify_one();
    }
    async fn fired(&self) {
        self.0.notified().await
    }
}

/// Serves `app` on `listener` until `stop` fires (or its sender is dropped); then stops accepting,
/// asks every open connection to finish its request in flight and close, and drops whatever is still
/// open after [`STOP_GRACE`].
pub(crate) async fn serve(listener: TcpListener, app: Router, stop: oneshot::Receiver<()>) {
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    conns.spawn(serve_connection(stream, app.clone(), closing_rx.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!("sandbox accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    let _ = closing_tx.send(true);
    let drained = tokio::time::timeout(STOP_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::debug!(
            "sandbox stop: dropping {} connection(s) still open",
            conns.len()
        );
    }
    conns.shutdown().await;
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    app: Router,
    mut closing: watch::Receiver<bool>,
) {
    let kill = ConnectionKill::new();
    let switch = kill.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(switch.clone());
        let app = app.clone();
        async move { app.oneshot(req.map(axum::body::Body::new)).await }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new());
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut shutting_down = *closing.borrow();
    if shutting_down {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::trace!("sandbox connection ended: {e}");
                }
                return;
            }
            // Dropping `conn` (by returning) closes the socket without an answer.
            _ = kill.fired() => return,
            changed = closing.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_err() || *closing.borrow() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::protime::{Fault, ProtimeSim, ProtimeSimConfig};
    use crate::roster::Roster;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[test]
    fn nothing_relies_on_unwinding() {
        let sources = [
            ("lib.rs", include_str!("lib.rs")),
            ("server.rs", include_str!("server.rs")),
            (
                "protime/api/absence_definitions.rs",
                include_str!("protime/api/absence_definitions.rs"),
            ),
            (
                "protime/api/access_clockings.rs",
                include_str!("protime/api/access_clockings.rs"),
            ),
            (
                "protime/api/activity_definitions.rs",
                include_str!("protime/api/activity_definitions.rs"),
            ),
            (
                "protime/api/clockings.rs",
                include_str!("protime/api/clockings.rs"),
            ),
            ("protime/api/delta.rs", include_str!("protime/api/delta.rs")),
            ("protime/api/list.rs", include_str!("protime/api/list.rs")),
            ("protime/api/mod.rs", include_str!("protime/api/mod.rs")),
            (
                "protime/api/paging.rs",
                include_str!("protime/api/paging.rs"),
            ),
            ("protime/api/parse.rs", include_str!("protime/api/parse.rs")),
            (
                "protime/api/people.rs",
                include_str!("protime/api/people.rs"),
            ),
            ("protime/api/refs.rs", include_str!("protime/api/refs.rs")),
            (
                "protime/api/restrictions.rs",
                include_str!("protime/api/restrictions.rs"),
            ),
            (
                "protime/api/status_monitor.rs",
                include_str!("protime/api/status_monitor.rs"),
            ),
            (
                "protime/api/structure_versions.rs",
                include_str!("protime/api/structure_versions.rs"),
            ),
            (
                "protime/api/usages.rs",
                include_str!("protime/api/usages.rs"),
            ),
            ("protime/config.rs", include_str!("protime/config.rs")),
            ("protime/dispatch.rs", include_str!("protime/dispatch.rs")),
            ("protime/hooks.rs", include_str!("protime/hooks.rs")),
            ("protime/mod.rs", include_str!("protime/mod.rs")),
            ("protime/responses.rs", include_str!("protime/responses.rs")),
            ("protime/state.rs", include_str!("protime/state.rs")),
            ("protime/token.rs", include_str!("protime/token.rs")),
            ("timeclock/mod.rs", include_str!("timeclock/mod.rs")),
        ];
        for (name, src) in sources {
            let code = src.split("#[cfg(test)]").next().unwrap_or(src);
            // Spelled in pieces so this check does not find itself.
            let words = [
                concat!("catch", "_unwind"),
                concat!("resume", "_unwind"),
                "panic::",
            ];
            for bad in words {
                assert!(!code.contains(bad), "{name} uses {bad}");
            }
        }
    }

    #[tokio::test]
    async fn a_reset_outside_the_sandbox_server_is_a_closing_502() {
        let sim = ProtimeSim::new(
            1,
            &Roster::generate(1, 60),
            ProtimeSimConfig::default(),
            None,
        );
        sim.inject([Fault::ResetBeforeCommit]);
        let req = Request::get("/connector/protimeapi/api/v1/people")
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = sim.router().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(resp.headers()["connection"], "close");
    }
}
