//! The JSON-RPC 2.0 envelope: the request body of one call, and the answer decoded into its result or
//! a typed error (an `error` object, a body that is not JSON or was cut off, an id that is not ours).

use crate::{Error, ErrorKind};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
pub(crate) struct RpcErrorObject {
    #[serde(default)]
    pub(crate) code: Option<i64>,
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default)]
    pub(crate) data: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default = "none", bound(deserialize = "T: Deserialize<'de>"))]
    result: Option<T>,
    #[serde(default)]
    pub(crate) error: Option<RpcErrorObject>,
}

fn none<T>() -> Option<T> {
    None
}

/// An error-only view of a body, for non-2xx answers.
#[derive(Deserialize)]
pub(crate) struct ErrorOnly {
    #[serde(default)]
    pub(crate) error: Option<RpcErrorObject>,
}

/// The JSON-RPC request body of one call, exactly as the guide's request examples show it.
pub fn rpc_request(method: &str, start: NaiveDate, end: NaiveDate, id: u64) -> serde_json::Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": {"startDate": start.format("%Y-%m-%d").to_string(), "endDate": end.format("%Y-%m-%d").to_string()},
        "id": id,
    })
}

/// Decodes a 2xx JSON-RPC answer to request `id`: the `result`, or the typed error for an `error`
/// object, a body that is not JSON (or was cut off), or an id that is not `id`'s.
pub fn decode_response<T: DeserializeOwned>(raw: &[u8], id: u64) -> Result<T, Error> {
    decode_envelope(raw, id, 200, None, "the request")
}

pub(crate) fn decode_envelope<T: DeserializeOwned>(
    raw: &[u8],
    id: u64,
    status: u16,
    retry_after: Option<Duration>,
    what: &str,
) -> Result<T, Error> {
    let envelope: Envelope<T> = match serde_json::from_slice(raw) {
        Ok(v) => v,
        Err(err) => {
            let looks_json = serde_json::from_slice::<serde::de::IgnoredAny>(raw).is_ok();
            let mut e = if looks_json {
                Error::new(
                    ErrorKind::Decode,
                    format!("TimeClock 365 answered {what} in an unexpected shape: {err}"),
                )
            } else if err.is_eof() && !raw.is_empty() {
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "TimeClock 365's answer to {what} was cut off ({} bytes)",
                        raw.len()
                    ),
                )
                .transient()
            } else {
                let preview: String = String::from_utf8_lossy(raw).chars().take(80).collect();
                Error::new(
                        ErrorKind::Decode,
                        format!("TimeClock 365 answered {what} with something that is not JSON-RPC (HTTP {status}): {preview:?}"),
                    )
            };
            e.http_status = Some(status);
            return Err(e);
        }
    };
    if let Some(err) = envelope.error {
        let code = err.code;
        let msg = err.message.unwrap_or_else(|| "no message".into());
        let (kind, transient, hint) = match code {
            Some(-32001) => (
                ErrorKind::Unauthorized,
                false,
                ": check the API key under Integrations in the TimeClock 365 dashboard",
            ),
            Some(-32601) => (
                ErrorKind::MethodNotFound,
                false,
                ": this server does not offer that method",
            ),
            Some(-32602) => (ErrorKind::InvalidRequest, false, ": the dates were refused"),
            Some(-32600) | Some(-32700) => (ErrorKind::InvalidRequest, false, ""),
            Some(-32029) => (ErrorKind::RateLimited, true, ": try again in a moment"),
            Some(-32603) => (
                ErrorKind::Upstream,
                true,
                ": a server fault; try again later",
            ),
            _ => (ErrorKind::Upstream, false, ""),
        };
        let code_text = code.map_or("no code".to_string(), |c| format!("code {c}"));
        let mut e = Error::new(
            kind,
            format!("TimeClock 365 refused {what}: {msg} ({code_text}){hint}"),
        );
        e.http_status = Some(status);
        e.rpc_code = code;
        e.rpc_data = err.data;
        e.retry_after = retry_after;
        e.transient = transient;
        return Err(e);
    }
    let echoed = match &envelope.id {
        serde_json::Value::Null => true,
        serde_json::Value::Number(n) => n.as_u64() == Some(id),
        serde_json::Value::String(s) => s == &id.to_string(),
        _ => false,
    };
    if !echoed {
        let mut e = Error::new(
                ErrorKind::Decode,
                format!(
                    "TimeClock 365 answered request {id} ({what}) with id {}: the answer belongs to another request",
                    envelope.id
                ),
            );
        e.http_status = Some(status);
        return Err(e);
    }
    match envelope.result {
        Some(v) => Ok(v),
        // `result: null` or absent: "no records".
        None => serde_json::from_str("[]").map_err(|_| {
            Error::new(
                ErrorKind::Decode,
                format!("TimeClock 365 answered {what} without a result"),
            )
        }),
    }
}
