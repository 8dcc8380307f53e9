use tauri_plugin_beckon::BeckonExt;

/// Asks the app's backend who is signed in, with the session JWT (none when signed out).
#[tauri::command]
async fn whoami(app: tauri::AppHandle) -> Result<String, String> {
    let backend = std::env::var("EXAMPLE_BACKEND").unwrap_or("http://127.0.0.1:8788".into());
    let mut request = reqwest::Client::new().get(format!("{backend}/me"));
    if let Ok(jwt) = app.beckon().session_token().await {
        request = request.bearer_auth(jwt.expose());
    }
    let answer = request.send().await.map_err(|e| e.to_string())?;
    answer.text().await.map_err(|e| e.to_string())
}

fn main() {
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_beckon::Builder::new()
                .from_environment()
                .build(),
        )
        .invoke_handler(tauri::generate_handler![whoami])
        .run(tauri::generate_context!());
    if let Err(error) = app {
        eprintln!("example: {error}");
    }
}
