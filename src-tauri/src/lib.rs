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

/// One Timebridge per user and build: a second launch hands over to the running one (which comes to
/// the front) and exits, so two windows never drain the same outbox or send the same clocking twice.
/// Registered before every other plugin, as the plugin requires: the second process must exit
/// before anything else (the log file, the store, the sandbox, the outbox) starts.
#[cfg(desktop)]
fn single_instance() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_single_instance::init(|app, _args, _cwd| {
        log::info!("Timebridge was launched again: showing this window instead of a second one");
        match app.get_webview_window("main") {
            Some(window) => {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
            None => log::warn!("second launch: the main window is gone"),
        }
    })
}

/// On Linux the single-instance lock is a name on the D-Bus session bus. Without a bus (a bare X
/// server, a container, some kiosk sessions) the plugin cannot hold it and the app starts anyway,
/// without the lock; this says so in the log instead of leaving it silent.
#[cfg(target_os = "linux")]
fn missing_session_bus() -> Option<String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) {
        return None;
    }
    use std::os::unix::fs::MetadataExt;
    let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let uid = std::fs::metadata("/proc/self").ok()?.uid();
            Some(std::path::PathBuf::from(format!("/run/user/{uid}")))
        })?;
    let socket = runtime_dir.join("bus");
    (!socket.exists()).then(|| {
        format!(
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and {} does not exist): \
             a second launch of Timebridge cannot be detected, so keep to one window",
            socket.display()
        )
    })
}

#[cfg(not(target_os = "linux"))]
fn missing_session_bus() -> Option<String> {
    None
}

pub fn run() {
    let builder = bindings::builder();
    let no_bus = missing_session_bus();
    let mut app = tauri::Builder::default();
    #[cfg(desktop)]
    {
        app = app.plugin(single_instance());
    }
    let app = app
        .plugin(logger())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            if let Some(why) = &no_bus {
                log::warn!("{why}");
            }
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
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        // A plugin that cannot start (for example the single-instance hand-over refused by the
        // running instance) ends this launch with a message, not a panic.
        Err(e) => {
            log::error!("Timebridge could not start: {e}");
            eprintln!("Timebridge could not start: {e}");
            std::process::exit(1);
        }
    }
}
