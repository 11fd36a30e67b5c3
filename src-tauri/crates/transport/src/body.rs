//! Reading a response body with a byte cap.

use std::fmt;

/// The default cap on one response body: far above any page either API sends, far below what would
/// hurt the machine.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// The body is (or announced itself as) longer than the cap; reading stopped there.
    TooLarge {
        limit: usize,
        /// The `Content-Length`, when the server declared one over the cap.
        declared: Option<u64>,
    },
    /// The connection failed while reading.
    Network(reqwest::Error),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge { limit, declared } => {
                write!(
                    f,
                    "the answer is larger than the {} limit",
                    human(*limit as u64)
                )?;
                if let Some(d) = declared {
                    write!(f, " (it announced {})", human(*d))?;
                }
                f.write_str("; it was not read")
            }
            BodyError::Network(e) => {
                write!(f, "the connection broke while reading the answer: {e}")
            }
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BodyError::Network(e) => Some(e),
            BodyError::TooLarge { .. } => None,
        }
    }
}

fn human(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.checked_rem(MIB) == Some(0) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads the whole body, refusing it as soon as it passes `limit` bytes (or declares a
/// `Content-Length` over it): memory stays bounded by `limit` whatever the server sends.
pub async fn read_body(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    let declared = resp.content_length();
    if let Some(len) = declared.filter(|&len| len > limit as u64) {
        return Err(BodyError::TooLarge {
            limit,
            declared: Some(len),
        });
    }
    let initial = declared.map_or(8 * 1024, |len| len as usize).min(limit);
    let mut buf = Vec::with_capacity(initial);
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Network)? {
        if chunk.len() > limit - buf.len() {
            return Err(BodyError::TooLarge {
                limit,
                declared: None,
            });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// [`read_body`] as text (invalid UTF-8 replaced, as `reqwest::Response::text` does).
pub async fn read_text(resp: reqwest::Response, limit: usize) -> Result<String, BodyError> {
    let bytes = read_body(resp, limit).await?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit() {
        let e = BodyError::TooLarge {
            limit: DEFAULT_MAX_BODY_BYTES,
            declared: Some(200 * 1024 * 1024),
        };
        assert_eq!(
            e.to_string(),
            "the answer is larger than the 64 MiB limit (it announced 200 MiB); it was not read"
        );
        let e = BodyError::TooLarge {
            limit: 1000,
            declared: None,
        };
        assert_eq!(
            e.to_string(),
            "the answer is larger than the 1000 bytes limit; it was not read"
        );
    }
}
