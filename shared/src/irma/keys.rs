//! The requestor signing key as the functions hold it: loaded once at start, and, when it
//! comes from a secret store, fetched again after a time to live so a rotated key is picked up
//! without a redeploy. The store itself (a file, AWS Secrets Manager) is the caller's: this
//! module only sees PEM bytes, so the library stays free of AWS types.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::RequestorSigner;

/// Fetches the current PEM from the key store. Errors carry no key material.
pub type FetchPem =
    Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Vec<u8>, KeyError>> + Send>> + Send + Sync>;

/// Why no signing key could be had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The store could not be read (missing secret, no permission, unreachable).
    #[error("the signing key could not be read from its store")]
    Unreadable,
    /// The stored value is not an RSA private key in PEM form.
    #[error("the signing key is not an RSA private key in PEM form")]
    NotRsaPem,
}

struct Cached {
    signer: Arc<RequestorSigner>,
    fetched: Instant,
}

/// The current requestor signer, refreshed from its store after a TTL.
pub struct SigningKey {
    requestor_name: String,
    cached: Mutex<Cached>,
    refresh: Option<(FetchPem, Duration)>,
}

impl SigningKey {
    /// A key that never changes (a local file).
    pub fn fixed(signer: RequestorSigner) -> SigningKey {
        SigningKey {
            requestor_name: signer.name().to_string(),
            cached: Mutex::new(Cached {
                signer: Arc::new(signer),
                fetched: Instant::now(),
            }),
            refresh: None,
        }
    }

    /// A key fetched now, and again when it is older than `ttl`.
    pub async fn refreshing(
        fetch: FetchPem,
        ttl: Duration,
        requestor_name: &str,
    ) -> Result<SigningKey, KeyError> {
        let pem = fetch().await?;
        let signer = RequestorSigner::from_pem(&pem, requestor_name).ok_or(KeyError::NotRsaPem)?;
        Ok(SigningKey {
            requestor_name: requestor_name.to_string(),
            cached: Mutex::new(Cached {
                signer: Arc::new(signer),
                fetched: Instant::now(),
            }),
            refresh: Some((fetch, ttl)),
        })
    }

    /// The signer to use now. After the TTL the store is asked again; if that fails, the
    /// previous key stays in use (and is asked for again next time), because a store hiccup
    /// must not stop issuance while the old key is still valid at the IRMA server.
    pub async fn signer(&self) -> Arc<RequestorSigner> {
        let (current, stale) = match self.cached.lock() {
            Ok(c) => (
                c.signer.clone(),
                self.refresh
                    .as_ref()
                    .is_some_and(|(_, ttl)| c.fetched.elapsed() >= *ttl),
            ),
            Err(poisoned) => (poisoned.into_inner().signer.clone(), false),
        };
        let Some((fetch, _)) = self.refresh.as_ref().filter(|_| stale) else {
            return current;
        };
        let fresh = match fetch().await {
            Ok(pem) => {
                RequestorSigner::from_pem(&pem, &self.requestor_name).ok_or(KeyError::NotRsaPem)
            }
            Err(e) => Err(e),
        };
        match fresh {
            Ok(signer) => {
                let signer = Arc::new(signer);
                if let Ok(mut c) = self.cached.lock() {
                    *c = Cached {
                        signer: signer.clone(),
                        fetched: Instant::now(),
                    };
                }
                tracing::info!(outcome = "refreshed", "signing key fetched again");
                signer
            }
            Err(e) => {
                tracing::warn!(outcome = %e, "signing key refresh failed; keeping the previous key");
                current
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::TestKey;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn store(keys: Vec<Result<String, KeyError>>) -> (FetchPem, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let keys = Arc::new(keys);
        let fetch: FetchPem = Box::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let answer = keys[n.min(keys.len() - 1)].clone().map(String::into_bytes);
            Box::pin(async move { answer })
        });
        (fetch, calls)
    }

    fn public_of(signer: &RequestorSigner, key: &TestKey) -> bool {
        let jwt = signer
            .sign_disclosure(
                &crate::irma::ExtendedRequest {
                    validity: 120,
                    next_session: None,
                    request: crate::irma::DisclosureRequest {
                        context: "x",
                        disclose: vec![],
                    },
                },
                0,
            )
            .unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        let k = jsonwebtoken::DecodingKey::from_rsa_pem(key.public_pem.as_bytes()).unwrap();
        jsonwebtoken::decode::<serde_json::Value>(&jwt, &k, &v).is_ok()
    }

    #[tokio::test]
    async fn picks_up_a_rotated_key_after_the_ttl() {
        let (old, new) = (TestKey::generate(), TestKey::generate());
        let (fetch, calls) = store(vec![
            Ok(old.private_pem.clone()),
            Ok(new.private_pem.clone()),
        ]);
        let key = SigningKey::refreshing(fetch, Duration::from_millis(50), "big_issuer")
            .await
            .unwrap();
        assert!(public_of(&*key.signer().await, &old));
        assert_eq!(calls.load(Ordering::SeqCst), 1, "no fetch before the TTL");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(public_of(&*key.signer().await, &new));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn keeps_the_previous_key_when_a_refresh_fails() {
        let old = TestKey::generate();
        let (fetch, _) = store(vec![
            Ok(old.private_pem.clone()),
            Err(KeyError::Unreadable),
            Ok("garbage".into()),
        ]);
        let key = SigningKey::refreshing(fetch, Duration::ZERO, "big_issuer")
            .await
            .unwrap();
        assert!(public_of(&*key.signer().await, &old));
        assert!(public_of(&*key.signer().await, &old));
    }

    #[tokio::test]
    async fn refuses_to_start_without_a_usable_key() {
        let (fetch, _) = store(vec![Err(KeyError::Unreadable)]);
        assert_eq!(
            SigningKey::refreshing(fetch, Duration::ZERO, "x")
                .await
                .err(),
            Some(KeyError::Unreadable)
        );
        let (fetch, _) = store(vec![Ok(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".into(),
        )]);
        assert_eq!(
            SigningKey::refreshing(fetch, Duration::ZERO, "x")
                .await
                .err(),
            Some(KeyError::NotRsaPem)
        );
    }
}
