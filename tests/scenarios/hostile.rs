//! The hostile-server suite: the **release** `timebridge` binary, as users run it, talking to the
//! release `timebridge sandbox` through a small proxy on 127.0.0.1 that turns the sandbox hostile
//! in one way per case: formula cells in TimeClock 365 e-mails, a token endpoint that redirects
//! (with the client secret in the body) to another server, a `nextLink` to a foreign host, an
//! absurd `Retry-After`, an endless body, and endless pagination. A second server ("other")
//! records every request it gets: it must get none. Each case prints what leaked and the CLI's
//! peak memory (VmHWM), and must show nothing leaked, no crash and a peak under 400 MB.
//!
//! Not part of `cargo test --workspace` (it needs the release build):
//! `cargo build --release -p timebridge-cli && cargo test -p timebridge-tests --test hostile -- --nocapture`
//! (`TIMEBRIDGE_RELEASE_CLI` names another binary).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use futures::StreamExt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use timebridge_tests::{release_cli, ReleaseSandbox};

/// The peak resident memory any case may reach.
const MAX_PEAK_KB: u64 = 400 * 1024;
const API: &str = "/connector/protimeapi/api/v1/";
const FORMULA: &str = "=cmd|'/C calc'!A0+";

/// `timebridge sandbox` of the release binary, without switches.
struct Sandbox(ReleaseSandbox);

impl Sandbox {
    fn start() -> Self {
        Sandbox(ReleaseSandbox::start(&[]))
    }
}

impl std::ops::Deref for Sandbox {
    type Target = ReleaseSandbox;
    fn deref(&self) -> &ReleaseSandbox {
        &self.0
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    FormulaCells,
    TokenRedirect,
    ForeignNextLink,
    AbsurdRetryAfter,
    EndlessBody,
    EndlessPages,
}

struct Proxy {
    case: Case,
    upstream: String,
    base: String,
    other: String,
    http: reqwest::Client,
    /// Whether the absurd `Retry-After` was already sent (once per client).
    throttled_timeclock: AtomicBool,
    throttled_protime: AtomicBool,
    pages_served: AtomicU32,
}

/// A server on 127.0.0.1 that records every request; nothing may ever reach it.
#[derive(Clone, Default)]
struct Other {
    seen: Arc<Mutex<Vec<String>>>,
}

async fn listen(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn start_other() -> (Other, String) {
    let other = Other::default();
    let seen = other.seen.clone();
    let url = listen(Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(format!(
                    "{method} {uri} authorization={:?} body={}",
                    headers.get("authorization"),
                    String::from_utf8_lossy(&body)
                ));
                (StatusCode::OK, "{\"value\":[]}")
            }
        },
    ))
    .await;
    (other, url)
}

async fn start_proxy(case: Case, upstream: &str, other: &str) -> (Arc<Proxy>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let proxy = Arc::new(Proxy {
        case,
        upstream: upstream.to_string(),
        base: base.clone(),
        other: other.to_string(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        throttled_timeclock: AtomicBool::new(false),
        throttled_protime: AtomicBool::new(false),
        pages_served: AtomicU32::new(0),
    });
    let app = Router::new().fallback(handle).with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (proxy, base)
}

fn answer(status: StatusCode, headers: &[(&str, &str)], body: Body) -> Response {
    let mut r = Response::builder().status(status);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(body).unwrap()
}

fn json_answer(value: &serde_json::Value) -> Response {
    answer(
        StatusCode::OK,
        &[("content-type", "application/json")],
        Body::from(value.to_string()),
    )
}

async fn handle(
    State(p): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let path_and_query = uri.path_and_query().map(|x| x.as_str()).unwrap_or(path);
    let timeclock = path.ends_with("/json-rpc");
    let token = path.ends_with("/connect/token");
    let people = path == format!("{API}people");
    match p.case {
        Case::TokenRedirect if token => {
            let to = format!("{}{path}", p.other);
            return answer(
                StatusCode::TEMPORARY_REDIRECT,
                &[("location", &to)],
                Body::empty(),
            );
        }
        Case::AbsurdRetryAfter => {
            let first = if timeclock {
                !p.throttled_timeclock.swap(true, Ordering::SeqCst)
            } else if path.starts_with(API) && method == Method::GET {
                !p.throttled_protime.swap(true, Ordering::SeqCst)
            } else {
                false
            };
            if first {
                return answer(
                    StatusCode::TOO_MANY_REQUESTS,
                    &[("retry-after", "1e20")],
                    Body::from("slow down"),
                );
            }
        }
        Case::EndlessBody if timeclock => {
            // 64 KiB of a JSON array's items, forever: the CLI must stop reading, not fill memory.
            let chunk = Bytes::from("{\"employeeNumber\":1,\"sessions\":[]},".repeat(1800));
            let stream = futures::stream::once(async {
                Ok::<_, std::io::Error>(Bytes::from("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":["))
            })
            .chain(futures::stream::repeat_with(move || Ok(chunk.clone())));
            return answer(
                StatusCode::OK,
                &[("content-type", "application/json")],
                Body::from_stream(stream),
            );
        }
        Case::EndlessPages
            if people && uri.query().is_some_and(|q| q.contains("hostile_page=")) =>
        {
            // Every page is empty and names a new next page on the API's own origin.
            let n = p.pages_served.fetch_add(1, Ordering::SeqCst) + 1;
            return json_answer(&serde_json::json!({
                "value": [],
                "nextLink": format!("{}{API}people?hostile_page={}", p.base, n + 1),
            }));
        }
        _ => {}
    }
    // Forward to the sandbox.
    let mut request = p
        .http
        .request(method, format!("{}{path_and_query}", p.upstream))
        .body(body);
    for (k, v) in &headers {
        if !["host", "content-length", "connection", "accept-encoding"].contains(&k.as_str()) {
            request = request.header(k, v);
        }
    }
    let upstream = match request.send().await {
        Ok(r) => r,
        Err(e) => return answer(StatusCode::BAD_GATEWAY, &[], Body::from(e.to_string())),
    };
    let status = upstream.status();
    let kept: Vec<(String, String)> = upstream
        .headers()
        .iter()
        .filter(|(k, _)| {
            !["content-length", "transfer-encoding", "connection"].contains(&k.as_str())
        })
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let mut bytes = upstream.bytes().await.unwrap_or_default().to_vec();
    match p.case {
        Case::FormulaCells if timeclock => {
            let text = String::from_utf8_lossy(&bytes);
            bytes = text
                .replace("\"email\":\"", &format!("\"email\":\"{FORMULA}"))
                .into_bytes();
        }
        Case::ForeignNextLink | Case::EndlessPages if people && status.is_success() => {
            let mut page: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            page["nextLink"] = match p.case {
                Case::ForeignNextLink => format!("{}{API}people?page=2", p.other).into(),
                _ => format!("{}{API}people?hostile_page=1", p.base).into(),
            };
            bytes = page.to_string().into_bytes();
        }
        _ => {}
    }
    let headers: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    answer(status, &headers, Body::from(bytes))
}

/// What one run of the release CLI did.
struct Run {
    code: Option<i32>,
    output: String,
    peak_kb: u64,
    took: Duration,
}

/// The CLI's peak resident memory so far (VmHWM), in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the release CLI, polling its peak memory until it exits.
fn run_cli(args: &[String]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(release_cli())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the release CLI");
    let pid = child.id();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let readers = (
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        }),
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        }),
    );
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = vm_hwm(pid) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the CLI did not finish in 4 minutes"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = format!("{}{}", readers.0.join().unwrap(), readers.1.join().unwrap());
    Run {
        code: status.code(),
        output,
        peak_kb,
        took: started.elapsed(),
    }
}

/// `timesheet export` of the last week through the proxy.
fn export_args(proxy: &str, source: &str, out: &Path, cache: &Path) -> Vec<String> {
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(6);
    [
        "timesheet",
        "export",
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
        "--source",
        source,
        "--sandbox-url",
        proxy,
        "--timeout",
        "20",
        "--out",
        &out.display().to_string(),
        "--cache",
        &cache.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs one case end to end and checks what every case must show: no crash (the release build
/// aborts on a panic, exit 134), nothing at the other server, peak memory under the limit.
fn case(case: Case, source: &str) -> (Run, Arc<Proxy>, PathBuf, tempfile::TempDir) {
    let sandbox = Sandbox::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (other, other_url) = runtime.block_on(start_other());
    let (proxy, proxy_url) = runtime.block_on(start_proxy(case, &sandbox.url, &other_url));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export.csv");
    let run = run_cli(&export_args(
        &proxy_url,
        source,
        &out,
        &dir.path().join("cache.sqlite"),
    ));
    let leaked = other.seen.lock().unwrap().clone();
    println!(
        "hostile {case:?}: exit {:?} in {:.1} s, peak memory {} MB, leaked to the other server: {}",
        run.code,
        run.took.as_secs_f64(),
        run.peak_kb / 1024,
        if leaked.is_empty() {
            "nothing".to_string()
        } else {
            format!("{leaked:?}")
        }
    );
    let last_line = run.output.lines().last().unwrap_or("");
    println!("  the CLI said: {last_line}");
    assert!(leaked.is_empty(), "{case:?} leaked: {leaked:?}");
    assert!(
        run.code.is_some() && run.code != Some(134),
        "{case:?}: the CLI crashed:\n{}",
        run.output
    );
    assert!(run.peak_kb > 0, "no memory reading for the CLI");
    assert!(
        run.peak_kb < MAX_PEAK_KB,
        "{case:?}: peak memory {} MB",
        run.peak_kb / 1024
    );
    (run, proxy, out, dir)
}

#[test]
fn formula_cells_in_timeclock_emails_are_not_live_in_the_csv() {
    let (run, _, out, _dir) = case(Case::FormulaCells, "timeclock");
    assert_eq!(run.code, Some(0), "{}", run.output);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let neutralised = cells
        .iter()
        .filter(|c| c.starts_with(&format!("'{FORMULA}")))
        .count();
    let live = cells
        .iter()
        .filter(|c| c.starts_with(['=', '+', '@', '\t', '\r']))
        .count();
    println!("  formula cells neutralised: {neutralised}, live formulas: {live}");
    assert!(neutralised > 0, "the proxy's e-mails did not reach the CSV");
    assert_eq!(live, 0);
}

#[test]
fn a_token_endpoint_redirect_gets_no_secret() {
    let (run, _, out, _dir) = case(Case::TokenRedirect, "protime");
    assert_ne!(run.code, Some(0), "the export went on after a redirect");
    assert!(run.output.contains("redirect"), "{}", run.output);
    assert!(!out.exists(), "no file after a failed export");
}

#[test]
fn a_foreign_next_link_gets_no_token() {
    let (run, _, out, _dir) = case(Case::ForeignNextLink, "protime");
    assert_ne!(run.code, Some(0));
    assert!(
        run.output.contains("127.0.0.1") || run.output.contains("origin"),
        "{}",
        run.output
    );
    assert!(!out.exists());
}

#[test]
fn an_absurd_retry_after_is_capped_without_a_crash() {
    let (run, _, out, _dir) = case(Case::AbsurdRetryAfter, "merged");
    // One 429 per client, then normal answers: the wait is the cap (30 s per client), not 1e20 s.
    assert_eq!(run.code, Some(0), "{}", run.output);
    assert!(run.took < Duration::from_secs(100), "{:?}", run.took);
    assert!(out.exists());
}

#[test]
fn an_endless_body_is_cut_at_the_limit() {
    let (run, _, out, _dir) = case(Case::EndlessBody, "timeclock");
    assert_ne!(run.code, Some(0));
    assert!(
        run.output.contains("MiB") || run.output.contains("limit"),
        "{}",
        run.output
    );
    assert!(!out.exists());
}

#[test]
fn endless_pagination_stops_with_a_clear_error() {
    let (run, proxy, out, _dir) = case(Case::EndlessPages, "protime");
    let pages = proxy.pages_served.load(Ordering::SeqCst);
    println!("  pages served before the CLI stopped: {pages}");
    assert_ne!(run.code, Some(0));
    assert!(run.output.contains("pages"), "{}", run.output);
    assert!(
        pages <= timebridge_protime::MAX_PAGES,
        "{pages} pages were requested"
    );
    assert!(!out.exists());
}
