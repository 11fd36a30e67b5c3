//! Property test: the Protime client never panics on anything a server sends. A raw loopback
//! server answers with generated status codes (valid and not), header values (`Retry-After`,
//! `Location`, `Content-Length`, `Content-Type`, `Operation-Location`, …, absurd ones included)
//! and bodies (random bytes and near-valid JSON); the token endpoint answers well or just as badly.
//! Every call must return, with items or a typed [`Error`], never a panic.

use proptest::prelude::*;
use std::net::SocketAddr;
use std::time::Duration;
use timebridge_protime::{Environment, ErrorKind, ProtimeClient, ProtimeConfig, Secret};
use timebridge_transport::hostile_server::{header, header_value, raw_answer, status, RawServer};

const API: &str = "/connector/protimeapi/api/v1/";
const TOKEN: &str = "/tenants/acme/connect/token";

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
