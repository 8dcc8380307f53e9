use std::sync::Arc;

use beckon_server::cli::Cli;
use beckon_server::config::Config;
use beckon_server::support::clock::SystemClock;
use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    if let Err(error) = beckon_server::config::check_environment(std::env::vars_os()) {
        eprintln!("beckon-server: {error:#}");
        return std::process::ExitCode::from(2);
    }
    let cli = Cli::parse();
    let config = match Config::from_layers(cli.config.as_deref(), &cli.settings) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("beckon-server: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    // An operator command prints its answer on stdout (tables, --json): its logs go to
    // stderr, warnings only unless BECKON_LOG says otherwise.
    let command = cli.command.is_some();
    let filter = tracing_subscriber::EnvFilter::try_from_env("BECKON_LOG").unwrap_or_else(|_| {
        if command {
            "beckon_server=warn".into()
        } else {
            "beckon_server=info".into()
        }
    });
    if command {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_env_filter(filter)
            .init();
    } else if config.json_logs {
        // One JSON object per line, for a log collector.
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt()
            // Colours only on a terminal: logs piped to a file or a collector stay plain.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .with_env_filter(filter)
            .init();
    }
    let outcome = match &cli.command {
        Some(command) => beckon_server::cli::run(command, &config).await,
        None => run(config).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("beckon-server: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let server = beckon_server::start(&config, Arc::new(SystemClock)).await?;
    let base = server
        .state
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    if config.json_logs {
        // Only JSON on stdout: the banner is a log event too.
        tracing::info!(
            listen = %server.addr,
            project_id = %server.state.project_id,
            public_url = %base,
            dev_outbox = server.state.dev,
            "beckon-server listening"
        );
        return server.wait_for_signal().await;
    }
    println!("beckon-server listening on http://{}", server.addr);
    println!("  project ID: {}", server.state.project_id);
    if server.state.dev {
        println!("  outbox:     {base}/dev/outbox");
        println!("  note: development mode: messages go to the outbox, and anyone who can open it can sign in as any address");
    } else {
        let email = config.smtp.as_ref().map_or_else(
            || "off (requests for email are refused)".to_owned(),
            |smtp| format!("SMTP {} as {}", smtp.describe(), smtp.from),
        );
        let sms = config.sms.as_ref().map_or_else(
            || "off (requests for text messages are refused)".to_owned(),
            |sms| format!("{} from {}", sms.base_url, sms.from),
        );
        println!("  email:      {email}");
        println!("  sms:        {sms}");
    }
    if let Some(addr) = server.metrics_addr {
        println!("  metrics:    http://{addr}/metrics");
    }
    if server.addr.ip().is_unspecified() && config.public_url.is_none() {
        println!(
            "  note: links point at {base}, which a phone cannot open; pass --public-url http://<this-machine's-LAN-IP>:{}",
            server.addr.port()
        );
    }
    server.wait_for_signal().await
}
