//! Session requests and the requestor JWTs that carry them to the IRMA server.
//!
//! irmago accepts a requestor JWT when: `alg` is RS256 (the only asymmetric algorithm its
//! `publickey` authentication takes), `iss` names the requestor, `iat` is an integer not in the
//! future and not older than `max_request_age`, `sub` is `verification_request` with
//! `sprequest` or `issue_request` with `iprequest`, and the payload is the extended wrapper
//! `{validity, nextSession?, request}` (irmago `irma/requests.go`, `requestorserver/auth.go`).
//! The header carries no `kid`: irmago would take it as the requestor name.

use std::collections::BTreeMap;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::EncodingKey;
use serde::Serialize;

/// `@context` of a disclosure request (irmago `LDContextDisclosureRequest`).
pub const DISCLOSURE_CONTEXT: &str = "https://irma.app/ld/request/disclosure/v2";
/// `@context` of an issuance request (irmago `LDContextIssuanceRequest`).
pub const ISSUANCE_CONTEXT: &str = "https://irma.app/ld/request/issuance/v2";
/// Lifetime in seconds of the result JWT the IRMA server makes (the wrapper's `validity`).
pub const RESULT_JWT_VALIDITY: u64 = 120;

/// The extended request wrapper: settings for the IRMA server around the session request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExtendedRequest<R> {
    /// Lifetime of the session's result JWT, in seconds.
    pub validity: u64,
    /// Where the IRMA server asks for the next session of a chain (flow A).
    #[serde(rename = "nextSession", skip_serializing_if = "Option::is_none")]
    pub next_session: Option<NextSession>,
    /// The session request itself.
    pub request: R,
}

/// `nextSession`: the URL the IRMA server POSTs the result to for a chained session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextSession {
    /// The disclosure-callback function URL.
    pub url: String,
}

/// A disclosure request (`@context` disclosure v2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisclosureRequest {
    /// Always [`DISCLOSURE_CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// Conjunction of disjunctions of conjunctions of attributes.
    pub disclose: Vec<Vec<Vec<AttributeRequest>>>,
}

/// One requested attribute: any value, or exactly this value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AttributeRequest {
    /// The attribute id: any value will do.
    Any(String),
    /// The attribute must have this value.
    Value {
        /// The attribute id.
        #[serde(rename = "type")]
        id: String,
        /// The required value.
        value: String,
    },
}

/// An issuance request (`@context` issuance v2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuanceRequest {
    /// Always [`ISSUANCE_CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// The credentials to issue, ordered by BIG number.
    pub credentials: Vec<CredentialRequest>,
    /// Attributes the app must disclose before it receives the credentials (flow B).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disclose: Vec<Vec<Vec<AttributeRequest>>>,
}

/// One credential to issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CredentialRequest {
    /// The credential type id, e.g. `pbdf.pbdf.big`.
    pub credential: String,
    /// Expiry as Unix seconds (irmago rounds it down to a week boundary).
    pub validity: i64,
    /// Attribute name to value.
    pub attributes: BTreeMap<String, String>,
}

/// Why a requestor JWT could not be made. Carries no claim values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The key did not sign (an invalid RSA key).
    #[error("the requestor JWT could not be signed")]
    Signing,
}

#[derive(Serialize)]
struct Claims<'a, R> {
    iss: &'a str,
    iat: i64,
    sub: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sprequest: Option<&'a ExtendedRequest<R>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iprequest: Option<&'a ExtendedRequest<R>>,
}

/// Signs session requests as our requestor, with the RSA key the IRMA server knows.
///
/// The key is parsed and checked once; each JWT is then one RSA signature. (The JWT library
/// re-parses its key on every signature, which cost as much as a third of a request: `make
/// bench`.) The JWT itself is three base64url parts, written here.
pub struct RequestorSigner {
    key: RsaKeyPair,
    rng: SystemRandom,
    name: String,
}

/// `{"typ":"JWT","alg":"RS256"}`, base64url: the header irmago expects, without `kid`.
const RS256_HEADER: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9";

impl std::fmt::Debug for RequestorSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestorSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl RequestorSigner {
    /// A signer from a PEM RSA private key (PKCS#1 or PKCS#8). `None`
    /// when the PEM is not such a key; the key's consistency is checked here, so a bad key
    /// fails at start and not on the first request.
    pub fn from_pem(pem: &[u8], requestor_name: &str) -> Option<RequestorSigner> {
        // The JWT library reads both PEM forms and hands out the PKCS#1 key inside.
        let pkcs1 = EncodingKey::from_rsa_pem(pem).ok()?;
        let key = RsaKeyPair::from_der(pkcs1.as_bytes()).ok()?;
        Some(RequestorSigner {
            key,
            rng: SystemRandom::new(),
            name: requestor_name.to_string(),
        })
    }

    /// The requestor name (`iss`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A `verification_request` JWT for a disclosure session, issued at `iat` (Unix seconds).
    pub fn sign_disclosure(
        &self,
        request: &ExtendedRequest<DisclosureRequest>,
        iat: i64,
    ) -> Result<String, SignError> {
        self.sign(&Claims {
            iss: &self.name,
            iat,
            sub: "verification_request",
            sprequest: Some(request),
            iprequest: None,
        })
    }

    /// An `issue_request` JWT for an issuance session, issued at `iat` (Unix seconds).
    pub fn sign_issuance(
        &self,
        request: &ExtendedRequest<IssuanceRequest>,
        iat: i64,
    ) -> Result<String, SignError> {
        self.sign(&Claims {
            iss: &self.name,
            iat,
            sub: "issue_request",
            sprequest: None,
            iprequest: Some(request),
        })
    }

    fn sign<R: Serialize>(&self, claims: &Claims<'_, R>) -> Result<String, SignError> {
        let payload = serde_json::to_vec(claims).map_err(|_| SignError::Signing)?;
        let mut jwt = String::with_capacity(RS256_HEADER.len() + payload.len() * 4 / 3 + 350);
        jwt.push_str(RS256_HEADER);
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut jwt);
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, jwt.as_bytes(), &mut signature)
            .map_err(|_| SignError::Signing)?;
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut jwt);
        Ok(jwt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::TestKey;
    use serde_json::Value;

    #[test]
    fn signs_rs256_jwts_that_irmago_and_any_jwt_library_accept() {
        let key = TestKey::generate();
        let signer = RequestorSigner::from_pem(key.private_pem.as_bytes(), "big_issuer").unwrap();
        let request = ExtendedRequest {
            validity: RESULT_JWT_VALIDITY,
            next_session: Some(NextSession {
                url: "https://cb.example.test/".into(),
            }),
            request: DisclosureRequest {
                context: DISCLOSURE_CONTEXT,
                disclose: vec![],
            },
        };
        let jwt = signer.sign_disclosure(&request, 1_796_000_000).unwrap();
        let header = jsonwebtoken::decode_header(&jwt).unwrap();
        assert_eq!(
            (header.alg, header.kid, header.typ.as_deref()),
            (jsonwebtoken::Algorithm::RS256, None, Some("JWT"))
        );
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        let k = jsonwebtoken::DecodingKey::from_rsa_pem(key.public_pem.as_bytes()).unwrap();
        let claims = jsonwebtoken::decode::<Value>(&jwt, &k, &v).unwrap().claims;
        assert_eq!(claims["iss"], "big_issuer");
        assert_eq!(claims["iat"], 1_796_000_000);
        assert_eq!(claims["sub"], "verification_request");
        assert_eq!(claims["sprequest"]["validity"], 120);
        assert_eq!(
            claims["sprequest"]["nextSession"]["url"],
            "https://cb.example.test/"
        );
        assert!(claims.get("iprequest").is_none());
    }

    #[test]
    fn refuses_keys_that_are_not_rsa_private_keys() {
        let key = TestKey::generate();
        assert!(RequestorSigner::from_pem(key.public_pem.as_bytes(), "x").is_none());
        assert!(RequestorSigner::from_pem(b"garbage", "x").is_none());
        let truncated = key
            .private_pem
            .replace("\n", "")
            .chars()
            .take(300)
            .collect::<String>();
        assert!(RequestorSigner::from_pem(truncated.as_bytes(), "x").is_none());
    }
}
