//! Showing a folder in the system's file manager, from Rust: the webview has no shell or opener
//! permission.

use std::path::Path;
use timebridge_core::{AppError, ErrorCode};

/// Opens the file manager on `path`: with the file selected where the platform can (Windows
/// Explorer, macOS Finder), its folder otherwise.
pub fn show_in_file_manager(path: &Path) -> Result<(), AppError> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("explorer");
        if path.is_file() {
            c.arg(format!("/select,{}", path.display()));
        } else {
            c.arg(path);
        }
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        if path.is_file() {
            c.arg("-R");
        }
        c.arg(path);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(if path.is_file() {
            path.parent().unwrap_or(path)
        } else {
            path
        });
        c
    };
    command.spawn().map(|_| ()).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!(
                "Cannot open the file manager on {}: {e}. Open the folder yourself.",
                path.display()
            ),
        )
    })
}
