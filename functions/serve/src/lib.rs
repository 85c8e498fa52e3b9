//! The thin glue both functions share: read the configuration once, set up logging, then serve
//! the function's router on the Lambda runtime, or over plain HTTP on `127.0.0.1:$PORT` when
//! `PORT` is set (DESIGN.md section 8). Everything about requests and answers lives in the
//! library's `http` module; this crate only moves bytes in and out.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use big_issuer::config::{Config, ConfigError, Function, SigningKeySource};
use big_issuer::error::ErrorCode;
use big_issuer::http::{MAX_BODY_BYTES, Service, error_response};
use big_issuer::irma::{RequestorSigner, SigningKey};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

#[cfg(feature = "secrets-manager")]
mod secrets;

/// Starts a function: configuration, logging, then serving until the process ends. `build`
/// makes the router from the configuration and, for functions that sign, the signing key.
pub fn run<S, F>(function: Function, build: F) -> ExitCode
where
    S: Service,
    F: FnOnce(&Config, Option<SigningKey>) -> Result<S, ConfigError>,
{
    let config = match Config::from_env(function) {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    init_logging(config.port.is_none() && std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some());

    // One thread: Lambda hands a sandbox one request at a time, and a single-threaded
    // runtime starts faster and uses less memory.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(_) => {
            eprintln!("startup error: the async runtime could not start");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let key = match load_signing_key(&config).await {
            Ok(key) => key,
            Err(e) => return fail(&e),
        };
        let service = match build(&config, key) {
            Ok(service) => service,
            Err(e) => return fail(&e),
        };
        let served = match config.port {
            Some(port) => serve_local(Arc::new(service), port).await,
            None => serve_lambda(&service).await,
        };
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        }
    })
}

/// One line on stderr that names the variable, never its value.
fn fail(e: &ConfigError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::FAILURE
}

/// The signing key from its configured store, once at start.
async fn load_signing_key(config: &Config) -> Result<Option<SigningKey>, ConfigError> {
    match &config.signing_key {
        None => Ok(None),
        Some(SigningKeySource::File(path)) => {
            let pem = std::fs::read(path).map_err(|_| ConfigError {
                variable: "SIGNING_KEY_FILE",
                problem: "cannot be read",
            })?;
            let signer =
                RequestorSigner::from_pem(&pem, &config.requestor_name).ok_or(ConfigError {
                    variable: "SIGNING_KEY_FILE",
                    problem: "is not an RSA private key in PEM form",
                })?;
            Ok(Some(SigningKey::fixed(signer)))
        }
        #[cfg(not(feature = "secrets-manager"))]
        Some(SigningKeySource::SecretsManager(_)) => Err(ConfigError {
            variable: "SIGNING_KEY_SECRET_ID",
            problem: "cannot be read by this function, which is built without Secrets Manager",
        }),
        #[cfg(feature = "secrets-manager")]
        Some(SigningKeySource::SecretsManager(secret_id)) => {
            let reader = secrets::SecretReader::new(secret_id).await;
            SigningKey::refreshing(
                reader.fetch(),
                config.signing_key_ttl,
                &config.requestor_name,
            )
            .await
            .map(Some)
            .map_err(|e| ConfigError {
                variable: "SIGNING_KEY_SECRET_ID",
                // The reader knows why a read failed; a value that was read but does not
                // parse is the key's fault.
                problem: reader.last_problem().unwrap_or(match e {
                    big_issuer::irma::KeyError::NotRsaPem => {
                        "names a secret that is not an RSA private key in PEM form"
                    }
                    big_issuer::irma::KeyError::Unreadable => {
                        "could not be read from Secrets Manager"
                    }
                }),
            })
        }
    }
}

/// JSON lines on Lambda (CloudWatch parses `level`), compact text locally. The filter is
/// fixed: at TRACE the Lambda runtime logs whole events, which would carry personal data.
fn init_logging(json: bool) {
    let filter = Targets::new()
        .with_default(LevelFilter::INFO)
        .with_target("lambda_runtime", LevelFilter::INFO)
        .with_target("lambda_http", LevelFilter::INFO)
        .with_target("hyper", LevelFilter::WARN)
        .with_target("hyper_util", LevelFilter::WARN)
        .with_target("reqwest", LevelFilter::WARN)
        .with_target("rustls", LevelFilter::WARN);
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_target(false)
                    .without_time(),
            )
            .try_init()
    } else {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .compact()
                    .with_ansi(false)
                    .with_target(false)
                    .with_writer(std::io::stderr),
            )
            .try_init()
    };
    if result.is_err() {
        eprintln!("startup warning: logging was already set up");
    }
}

async fn serve_lambda<S: Service>(service: &S) -> Result<(), String> {
    let handler = lambda_http::service_fn(move |request: lambda_http::Request| async move {
        let (parts, body) = request.into_parts();
        let body = match body {
            lambda_http::Body::Empty => Bytes::new(),
            lambda_http::Body::Text(text) => Bytes::from(text),
            lambda_http::Body::Binary(bytes) => Bytes::from(bytes),
            _ => Bytes::new(),
        };
        let response = service.handle(http::Request::from_parts(parts, body)).await;
        let (parts, body) = response.into_parts();
        let body = if body.is_empty() {
            lambda_http::Body::Empty
        } else {
            match String::from_utf8(body.to_vec()) {
                Ok(text) => lambda_http::Body::Text(text),
                Err(e) => lambda_http::Body::Binary(e.into_bytes()),
            }
        };
        Ok::<_, lambda_http::Error>(http::Response::from_parts(parts, body))
    });
    lambda_http::run(handler)
        .await
        .map_err(|_| "the Lambda runtime stopped with an error".to_string())
}

async fn serve_local<S: Service>(service: Arc<S>, port: u16) -> Result<(), String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|_| format!("startup error: cannot listen on 127.0.0.1:{port} (PORT)"))?;
    tracing::info!(port, "serving on 127.0.0.1");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let service = service.clone();
        tokio::spawn(async move {
            let handler = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let service = service.clone();
                async move { Ok::<_, Infallible>(answer_local(&*service, request).await) }
            });
            // A broken connection is the client's business; there is nothing to log about it.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), handler)
                .await;
        });
    }
}

/// Reads at most the body limit (so a huge body costs nothing), then hands the request to the
/// router as Lambda would.
async fn answer_local<S: Service>(
    service: &S,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let response = match Limited::new(body, MAX_BODY_BYTES + 1).collect().await {
        Ok(collected) => {
            service
                .handle(http::Request::from_parts(parts, collected.to_bytes()))
                .await
        }
        Err(_) => error_response(ErrorCode::PayloadTooLarge),
    };
    response.map(Full::new)
}
