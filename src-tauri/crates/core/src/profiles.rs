//! Connection profiles. The built-in Sandbox profile is always there and cannot be deleted.

use serde::{Deserialize, Serialize};

pub const SANDBOX_PROFILE_ID: &str = "sandbox";

/// Where a profile's Protime tenant lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind")]
pub enum ProtimeTarget {
    /// The simulator built into Timebridge, started on a random loopback port.
    BuiltinSandbox,
    Production {
        tenant: String,
    },
    SandboxEnvironment {
        tenant: String,
    },
    Custom {
        api_base: String,
        token_url: String,
    },
}

/// What the UI shows about a profile. Secrets are never part of it: they live in the OS keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProfileSummary {
    pub id: String,
    pub name: String,
    /// CSS colour the window shows while the profile is active.
    pub color: String,
    pub is_builtin: bool,
    pub is_production: bool,
    pub protime: ProtimeTarget,
    /// TimeClock 365 JSON-RPC endpoint; `None` for the built-in sandbox (its URL is only known at start).
    pub timeclock_endpoint: Option<String>,
}

impl ProfileSummary {
    pub fn builtin_sandbox() -> Self {
        Self {
            id: SANDBOX_PROFILE_ID.into(),
            name: "Sandbox".into(),
            color: "#2f9e44".into(),
            is_builtin: true,
            is_production: false,
            protime: ProtimeTarget::BuiltinSandbox,
            timeclock_endpoint: None,
        }
    }
}
