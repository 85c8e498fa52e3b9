//! `make load`: a bounded load test of the local mode on 127.0.0.1. Starts the register
//! stand-in and both functions (release builds), sends a fixed number of requests per route
//! with a fixed concurrency, and reports throughput, p50/p99 latency and errors (expected:
//! none). Stops by itself.
//!
//! `big-issuer-load [REQUESTS] [CONCURRENCY]` (defaults 2000 and 16).

use std::sync::Arc;
use std::time::{Duration, Instant};

use big_issuer_devtools::demo::DEMO_PERSONS;
use big_issuer_devtools::procs::{start_function, start_standin};
use big_issuer_devtools::stack::{Keys, function_env};
use serde_json::json;
use tokio::sync::Semaphore;

#[derive(Clone, Copy)]
enum Route {
    DisclosureRequest,
    TwoStep,
    Chained,
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

async fn run(
    route: Route,
    url: String,
    requests: usize,
    concurrency: usize,
) -> (Duration, Vec<Duration>, usize) {
    let keys = Keys::get();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    // Pre-signed bodies, cycling through every demo person (issuances and refusals alike).
    let bodies: Arc<Vec<String>> = Arc::new(
        DEMO_PERSONS
            .iter()
            .map(|p| {
                let mut claims = p.result_claims("pbdf.pbdf.idin", now());
                if matches!(route, Route::Chained) {
                    claims["status"] = json!("CONNECTED");
                }
                keys.irma.sign(&claims)
            })
            .collect(),
    );
    let gate = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for i in 0..requests {
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let (client, url, bodies) = (client.clone(), url.clone(), bodies.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let t = Instant::now();
            let answer = match route {
                Route::DisclosureRequest => {
                    client.get(format!("{url}/disclosure-request")).send().await
                }
                Route::TwoStep => {
                    client
                        .post(format!("{url}/issuance-request"))
                        .body(bodies[i % bodies.len()].clone())
                        .send()
                        .await
                }
                Route::Chained => {
                    client
                        .post(format!("{url}/"))
                        .body(bodies[i % bodies.len()].clone())
                        .send()
                        .await
                }
            };
            // A refusal is a correct answer; an error is a transport failure or a 5xx.
            let ok = answer.is_ok_and(|a| a.status().as_u16() < 500);
            (t.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for task in tasks {
        match task.await {
            Ok((latency, ok)) => {
                latencies.push(latency);
                errors += usize::from(!ok);
            }
            Err(_) => errors += 1,
        }
    }
    let total = started.elapsed();
    latencies.sort();
    (total, latencies, errors)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let register = start_standin(&[]);
    let env = function_env(&register.url());
    let issuance = start_function("issuance-request", &env);
    let callback = start_function("disclosure-callback", &env);

    println!(
        "{requests} requests per route, {concurrency} at a time, on 127.0.0.1 (register stand-in in its own process)\n"
    );
    println!("| route | requests/s | p50 | p99 | errors |");
    println!("|---|---|---|---|---|");
    let mut failed = false;
    for (name, route, url) in [
        (
            "GET /disclosure-request",
            Route::DisclosureRequest,
            issuance.url(),
        ),
        (
            "POST /issuance-request (two-step)",
            Route::TwoStep,
            issuance.url(),
        ),
        ("POST / (chained callback)", Route::Chained, callback.url()),
    ] {
        let (total, latencies, errors) = run(route, url, requests, concurrency).await;
        failed |= errors > 0;
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms | {errors} |",
            requests as f64 / total.as_secs_f64(),
            percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        );
    }
    if failed {
        std::process::exit(1);
    }
}
