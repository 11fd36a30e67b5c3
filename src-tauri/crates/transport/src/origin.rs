//! Where requests may go: https unless loopback, and server-given links only to the API's origin.

use std::fmt;
use url::{Host, Url};

/// Whether the URL's host is this computer: `127.0.0.0/8`, `::1` or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A URL that would send credentials in the clear (or over a scheme that is not HTTP at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsecureUrl(pub Url);

impl fmt::Display for InsecureUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} must use https (plain http is only allowed on this computer's loopback address)",
            self.0
        )
    }
}

impl std::error::Error for InsecureUrl {}

/// https is required for every host; plain http only on loopback (the built-in sandbox).
pub fn require_https_unless_loopback(url: &Url) -> Result<(), InsecureUrl> {
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(InsecureUrl(url.clone())),
    }
}

/// Whether `link` has the same scheme, host and port (explicit or the scheme's default) as `base`.
/// Only `http` and `https` links can match.
pub fn same_origin(base: &Url, link: &Url) -> bool {
    matches!(link.scheme(), "http" | "https")
        && link.scheme() == base.scheme()
        && link.host().is_some()
        && link.host() == base.host()
        && link.port_or_known_default() == base.port_or_known_default()
}

/// A server-given link that points away from the configured API origin: it was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignLink {
    /// `scheme://host[:port]` of the link.
    pub link_origin: String,
    /// `scheme://host[:port]` of the configured API base.
    pub base_origin: String,
}

impl fmt::Display for ForeignLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server answered a link to another server ({}); it was not followed, so the access token stays with {}",
            self.link_origin, self.base_origin
        )
    }
}

impl std::error::Error for ForeignLink {}

fn origin_text(u: &Url) -> String {
    let host = u.host_str().unwrap_or("");
    let host: String = host.chars().take(100).collect();
    match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    }
}

/// Refuses `link` unless it is on `base`'s origin (see [`same_origin`]). Call it before a request
/// with a token goes to any link a server gave (`nextLink`, `deltaLink`, `Location`,
/// `Operation-Location`).
pub fn require_same_origin(base: &Url, link: &Url) -> Result<(), ForeignLink> {
    if same_origin(base, link) {
        Ok(())
    } else {
        Err(ForeignLink {
            link_origin: origin_text(link),
            base_origin: origin_text(base),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn https_everywhere_but_loopback() {
        for ok in [
            "https://acme.myprotime.eu/x",
            "https://93.184.216.34/",
            "http://127.0.0.1:5000/x",
            "http://127.8.9.10/x",
            "http://[::1]:80/x",
            "http://localhost:1/x",
            "http://LOCALHOST/x",
        ] {
            assert!(require_https_unless_loopback(&u(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://128.0.0.1/x",
            "http://[::2]/x",
            "http://localhost.evil.example/x",
            "http://10.0.0.1/x",
            "ftp://localhost/x",
            "file:///etc/passwd",
        ] {
            let e = require_https_unless_loopback(&u(bad)).unwrap_err();
            assert!(e.to_string().contains("must use https"), "{bad}: {e}");
        }
    }

    #[test]
    fn same_origin_needs_scheme_host_and_port() {
        let base = u("http://127.0.0.1:5000/connector/protimeapi/api/v1/");
        assert!(same_origin(&base, &u("http://127.0.0.1:5000/other?x=1")));
        for bad in [
            "http://127.0.0.1:5001/connector/protimeapi/api/v1/people",
            "https://127.0.0.1:5000/connector/protimeapi/api/v1/people",
            "http://localhost:5000/connector/protimeapi/api/v1/people",
            "http://evil.example:5000/x",
            "data:text/plain,hi",
        ] {
            let e = require_same_origin(&base, &u(bad)).unwrap_err();
            assert!(e.to_string().contains("another server"), "{bad}: {e}");
        }
        let https = u("https://acme.myprotime.eu/connector/");
        assert!(same_origin(&https, &u("https://acme.myprotime.eu:443/x")));
        assert!(!same_origin(&https, &u("https://acme.myprotime.eu:8443/x")));
        assert!(!same_origin(&https, &u("https://evil.myprotime.eu/x")));
        let e = require_same_origin(&https, &u("https://evil.example:8443/x")).unwrap_err();
        assert_eq!(e.link_origin, "https://evil.example:8443");
        assert_eq!(e.base_origin, "https://acme.myprotime.eu");
    }
}
