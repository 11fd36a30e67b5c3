//! The Tauri shell: wiring only. Commands live in `commands/`, logic in `timebridge-core`.

pub mod bindings;
mod commands;
mod state;

use tauri::Manager;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TIMEBRIDGE_LOG")
                .unwrap_or_else(|_| "timebridge=info,warn".into()),
        )
        .init();
    let builder = bindings::builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::default().build())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let data_dir = app.path().app_data_dir()?;
            app.manage(state::AppState::new(data_dir));
            state::spawn_outbox_drainer(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Timebridge");
}
