//! The whole pipeline in one place: from a session-result JWT to the credentials to issue, or
//! the one outcome code that says why not. Both functions run exactly this.

use std::time::Instant;

use crate::calendar::dutch_date;
use crate::error::ErrorCode;
use crate::identity::{self, IdentityError, IdentitySource, SourceKind};
use crate::irma::request::CredentialRequest;
use crate::irma::{Disclosure, DisclosureError, ResultVerifier};
use crate::issuance::{self, CredentialSettings};
use crate::register::codes::Catalogue;
use crate::register::{self, LookupError, Register};
use crate::rules::{self, Decision, RuleConfig};

/// What a successful run yields.
#[derive(Debug)]
pub struct Issued {
    /// The identity source the person disclosed.
    pub source: SourceKind,
    /// The verified disclosure (for flow B's re-disclosure requirement).
    pub disclosure: Disclosure,
    /// One credential per active registration, ordered by BIG number. Never empty.
    pub credentials: Vec<CredentialRequest>,
}

/// Why a run yields nothing: the outcome code, and the source kind when one was identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The contract's outcome code.
    pub code: ErrorCode,
    /// The identity source kind, once known (for logs).
    pub source: Option<SourceKind>,
}

/// The long-lived parts of the pipeline, built once per process.
pub struct Pipeline<R> {
    /// Verifies session results.
    pub verifier: ResultVerifier,
    /// The enabled identity sources.
    pub sources: Vec<IdentitySource>,
    /// The BIG register.
    pub register: R,
    /// Profession and specialism names, with the register's reference data cached.
    pub catalogue: Catalogue,
    /// Rule switches.
    pub rules: RuleConfig,
    /// Credential type and lifetime.
    pub credential: CredentialSettings,
}

impl<R: Register> Pipeline<R> {
    /// Runs the pipeline on a request body at `now` (Unix seconds).
    pub async fn run(&self, body: &[u8], now: i64) -> Result<Issued, Failure> {
        let fail = |code: ErrorCode, source: Option<SourceKind>| Failure { code, source };

        let token = token_from_body(body).ok_or(fail(ErrorCode::InvalidRequest, None))?;
        let disclosure = self.verifier.verify(token, now).map_err(|e| {
            fail(
                match e {
                    DisclosureError::NotAJwt => ErrorCode::InvalidRequest,
                    DisclosureError::Invalid(_) => ErrorCode::InvalidDisclosure,
                    DisclosureError::Expired(_) => ErrorCode::DisclosureExpired,
                },
                None,
            )
        })?;
        let (source, person) = identity::identify(&disclosure, &self.sources).map_err(|e| {
            fail(
                match e {
                    IdentityError::Unusable(_) => ErrorCode::UnusableIdentity,
                    _ => ErrorCode::InvalidDisclosure,
                },
                None,
            )
        })?;
        let source_kind = Some(source);

        let started = Instant::now();
        let candidates = register::lookup(&self.register, &person).await.map_err(|e| {
            tracing::warn!(outcome = %e, elapsed_ms = started.elapsed().as_millis() as u64, "register lookup failed");
            fail(
                match e {
                    LookupError::Unavailable(_) => ErrorCode::BigUnavailable,
                    LookupError::Unverifiable => ErrorCode::BigUnverifiable,
                },
                source_kind,
            )
        })?;
        tracing::debug!(
            candidates = candidates.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "register answered"
        );

        let registrations = match rules::decide(&person, &candidates, dutch_date(now), self.rules) {
            Decision::Issue(registrations) => registrations,
            Decision::Refuse(refusal) => return Err(fail(refusal.into(), source_kind)),
        };
        let names = self
            .catalogue
            .names_for(&self.register, &registrations)
            .await;
        let credentials = issuance::credentials(&registrations, &names, &self.credential, now);
        Ok(Issued {
            source,
            disclosure,
            credentials,
        })
    }
}

/// The JWT in a request body: UTF-8 text, trimmed; a JSON string holding the JWT is accepted
/// too, since some clients send `"eyJ..."` with quotes.
fn token_from_body(body: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    (!text.is_empty()).then_some(text)
}

impl Pipeline<register::SoapRegister> {
    /// The pipeline against the real register, from configuration. Fails, naming the
    /// variable, when a key or URL cannot be used.
    pub fn from_config(config: &crate::config::Config) -> Result<Self, crate::config::ConfigError> {
        use crate::config::ConfigError;
        let verifier = ResultVerifier::from_pem(
            config.irma_server_public_key.as_bytes(),
            &config.irma_server_jwt_issuer,
            config.max_result_age_secs,
        )
        .ok_or(ConfigError {
            variable: "IRMA_SERVER_PUBLIC_KEY",
            problem: "is not an RSA public key in PEM (SPKI) form",
        })?;
        let register = register::SoapRegister::new(
            &config.big_register_url,
            config.register_budget,
            register::client::DEFAULT_MAX_ANSWER_BYTES,
        )
        .map_err(|_| ConfigError {
            variable: "BIG_REGISTER_URL",
            problem: "cannot be used as the register's URL",
        })?;
        Ok(Pipeline {
            verifier,
            sources: config.identity_sources.clone(),
            register,
            catalogue: Catalogue::new(),
            rules: config.rules,
            credential: CredentialSettings {
                credential: config.big_credential.clone(),
                validity_days: config.credential_validity_days,
            },
        })
    }
}
