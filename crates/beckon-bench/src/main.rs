//! The benchmark behind docs/performance.md (run it with `scripts/bench.sh`, which
//! builds the release binaries and starts what it needs). Everything runs on this machine's
//! loopback, bounded in count and time, and stops by itself. Every row is measured side by
//! side in one run: the `beckon` SDK with the held wait, the same SDK polling once a second
//! as Descope's SDKs do, and Descope's official Node SDK (the peer).
//!
//! `beckon-bench [--quick] --server BIN --app BIN --postgres URL --node-dir DIR` prints a
//! Markdown table; it exits non-zero when a row fails or gathers too few samples.

mod app;
mod client;
mod crowd;
mod detection;
mod server;
mod stats;
mod throughput;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::detection::{trials, NodePeer, Waiter};
use crate::server::{Server, LIMITS_OFF};
use crate::stats::{ms, Samples};

/// What a run measures, and how much of it.
struct Plan {
    quick: bool,
    server: PathBuf,
    app: Option<PathBuf>,
    /// The example app and the same app without the plugin, for row 8.
    example: Option<PathBuf>,
    plain: Option<PathBuf>,
    postgres: Option<String>,
    node_dir: PathBuf,
    /// Where the finished table goes (as well as to stdout).
    table: Option<PathBuf>,
    /// The rows to run (none: all).
    only: Vec<u8>,
    /// Sign-ins per detection series.
    sign_ins: usize,
    /// Of them at once.
    at_once: usize,
    /// How long one desktop waits for row 2.
    waiting_minute: Duration,
    crowds: Vec<usize>,
    crowd_window: Duration,
    crowd_probes: usize,
    load_window: Duration,
    app_idle: Duration,
    /// Sign-ins for row 7.
    tap_trials: usize,
    /// Starts of each app for row 8.
    cost_starts: usize,
}

impl Plan {
    fn runs(&self, row: u8) -> bool {
        self.only.is_empty() || self.only.contains(&row)
    }

    fn from_args() -> anyhow::Result<Self> {
        let mut args = std::env::args().skip(1);
        let mut quick = false;
        let mut server = PathBuf::from("target/release/beckon-server");
        let mut app = None;
        let mut example = None;
        let mut plain = None;
        let mut postgres = None;
        let mut node_dir = PathBuf::from("tests/conformance/node");
        let mut table = None;
        let mut only = Vec::new();
        while let Some(arg) = args.next() {
            let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--quick" => quick = true,
                "--server" => server = value()?.into(),
                "--app" => app = Some(value()?.into()),
                "--example" => example = Some(value()?.into()),
                "--plain" => plain = Some(value()?.into()),
                "--postgres" => postgres = Some(value()?),
                "--node-dir" => node_dir = value()?.into(),
                "--table" => table = Some(value()?.into()),
                "--only" => {
                    for row in value()?.split(',') {
                        only.push(row.trim().parse().with_context(|| {
                            format!("--only takes row numbers, such as 3,6: {row}")
                        })?);
                    }
                }
                other => anyhow::bail!(
                    "unknown argument {other}; usage: beckon-bench [--quick] [--server BIN] \
                     [--app BIN] [--example BIN --plain BIN] [--postgres URL] [--node-dir DIR] [--table FILE] [--only N,N]"
                ),
            }
        }
        Ok(if quick {
            Self {
                quick,
                server,
                app,
                example,
                plain,
                postgres,
                node_dir,
                table,
                only: only.clone(),
                sign_ins: 20,
                at_once: 20,
                waiting_minute: Duration::from_secs(8),
                crowds: vec![500],
                crowd_window: Duration::from_secs(3),
                crowd_probes: 10,
                load_window: Duration::from_secs(2),
                app_idle: Duration::from_secs(2),
                tap_trials: 3,
                cost_starts: 1,
            }
        } else {
            Self {
                quick,
                server,
                app,
                example,
                plain,
                postgres,
                node_dir,
                table,
                only,
                sign_ins: 100,
                at_once: 20,
                waiting_minute: Duration::from_secs(60),
                crowds: vec![1_000, 10_000],
                crowd_window: Duration::from_secs(20),
                crowd_probes: 100,
                load_window: Duration::from_secs(10),
                app_idle: Duration::from_secs(10),
                tap_trials: 20,
                cost_starts: 5,
            }
        })
    }
}

/// The table, as it is filled in: each row also goes to stderr as it is measured.
#[derive(Default)]
struct Table {
    lines: Vec<String>,
    failed: Vec<String>,
}

impl Table {
    fn line(&mut self, line: String) {
        eprintln!("{line}");
        self.lines.push(line);
    }

    fn row(&mut self, cells: [&str; 5]) {
        self.line(format!("| {} |", cells.join(" | ")));
    }

    fn fail(&mut self, what: &str, error: &anyhow::Error) {
        self.line(format!("| {what} | FAILED: {error:#} | | | |"));
        self.failed.push(format!("{what}: {error:#}"));
    }
}

/// A fresh database on the PostgreSQL server at `admin`: its URL.
fn fresh_postgres(admin: &str, name: &str) -> anyhow::Result<String> {
    let created = std::process::Command::new("psql")
        .args([
            admin,
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {name}"),
        ])
        .status()?
        .success()
        && std::process::Command::new("psql")
            .args([admin, "-q", "-c", &format!("CREATE DATABASE {name}")])
            .status()?
            .success();
    anyhow::ensure!(created, "psql could not create the database {name}");
    let (base, _) = admin.rsplit_once('/').context("a database URL")?;
    Ok(format!("{base}/{name}"))
}

fn sqlite_file(dir: &std::path::Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(format!("{name}.db")).display())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("bench: {error:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let plan = Plan::from_args()?;
    let dir = std::env::temp_dir().join(format!("beckon-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let began = Instant::now();
    let mut table = Table::default();
    table.line(machine(plan.quick));
    table.line(String::new());
    table.line(
        "| Measure | beckon, held wait | beckon SDK polling (1/s) | Descope Node SDK (peer) | Ratio |"
            .into(),
    );
    table.line("|---|---:|---:|---:|---|".into());

    if plan.runs(1) {
        if let Err(e) = detection_rows(&plan, &dir, &mut table).await {
            table.fail("1. detection latency", &e);
        }
    }
    if plan.runs(2) {
        if let Err(e) = waiting_minute(&plan, &dir, &mut table).await {
            table.fail("2. requests per waiting minute", &e);
        }
    }
    for &desktops in plan.crowds.iter().filter(|_| plan.runs(3)) {
        if let Err(e) = crowd_row(&plan, &dir, desktops, &mut table).await {
            table.fail(&format!("3. {desktops} desktops waiting"), &e);
        }
    }
    if plan.runs(4) {
        if let Err(e) = replicas_row(&plan, &mut table).await {
            table.fail("4. across replicas", &e);
        }
    }
    if plan.runs(5) {
        if let Err(e) = throughput_rows(&plan, &dir, &mut table).await {
            table.fail("5. throughput", &e);
        }
    }
    if plan.runs(6) || plan.runs(7) {
        if let Err(e) = app_row(&plan, &dir, &mut table).await {
            table.fail("6. the app", &e);
        }
    }
    if plan.runs(8) {
        if let Err(e) = cost_row(&plan, &dir, &mut table).await {
            table.fail("8. what the plugin costs an app", &e);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    table.line(String::new());
    table.line(format!(
        "{} run, {:.0} s; percentiles by nearest rank{}",
        if plan.quick { "A quick" } else { "A full" },
        began.elapsed().as_secs_f64(),
        if plan.quick {
            " (a quick run checks that every row runs: its figures are not for comparing)."
        } else {
            "."
        }
    ));
    let text = table.lines.join("\n") + "\n";
    if let Some(path) = &plan.table {
        std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !table.failed.is_empty() {
        for failure in &table.failed {
            eprintln!("bench: {failure}");
        }
        anyhow::bail!("{} row(s) failed", table.failed.len());
    }
    Ok(())
}

/// The machine and the builds, in a line (a quick run takes the test build).
fn machine(quick: bool) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let builds = if quick {
        "the test build (debug)"
    } else {
        "release builds"
    };
    format!("Machine: {cores} cores ({cpu}); loopback only; {builds}.")
}

fn need(samples: &[f64], want: usize, what: &str) -> anyhow::Result<Samples> {
    anyhow::ensure!(
        samples.len() >= want,
        "{what}: {} samples, fewer than {want}",
        samples.len()
    );
    Ok(Samples::new(samples.to_vec()))
}

fn ratio(peer: f64, ours: f64) -> String {
    if ours <= 0.0 {
        return "—".into();
    }
    format!("{:.1}×", peer / ours)
}

/// Row 1: one SQLite server, limits off (one client address asks for every sign-in).
async fn detection_rows(
    plan: &Plan,
    dir: &std::path::Path,
    table: &mut Table,
) -> anyhow::Result<()> {
    let server = Server::start(
        &plan.server,
        &sqlite_file(dir, "detection"),
        LIMITS_OFF,
        false,
    )
    .await?;
    let node = Waiter::Node(Arc::new(NodePeer::start(&plan.node_dir, &server).await?));
    let n = plan.sign_ins;
    let held = trials(&Waiter::Held, &server, &server, "held", n, plan.at_once).await?;
    let polling = trials(
        &Waiter::Polling,
        &server,
        &server,
        "polling",
        n,
        plan.at_once,
    )
    .await?;
    let peer = trials(&node, &server, &server, "node", n, plan.at_once).await?;
    let (held, polling, peer) = (
        need(&held, n, "held")?,
        need(&polling, n, "polling")?,
        need(&peer, n, "node")?,
    );
    table.row([
        &format!("1. Detection, confirm answered → session held, p50 / p90 / p99 ({n} sign-ins, {} at once, SQLite)", plan.at_once),
        &held.summary(),
        &polling.summary(),
        &peer.summary(),
        &format!("p50: Node {} slower", ratio(peer.percentile(50.0), held.percentile(50.0).max(0.1))),
    ]);
    server.stop().await;
    Ok(())
}

/// Row 2: one desktop waiting, no tap, on a server of its own each (their request logs on).
async fn waiting_minute(
    plan: &Plan,
    dir: &std::path::Path,
    table: &mut Table,
) -> anyhow::Result<()> {
    let mut counts = Vec::new();
    let mut servers = Vec::new();
    for kind in ["held", "polling", "node"] {
        let server = Server::start(
            &plan.server,
            &sqlite_file(dir, &format!("minute-{kind}")),
            &[],
            true,
        )
        .await?;
        let request = server
            .sdk()?
            .enchanted_link()
            .sign_up_or_in(&format!("minute.{kind}@bench.example"), None)
            .await?;
        servers.push((kind, server, request.pending_ref));
    }
    let before: Vec<u64> = servers.iter().map(|(_, s, _)| s.polls()).collect();
    // The waits go on (never tapped) until the row is done; their answers are not awaited.
    let mut waits = Vec::new();
    for (kind, server, pending_ref) in &servers {
        let waiter = match *kind {
            "held" => Waiter::Held,
            "polling" => Waiter::Polling,
            _ => Waiter::Node(Arc::new(NodePeer::start(&plan.node_dir, server).await?)),
        };
        waits.push((waiter.wait(server, pending_ref.clone()).await?, waiter));
    }
    tokio::time::sleep(plan.waiting_minute).await;
    // A held poll is logged when it is answered: the one still held counts too.
    for (i, (kind, server, _)) in servers.iter().enumerate() {
        let mut answered = server.polls() - before[i];
        if *kind == "held" {
            answered += server.held().await?;
        }
        counts.push(answered as f64 * 60.0 / plan.waiting_minute.as_secs_f64());
    }
    table.row([
        &format!(
            "2. Requests per waiting minute, one desktop (the server's count over {} s)",
            plan.waiting_minute.as_secs()
        ),
        &format!("{:.1}", counts[0]),
        &format!("{:.1}", counts[1]),
        &format!("{:.1}", counts[2]),
        &format!("Node {} more", ratio(counts[2], counts[0])),
    ]);
    drop(waits);
    for (_, server, _) in servers {
        server.stop().await;
    }
    Ok(())
}

/// Row 3: `desktops` waiting on one SQLite server, default limits (caps set to take them).
async fn crowd_row(
    plan: &Plan,
    dir: &std::path::Path,
    desktops: usize,
    table: &mut Table,
) -> anyhow::Result<()> {
    // Default limits, but caps that take the whole crowd (and its probes): held waits, one
    // per desktop, and connections, with the tenth the server keeps for other requests, set
    // here rather than left to this machine's file limit and the default of 4 096 held waits.
    let held = (desktops + 1_000).to_string();
    let connections = (desktops * 6 / 5 + 1_000).to_string();
    let server = Server::start(
        &plan.server,
        &sqlite_file(dir, &format!("crowd-{desktops}")),
        &["--max-held-waits", &held, "--max-connections", &connections],
        false,
    )
    .await?;
    let block = if desktops > 5_000 { 20 } else { 10 };
    let crowd = crowd::measure(
        &server,
        desktops,
        plan.crowd_window,
        plan.crowd_probes,
        block,
    )
    .await;
    server.stop().await;
    let crowd = crowd?;
    let detection = need(
        &crowd.detection,
        plan.crowd_probes,
        "detection among the crowd",
    )?;
    table.row([
        &format!(
            "3. {desktops} desktops waiting on one SQLite process (default limits): server RSS (and per desktop: RSS held − RSS before, / desktops), CPU while waiting, detection p50 / p99 of {} sign-ins among them",
            plan.crowd_probes
        ),
        &format!(
            "{:.0} MiB ({:.1} KiB each), {:.2} CPU s/min, {} / {} ms{}",
            crowd.rss_mib,
            crowd.kib_per_desktop,
            crowd.cpu_per_minute,
            ms(detection.percentile(50.0)),
            ms(detection.percentile(99.0)),
            if crowd.refused > 0 { format!(", {} × 429", crowd.refused) } else { String::new() }
        ),
        &format!("≈ {desktops} polls/s (one a second each)"),
        "—",
        &format!("{} desktops held", crowd.desktops),
    ]);
    Ok(())
}

/// Row 4: two servers on one PostgreSQL database; wait on B, confirm on A.
async fn replicas_row(plan: &Plan, table: &mut Table) -> anyhow::Result<()> {
    let admin = plan
        .postgres
        .as_deref()
        .context("--postgres is needed for rows 4 and 5")?;
    let database = fresh_postgres(admin, "beckon_bench_replicas")?;
    let a = Server::start(&plan.server, &database, LIMITS_OFF, false).await?;
    let b = Server::start(&plan.server, &database, LIMITS_OFF, false).await?;
    let n = plan.sign_ins;
    let held = trials(&Waiter::Held, &b, &a, "replicas", n, plan.at_once).await;
    let polling = trials(
        &Waiter::Polling,
        &b,
        &a,
        "replicas-polling",
        n,
        plan.at_once,
    )
    .await;
    a.stop().await;
    b.stop().await;
    let (held, polling) = (
        need(&held?, n, "replicas")?,
        need(&polling?, n, "replicas polling")?,
    );
    table.row([
        &format!("4. Across replicas: two servers on one PostgreSQL, confirm on A, wait on B, p50 / p90 / p99 ({n} sign-ins)"),
        &held.summary(),
        &polling.summary(),
        "—",
        &format!("p50: polling {} slower", ratio(polling.percentile(50.0), held.percentile(50.0).max(0.1))),
    ]);
    Ok(())
}

/// Row 5: starts, confirms and plain polls per second, SQLite and PostgreSQL, default limits.
async fn throughput_rows(
    plan: &Plan,
    dir: &std::path::Path,
    table: &mut Table,
) -> anyhow::Result<()> {
    let mut backends = vec![("SQLite", sqlite_file(dir, "load"))];
    if let Some(admin) = &plan.postgres {
        backends.push(("PostgreSQL", fresh_postgres(admin, "beckon_bench_load")?));
    }
    for (i, (name, database)) in backends.iter().enumerate() {
        let server = Server::start(&plan.server, database, &[], false).await?;
        let block = 30 + 10 * i as u8;
        let measured = async {
            let (starts, started) =
                throughput::starts(server.addr, &server.project, plan.load_window, block).await?;
            let (to_confirm, to_poll) = started.split_at(started.len() / 2);
            let confirms =
                throughput::confirms(server.addr, &server.project, to_confirm, block + 1).await?;
            let polls = throughput::polls(
                server.addr,
                &server.project,
                to_poll,
                plan.load_window,
                block + 2,
            )
            .await?;
            anyhow::Ok((starts, confirms, polls))
        }
        .await;
        server.stop().await;
        let (starts, confirms, polls) = measured?;
        let refused = |r: &throughput::Rate| {
            if r.refused > 0 {
                format!(" ({} × 429)", r.refused)
            } else {
                String::new()
            }
        };
        table.row([
            &format!(
                "5. Throughput on {name}, default limits, {} connections, {} s each: sign-in starts/s (message queued), confirms/s, plain polls/s",
                throughput::CONNECTIONS,
                plan.load_window.as_secs()
            ),
            &format!(
                "{:.0}{} starts/s, {:.0}{} confirms/s",
                starts.per_second,
                refused(&starts),
                confirms.per_second,
                refused(&confirms)
            ),
            &format!("{:.0}{} polls/s", polls.per_second, refused(&polls)),
            "—",
            &format!(
                "a held wait saves ≈ {:.0} polls per waiting desktop-minute",
                60.0 - 60.0 / 25.0
            ),
        ]);
    }
    Ok(())
}

/// Row 6: the release app, idle.
async fn app_row(plan: &Plan, dir: &std::path::Path, table: &mut Table) -> anyhow::Result<()> {
    let app_bin = plan
        .app
        .as_deref()
        .context("--app is needed for rows 6 and 7")?;
    let server = Server::start(&plan.server, &sqlite_file(dir, "app"), &[], false).await?;
    let figures = if plan.runs(6) {
        Some(app::measure(app_bin, &server, plan.app_idle).await)
    } else {
        None
    };
    let taps = if plan.runs(7) {
        Some(app::tap_to_paint(app_bin, &server, plan.tap_trials).await)
    } else {
        None
    };
    server.stop().await;
    if let Some(figures) = figures {
        let figures = figures?;
        let parts: Vec<String> = figures
            .pss_mib
            .iter()
            .map(|(name, mib)| format!("{name} {mib:.0}"))
            .collect();
        table.row([
            &format!("6. The app, idle {} s after the email field painted: PSS summed (app + WebKit), time to first paint", plan.app_idle.as_secs()),
            &format!(
                "{:.0} MiB ({}), first paint {} ms (app and webview up {}, page script {}, first state {}, frame {})",
                figures.total_pss(),
                parts.join(", "),
                ms(figures.first_paint_ms),
                ms(figures.paint_parts[0]),
                ms(figures.paint_parts[1]),
                ms(figures.paint_parts[2]),
                ms(figures.paint_parts[3]),
            ),
            "—",
            "—",
            "goal: under 200 MiB",
        ]);
    }
    if let Some(taps) = taps {
        let taps = Samples::new(taps?);
        table.row([
            &format!("7. The tap as a person sees it: the phone's \"Yes\" answered to the signed-in view painted in the app's window, {} sign-ins", plan.tap_trials),
            &format!(
                "p50 {} ms, p90 {} ms",
                ms(taps.percentile(50.0)),
                ms(taps.percentile(90.0))
            ),
            "—",
            "—",
            "goal: p50 ≤ 100 ms",
        ]);
    }
    Ok(())
}

/// Row 8: the example app against the same app without the plugin: binary size, idle PSS,
/// and process start to the first frame of the page's content (the view's
/// `beckon:view-painted` mark; the plain page sets the same mark on its first frame).
async fn cost_row(plan: &Plan, dir: &std::path::Path, table: &mut Table) -> anyhow::Result<()> {
    let (Some(example), Some(plain)) = (plan.example.as_deref(), plan.plain.as_deref()) else {
        anyhow::bail!("--example and --plain are needed for row 8");
    };
    let server = Server::start(&plan.server, &sqlite_file(dir, "cost"), &[], false).await?;
    let mark = "beckon:view-painted";
    // Alternately, so a slow moment of the machine is shared by both.
    let mut with = Vec::new();
    let mut without = Vec::new();
    let mut failed = None;
    for _ in 0..plan.cost_starts {
        match app::start(example, &server, plan.app_idle, mark).await {
            Ok(start) => with.push(start),
            Err(e) => failed = Some(e.context("the example app")),
        }
        match app::start(plain, &server, plan.app_idle, mark).await {
            Ok(start) => without.push(start),
            Err(e) => failed = Some(e.context("the plain app")),
        }
    }
    server.stop().await;
    if let Some(e) = failed {
        return Err(e);
    }
    let size = |bin: &std::path::Path| -> anyhow::Result<f64> {
        Ok(std::fs::metadata(bin)
            .with_context(|| bin.display().to_string())?
            .len() as f64
            / (1024.0 * 1024.0))
    };
    let (size_with, size_without) = (size(example)?, size(plain)?);
    let median = |starts: &[app::AppStart], f: fn(&app::AppStart) -> f64| {
        Samples::new(starts.iter().map(f).collect()).percentile(50.0)
    };
    let (paint_with, paint_without) = (
        median(&with, app::AppStart::first_paint_ms),
        median(&without, app::AppStart::first_paint_ms),
    );
    let (pss_with, pss_without) = (
        median(&with, app::AppStart::total_pss),
        median(&without, app::AppStart::total_pss),
    );
    table.row([
        &format!(
            "8. What the plugin costs an app: the example app with it / the same app without it ({} each, idle {} s)",
            if plan.cost_starts == 1 { "one start".to_owned() } else { format!("medians of {} starts", plan.cost_starts) },
            plan.app_idle.as_secs()
        ),
        &format!(
            "binary {size_with:.1} / {size_without:.1} MiB; PSS {pss_with:.0} / {pss_without:.0} MiB; first paint {} / {} ms",
            ms(paint_with),
            ms(paint_without)
        ),
        "—",
        "—",
        &format!(
            "{:+.1} MiB binary, {:+.0} MiB PSS, {:+.0} ms first paint",
            size_with - size_without,
            pss_with - pss_without,
            paint_with - paint_without
        ),
    ]);
    Ok(())
}
