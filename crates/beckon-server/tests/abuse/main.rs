//! The abuse suite: beckon-server against a hostile client. Each case starts the real server
//! binary with a low open-file limit (`prlimit`, [`support::FILE_LIMIT`]), runs one attack from
//! loopback, and while it runs has a well-behaved client on another loopback address sign in
//! whole, within [`support::NORMAL`]; then it checks that the server's memory and metric
//! series stayed bounded and that it is still up. Every attack is bounded in count and time and
//! stops by itself. One line per case, closing with `N passed, N failed`.
//!
//! Run: `cargo test -p beckon-server --test abuse` (a substring after `--` picks cases).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use support::{connect, flood, send_raw, Server, ATTACKER, FILE_LIMIT};

type Outcome = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// A case: its name, and what runs it.
type Case = (&'static str, fn() -> Outcome);

/// How much the server's memory may grow under one attack, in KiB: far below what each
/// attack would take unbounded (a series, a socket or a task for each of thousands).
const MEMORY_BOUND_KIB: u64 = 48 * 1024;

fn main() -> std::process::ExitCode {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let cases: [Case; 10] = [
        ("a thousand made-up HTTP methods", || {
            Box::pin(unique_methods())
        }),
        ("twice the file limit of silent sockets", || {
            Box::pin(silent_sockets())
        }),
        ("partial HTTP/2 prefaces", || Box::pin(partial_prefaces())),
        ("HTTP/2 rapid reset", || Box::pin(rapid_reset())),
        ("a held-wait flood from one address", || {
            Box::pin(held_waits_from_one())
        }),
        ("a held-wait flood from many addresses", || {
            Box::pin(held_waits_from_many())
        }),
        ("a refresh flood", || Box::pin(refresh_flood())),
        ("a management-key flood during sign-ins", || {
            Box::pin(management_key_flood())
        }),
        ("trickled bodies", || Box::pin(trickled_bodies())),
        ("oversized headers", || Box::pin(oversized_headers())),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut passed, mut failed) = (0, 0);
    for (name, run) in cases {
        if !wanted.is_empty() && !wanted.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        let started = Instant::now();
        // A case that hangs is a failure too, not a stuck suite.
        let outcome = runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(90), run())
                .await
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the case took over 90 s")))
        });
        let took = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("abuse {name} ... ok ({took:.1} s)");
            }
            Err(error) => {
                failed += 1;
                println!("abuse {name} ... FAILED ({took:.1} s): {error:#}");
            }
        }
    }
    runtime.shutdown_timeout(Duration::from_secs(5));
    println!("\n{passed} passed, {failed} failed");
    if failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// Runs `attack` while a well-behaved client signs in, then checks the server is up and its
/// memory grew by less than [`MEMORY_BOUND_KIB`].
async fn during<F>(server: &mut Server, who: &str, attack: F) -> anyhow::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let before = server.rss_kib()?;
    let mut attack = tokio::spawn(attack);
    // Give the attack a moment to be under way.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let signed_in = server.signs_in(who).await;
    // Each attack stops by itself; one that does not is stopped, never left for the next case.
    if tokio::time::timeout(Duration::from_secs(30), &mut attack)
        .await
        .is_err()
    {
        attack.abort();
    }
    server.alive()?;
    signed_in.with_context(|| format!("{who} could not sign in during the attack"))?;
    let grew = server.rss_kib()?.saturating_sub(before);
    ensure!(
        grew < MEMORY_BOUND_KIB,
        "the server's memory grew by {grew} KiB"
    );
    Ok(())
}

/// 1 000 requests whose methods are all different: the request counter keeps its few series.
async fn unique_methods() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let before = server.series("beckon_http_requests_total").await?;
    let addr = server.addr;
    during(&mut server, "ada@example.com", async move {
        flood(1000, 20, Duration::from_secs(20), |i| async move {
            let method = format!("M{i:04}{}", "X".repeat(200));
            let request = format!("{method} /healthz HTTP/1.1\r\nHost: beckon\r\n\r\n");
            send_raw(addr, request.as_bytes(), Duration::from_secs(2)).await;
        })
        .await;
    })
    .await?;
    let after = server.series("beckon_http_requests_total").await?;
    ensure!(after <= before + 8, "{before} series before, {after} after");
    Ok(())
}

/// Twice the file limit of connections that send nothing: the oldest idle ones are closed for
/// newcomers, and the person's connection is served.
async fn silent_sockets() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let addr = server.addr;
    during(&mut server, "ada@example.com", async move {
        let mut held = Vec::new();
        for _ in 0..2 * FILE_LIMIT {
            if let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(1), connect(ATTACKER, addr)).await
            {
                held.push(stream);
            }
        }
        // Held while the person signs in, then let go.
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await?;
    let shed = server.total("beckon_connections_shed_total").await?;
    ensure!(shed > 0.0, "no connection was shed");
    Ok(())
}

/// Connections that stop inside HTTP/2's preface, with HTTP/2 on.
async fn partial_prefaces() -> anyhow::Result<()> {
    let mut server = Server::start(&["--http2"]).await?;
    let addr = server.addr;
    during(&mut server, "ada@example.com", async move {
        let mut held = Vec::new();
        for _ in 0..FILE_LIMIT {
            if let Ok(Ok(mut stream)) =
                tokio::time::timeout(Duration::from_secs(1), connect(ATTACKER, addr)).await
            {
                let _ = stream.write_all(b"PRI * HTTP/2.0\r\n").await;
                held.push(stream);
            }
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await
}

/// HTTP/2 streams reset as soon as they are sent, thousands of them on a few connections.
async fn rapid_reset() -> anyhow::Result<()> {
    let mut server = Server::start(&["--http2"]).await?;
    let (addr, base, project) = (server.addr, server.base.clone(), server.project.clone());
    during(&mut server, "ada@example.com", async move {
        flood(4, 4, Duration::from_secs(15), |_| {
            let (base, project) = (base.clone(), project.clone());
            async move {
                let Ok(tcp) = connect(ATTACKER, addr).await else {
                    return;
                };
                let Ok((mut send, connection)) = h2::client::handshake(tcp).await else {
                    return;
                };
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                let body = bytes::Bytes::from(json!({"pendingRef": "not-a-ref"}).to_string());
                for _ in 0..2000 {
                    let Ok(ready) = send.ready().await else {
                        return;
                    };
                    send = ready;
                    let request = http::Request::post(format!(
                        "{base}/v1/auth/enchantedlink/pending-session"
                    ))
                    .header("authorization", format!("Bearer {project}"))
                    .header("content-type", "application/json")
                    .body(())
                    .unwrap();
                    let Ok((_, mut stream)) = send.send_request(request, false) else {
                        return;
                    };
                    let _ = stream.send_data(body.clone(), true);
                    stream.send_reset(h2::Reason::CANCEL);
                }
            }
        })
        .await;
    })
    .await
}

/// A held poll from `from` on `pending_ref`, kept open up to 25 s.
async fn held_poll(
    server_addr: std::net::SocketAddr,
    project: &str,
    pending_ref: &str,
    from: std::net::Ipv4Addr,
) {
    let Ok(mut stream) = connect(from, server_addr).await else {
        return;
    };
    let body = json!({"pendingRef": pending_ref}).to_string();
    let request = format!(
        "POST /v1/auth/enchantedlink/pending-session HTTP/1.1\r\nHost: beckon\r\n\
         Authorization: Bearer {project}\r\nContent-Type: application/json\r\n\
         Prefer: wait=25\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).await.is_ok() {
        let mut sink = Vec::new();
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut sink),
        )
        .await;
    }
}

/// A sign-in the attacker started, to hold polls on.
async fn attackers_request(server: &Server) -> anyhow::Result<String> {
    let client = server.client(ATTACKER)?;
    let (status, started) = server
        .post(
            &client,
            "/v1/auth/enchantedlink/signup-in/email",
            &server.project,
            json!({"loginId": "mallory@example.com"}),
        )
        .await?;
    ensure!(status == 200, "{status} {started}");
    Ok(started["pendingRef"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Hundreds of held polls from one address: past its cap they are answered unheld.
async fn held_waits_from_one() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let pending_ref = attackers_request(&server).await?;
    let (addr, project) = (server.addr, server.project.clone());
    during(&mut server, "ada@example.com", async move {
        flood(400, 100, Duration::from_secs(10), |_| {
            let (project, pending_ref) = (project.clone(), pending_ref.clone());
            async move { held_poll(addr, &project, &pending_ref, ATTACKER).await }
        })
        .await;
    })
    .await
}

/// Held polls from 250 addresses: the total cap (a tenth of the connections, at least 64, kept
/// for other requests) leaves room.
async fn held_waits_from_many() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let pending_ref = attackers_request(&server).await?;
    let (addr, project) = (server.addr, server.project.clone());
    during(&mut server, "ada@example.com", async move {
        flood(500, 250, Duration::from_secs(10), |i| {
            let (project, pending_ref) = (project.clone(), pending_ref.clone());
            let from = std::net::Ipv4Addr::new(127, 0, 1, (i % 250) as u8 + 1);
            async move { held_poll(addr, &project, &pending_ref, from).await }
        })
        .await;
    })
    .await
}

/// A signed-up person refreshes as fast as they can: past the limit the answers are
/// `500 E130429`, and the audit trail does not grow with them.
async fn refresh_flood() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let session = server.signs_in("mallory@example.com").await?;
    let refresh = session["refreshJwt"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (base, project) = (server.base.clone(), server.project.clone());
    let client = server.client(ATTACKER)?;
    during(&mut server, "ada@example.com", async move {
        flood(1500, 20, Duration::from_secs(15), |_| {
            let (client, url) = (client.clone(), format!("{base}/v1/auth/refresh"));
            let bearer = format!("Bearer {project}:{refresh}");
            async move {
                let _ = client
                    .post(url)
                    .header("Authorization", bearer)
                    .send()
                    .await;
            }
        })
        .await;
    })
    .await?;
    let refreshed = server
        .metrics()
        .await?
        .lines()
        .find_map(|l| l.strip_prefix("beckon_session_events_total{event=\"refreshed\"} "))
        .map_or(0.0, |v| v.parse().unwrap_or(0.0));
    ensure!(refreshed <= 61.0, "{refreshed} refreshes went through");
    Ok(())
}

/// Wrong management keys from 250 addresses while people sign in: no sign-in waits into a
/// "database is locked".
async fn management_key_flood() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let (base, project) = (server.base.clone(), server.project.clone());
    let attack = async move {
        flood(3000, 50, Duration::from_secs(20), |i| {
            let url = format!("{base}/v1/mgmt/user?loginId=ada%40example.com");
            let bearer = format!("Bearer {project}:Kwrong{i:043}");
            let from = std::net::Ipv4Addr::new(127, 0, 1, (i % 250) as u8 + 1);
            async move {
                let Ok(client) = reqwest::Client::builder()
                    .local_address(std::net::IpAddr::V4(from))
                    .build()
                else {
                    return;
                };
                let _ = client.get(url).header("Authorization", bearer).send().await;
            }
        })
        .await;
    };
    let before = server.rss_kib()?;
    let mut attack = tokio::spawn(attack);
    tokio::time::sleep(Duration::from_millis(500)).await;
    for n in 0..5 {
        server
            .signs_in(&format!("person{n}@example.com"))
            .await
            .with_context(|| format!("sign-in {n} during the flood"))?;
    }
    if tokio::time::timeout(Duration::from_secs(30), &mut attack)
        .await
        .is_err()
    {
        attack.abort();
    }
    server.alive()?;
    let grew = server.rss_kib()?.saturating_sub(before);
    ensure!(grew < MEMORY_BOUND_KIB, "memory grew by {grew} KiB");
    let refused = server.total("beckon_management_key_refusals_total").await?;
    ensure!(refused > 0.0, "no refusal was counted");
    Ok(())
}

/// Requests whose bodies come a byte at a time: they wait for the request time limit, and
/// hold no one else up.
async fn trickled_bodies() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let (addr, project) = (server.addr, server.project.clone());
    during(&mut server, "ada@example.com", async move {
        flood(100, 100, Duration::from_secs(6), |_| {
            let project = project.clone();
            async move {
                let Ok(mut stream) = connect(ATTACKER, addr).await else {
                    return;
                };
                let head = format!(
                    "POST /v1/auth/enchantedlink/signup-in/email HTTP/1.1\r\nHost: beckon\r\n\
                     Authorization: Bearer {project}\r\nContent-Type: application/json\r\n\
                     Content-Length: 60000\r\n\r\n{{"
                );
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..10 {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    if stream.write_all(b" ").await.is_err() {
                        return;
                    }
                }
            }
        })
        .await;
    })
    .await
}

/// Requests with a 64 KiB header each: refused (431, or closed), and nothing kept of them.
async fn oversized_headers() -> anyhow::Result<()> {
    let mut server = Server::start(&[]).await?;
    let addr = server.addr;
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = served.clone();
    during(&mut server, "ada@example.com", async move {
        flood(300, 20, Duration::from_secs(15), |_| {
            let counted = counted.clone();
            async move {
                let request = format!(
                    "GET /healthz HTTP/1.1\r\nHost: beckon\r\nX-Big: {}\r\n\r\n",
                    "x".repeat(64 * 1024)
                );
                let answer = send_raw(addr, request.as_bytes(), Duration::from_secs(2)).await;
                if answer.starts_with(b"HTTP/1.1 200") {
                    counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        })
        .await;
    })
    .await?;
    let served = served.load(std::sync::atomic::Ordering::Relaxed);
    ensure!(
        served == 0,
        "{served} requests with a 64 KiB header were served"
    );
    Ok(())
}
