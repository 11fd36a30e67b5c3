//! The Tauri shell: wiring only. Commands live in `commands/`, logic in `timebridge-core`.

pub mod bindings;
mod commands;
mod desktop;
#[cfg(test)]
mod lockdown;
mod settings;
mod state;
mod tasks;

use tauri::Manager;

/// Log lines go to stdout and to `timebridge.log` in the app's log folder. Our own crates log at
/// info; the HTTP stack and the webview plumbing only when something is wrong. Secrets never reach
/// a log line: they are `Secret`s, which print as `[redacted]`.
fn logger() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{Target, TargetKind};
    let level = match std::env::var("TIMEBRIDGE_LOG").as_deref() {
        Ok("debug") => log::LevelFilter::Debug,
        Ok("trace") => log::LevelFilter::Trace,
        Ok("warn") => log::LevelFilter::Warn,
        _ => log::LevelFilter::Info,
    };
    let mut b = tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::Stdout),
            Target::new(TargetKind::LogDir {
                file_name: Some("timebridge".into()),
            }),
        ])
        .level(level);
    for quiet in [
        "hyper",
        "hyper_util",
        "reqwest",
        "rustls",
        "h2",
        "tao",
        "wry",
        "tracing",
        "mio",
        "axum",
        "tower",
        "tower_http",
        "keyring",
        "zbus",
        "dbus",
        "secret_service",
        "sqlx",
    ] {
        b = b.level_for(quiet, log::LevelFilter::Warn);
    }
    b.build()
}

pub fn run() {
    let builder = bindings::builder();
    tauri::Builder::default()
        .plugin(logger())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let data_dir = app.path().app_data_dir()?;
            // Secrets are filed under the identifier this build runs as, so a development build
            // and an installed release (tauri.release.conf.json) never share keychain entries.
            let secrets = timebridge_core::secrets::store_from_env(&app.config().identifier);
            log::info!(
                "Timebridge {} starting; secrets in the {}",
                env!("CARGO_PKG_VERSION"),
                secrets.describe()
            );
            let handle = app.handle().clone();
            let open_settings: state::OpenSettings = Box::new(move || {
                settings::PluginSettings::open(&handle)
                    .map(|s| Box::new(s) as Box<dyn timebridge_core::profiles::SettingsStore>)
            });
            app.manage(state::AppState::new(data_dir, secrets, open_settings));
            app.manage(tasks::Tasks::default());
            state::spawn_outbox_drainer(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Timebridge");
}
