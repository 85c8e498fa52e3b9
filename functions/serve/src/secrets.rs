//! The requestor signing key from AWS Secrets Manager (`SIGNING_KEY_SECRET_ID`): the secret's
//! string value is the PEM. The client is built once at cold start; the library's
//! `SigningKey` calls the fetch built here again after its TTL, so a rotated key is picked up
//! without a redeploy.
//!
//! Nothing here logs or formats the secret value or an SDK error: an SDK error's `Display` can
//! carry request details, so only its error code is looked at.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::timeout::TimeoutConfig;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use big_issuer::irma::{FetchPem, KeyError};

/// Reads one secret; remembers why the last read failed, for the start-up error line.
pub struct SecretReader {
    client: Client,
    secret_id: String,
    last_problem: Mutex<Option<&'static str>>,
}

impl SecretReader {
    /// Builds the SDK client from Lambda's environment: the role's credentials
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) and `AWS_REGION`; in
    /// tests `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it at a stand-in.
    ///
    /// Read by hand rather than with `aws-config`: its provider chain (profiles, SSO, STS
    /// assume-role, IMDS) is never used on Lambda, yet it added 2.6 MB to the binary and the
    /// STS client to every cold start (`make bench`).
    pub async fn new(secret_id: &str) -> Arc<SecretReader> {
        // A refresh runs inside a browser's request, and a cold start inside the function's
        // 10 s timeout: a stalled Secrets Manager must fail fast (the previous key then stays
        // in use) rather than hold the request until Lambda kills it.
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .operation_attempt_timeout(Duration::from_secs(2))
            .operation_timeout(Duration::from_secs(4))
            .build();
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .timeout_config(timeouts);
        if let Some(region) = env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")) {
            config = config.region(Region::new(region));
        }
        if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            let credentials =
                Credentials::new(id, secret, env("AWS_SESSION_TOKEN"), None, "environment");
            config = config.credentials_provider(credentials);
        }
        if let Some(url) =
            env("AWS_ENDPOINT_URL_SECRETS_MANAGER").or_else(|| env("AWS_ENDPOINT_URL"))
        {
            config = config.endpoint_url(url);
        }
        Arc::new(SecretReader {
            client: Client::from_conf(config.build()),
            secret_id: secret_id.to_string(),
            last_problem: Mutex::new(None),
        })
    }

    /// The fetch that `SigningKey::refreshing` calls at start and after each TTL.
    pub fn fetch(self: &Arc<Self>) -> FetchPem {
        let reader = self.clone();
        Box::new(move || {
            let reader = reader.clone();
            Box::pin(async move { reader.read().await })
        })
    }

    /// Why the last read failed, worded to follow the variable's name in the start-up line.
    pub fn last_problem(&self) -> Option<&'static str> {
        self.last_problem.lock().ok().and_then(|p| *p)
    }

    async fn read(&self) -> Result<Vec<u8>, KeyError> {
        let answer = self
            .client
            .get_secret_value()
            .secret_id(&self.secret_id)
            .send()
            .await;
        let result = match answer {
            Ok(mut output) => match output.secret_string.take() {
                Some(pem) => Ok(pem.into_bytes()),
                None => Err((
                    KeyError::NotRsaPem,
                    "names a secret without a string value; store the PEM as its SecretString",
                )),
            },
            Err(e) => Err((KeyError::Unreadable, problem_of(e.code()))),
        };
        result.map_err(|(error, problem)| {
            if let Ok(mut last) = self.last_problem.lock() {
                *last = Some(problem);
            }
            error
        })
    }
}

/// The Secrets Manager error codes an operator can act on; anything else (no credentials, no
/// region, unreachable, throttled) gets the general wording.
fn problem_of(code: Option<&str>) -> &'static str {
    match code {
        Some("ResourceNotFoundException") => {
            "names a secret that does not exist or has no value yet; put the key into it"
        }
        Some("AccessDeniedException") => {
            "names a secret this function may not read (secretsmanager:GetSecretValue)"
        }
        Some("DecryptionFailure") => "names a secret whose KMS key this function may not use",
        _ => "could not be read from Secrets Manager (credentials, region or network)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_the_operator_can_fix() {
        assert!(problem_of(Some("ResourceNotFoundException")).contains("does not exist"));
        assert!(problem_of(Some("AccessDeniedException")).contains("GetSecretValue"));
        assert!(problem_of(None).contains("could not be read"));
    }
}
