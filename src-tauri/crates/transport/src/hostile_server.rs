//! For the clients' property tests only (feature `test-support`): a raw loopback HTTP server that
//! answers with whatever bytes a test generates, however malformed, and the proptest strategies for
//! hostile status codes, headers and answers. Both clients' network fuzz tests share it, so the two
//! suites throw the same hostility at each client.

use proptest::prelude::*;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A raw HTTP/1.1 server on loopback that answers every request with the bytes of the current
/// case, verbatim (status line, headers and body as generated, however malformed), then closes
/// the connection. `token` answers requests whose path contains `connect/token` when set.
#[derive(Clone, Default)]
pub struct RawServer {
    pub answer: Arc<Mutex<Vec<u8>>>,
    pub token: Arc<Mutex<Option<Vec<u8>>>>,
}

impl RawServer {
    pub async fn start(self) -> SocketAddr {
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
pub async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
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
pub fn header_value() -> impl Strategy<Value = String> {
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

pub fn header() -> impl Strategy<Value = (String, String)> {
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

pub fn status() -> impl Strategy<Value = u16> {
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
pub fn raw_answer(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n").into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}
