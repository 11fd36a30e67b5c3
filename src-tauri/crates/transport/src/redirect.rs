//! No redirects: a 3xx is an answer to report, never a place to send credentials.

use std::fmt;
use std::time::Duration;

/// The `reqwest::Client` both API clients use: never follows redirects (a client secret or a bearer
/// token must not travel to the server a 3xx names), with the given overall and connect timeouts.
pub fn http_client(
    timeout: Duration,
    connect_timeout: Duration,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .build()
}

/// A 3xx answer that was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRefused {
    pub status: u16,
    /// Where it pointed (the `Location` header, cut to 200 characters), when it said.
    pub location: Option<String>,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(
                f,
                "the server answered HTTP {} redirecting to {l}",
                self.status
            )?,
            None => write!(f, "the server answered HTTP {} (a redirect)", self.status)?,
        }
        f.write_str("; redirects are never followed, so no credentials were sent there: check the configured address")
    }
}

impl std::error::Error for RedirectRefused {}

/// `Err` for a 3xx response (which [`http_client`] never follows), naming where it pointed.
pub fn refuse_redirect(resp: &reqwest::Response) -> Result<(), RedirectRefused> {
    if !resp.status().is_redirection() {
        return Ok(());
    }
    let location = resp.headers().get(reqwest::header::LOCATION).map(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .chars()
            .take(200)
            .collect()
    });
    Err(RedirectRefused {
        status: resp.status().as_u16(),
        location,
    })
}
