//! The HTTP contract (DESIGN.md section 7), once for both functions: routes, status codes,
//! error bodies, CORS and the body limit. Plain `http` types, so the same routers serve Lambda
//! events and local HTTP alike.
//!
//! Every request ends in one log line with route, status, outcome code, identity-source kind,
//! number of credentials and duration: never a header, a body or a disclosed value.

use std::time::Instant;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use serde::Serialize;

use crate::error::ErrorCode;
use crate::identity::{self, SourceKind};
use crate::irma::request::{CredentialRequest, ExtendedRequest, NextSession, RESULT_JWT_VALIDITY};
use crate::irma::{IssuanceRequest, SignError, SigningKey};
use crate::issuance;
use crate::pipeline::{Failure, Pipeline};
use crate::register::Register;

/// Bodies above this many bytes are refused with 413 before anything reads them.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The header that tells the page why the callback ended the chain (flow A, step 4).
pub const OUTCOME_HEADER: &str = "big-issuer-outcome";

/// What a finished request reports to the log line.
#[derive(Clone, Copy, Debug, Default)]
struct Report {
    outcome: Option<ErrorCode>,
    source: Option<SourceKind>,
    credentials: usize,
}

/// A router of one function: takes a request, always gives a response.
pub trait Service: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, request: Request<Bytes>) -> impl Future<Output = Response<Bytes>> + Send;
}

/// The browser-facing function: disclosure request and two-step issuance.
pub struct IssuanceRequestService<R> {
    /// The shared pipeline.
    pub pipeline: Pipeline<R>,
    /// Signs our requestor JWTs (refreshed from its store after a TTL).
    pub signing_key: SigningKey,
    /// The IRMA server URL handed to the browser.
    pub irma_server_url: String,
    /// The callback URL that turns on flow A.
    pub callback_url: Option<String>,
    /// CORS origins; empty means no CORS.
    pub allowed_origins: Vec<String>,
}

/// The IRMA-server-facing function: the chained-session callback.
pub struct DisclosureCallbackService<R> {
    /// The shared pipeline.
    pub pipeline: Pipeline<R>,
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorCode,
    message: &'static str,
}

#[derive(Serialize)]
struct SessionBody<'a> {
    jwt: String,
    irma_server_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    credentials: Option<&'a [CredentialRequest]>,
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Wrapped<'a> {
    request: &'a IssuanceRequest,
}

fn json_response(status: StatusCode, body: &impl Serialize) -> Response<Bytes> {
    match serde_json::to_vec(body) {
        Ok(json) => Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Bytes::from(json))
            .unwrap_or_else(|_| internal()),
        Err(_) => internal(),
    }
}

/// The contract's error answer for `code`.
pub fn error_response(code: ErrorCode) -> Response<Bytes> {
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(
        status,
        &ErrorBody {
            error: code,
            message: code.message(),
        },
    )
}

fn internal() -> Response<Bytes> {
    let mut r = Response::new(Bytes::from_static(
        br#"{"error":"internal","message":"Something went wrong on our side; please try again later."}"#,
    ));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn health() -> Response<Bytes> {
    json_response(
        StatusCode::OK,
        &Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
        },
    )
}

/// Which route a request is for, by path and method.
enum Route<T> {
    Found(T),
    WrongMethod(&'static str),
    Unknown,
}

/// Matches `path` and `method` against `(path, method, target)` rows.
fn route<T: Copy>(table: &[(&str, Method, T)], path: &str, method: &Method) -> Route<T> {
    let rows: Vec<_> = table.iter().filter(|(p, _, _)| *p == path).collect();
    if rows.is_empty() {
        return Route::Unknown;
    }
    match rows.iter().find(|(_, m, _)| m == method) {
        Some((_, _, t)) => Route::Found(*t),
        None => Route::WrongMethod(if rows.iter().any(|(_, m, _)| m == Method::POST) {
            "POST, OPTIONS"
        } else {
            "GET, OPTIONS"
        }),
    }
}

fn log_line(
    function: &'static str,
    path_label: &'static str,
    status: StatusCode,
    report: Report,
    started: Instant,
) {
    // `%`: plain values in text logs (`outcome=no-registration`), strings in JSON.
    tracing::info!(
        function = %function,
        route = %path_label,
        status = status.as_u16(),
        outcome = %report.outcome.map_or("ok", ErrorCode::as_str),
        source = %report.source.map_or("-", SourceKind::as_str),
        credentials = report.credentials,
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
}

/// `PayloadTooLarge` when the body (or its declared length) exceeds [`MAX_BODY_BYTES`].
fn limited(request: &Request<Bytes>) -> Result<(), ErrorCode> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    if declared > MAX_BODY_BYTES || request.body().len() > MAX_BODY_BYTES {
        return Err(ErrorCode::PayloadTooLarge);
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum IssuanceRoute {
    DisclosureRequest,
    IssuanceRequest,
    Health,
}

impl<R: Register + 'static> IssuanceRequestService<R> {
    fn cors_origin(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        let origin = headers.get(header::ORIGIN)?;
        let text = origin.to_str().ok()?;
        self.allowed_origins
            .iter()
            .any(|o| o == text)
            .then(|| origin.clone())
    }

    fn with_cors(&self, headers: &HeaderMap, mut response: Response<Bytes>) -> Response<Bytes> {
        if !self.allowed_origins.is_empty() {
            // The answer depends on Origin, so caches must key on it even when refused.
            response
                .headers_mut()
                .append(header::VARY, HeaderValue::from_static("Origin"));
        }
        if let Some(origin) = self.cors_origin(headers) {
            let h = response.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(OUTCOME_HEADER),
            );
        }
        response
    }

    /// The preflight answer: 204, with CORS grants only for an allowed origin (a refused origin
    /// gets none, which the browser treats as a refusal).
    fn preflight(&self, headers: &HeaderMap, allow: &'static str) -> Response<Bytes> {
        let mut r = Response::new(Bytes::new());
        *r.status_mut() = StatusCode::NO_CONTENT;
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
        if self.cors_origin(headers).is_some() {
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(allow),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        self.with_cors(headers, r)
    }

    async fn disclosure_request(&self, now: i64) -> Result<Response<Bytes>, ErrorCode> {
        let request = ExtendedRequest {
            validity: RESULT_JWT_VALIDITY,
            next_session: self
                .callback_url
                .as_ref()
                .map(|url| NextSession { url: url.clone() }),
            request: identity::disclosure_request(&self.pipeline.sources),
        };
        let jwt = self
            .signing_key
            .signer()
            .await
            .sign_disclosure(&request, now);
        self.session_answer(jwt, None)
    }

    /// `{jwt, irma_server_url, credentials?}`, the answer that hands the browser a session.
    fn session_answer(
        &self,
        jwt: Result<String, SignError>,
        credentials: Option<&[CredentialRequest]>,
    ) -> Result<Response<Bytes>, ErrorCode> {
        let jwt = jwt.map_err(|_| ErrorCode::Internal)?;
        let body = SessionBody {
            jwt,
            irma_server_url: &self.irma_server_url,
            credentials,
        };
        Ok(json_response(StatusCode::OK, &body))
    }

    async fn issuance_request(
        &self,
        body: &[u8],
        now: i64,
        report: &mut Report,
    ) -> Result<Response<Bytes>, ErrorCode> {
        let issued = self
            .pipeline
            .run(body, now)
            .await
            .map_err(|Failure { code, source }| {
                report.source = source;
                code
            })?;
        report.source = Some(issued.source);
        report.credentials = issued.credentials.len();
        let request = ExtendedRequest {
            validity: RESULT_JWT_VALIDITY,
            next_session: None,
            request: issuance::two_step_request(issued.credentials, &issued.disclosure),
        };
        let jwt = self.signing_key.signer().await.sign_issuance(&request, now);
        self.session_answer(jwt, Some(&request.request.credentials))
    }
}

impl<R: Register + 'static> Service for IssuanceRequestService<R> {
    async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        const ROUTES: &[(&str, Method, IssuanceRoute)] = &[
            (
                "/disclosure-request",
                Method::GET,
                IssuanceRoute::DisclosureRequest,
            ),
            (
                "/issuance-request",
                Method::POST,
                IssuanceRoute::IssuanceRequest,
            ),
            ("/health", Method::GET, IssuanceRoute::Health),
        ];
        let started = Instant::now();
        let headers = request.headers();
        let mut report = Report::default();
        let route = match limited(&request) {
            // Every body over the limit is refused before anything else looks at the request.
            Err(code) => Err(code),
            Ok(_) => Ok(route(ROUTES, request.uri().path(), request.method())),
        };
        let (label, result) = match route {
            Err(code) => ("too-large", Err(code)),
            Ok(Route::Unknown) => ("unknown", Err(ErrorCode::NotFound)),
            Ok(Route::WrongMethod(allow)) if request.method() == Method::OPTIONS => {
                ("preflight", Ok(self.preflight(headers, allow)))
            }
            Ok(Route::WrongMethod(_)) => ("wrong-method", Err(ErrorCode::MethodNotAllowed)),
            Ok(Route::Found(IssuanceRoute::Health)) => ("health", Ok(health())),
            Ok(Route::Found(IssuanceRoute::DisclosureRequest)) => (
                "disclosure-request",
                self.disclosure_request(issuance::now()).await,
            ),
            Ok(Route::Found(IssuanceRoute::IssuanceRequest)) => (
                "issuance-request",
                self.issuance_request(request.body(), issuance::now(), &mut report)
                    .await,
            ),
        };
        let response = result.unwrap_or_else(|code| {
            report.outcome = Some(code);
            error_response(code)
        });
        let response = self.with_cors(headers, response);
        log_line(
            "issuance-request",
            label,
            response.status(),
            report,
            started,
        );
        response
    }
}

#[derive(Clone, Copy)]
enum CallbackRoute {
    Callback,
    Health,
}

impl<R: Register + 'static> Service for DisclosureCallbackService<R> {
    async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        const ROUTES: &[(&str, Method, CallbackRoute)] = &[
            ("/", Method::POST, CallbackRoute::Callback),
            ("/health", Method::GET, CallbackRoute::Health),
        ];
        let started = Instant::now();
        let mut report = Report::default();
        let (label, response) = match limited(&request)
            .map(|_| route(ROUTES, request.uri().path(), request.method()))
        {
            Err(code) => {
                report.outcome = Some(code);
                ("too-large", error_response(code))
            }
            Ok(Route::Unknown) => {
                report.outcome = Some(ErrorCode::NotFound);
                ("unknown", error_response(ErrorCode::NotFound))
            }
            Ok(Route::WrongMethod(_)) => {
                report.outcome = Some(ErrorCode::MethodNotAllowed);
                ("wrong-method", error_response(ErrorCode::MethodNotAllowed))
            }
            Ok(Route::Found(CallbackRoute::Health)) => ("health", health()),
            Ok(Route::Found(CallbackRoute::Callback)) => {
                ("callback", self.callback(request.body(), &mut report).await)
            }
        };
        log_line(
            "disclosure-callback",
            label,
            response.status(),
            report,
            started,
        );
        response
    }
}

impl<R: Register + 'static> DisclosureCallbackService<R> {
    async fn callback(&self, body: &[u8], report: &mut Report) -> Response<Bytes> {
        match self.pipeline.run(body, issuance::now()).await {
            Ok(issued) => {
                report.source = Some(issued.source);
                report.credentials = issued.credentials.len();
                let request = issuance::chained_request(issued.credentials);
                json_response(StatusCode::OK, &Wrapped { request: &request })
            }
            Err(Failure { code, source }) => {
                report.outcome = Some(code);
                report.source = source;
                if code.is_person_refusal() {
                    // The disclosure was valid: end the IRMA session normally (204) and let the
                    // page fetch the reason through flow B (DESIGN.md section 3, A.4).
                    let mut r = Response::new(Bytes::new());
                    *r.status_mut() = StatusCode::NO_CONTENT;
                    r.headers_mut()
                        .insert(OUTCOME_HEADER, HeaderValue::from_static(code.as_str()));
                    r
                } else {
                    error_response(code)
                }
            }
        }
    }
}
