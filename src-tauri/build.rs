fn main() {
    // The app's own commands are declared here so Tauri generates a permission for each and checks
    // every invoke against the capabilities in capabilities/.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "connection_status",
            "active_profile",
            "open_log_folder",
            "list_people",
            "clocking_preview",
            "outbox_recent",
            "outbox_counts",
            "outbox_discard",
            "submit_clocking",
            "outbox_retry",
            "list_reasons",
            "activity_levels",
            "clockings_import_check",
            "clockings_import_send",
            "list_profiles",
            "save_profile",
            "duplicate_profile",
            "delete_profile",
            "switch_profile",
            "test_connection",
            "access_clocking",
            "access_clockings",
            "audit_log",
            "audit_csv",
            "audit_save_csv",
        ]),
    ))
    .expect("tauri-build failed");
}
