//! Paging: continuation tokens and the links that carry them.
use crate::protime::SimState;
use base64::Engine;

pub(super) fn link(s: &SimState, path_and_query: String) -> String {
    if !s.config.encode_links {
        return path_and_query;
    }
    path_and_query
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('\'', "%27")
}

pub(super) fn continuation(collection: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{collection}:{offset}"))
}

pub(super) fn parse_continuation(collection: &str, token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut parts = text.splitn(3, ':');
    let (c, offset) = (parts.next()?, parts.next()?);
    (c == collection).then(|| offset.parse().ok()).flatten()
}

/// A token for the page at `offset` that was preceded by an empty page (`insert_empty_pages`).
pub(super) fn continuation_marked(collection: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{collection}:{offset}:e"))
}

pub(super) fn is_marked(token: &str) -> bool {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|r| String::from_utf8(r).ok())
        .is_some_and(|t| t.ends_with(":e"))
}
