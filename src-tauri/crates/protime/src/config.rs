use crate::Error;
use std::time::Duration;
use timebridge_secret::Secret;
use url::Url;

/// A validated Protime tenant name (the sub-domain of the tenant's myProtime site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    pub fn parse(value: &str) -> Result<Self, Error> {
        let ok = !value.is_empty()
            && value.len() <= 63
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(value.to_string()))
        } else {
            Err(Error::config(format!(
                "'{value}' is not a valid tenant name: use only lower-case letters, digits and '-' (the sub-domain of your myProtime address)"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The default endpoints, `{tenant}` standing for the tenant name: one constant each, used by
/// [`Environment::urls`] (so by the core, the app and the command line alike).
pub const PRODUCTION_API_BASE: &str = "https://{tenant}.myprotime.eu/connector/protimeapi/api/v1/";
pub const PRODUCTION_TOKEN_URL: &str =
    "https://authentication.myprotime.eu/tenants/{tenant}/connect/token";
pub const SANDBOX_ENVIRONMENT_API_BASE: &str =
    "https://{tenant}.myprotimesandbox.eu/connector/protimeapi/api/v1/";
pub const SANDBOX_ENVIRONMENT_TOKEN_URL: &str =
    "https://authentication.myprotimesandbox.eu/tenants/{tenant}/connect/token";

/// Where the tenant lives.
#[derive(Debug, Clone)]
pub enum Environment {
    /// `https://<tenant>.myprotime.eu`, token at `authentication.myprotime.eu`.
    Production(TenantName),
    /// Protime's own sandbox environment, `myprotimesandbox.eu`.
    SandboxEnvironment(TenantName),
    /// Explicit URLs, e.g. the built-in simulator on loopback.
    Custom { api_base: Url, token_url: Url },
}

impl Environment {
    /// The API base (ending in `/connector/protimeapi/api/v1/`) and the token URL.
    pub fn urls(&self) -> Result<(Url, Url), Error> {
        let (api, token) = match self {
            Environment::Production(t) => (
                PRODUCTION_API_BASE.replace("{tenant}", t.as_str()),
                PRODUCTION_TOKEN_URL.replace("{tenant}", t.as_str()),
            ),
            Environment::SandboxEnvironment(t) => (
                SANDBOX_ENVIRONMENT_API_BASE.replace("{tenant}", t.as_str()),
                SANDBOX_ENVIRONMENT_TOKEN_URL.replace("{tenant}", t.as_str()),
            ),
            Environment::Custom {
                api_base,
                token_url,
            } => {
                let mut api = api_base.to_string();
                if !api.ends_with('/') {
                    api.push('/');
                }
                (api, token_url.to_string())
            }
        };
        let api = Url::parse(&api).map_err(|e| Error::config(format!("bad API URL: {e}")))?;
        let token = Url::parse(&token).map_err(|e| Error::config(format!("bad token URL: {e}")))?;
        require_https_unless_loopback(&api)?;
        require_https_unless_loopback(&token)?;
        Ok((api, token))
    }
}

/// https is required for every host except loopback (the built-in sandbox): the shared rule.
fn require_https_unless_loopback(url: &Url) -> Result<(), Error> {
    timebridge_transport::require_https_unless_loopback(url)
        .map_err(|e| Error::config(e.to_string()))
}

/// Everything the client needs to talk to one tenant.
#[derive(Debug, Clone)]
pub struct ProtimeConfig {
    pub environment: Environment,
    pub client_id: String,
    pub client_secret: Secret,
    /// Scopes to request, e.g. `connector-protimeapi-people.read`.
    pub scopes: Vec<String>,
    /// Sent as `User-Agent` on every call: `Timebridge/<version> (<company>)`.
    pub user_agent: String,
    pub timeout: Duration,
}

impl ProtimeConfig {
    pub fn user_agent_for(company: &str) -> String {
        format!("Timebridge/{} ({company})", env!("CARGO_PKG_VERSION"))
    }

    /// The scopes Timebridge uses by default (every collection it reads or writes).
    pub fn default_scopes() -> Vec<String> {
        [
            "connector-protimeapi-people.read",
            "connector-protimeapi-clockings.read",
            "connector-protimeapi-clockings.write",
            "connector-protimeapi-access-clockings.read",
            "connector-protimeapi-calculated-totals.read",
            "connector-protimeapi-activity-definitions.read",
            "connector-protimeapi-activity-definitions.write",
            "connector-protimeapi-absence-definitions.read",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_names_are_validated() {
        assert!(TenantName::parse("acme-01").is_ok());
        for bad in ["", "Acme", "acme.eu", "a b", "acme/x", "été"] {
            assert!(TenantName::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn production_urls() {
        let env = Environment::Production(TenantName::parse("acme").unwrap());
        let (api, token) = env.urls().unwrap();
        assert_eq!(
            api.as_str(),
            "https://acme.myprotime.eu/connector/protimeapi/api/v1/"
        );
        assert_eq!(
            token.as_str(),
            "https://authentication.myprotime.eu/tenants/acme/connect/token"
        );
    }

    #[test]
    fn http_only_on_loopback() {
        let ok = Environment::Custom {
            api_base: Url::parse("http://127.0.0.1:5000/connector/protimeapi/api/v1").unwrap(),
            token_url: Url::parse("http://localhost:5000/tenants/x/connect/token").unwrap(),
        };
        assert!(ok.urls().is_ok());
        let bad = Environment::Custom {
            api_base: Url::parse("http://example.com/connector/protimeapi/api/v1/").unwrap(),
            token_url: Url::parse("https://example.com/t").unwrap(),
        };
        assert!(bad.urls().is_err());
    }
}
