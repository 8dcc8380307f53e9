fn main() {
    // Naming the app's commands makes Tauri generate one permission per command, so the
    // capability file can allow exactly what the UI calls.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "start_sign_in",
        "cancel_sign_in",
        "sign_out",
        "flow_state",
        "change_email",
        "cancel_email_change",
        "get_settings",
        "save_settings",
        "send_magic_link",
    ]);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri-build failed: {error:#}");
    }
}
