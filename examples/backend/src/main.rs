//! `beckon-example-backend`: the example app's backend on `127.0.0.1:8788`, validating
//! against the sign-in server at `BECKON_BASE_URL` (default: a local beckon-server).

#[tokio::main]
async fn main() {
    let server =
        std::env::var("BECKON_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".into());
    let listen = std::env::var("EXAMPLE_LISTEN").unwrap_or_else(|_| "127.0.0.1:8788".into());
    let started = async {
        let client = beckon::Client::discover(&server).await?;
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        println!("example backend on http://{listen}, for {server}");
        axum::serve(listener, beckon_example_backend::router(client)).await?;
        Ok::<_, Box<dyn std::error::Error>>(())
    };
    if let Err(error) = started.await {
        eprintln!("example backend: {error}");
        std::process::exit(1);
    }
}
