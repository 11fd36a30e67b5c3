//! Property test: the Protime client never panics on anything a server sends. A raw loopback
//! server answers with generated status codes (valid and not), header values (`Retry-After`,
//! `Location`, `Content-Length`, `Content-Type`, `Operation-Location`, …, absurd ones included)
//! and bodies (random bytes and near-valid JSON); the token endpoint answers well or just as badly.
//! Every call must return, with items or a typed [`Error`], never a panic.

use proptest::prelude::*;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use timebridge_protime::{Environment, ErrorKind, ProtimeClient, ProtimeConfig, Secret};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const API: &str = "/connector/protimeapi/api/v1/";
const TOKEN: &str = "/tenants/acme/connect/token";

/// A raw HTTP/1.1 server on loopback that answers every request with the bytes of the current
/// case, verbatim (status line, headers and body as generated, however malformed), then closes
/// the connection. `token` answers requests whose path contains `connect/token` when set.
#[derive(Clone, Default)]
struct RawServer {
    answer: Arc<Mutex<Vec<u8>>>,
    token: Arc<Mutex<Option<Vec<u8>>>>,
}

impl RawServer {
    async fn start(self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    continue;
                };
                let me = self.clone();
                tokio::spawn(async move {
                    let request = read_request(&mut socket).await;
                    let token = me.token.lock().unwrap().clone();
                    let bytes = match token {
                        Some(t) if request.contains("connect/token") => t,
                        _ => me.answer.lock().unwrap().clone(),
                    };
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        addr
    }
}

/// The request's head and body (by its Content-Length), read so the client never sees a reset
/// for a body it was still sending.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = socket.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return text;
            }
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}

/// Header values a hostile or broken server might send, plus random printable ones.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e20".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("NaN".to_string()),
        Just("Thu, 01 Jan 1970 00:00:00 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
        Just("http://evil.test/steal".to_string()),
        Just("//evil.test/x".to_string()),
        Just("../../../etc/passwd".to_string()),
        Just(String::new()),
        Just("0".to_string()),
        Just("application/json; charset=utf-8".to_string()),
        Just("text/html".to_string()),
        Just("chunked".to_string()),
        "[ -~]{0,40}",
        "[0-9]{1,25}",
    ]
}

fn header() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![
            Just("Retry-After"),
            Just("Location"),
            Just("Content-Length"),
            Just("Content-Type"),
            Just("Operation-Location"),
            Just("Transfer-Encoding"),
            Just("WWW-Authenticate"),
        ]
        .prop_map(str::to_string),
        header_value(),
    )
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            200u16, 201, 202, 204, 301, 302, 307, 308, 400, 401, 403, 404, 409, 410, 414, 429, 500,
            502, 503,
        ]),
        100u16..1000,
    ]
}

/// The raw bytes of one answer: a status line, the headers, then the body (with no
/// Content-Length of its own unless one was generated; the connection's close ends the body).
fn raw_answer(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n").into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        (any::<i64>(), "[ -~]{0,30}", header_value()).prop_map(|(id, name, link)| {
            format!(
                r#"{{"value":[{{"id":{id},"firstName":"{name}","lastName":null}}],"nextLink":"{link}"}}"#
            )
            .into_bytes()
        }),
        "[ -~]{0,30}".prop_map(|t| {
            format!(r#"{{"title":"{t}","status":"x","errors":{{"{t}":[1,null]}}}}"#).into_bytes()
        }),
        Just(br#"{"value":[{"id":1e400}]}"#.to_vec()),
        Just(br#"{"value":null,"nextLink":7}"#.to_vec()),
        Just(br#"{"access_token":"","expires_in":-99999999999999999999}"#.to_vec()),
        Just(br#"{"access_token":"t","expires_in":1e308}"#.to_vec()),
    ]
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn server() -> &'static (RawServer, SocketAddr) {
    static S: std::sync::OnceLock<(RawServer, SocketAddr)> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let s = RawServer::default();
        let addr = runtime().block_on(s.clone().start());
        (s, addr)
    })
}

const GOOD_TOKEN: &[u8] = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n{\"access_token\":\"tok\",\"expires_in\":3600}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_makes_the_client_panic(
        status in status(),
        headers in prop::collection::vec(header(), 0..4),
        body in body(),
        token_is_good in any::<bool>(),
    ) {
        let (s, addr) = server();
        *s.answer.lock().unwrap() = raw_answer(status, &headers, &body);
        *s.token.lock().unwrap() = token_is_good.then(|| GOOD_TOKEN.to_vec());
        let client = ProtimeClient::new(ProtimeConfig {
            environment: Environment::Custom {
                api_base: format!("http://{addr}{API}").parse().unwrap(),
                token_url: format!("http://{addr}{TOKEN}").parse().unwrap(),
            },
            client_id: "client".into(),
            client_secret: Secret::new("very-secret"),
            scopes: vec!["connector-protimeapi-people.read".into()],
            user_agent: ProtimeConfig::user_agent_for("fuzz tests"),
            timeout: Duration::from_secs(5),
        })
        .unwrap()
        .with_max_retry_after(Duration::from_millis(5));
        let result = runtime().block_on(client.people());
        if let Err(e) = result {
            prop_assert!(!e.message.is_empty(), "{:?} without a message", e.kind);
            // A typed error: one of the kinds, never an unexpected success with a foreign link.
            let _: ErrorKind = e.kind;
        }
    }
}
