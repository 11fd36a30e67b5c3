//! What both API clients share about talking HTTP to a server they do not trust.
//!
//! One implementation each of:
//! - the https rule ([`require_https_unless_loopback`]): https for every host but loopback;
//! - `Retry-After` parsing ([`parse_retry_after`]): delta-seconds (fractions too) and HTTP dates,
//!   always clamped to a cap, never panicking on absurd values;
//! - the retry schedule ([`Backoff`], [`retry_wait`]);
//! - a body size cap ([`read_body`], [`read_text`]): a body is read up to a byte limit and refused
//!   beyond it, so an endless answer cannot fill memory;
//! - the same-origin rule for links a server hands out ([`require_same_origin`]): `nextLink`,
//!   `deltaLink`, `Location`, `Operation-Location` must share the API base's scheme, host and port
//!   before a request carrying a token goes to them;
//! - no redirects ([`http_client`], [`refuse_redirect`]): the clients' `reqwest::Client` never
//!   follows a 3xx, so a secret or token never travels to the server a redirect names.
//!
//! The crate knows nothing of Tauri, the app or either client: each client maps these errors onto
//! its own error type.

mod backoff;
mod body;
#[cfg(feature = "test-support")]
pub mod hostile_server;
mod origin;
mod redirect;
mod retry_after;

pub use backoff::{retry_wait, Backoff};
pub use body::{read_body, read_text, BodyError, DEFAULT_MAX_BODY_BYTES};
pub use origin::{
    is_loopback, require_https_unless_loopback, require_same_origin, same_origin, ForeignLink,
    InsecureUrl,
};
pub use redirect::{http_client, refuse_redirect, RedirectRefused};
pub use retry_after::{
    parse_retry_after, parse_retry_after_capped, retry_after_header, MAX_RETRY_AFTER,
    MAX_RETRY_AFTER_HEADER_LEN,
};
