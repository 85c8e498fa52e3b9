//! Verifying the IRMA server's session-result JWT and reading the disclosure out of it.
//!
//! The result JWT (irmago `irma/server/api.go`, `ResultJwt`) carries the `SessionResult`
//! fields as claims next to `iss`, `iat`, `exp` and `sub` = `disclosing_result`. The server sends
//! `status` CONNECTED to a chained next session and DONE afterwards.
//!
//! Time is a parameter (`now`), so every expiry rule is testable without a clock. The previous
//! BIG issuer accepted only results younger than 60 s and broke on clock skew; here the maximum
//! age is configurable and only `iat` in the future gets the fixed 60 s skew allowance.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::{DisclosedAttribute, Disclosure};

/// Allowed clock difference for an `iat` in the future.
pub const IAT_SKEW_SECS: i64 = 60;

/// Why a body is not an acceptable disclosure. No variant carries a claim value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DisclosureError {
    /// The body is not a JWT at all (`invalid-request`).
    #[error("the body is not a JWT")]
    NotAJwt,
    /// A JWT, but not a valid disclosure (`invalid-disclosure`).
    #[error("the session result is not a valid disclosure: {0}")]
    Invalid(InvalidReason),
    /// A valid disclosure, but out of its time (`disclosure-expired`).
    #[error("the session result is out of date: {0}")]
    Expired(ExpiredReason),
}

/// What makes a result JWT an invalid disclosure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidReason {
    /// `alg` is not RS256 (`none`, HS256, ...).
    #[error("algorithm other than RS256")]
    Algorithm,
    /// The signature does not verify with the IRMA server's key.
    #[error("bad signature")]
    Signature,
    /// The claims are not a session result.
    #[error("claims are not a session result")]
    Claims,
    /// `iss` is not the configured IRMA server.
    #[error("wrong issuer")]
    Issuer,
    /// `sub` is not `disclosing_result`.
    #[error("wrong subject")]
    Subject,
    /// `type` is not `disclosing`.
    #[error("session type is not disclosing")]
    SessionType,
    /// `status` is neither DONE nor CONNECTED.
    #[error("session status is not DONE or CONNECTED")]
    Status,
    /// `proofStatus` is not VALID.
    #[error("proof status is not VALID")]
    ProofStatus,
    /// An attribute's status is not PRESENT, or it has no value.
    #[error("an attribute is not PRESENT")]
    AttributeNotPresent,
}

/// What makes a result JWT out of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExpiredReason {
    /// `exp` has passed.
    #[error("exp has passed")]
    Expired,
    /// `iat` is older than the configured maximum age.
    #[error("iat is older than the maximum age")]
    TooOld,
    /// `iat` is in the future beyond the allowed skew.
    #[error("iat is in the future")]
    IssuedInFuture,
}

/// The `alg` of anything shaped like a JWT (three base64url parts, a JSON header). Read by
/// hand because the JWT library cannot even parse `alg: none`, which must be refused as a
/// disclosure with the wrong algorithm, not as a body that is no JWT.
fn header_alg(token: &str) -> Result<String, DisclosureError> {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, _signature] = parts[..] else {
        return Err(DisclosureError::NotAJwt);
    };
    let base64url = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if header.is_empty() || payload.is_empty() || !parts.iter().all(|p| base64url(p)) {
        return Err(DisclosureError::NotAJwt);
    }
    let json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| DisclosureError::NotAJwt)?;
    let header: Header = serde_json::from_slice(&json).map_err(|_| DisclosureError::NotAJwt)?;
    Ok(header.alg)
}

#[derive(Deserialize)]
struct ResultClaims {
    iss: Option<String>,
    sub: Option<String>,
    iat: Option<i64>,
    exp: Option<i64>,
    #[serde(rename = "type")]
    session_type: Option<String>,
    status: Option<String>,
    #[serde(rename = "proofStatus")]
    proof_status: Option<String>,
    #[serde(default)]
    disclosed: Vec<Vec<ResultAttribute>>,
}

#[derive(Deserialize)]
struct ResultAttribute {
    id: String,
    rawvalue: Option<String>,
    status: String,
}

/// Verifies session-result JWTs from the configured IRMA server.
pub struct ResultVerifier {
    key: DecodingKey,
    issuer: String,
    max_age_secs: i64,
    validation: Validation,
}

impl std::fmt::Debug for ResultVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultVerifier")
            .field("issuer", &self.issuer)
            .field("max_age_secs", &self.max_age_secs)
            .finish_non_exhaustive()
    }
}

impl ResultVerifier {
    /// A verifier for the IRMA server's PEM public key (SPKI). `None` when the PEM is not an
    /// RSA public key.
    pub fn from_pem(
        public_key_pem: &[u8],
        issuer: &str,
        max_age_secs: u64,
    ) -> Option<ResultVerifier> {
        let key = DecodingKey::from_rsa_pem(public_key_pem).ok()?;
        let mut validation = Validation::new(Algorithm::RS256);
        // Claims are checked below against the caller's `now`, not the library's clock.
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        Some(ResultVerifier {
            key,
            issuer: issuer.to_string(),
            max_age_secs: i64::try_from(max_age_secs).unwrap_or(i64::MAX),
            validation,
        })
    }

    /// Verifies `token` at `now` (Unix seconds) and returns what it disclosed.
    pub fn verify(&self, token: &str, now: i64) -> Result<Disclosure, DisclosureError> {
        use DisclosureError::Invalid;
        use jsonwebtoken::errors::ErrorKind;

        let token = token.trim();
        if header_alg(token)? != "RS256" {
            return Err(Invalid(InvalidReason::Algorithm));
        }
        let data = jsonwebtoken::decode::<ResultClaims>(token, &self.key, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidAlgorithm => Invalid(InvalidReason::Algorithm),
                ErrorKind::Json(_) | ErrorKind::InvalidClaimFormat(_) => {
                    Invalid(InvalidReason::Claims)
                }
                _ => Invalid(InvalidReason::Signature),
            })?;
        self.check(data.claims, now)
    }

    /// The checks after the signature, on the claims as JSON: what the IRMA server says about
    /// the session. Separate so the claims parser can be fuzzed without a signature.
    pub fn check_claims(&self, json: &[u8], now: i64) -> Result<Disclosure, DisclosureError> {
        let claims: ResultClaims = serde_json::from_slice(json)
            .map_err(|_| DisclosureError::Invalid(InvalidReason::Claims))?;
        self.check(claims, now)
    }

    fn check(&self, claims: ResultClaims, now: i64) -> Result<Disclosure, DisclosureError> {
        use DisclosureError::{Expired, Invalid};

        if claims.iss.as_deref() != Some(self.issuer.as_str()) {
            return Err(Invalid(InvalidReason::Issuer));
        }
        if claims.sub.as_deref() != Some("disclosing_result") {
            return Err(Invalid(InvalidReason::Subject));
        }
        let iat = claims.iat.ok_or(Invalid(InvalidReason::Claims))?;
        if claims.exp.is_some_and(|exp| now > exp) {
            return Err(Expired(ExpiredReason::Expired));
        }
        if iat > now.saturating_add(IAT_SKEW_SECS) {
            return Err(Expired(ExpiredReason::IssuedInFuture));
        }
        if now.saturating_sub(iat) > self.max_age_secs {
            return Err(Expired(ExpiredReason::TooOld));
        }
        if claims.session_type.as_deref() != Some("disclosing") {
            return Err(Invalid(InvalidReason::SessionType));
        }
        if !matches!(claims.status.as_deref(), Some("DONE" | "CONNECTED")) {
            return Err(Invalid(InvalidReason::Status));
        }
        if claims.proof_status.as_deref() != Some("VALID") {
            return Err(Invalid(InvalidReason::ProofStatus));
        }
        let mut attributes = Vec::new();
        for attr in claims.disclosed.into_iter().flatten() {
            match (attr.status.as_str(), attr.rawvalue) {
                ("PRESENT", Some(value)) => {
                    attributes.push(DisclosedAttribute { id: attr.id, value })
                }
                _ => return Err(Invalid(InvalidReason::AttributeNotPresent)),
            }
        }
        Ok(Disclosure { attributes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{TestKey, hs256_token, result_claims, unsigned_token};
    use serde_json::{Value, json};
    use std::sync::OnceLock;

    const NOW: i64 = 1_796_000_000;

    fn keys() -> &'static (TestKey, TestKey) {
        static KEYS: OnceLock<(TestKey, TestKey)> = OnceLock::new();
        KEYS.get_or_init(|| (TestKey::generate(), TestKey::generate()))
    }

    fn verifier() -> ResultVerifier {
        ResultVerifier::from_pem(keys().0.public_pem.as_bytes(), "irmaserver", 300).unwrap()
    }

    fn claims() -> Value {
        result_claims(
            &[
                ("pbdf.pbdf.idin.initials", "J."),
                ("pbdf.pbdf.idin.familyname", "Jansen"),
            ],
            NOW - 5,
        )
    }

    fn with(mut claims: Value, key: &str, value: Value) -> Value {
        claims[key] = value;
        claims
    }

    fn verify(token: &str) -> Result<Disclosure, DisclosureError> {
        verifier().verify(token, NOW)
    }

    #[test]
    fn accepts_a_valid_done_or_connected_result() {
        let d = verify(&keys().0.sign(&claims())).unwrap();
        assert_eq!(d.attributes.len(), 2);
        assert_eq!(d.attributes[0].id, "pbdf.pbdf.idin.initials");
        assert_eq!(d.attributes[0].value, "J.");
        let connected = with(claims(), "status", json!("CONNECTED"));
        assert!(verify(&keys().0.sign(&connected)).is_ok());
    }

    #[test]
    fn refuses_each_invalid_disclosure_with_its_reason() {
        use InvalidReason::*;
        let key = &keys().0;
        let mut not_present = claims();
        not_present["disclosed"][0][1]["status"] = json!("NULL");
        let mut null_value = claims();
        null_value["disclosed"][0][1]["rawvalue"] = Value::Null;
        let mut extra = claims();
        extra["disclosed"][0][1]["status"] = json!("EXTRA");
        let mut no_sub = claims();
        no_sub.as_object_mut().unwrap().remove("sub");
        let cases: Vec<(&str, String, InvalidReason)> = vec![
            (
                "wrong iss",
                key.sign(&with(claims(), "iss", json!("other"))),
                Issuer,
            ),
            (
                "wrong sub",
                key.sign(&with(claims(), "sub", json!("signing_result"))),
                Subject,
            ),
            ("missing sub", key.sign(&no_sub), Subject),
            (
                "signing type",
                key.sign(&with(claims(), "type", json!("signing"))),
                SessionType,
            ),
            (
                "issuing type",
                key.sign(&with(claims(), "type", json!("issuing"))),
                SessionType,
            ),
            (
                "cancelled",
                key.sign(&with(claims(), "status", json!("CANCELLED"))),
                Status,
            ),
            (
                "timeout",
                key.sign(&with(claims(), "status", json!("TIMEOUT"))),
                Status,
            ),
            (
                "proof invalid",
                key.sign(&with(claims(), "proofStatus", json!("INVALID"))),
                ProofStatus,
            ),
            (
                "proof expired",
                key.sign(&with(claims(), "proofStatus", json!("EXPIRED"))),
                ProofStatus,
            ),
            (
                "no proofStatus",
                key.sign(&with(claims(), "proofStatus", Value::Null)),
                ProofStatus,
            ),
            (
                "attribute NULL",
                key.sign(&not_present),
                AttributeNotPresent,
            ),
            ("attribute EXTRA", key.sign(&extra), AttributeNotPresent),
            ("rawvalue null", key.sign(&null_value), AttributeNotPresent),
            ("foreign key", keys().1.sign(&claims()), Signature),
            (
                "disclosed not a list",
                key.sign(&with(claims(), "disclosed", json!("x"))),
                Claims,
            ),
            (
                "iat a string",
                key.sign(&with(claims(), "iat", json!("now"))),
                Claims,
            ),
            (
                "no iat",
                key.sign(&with(claims(), "iat", Value::Null)),
                Claims,
            ),
        ];
        for (name, token, reason) in cases {
            assert_eq!(
                verify(&token),
                Err(DisclosureError::Invalid(reason)),
                "{name}"
            );
        }
    }

    #[test]
    fn refuses_alg_none_and_hs256_signed_with_the_public_key() {
        let none = unsigned_token(&json!({"alg": "none", "typ": "JWT"}), &claims(), "");
        assert_eq!(
            verify(&none),
            Err(DisclosureError::Invalid(InvalidReason::Algorithm))
        );
        let hs = hs256_token(&claims(), keys().0.public_pem.as_bytes());
        assert_eq!(
            verify(&hs),
            Err(DisclosureError::Invalid(InvalidReason::Algorithm))
        );
        let rs384 = unsigned_token(&json!({"alg": "RS384"}), &claims(), "c2ln");
        assert_eq!(
            verify(&rs384),
            Err(DisclosureError::Invalid(InvalidReason::Algorithm))
        );
    }

    #[test]
    fn refuses_a_truncated_or_tampered_token() {
        let token = keys().0.sign(&claims());
        let truncated = &token[..token.len() - 10];
        assert_eq!(
            verify(truncated),
            Err(DisclosureError::Invalid(InvalidReason::Signature))
        );
        let (head, _) = token.rsplit_once('.').unwrap();
        let (header, _) = head.split_once('.').unwrap();
        let mut forged_claims = claims();
        forged_claims["disclosed"][0][1]["rawvalue"] = json!("Pietersen");
        let tampered = format!(
            "{header}.{}.{}",
            URL_SAFE_NO_PAD.encode(forged_claims.to_string()),
            token.rsplit_once('.').unwrap().1
        );
        assert_eq!(
            verify(&tampered),
            Err(DisclosureError::Invalid(InvalidReason::Signature))
        );
    }

    #[test]
    fn refuses_bodies_that_are_not_jwts_as_not_a_jwt() {
        for body in [
            "",
            "hello",
            "a.b",
            "a.b.c.d",
            "{\"jwt\": 1}",
            "!!.??.**",
            "e30.e30",
            "bm90IGpzb24.e30.c2ln",
        ] {
            assert_eq!(verify(body), Err(DisclosureError::NotAJwt), "{body}");
        }
    }

    #[test]
    fn refuses_results_out_of_their_time() {
        use ExpiredReason::*;
        let key = &keys().0;
        let expired = with(claims(), "exp", json!(NOW - 1));
        assert_eq!(
            verify(&key.sign(&expired)),
            Err(DisclosureError::Expired(Expired))
        );
        let old = with(with(claims(), "iat", json!(NOW - 301)), "exp", Value::Null);
        assert_eq!(
            verify(&key.sign(&old)),
            Err(DisclosureError::Expired(TooOld))
        );
        let future = with(
            with(claims(), "iat", json!(NOW + 61)),
            "exp",
            json!(NOW + 200),
        );
        assert_eq!(
            verify(&key.sign(&future)),
            Err(DisclosureError::Expired(IssuedInFuture))
        );
    }

    #[test]
    fn tolerates_sixty_seconds_of_clock_skew_and_the_configured_age() {
        let key = &keys().0;
        let ahead = with(
            with(claims(), "iat", json!(NOW + 60)),
            "exp",
            json!(NOW + 180),
        );
        assert!(verify(&key.sign(&ahead)).is_ok());
        let at_max_age = with(with(claims(), "iat", json!(NOW - 300)), "exp", Value::Null);
        assert!(verify(&key.sign(&at_max_age)).is_ok());
        let lenient =
            ResultVerifier::from_pem(key.public_pem.as_bytes(), "irmaserver", 3600).unwrap();
        let hour_old = with(with(claims(), "iat", json!(NOW - 3000)), "exp", Value::Null);
        assert!(lenient.verify(&key.sign(&hour_old), NOW).is_ok());
    }

    #[test]
    fn refuses_a_public_key_that_is_not_rsa_pem() {
        assert!(ResultVerifier::from_pem(b"not a key", "irmaserver", 300).is_none());
    }

    #[test]
    fn errors_never_show_claim_values() {
        for e in [
            DisclosureError::NotAJwt,
            DisclosureError::Invalid(InvalidReason::Issuer),
            DisclosureError::Expired(ExpiredReason::TooOld),
        ] {
            let text = format!("{e} {e:?}");
            assert!(
                !text.contains("Jansen") && !text.contains("irmaserver"),
                "{text}"
            );
        }
    }
}
