//! The example app (examples/tauri-app) with the plugin taken out: the same window, the same
//! call to its backend (with no token to send), a page with an email field and no sign-in
//! behind it. The benchmark's row 8 sets it beside the example to show what phone sign-in
//! costs an app: binary size, idle memory and time to first paint.

/// Asks the app's backend who is signed in, as the example does, without a session JWT.
#[tauri::command]
async fn whoami() -> Result<String, String> {
    let backend = std::env::var("EXAMPLE_BACKEND").unwrap_or("http://127.0.0.1:8788".into());
    let answer = reqwest::get(format!("{backend}/me"))
        .await
        .map_err(|e| e.to_string())?;
    answer.text().await.map_err(|e| e.to_string())
}

fn main() {
    let app = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![whoami])
        .run(tauri::generate_context!());
    if let Err(error) = app {
        eprintln!("plain app: {error}");
    }
}
