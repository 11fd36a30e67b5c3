//! Property test: the TimeClock 365 client never panics on anything a server sends. A raw
//! loopback server answers every JSON-RPC call with generated status codes (valid and not), header
//! values (`Retry-After`, `Location`, `Content-Length`, `Content-Type`, …, absurd ones included) and
//! bodies (random bytes and near-valid JSON-RPC answers). Every call must return, with data or a
//! typed [`Error`], never a panic.

use chrono::NaiveDate;
use proptest::prelude::*;
use std::net::SocketAddr;
use std::time::Duration;
use timebridge_timeclock::{
    ClientOptions, ErrorKind, RetryPolicy, Secret, TimeClockClient, TimeClockConfig,
};
use timebridge_transport::hostile_server::{header, raw_answer, status, RawServer};

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        (any::<i64>(), "[ -~]{0,30}", "[ -~]{0,25}").prop_map(|(n, email, date)| {
            format!(
                r#"{{"jsonrpc":"2.0","id":1,"result":[{{"employeeNumber":{n},"email":"{email}","sessions":[{{"startDate":"{date}","endDate":"{date}","timezone":"{email}","lunches":[],"workLogs":[{{"name":null,"startDate":"{date}"}}]}}]}}]}}"#
            )
            .into_bytes()
        }),
        (any::<i64>(), "[ -~]{0,30}").prop_map(|(code, message)| {
            format!(r#"{{"jsonrpc":"2.0","id":1,"error":{{"code":{code},"message":"{message}"}}}}"#)
                .into_bytes()
        }),
        Just(br#"{"jsonrpc":"2.0","id":1,"result":null}"#.to_vec()),
        Just(br#"{"jsonrpc":"2.0","id":1,"result":[{"employeeNumber":1e400}]}"#.to_vec()),
        Just(br#"{"jsonrpc":"2.0","id":1,"result":{"sessions":7}}"#.to_vec()),
        Just(br#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"#.to_vec()),
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

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_makes_the_client_panic(
        status in status(),
        headers in prop::collection::vec(header(), 0..4),
        body in body(),
        days in 0i64..40,
    ) {
        let (s, addr) = server();
        *s.answer.lock().unwrap() = raw_answer(status, &headers, &body);
        let client = TimeClockClient::with_options(
            TimeClockConfig {
                endpoint: format!("http://{addr}/api/v1/json-rpc").parse().unwrap(),
                api_key: Secret::new("very-secret-key"),
                timeout: Duration::from_secs(5),
            },
            ClientOptions {
                retry: RetryPolicy {
                    max_attempts: 2,
                    base_delay: Duration::from_millis(1),
                    max_delay: Duration::from_millis(5),
                    max_retry_after: Duration::from_millis(5),
                },
                ..Default::default()
            },
        )
        .unwrap();
        let start = d("2025-03-01");
        let end = start + chrono::Duration::days(days);
        let result = runtime().block_on(client.timesheet(start, end));
        if let Err(e) = result {
            prop_assert!(!e.message.is_empty(), "{:?} without a message", e.kind);
            let _: ErrorKind = e.kind;
        }
    }
}
