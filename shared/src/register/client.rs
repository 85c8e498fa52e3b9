//! The SOAP adapter of the [`Register`] port: one HTTP client per container, every call
//! (one retry included) inside a total time budget, answers read chunk by chunk up to a size
//! bound, and only outcome kinds and durations logged: the query and the answer are personal
//! data and never leave this module except as typed values.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::model::{Practitioner, Query, ReferenceData};
use super::soap;
use super::{Register, RegisterError};

/// The default total time for one register call, retry included. The IRMA server waits for
/// the disclosure callback, and two lookups (query and probe) run concurrently inside it.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(2500);

/// The default bound on one answer: a `ListHcpApprox4` answer for the handful of persons a
/// name and date of birth select is a few KiB; the full reference data is well under this.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Why a [`SoapRegister`] could not be built; a configuration error, found at start-up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The register URL is not an absolute `http` or `https` URL with a host.
    #[error("the BIG register URL is not an absolute http(s) URL")]
    InvalidUrl,
    /// The HTTP client (TLS roots, connector) could not be built.
    #[error("the HTTP client for the BIG register could not be built")]
    Client(#[source] reqwest::Error),
}

/// The BIG register over SOAP 1.1 (`ListHcpApprox4`, `GetRibizReferenceData`).
#[derive(Debug, Clone)]
pub struct SoapRegister {
    http: reqwest::Client,
    url: reqwest::Url,
    budget: Duration,
    max_answer_bytes: usize,
}

/// One SOAP operation: its name for the logs and its `SOAPAction`.
#[derive(Clone, Copy)]
enum Operation {
    ListHcpApprox4,
    GetRibizReferenceData,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::ListHcpApprox4 => "ListHcpApprox4",
            Operation::GetRibizReferenceData => "GetRibizReferenceData",
        }
    }

    fn soap_action(self) -> &'static str {
        match self {
            Operation::ListHcpApprox4 => soap::LIST_HCP_APPROX_ACTION,
            Operation::GetRibizReferenceData => soap::REFERENCE_DATA_ACTION,
        }
    }
}

/// How one attempt failed: before any answer (worth one more try), or for good.
enum AttemptError {
    Unreached,
    Final(RegisterError),
}

impl SoapRegister {
    /// A client for the register at `url`, spending at most `budget` per call and reading at
    /// most `max_answer_bytes` of an answer.
    pub fn new(
        url: &str,
        budget: Duration,
        max_answer_bytes: usize,
    ) -> Result<SoapRegister, SetupError> {
        let url = reqwest::Url::parse(url).map_err(|_| SetupError::InvalidUrl)?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(SetupError::InvalidUrl);
        }
        let http = reqwest::Client::builder()
            // A third of the budget per connect leaves room for the retry and the answer.
            .connect_timeout(budget / 3)
            // A SOAP endpoint never redirects; following one would send the query elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            // Our one retry, inside the budget, is the only one: no hidden retries in the client.
            .retry(reqwest::retry::never())
            .user_agent(concat!("big-issuer/", env!("CARGO_PKG_VERSION")))
            // Mozilla's roots, compiled in: the platform verifier would stat and parse every
            // file in /etc/ssl/certs at start (3-4 ms of each cold start, `make bench`), and the
            // Lambda image's store is the same Mozilla set anyway.
            .tls_certs_only(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok()),
            )
            .build()
            .map_err(SetupError::Client)?;
        Ok(SoapRegister {
            http,
            url,
            budget,
            max_answer_bytes,
        })
    }

    async fn call<T>(
        &self,
        operation: Operation,
        envelope: String,
        parse: fn(&[u8]) -> Result<T, RegisterError>,
    ) -> Result<T, RegisterError> {
        let started = Instant::now();
        let attempts = AtomicU32::new(0);
        let envelope = Bytes::from(envelope);
        let outcome = tokio::time::timeout(
            self.budget,
            self.call_with_retry(operation, envelope, parse, &attempts),
        )
        .await
        .unwrap_or(Err(RegisterError::Timeout));
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let attempts = attempts.load(Ordering::Relaxed);
        match &outcome {
            Ok(_) => tracing::info!(
                operation = operation.name(),
                outcome = "ok",
                attempts,
                elapsed_ms,
                "BIG register call"
            ),
            // RegisterError's text carries no part of the query or the answer.
            Err(error) => tracing::warn!(
                operation = operation.name(),
                outcome = outcome_kind(error),
                %error,
                attempts,
                elapsed_ms,
                "BIG register call failed"
            ),
        }
        outcome
    }

    async fn call_with_retry<T>(
        &self,
        operation: Operation,
        envelope: Bytes,
        parse: fn(&[u8]) -> Result<T, RegisterError>,
        attempts: &AtomicU32,
    ) -> Result<T, RegisterError> {
        attempts.fetch_add(1, Ordering::Relaxed);
        let answer = match self.attempt(operation, envelope.clone()).await {
            // The search is read-only, so sending it again cannot do harm; one retry covers a
            // pooled connection the register closed while the container was frozen.
            Err(AttemptError::Unreached) => {
                attempts.fetch_add(1, Ordering::Relaxed);
                self.attempt(operation, envelope).await
            }
            answer => answer,
        };
        let (status, body) = answer.map_err(|error| match error {
            AttemptError::Unreached => RegisterError::Connect,
            AttemptError::Final(error) => error,
        })?;
        match status {
            200 => parse(&body),
            // ASP.NET answers a SOAP fault with 500 (FIN cassettes).
            500 => match parse(&body) {
                Err(error @ (RegisterError::Fault | RegisterError::Doctype)) => Err(error),
                _ => Err(RegisterError::Status(500)),
            },
            other => Err(RegisterError::Status(other)),
        }
    }

    /// One POST; the status and, for 200 and 500, the body read up to the bound.
    async fn attempt(
        &self,
        operation: Operation,
        envelope: Bytes,
    ) -> Result<(u16, Vec<u8>), AttemptError> {
        let mut response = self
            .http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", operation.soap_action())
            .body(envelope)
            .send()
            .await
            .map_err(|error| {
                if error.is_timeout() {
                    AttemptError::Final(RegisterError::Timeout)
                } else {
                    // Refused, reset, or closed before the answer began: nothing was answered.
                    AttemptError::Unreached
                }
            })?;
        let status = response.status().as_u16();
        if status != 200 && status != 500 {
            return Ok((status, Vec::new()));
        }
        let too_large = AttemptError::Final(RegisterError::TooLarge);
        if response
            .content_length()
            .is_some_and(|length| length > u64::try_from(self.max_answer_bytes).unwrap_or(u64::MAX))
        {
            return Err(too_large);
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_answer_bytes {
                        return Err(too_large);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok((status, body)),
                Err(error) if error.is_timeout() => {
                    return Err(AttemptError::Final(RegisterError::Timeout));
                }
                // The answer had begun: a broken body is not retried, the budget is spent.
                Err(_) => return Err(AttemptError::Final(RegisterError::Connect)),
            }
        }
    }
}

fn outcome_kind(error: &RegisterError) -> &'static str {
    match error {
        RegisterError::Timeout => "timeout",
        RegisterError::Connect => "connect",
        RegisterError::Fault => "fault",
        RegisterError::Status(_) => "status",
        RegisterError::TooLarge => "too_large",
        RegisterError::Doctype => "doctype",
        RegisterError::Unparsable => "unparsable",
    }
}

impl Register for SoapRegister {
    async fn search(&self, query: &Query) -> Result<Vec<Practitioner>, RegisterError> {
        let envelope = soap::list_hcp_approx_request(query);
        self.call(
            Operation::ListHcpApprox4,
            envelope,
            soap::parse_list_hcp_approx,
        )
        .await
    }

    async fn reference_data(&self) -> Result<ReferenceData, RegisterError> {
        let envelope = soap::reference_data_request();
        self.call(
            Operation::GetRibizReferenceData,
            envelope,
            soap::parse_reference_data,
        )
        .await
    }
}
