//! A profile whose Protime tenant changes (or that is deleted) while clockings for its tenant are
//! still unsent: the user decides what happens to them; they are never silently redirected.

use super::outbox::Outbox;
use super::protime_gateway::tenant_key_of_urls;
use serde::Deserialize;
use timebridge_core::profiles::{ProfileSettings, ProtimeTarget};
use timebridge_core::secrets::SecretStore;
use timebridge_core::workspace::{Workspace, BUILTIN_SANDBOX_TENANT};
use timebridge_core::{AppError, ErrorCode};

/// What to do with a tenant's unsent clockings before its profile points elsewhere or goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
pub enum UnsentChoice {
    /// Send them to the old tenant now (those that cannot be sent keep waiting for it).
    SendToOldTenant,
    /// Discard them.
    Discard,
    /// Keep them waiting for the old tenant: they are sent if a profile points at it again.
    KeepWaiting,
}

/// The outbox tenant of a Protime target ([`super::tenant_key`] without building a client).
pub fn tenant_of_target(target: &ProtimeTarget) -> Result<String, AppError> {
    if matches!(target, ProtimeTarget::BuiltinSandbox) {
        return Ok(BUILTIN_SANDBOX_TENANT.to_string());
    }
    let (api_base, token_url) = target.environment()?.urls()?;
    Ok(tenant_key_of_urls(&api_base, &token_url))
}

/// Called before `old` is saved with the Protime target `new_target` (or deleted, `None`). When that
/// leaves clockings of the old tenant unsent, refuses with [`ErrorCode::UnsentClockings`] until the
/// user chose; then does what was chosen.
pub async fn settle_unsent(
    outbox: &Outbox,
    secrets: &dyn SecretStore,
    old: &ProfileSettings,
    new_target: Option<&ProtimeTarget>,
    choice: Option<UnsentChoice>,
) -> Result<(), AppError> {
    let Ok(old_tenant) = tenant_of_target(&old.protime) else {
        return Ok(());
    };
    if let Some(target) = new_target {
        // An invalid new target is refused by the save itself, with its own message.
        match tenant_of_target(target) {
            Ok(new_tenant) if new_tenant != old_tenant => {}
            _ => return Ok(()),
        }
    }
    let unsent = outbox.due_count(&old_tenant)?;
    if unsent == 0 {
        return Ok(());
    }
    let Some(choice) = choice else {
        let what = if new_target.is_some() {
            "changing its Protime tenant"
        } else {
            "deleting it"
        };
        let mut e = AppError::new(
            ErrorCode::UnsentClockings,
            format!(
                "{unsent} clocking(s) of the profile '{}' have not reached Protime yet. Before {what}: send them to the old tenant, discard them, or keep them waiting for that tenant",
                old.name
            ),
        );
        e.reasons = vec![unsent.to_string()];
        return Err(e);
    };
    match choice {
        UnsentChoice::KeepWaiting => Ok(()),
        UnsentChoice::Discard => outbox.discard_unsent(&old_tenant).map(|_| ()),
        UnsentChoice::SendToOldTenant => {
            let ws = Workspace::open(old, secrets).await?;
            let drained = super::service::drain(&ws, outbox).await;
            ws.close().await;
            drained.map(|_| ())
        }
    }
}
