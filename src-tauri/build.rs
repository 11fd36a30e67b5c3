fn main() {
    // The app's own commands are declared here so Tauri generates a permission for each and checks
    // every invoke against the capabilities in capabilities/.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "connection_status",
            "active_profile",
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
            "timesheet_report",
            "timesheet_export",
            "activities_import_check",
            "activity_structures",
            "activity_tree",
            "activity_list",
            "activity_detail",
            "activity_create",
            "activity_edit_preview",
            "activity_edit",
            "activity_upsert",
            "activity_deactivate",
            "activity_move",
            "activity_usage_add",
            "activity_usage_update",
            "activity_usage_delete",
            "activity_restrictions_preview",
            "activity_restrictions_save",
            "activities_import_send",
        ]),
    ))
    .expect("tauri-build failed");
}
