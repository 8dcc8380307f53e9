fn main() {
    // The app defines no commands of its own: the window calls the sign-in plugin's, as the
    // capability file allows.
    if let Err(error) = tauri_build::try_build(tauri_build::Attributes::new()) {
        panic!("tauri-build failed: {error:#}");
    }
}
