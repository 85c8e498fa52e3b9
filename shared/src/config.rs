//! Configuration from the environment (DESIGN.md section 8, a contract): read once at start.
//!
//! A missing or invalid variable stops the function with one line that names the variable and
//! never shows a value, because some values are keys.

use std::path::PathBuf;
use std::time::Duration;

use crate::identity::{IdentitySource, SourceKind};
use crate::issuance::DEFAULT_VALIDITY_DAYS;
use crate::rules::RuleConfig;

/// Default SOAP endpoint of the BIG register.
pub const DEFAULT_BIG_REGISTER_URL: &str = "https://api.bigregister.nl/zksrv/soap/4";
/// Default identity sources.
pub const DEFAULT_IDENTITY_SOURCES: &str = "idin=pbdf.pbdf.idin,brp=pbdf.gemeente.personalData,passport=pbdf.pbdf.passport,idcard=pbdf.pbdf.idcard";

/// Where the requestor signing key comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigningKeySource {
    /// A Secrets Manager secret id or ARN whose string value is the PEM.
    SecretsManager(String),
    /// A local PEM file.
    File(PathBuf),
}

/// Everything a function needs to know, read once per process.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// `IRMA_SERVER_URL`: handed to the frontend.
    pub irma_server_url: String,
    /// `IRMA_SERVER_PUBLIC_KEY` or the contents of `IRMA_SERVER_PUBLIC_KEY_FILE`: PEM (SPKI).
    pub irma_server_public_key: String,
    /// `IRMA_SERVER_JWT_ISSUER`: expected `iss` of result JWTs.
    pub irma_server_jwt_issuer: String,
    /// `REQUESTOR_NAME`: `iss` of our requestor JWTs.
    pub requestor_name: String,
    /// `SIGNING_KEY_SECRET_ID` / `SIGNING_KEY_FILE`; `None` where the function signs nothing.
    pub signing_key: Option<SigningKeySource>,
    /// `BIG_REGISTER_URL`.
    pub big_register_url: String,
    /// `BIG_CREDENTIAL`: the credential type issued.
    pub big_credential: String,
    /// `IDENTITY_SOURCES`, in configured order.
    pub identity_sources: Vec<IdentitySource>,
    /// `DISCLOSURE_CALLBACK_URL`: enables flow A.
    pub disclosure_callback_url: Option<String>,
    /// `ALLOWED_ORIGINS`: CORS origins; empty means no CORS.
    pub allowed_origins: Vec<String>,
    /// `CREDENTIAL_VALIDITY_DAYS`.
    pub credential_validity_days: u32,
    /// `MAX_RESULT_AGE_SECS`.
    pub max_result_age_secs: u64,
    /// `PORT`: serve plain HTTP on 127.0.0.1 instead of the Lambda runtime.
    pub port: Option<u16>,
    /// `MEASURES_RULE` (`on`, default, or `off`): refuse registrations under a restrictive
    /// measure. An addition to the contract's table, which the design asks to be switchable.
    pub rules: RuleConfig,
    /// `BIG_REGISTER_TIMEOUT_MS`: total budget of one register lookup (default 2500).
    pub register_budget: Duration,
    /// `SIGNING_KEY_TTL_SECS`: how long a key read from Secrets Manager is used before it is
    /// read again, so a rotation is picked up (default 300).
    pub signing_key_ttl: Duration,
}

impl std::fmt::Debug for Config {
    // Shows names and URLs, never key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("irma_server_url", &self.irma_server_url)
            .field("requestor_name", &self.requestor_name)
            .field("big_register_url", &self.big_register_url)
            .field("big_credential", &self.big_credential)
            .field("identity_sources", &self.identity_sources)
            .field("disclosure_callback_url", &self.disclosure_callback_url)
            .field("allowed_origins", &self.allowed_origins)
            .finish_non_exhaustive()
    }
}

/// Which function is reading its configuration: only the browser-facing one signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `issuance-request`: signs requestor JWTs, so needs the signing key.
    IssuanceRequest,
    /// `disclosure-callback`: answers plain JSON, so never touches the signing key.
    DisclosureCallback,
}

/// A configuration problem: the variable and what is wrong, never its value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {variable} {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with it, e.g. "is required".
    pub problem: &'static str,
}

fn err(variable: &'static str, problem: &'static str) -> ConfigError {
    ConfigError { variable, problem }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env(function: Function) -> Result<Config, ConfigError> {
        Config::from_lookup(function, |name| std::env::var(name).ok())
    }

    /// Reads configuration through `var` (the environment, or a map in tests). Empty values
    /// count as unset.
    pub fn from_lookup(
        function: Function,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let irma_server_url =
            get("IRMA_SERVER_URL").ok_or(err("IRMA_SERVER_URL", "is required"))?;
        check_url(&irma_server_url).map_err(|p| err("IRMA_SERVER_URL", p))?;

        let irma_server_public_key = match (
            get("IRMA_SERVER_PUBLIC_KEY"),
            get("IRMA_SERVER_PUBLIC_KEY_FILE"),
        ) {
            (Some(_), Some(_)) => {
                return Err(err(
                    "IRMA_SERVER_PUBLIC_KEY",
                    "and IRMA_SERVER_PUBLIC_KEY_FILE are both set; set one",
                ));
            }
            (Some(pem), None) => pem.replace("\\n", "\n"),
            (None, Some(path)) => std::fs::read_to_string(&path)
                .map_err(|_| err("IRMA_SERVER_PUBLIC_KEY_FILE", "cannot be read"))?,
            (None, None) => {
                return Err(err(
                    "IRMA_SERVER_PUBLIC_KEY",
                    "or IRMA_SERVER_PUBLIC_KEY_FILE is required",
                ));
            }
        };

        let signing_key = match (get("SIGNING_KEY_SECRET_ID"), get("SIGNING_KEY_FILE")) {
            // The callback never signs, so it never reads (or needs access to) the key.
            _ if function == Function::DisclosureCallback => None,
            (Some(_), Some(_)) => {
                return Err(err(
                    "SIGNING_KEY_SECRET_ID",
                    "and SIGNING_KEY_FILE are both set; set one",
                ));
            }
            (Some(id), None) => Some(SigningKeySource::SecretsManager(id)),
            (None, Some(path)) => Some(SigningKeySource::File(PathBuf::from(path))),
            (None, None) => {
                return Err(err(
                    "SIGNING_KEY_SECRET_ID",
                    "or SIGNING_KEY_FILE is required",
                ));
            }
        };

        let big_register_url =
            get("BIG_REGISTER_URL").unwrap_or_else(|| DEFAULT_BIG_REGISTER_URL.to_string());
        check_url(&big_register_url).map_err(|p| err("BIG_REGISTER_URL", p))?;

        let big_credential = get("BIG_CREDENTIAL").unwrap_or_else(|| "pbdf.pbdf.big".to_string());
        if !is_credential_id(&big_credential) {
            return Err(err(
                "BIG_CREDENTIAL",
                "must be a credential type id like scheme.issuer.credential",
            ));
        }

        let identity_sources = parse_sources(
            &get("IDENTITY_SOURCES").unwrap_or_else(|| DEFAULT_IDENTITY_SOURCES.to_string()),
        )?;

        let disclosure_callback_url = get("DISCLOSURE_CALLBACK_URL");
        if let Some(url) = &disclosure_callback_url {
            check_url(url).map_err(|p| err("DISCLOSURE_CALLBACK_URL", p))?;
        }

        let allowed_origins: Vec<String> = get("ALLOWED_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_string())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        for origin in &allowed_origins {
            check_origin(origin).map_err(|p| err("ALLOWED_ORIGINS", p))?;
        }

        let credential_validity_days = match get("CREDENTIAL_VALIDITY_DAYS") {
            None => DEFAULT_VALIDITY_DAYS,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=3660).contains(d))
                .ok_or(err(
                    "CREDENTIAL_VALIDITY_DAYS",
                    "must be a whole number of days from 1 to 3660",
                ))?,
        };

        let max_result_age_secs = match get("MAX_RESULT_AGE_SECS") {
            None => 300,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=86_400).contains(s))
                .ok_or(err(
                    "MAX_RESULT_AGE_SECS",
                    "must be a whole number of seconds from 1 to 86400",
                ))?,
        };

        let port = match get("PORT") {
            None => None,
            Some(v) => Some(
                v.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or(err("PORT", "must be a port number from 1 to 65535"))?,
            ),
        };

        let rules = match get("MEASURES_RULE").as_deref() {
            None | Some("on") => RuleConfig {
                refuse_restrictive_measures: true,
            },
            Some("off") => RuleConfig {
                refuse_restrictive_measures: false,
            },
            Some(_) => return Err(err("MEASURES_RULE", "must be on or off")),
        };

        let register_budget = match get("BIG_REGISTER_TIMEOUT_MS") {
            None => crate::register::client::DEFAULT_BUDGET,
            Some(v) => Duration::from_millis(
                v.parse::<u64>()
                    .ok()
                    .filter(|ms| (100..=30_000).contains(ms))
                    .ok_or(err(
                        "BIG_REGISTER_TIMEOUT_MS",
                        "must be milliseconds from 100 to 30000",
                    ))?,
            ),
        };

        let signing_key_ttl = match get("SIGNING_KEY_TTL_SECS") {
            None => Duration::from_secs(300),
            Some(v) => {
                Duration::from_secs(v.parse::<u64>().ok().filter(|s| *s <= 86_400).ok_or(err(
                    "SIGNING_KEY_TTL_SECS",
                    "must be a whole number of seconds from 0 to 86400",
                ))?)
            }
        };

        Ok(Config {
            irma_server_url,
            irma_server_public_key,
            irma_server_jwt_issuer: get("IRMA_SERVER_JWT_ISSUER")
                .unwrap_or_else(|| "irmaserver".into()),
            requestor_name: get("REQUESTOR_NAME").unwrap_or_else(|| "big_issuer".into()),
            signing_key,
            big_register_url,
            big_credential,
            identity_sources,
            disclosure_callback_url,
            allowed_origins,
            credential_validity_days,
            max_result_age_secs,
            port,
            rules,
            register_budget,
            signing_key_ttl,
        })
    }
}

fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must be an http or https URL")?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err("must be an http or https URL with a host");
    }
    Ok(())
}

fn check_origin(origin: &str) -> Result<(), &'static str> {
    check_url(origin).map_err(|_| "must list origins like https://example.org, comma-separated")?;
    let host = origin.split_once("://").map(|(_, h)| h).unwrap_or_default();
    if host.contains('/') {
        return Err("must list origins without a path, comma-separated");
    }
    Ok(())
}

fn is_credential_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

fn parse_sources(value: &str) -> Result<Vec<IdentitySource>, ConfigError> {
    const BAD: &str =
        "must be kind=credential pairs (kinds: idin, brp, passport, idcard), comma-separated";
    let mut sources: Vec<IdentitySource> = Vec::new();
    for pair in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, credential) = pair.split_once('=').ok_or(err("IDENTITY_SOURCES", BAD))?;
        let kind = SourceKind::parse(kind.trim()).ok_or(err("IDENTITY_SOURCES", BAD))?;
        let credential = credential.trim().to_string();
        if !is_credential_id(&credential) {
            return Err(err("IDENTITY_SOURCES", BAD));
        }
        if sources
            .iter()
            .any(|s| s.kind == kind || s.credential == credential)
        {
            return Err(err("IDENTITY_SOURCES", "names a kind or credential twice"));
        }
        sources.push(IdentitySource { kind, credential });
    }
    if sources.is_empty() {
        return Err(err("IDENTITY_SOURCES", BAD));
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn base() -> HashMap<&'static str, String> {
        HashMap::from([
            ("IRMA_SERVER_URL", "https://irma.example.org".to_string()),
            (
                "IRMA_SERVER_PUBLIC_KEY",
                "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----".to_string(),
            ),
            ("SIGNING_KEY_FILE", "/keys/requestor.pem".to_string()),
        ])
    }

    fn load(vars: &HashMap<&'static str, String>) -> Result<Config, ConfigError> {
        Config::from_lookup(Function::IssuanceRequest, |n| vars.get(n).cloned())
    }

    #[test]
    fn applies_the_contract_defaults() {
        let c = load(&base()).unwrap();
        assert_eq!(c.irma_server_jwt_issuer, "irmaserver");
        assert_eq!(c.requestor_name, "big_issuer");
        assert_eq!(c.big_register_url, DEFAULT_BIG_REGISTER_URL);
        assert_eq!(c.big_credential, "pbdf.pbdf.big");
        assert_eq!(c.credential_validity_days, 365);
        assert_eq!(c.max_result_age_secs, 300);
        assert_eq!(c.disclosure_callback_url, None);
        assert!(c.allowed_origins.is_empty());
        assert_eq!(c.port, None);
        assert!(c.rules.refuse_restrictive_measures);
        let kinds: Vec<_> = c
            .identity_sources
            .iter()
            .map(|s| (s.kind.as_str(), s.credential.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("idin", "pbdf.pbdf.idin"),
                ("brp", "pbdf.gemeente.personalData"),
                ("passport", "pbdf.pbdf.passport"),
                ("idcard", "pbdf.pbdf.idcard")
            ]
        );
        assert!(c.irma_server_public_key.contains("\nAAAA\n"));
        assert_eq!(
            c.signing_key,
            Some(SigningKeySource::File("/keys/requestor.pem".into()))
        );
    }

    #[test]
    fn reads_every_variable() {
        let mut v = base();
        v.remove("SIGNING_KEY_FILE");
        v.insert("SIGNING_KEY_SECRET_ID", "big-issuer/signing-key".into());
        v.insert("IDENTITY_SOURCES", "idin=irma-demo.idin.idin".into());
        v.insert("DISCLOSURE_CALLBACK_URL", "https://cb.example.org/".into());
        v.insert(
            "ALLOWED_ORIGINS",
            "https://a.example.org, https://b.example.org/".into(),
        );
        v.insert("CREDENTIAL_VALIDITY_DAYS", "30".into());
        v.insert("MAX_RESULT_AGE_SECS", "600".into());
        v.insert("PORT", "8081".into());
        v.insert("MEASURES_RULE", "off".into());
        v.insert("REQUESTOR_NAME", "big".into());
        v.insert("IRMA_SERVER_JWT_ISSUER", "irma1".into());
        v.insert("BIG_CREDENTIAL", "irma-demo.big.big".into());
        let c = load(&v).unwrap();
        assert_eq!(
            c.signing_key,
            Some(SigningKeySource::SecretsManager(
                "big-issuer/signing-key".into()
            ))
        );
        assert_eq!(
            c.identity_sources,
            [IdentitySource {
                kind: SourceKind::Idin,
                credential: "irma-demo.idin.idin".into()
            }]
        );
        assert_eq!(
            c.disclosure_callback_url.as_deref(),
            Some("https://cb.example.org/")
        );
        assert_eq!(
            c.allowed_origins,
            ["https://a.example.org", "https://b.example.org"]
        );
        assert_eq!(
            (c.credential_validity_days, c.max_result_age_secs, c.port),
            (30, 600, Some(8081))
        );
        assert!(!c.rules.refuse_restrictive_measures);
        assert_eq!(
            (c.requestor_name.as_str(), c.irma_server_jwt_issuer.as_str()),
            ("big", "irma1")
        );
        assert_eq!(c.big_credential, "irma-demo.big.big");
    }

    #[test]
    fn names_the_missing_or_invalid_variable_without_its_value() {
        let cases: Vec<(&str, Option<&str>, &str)> = vec![
            ("IRMA_SERVER_URL", None, "IRMA_SERVER_URL"),
            (
                "IRMA_SERVER_URL",
                Some("ftp://secret-host"),
                "IRMA_SERVER_URL",
            ),
            ("IRMA_SERVER_PUBLIC_KEY", None, "IRMA_SERVER_PUBLIC_KEY"),
            ("SIGNING_KEY_FILE", None, "SIGNING_KEY_SECRET_ID"),
            (
                "IDENTITY_SOURCES",
                Some("bank=secret.value.x"),
                "IDENTITY_SOURCES",
            ),
            (
                "IDENTITY_SOURCES",
                Some("idin=a.b.c,idin=d.e.f"),
                "IDENTITY_SOURCES",
            ),
            (
                "CREDENTIAL_VALIDITY_DAYS",
                Some("-1"),
                "CREDENTIAL_VALIDITY_DAYS",
            ),
            ("MAX_RESULT_AGE_SECS", Some("soon"), "MAX_RESULT_AGE_SECS"),
            ("PORT", Some("99999"), "PORT"),
            (
                "ALLOWED_ORIGINS",
                Some("https://a.example.org/path"),
                "ALLOWED_ORIGINS",
            ),
            ("BIG_REGISTER_URL", Some("not a url"), "BIG_REGISTER_URL"),
            ("MEASURES_RULE", Some("maybe"), "MEASURES_RULE"),
            (
                "SIGNING_KEY_TTL_SECS",
                Some("a day"),
                "SIGNING_KEY_TTL_SECS",
            ),
            (
                "BIG_REGISTER_TIMEOUT_MS",
                Some("5"),
                "BIG_REGISTER_TIMEOUT_MS",
            ),
            ("BIG_CREDENTIAL", Some("big"), "BIG_CREDENTIAL"),
        ];
        for (var, value, named) in cases {
            let mut v = base();
            match value {
                Some(value) => v.insert(var, value.to_string()),
                None => v.remove(var),
            };
            let e = load(&v).unwrap_err();
            assert_eq!(e.variable, named, "{var}");
            let line = e.to_string();
            assert!(line.starts_with("configuration error: "), "{line}");
            if let Some(value) = value {
                assert!(!line.contains(value), "{line}");
            }
        }
    }

    #[test]
    fn the_callback_needs_no_signing_key() {
        let mut v = base();
        v.remove("SIGNING_KEY_FILE");
        let c = Config::from_lookup(Function::DisclosureCallback, |n| v.get(n).cloned()).unwrap();
        assert_eq!(c.signing_key, None);
        v.insert("SIGNING_KEY_SECRET_ID", "big-issuer/signing-key".into());
        let c = Config::from_lookup(Function::DisclosureCallback, |n| v.get(n).cloned()).unwrap();
        assert_eq!(
            c.signing_key, None,
            "the callback ignores the key even when given"
        );
    }

    #[test]
    fn refuses_both_key_sources_at_once() {
        let mut v = base();
        v.insert("SIGNING_KEY_SECRET_ID", "x".into());
        assert_eq!(load(&v).unwrap_err().variable, "SIGNING_KEY_SECRET_ID");
    }
}
