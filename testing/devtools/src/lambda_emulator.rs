//! A small emulation of the Lambda Runtime API (version 2018-06-01), so tests can run the very
//! binary AWS runs, in its Lambda mode, and hand it real function-URL events.
//!
//! Implements what `lambda_runtime` calls: `GET /runtime/invocation/next` (long poll, with the
//! request-id, deadline, function-ARN and trace-id headers), `POST /runtime/invocation/{id}/response`
//! and `/error`, and `POST /runtime/init/error` (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::{Notify, oneshot};

const PREFIX: &str = "/2018-06-01/runtime";

#[derive(Default)]
struct State {
    queue: Mutex<VecDeque<(String, Value)>>,
    queued: Notify,
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<Value, Value>>>>,
    init_errors: Mutex<Vec<Value>>,
}

/// A running emulator on 127.0.0.1.
pub struct LambdaEmulator {
    /// Its address: the value of `AWS_LAMBDA_RUNTIME_API`.
    pub address: SocketAddr,
    state: Arc<State>,
    next_id: AtomicU64,
}

impl LambdaEmulator {
    /// Starts the emulator on a free port.
    pub async fn start() -> LambdaEmulator {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let state = Arc::new(State::default());
        let shared = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(answer(&state, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        LambdaEmulator {
            address,
            state,
            next_id: AtomicU64::new(1),
        }
    }

    /// `host:port`, as Lambda sets `AWS_LAMBDA_RUNTIME_API`.
    pub fn runtime_api(&self) -> String {
        self.address.to_string()
    }

    /// Invokes the function with `event`; `Ok(response)` or `Err(error document)`.
    pub async fn invoke(&self, event: Value, timeout: Duration) -> Result<Value, Value> {
        let id = format!("req-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = oneshot::channel();
        self.state
            .waiting
            .lock()
            .expect("lock")
            .insert(id.clone(), tx);
        self.state
            .queue
            .lock()
            .expect("lock")
            .push_back((id, event));
        self.state.queued.notify_one();
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(result)) => result,
            _ => Err(
                json!({"errorType": "emulator.Timeout", "init_errors": *self.state.init_errors.lock().expect("lock")}),
            ),
        }
    }
}

fn respond(status: u16, body: Vec<u8>, headers: &[(&str, String)]) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, v);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("response")
}

async fn answer(state: &State, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let json_body = || serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return respond(404, vec![], &[]);
    };
    if method == hyper::Method::GET && rest == "/invocation/next" {
        loop {
            let next = state.queue.lock().expect("lock").pop_front();
            if let Some((id, event)) = next {
                let deadline = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() + 10_000)
                    .unwrap_or(0);
                return respond(
                    200,
                    event.to_string().into_bytes(),
                    &[
                        ("content-type", "application/json".into()),
                        ("lambda-runtime-aws-request-id", id),
                        ("lambda-runtime-deadline-ms", deadline.to_string()),
                        (
                            "lambda-runtime-invoked-function-arn",
                            "arn:aws:lambda:eu-west-1:123456789012:function:test".into(),
                        ),
                        (
                            "lambda-runtime-trace-id",
                            "Root=1-00000000-000000000000000000000000;Sampled=0".into(),
                        ),
                    ],
                );
            }
            state.queued.notified().await;
        }
    }
    if method == hyper::Method::POST && rest == "/init/error" {
        state.init_errors.lock().expect("lock").push(json_body());
        return respond(202, b"{}".to_vec(), &[]);
    }
    if method == hyper::Method::POST
        && let Some(tail) = rest.strip_prefix("/invocation/")
    {
        let (id, kind) = tail.split_once('/').unwrap_or((tail, ""));
        let sender = state.waiting.lock().expect("lock").remove(id);
        if let Some(sender) = sender {
            let _ = sender.send(if kind == "response" {
                Ok(json_body())
            } else {
                Err(json_body())
            });
            return respond(202, b"{}".to_vec(), &[]);
        }
    }
    respond(404, vec![], &[])
}

/// A Lambda function-URL event (payload format 2.0) as AWS sends it.
pub fn function_url_event(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    base64: bool,
) -> Value {
    use base64::Engine;
    let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut header_map = serde_json::Map::new();
    header_map.insert(
        "host".into(),
        json!("abcdefghij.lambda-url.eu-west-1.on.aws"),
    );
    header_map.insert("x-forwarded-proto".into(), json!("https"));
    for (k, v) in headers {
        header_map.insert((*k).into(), json!(v));
    }
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": header_map,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghij",
            "domainName": "abcdefghij.lambda-url.eu-west-1.on.aws",
            "domainPrefix": "abcdefghij",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "test"},
            "requestId": "0b7c8e3e-0000-4000-8000-000000000000",
            "routeKey": "$default",
            "stage": "$default",
            "time": "04/Dec/2026:20:00:00 +0000",
            "timeEpoch": 1_796_000_000_000u64
        },
        "isBase64Encoded": base64
    });
    if let Some(body) = body {
        event["body"] = if base64 {
            json!(encode(body))
        } else {
            json!(String::from_utf8_lossy(body))
        };
    }
    event
}
