//! Test support: RSA keys generated on the spot and session-result JWTs signed with them, so no
//! test depends on a key file or a real IRMA server. Compiled only for tests (feature
//! `testkit`).

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

/// A freshly generated RSA key pair in PEM form.
#[derive(Clone)]
pub struct TestKey {
    /// PKCS#8 `PRIVATE KEY` PEM.
    pub private_pem: String,
    /// SPKI `PUBLIC KEY` PEM.
    pub public_pem: String,
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

impl TestKey {
    /// Generates a 2048-bit RSA key pair.
    pub fn generate() -> TestKey {
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
        let private: Pkcs8V1Der<'static> = pair.as_der().expect("PKCS#8 encoding");
        let public: PublicKeyX509Der<'static> = pair.public_key().as_der().expect("SPKI encoding");
        TestKey {
            private_pem: pem("PRIVATE KEY", private.as_ref()),
            public_pem: pem("PUBLIC KEY", public.as_ref()),
        }
    }

    /// Signs `claims` with RS256 under this key.
    pub fn sign(&self, claims: &Value) -> String {
        let key =
            jsonwebtoken::EncodingKey::from_rsa_pem(self.private_pem.as_bytes()).expect("key");
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
            claims,
            &key,
        )
        .expect("signing")
    }
}

/// An unsigned token with any header, for `alg: none` and similar attacks.
pub fn unsigned_token(header: &Value, claims: &Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// HS256 over `header.claims` with `secret`: the "public key as HMAC secret" attack.
pub fn hs256_token(claims: &Value, secret: &[u8]) -> String {
    let key = jsonwebtoken::EncodingKey::from_secret(secret).expect("hmac key");
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &key,
    )
    .expect("signing")
}

/// The claims of a session result as irmago's IRMA server signs them: `status` DONE,
/// `proofStatus` VALID, every attribute PRESENT, issued at `iat` and expiring 120 s later.
pub fn result_claims(attributes: &[(&str, &str)], iat: i64) -> Value {
    let disclosed: Vec<Value> = attributes
        .iter()
        .map(|(id, value)| {
            json!({
                "id": id,
                "rawvalue": value,
                "value": { "": value, "en": value, "nl": value },
                "status": "PRESENT",
                "issuancetime": 1_766_620_800,
            })
        })
        .collect();
    json!({
        "iss": "irmaserver",
        "sub": "disclosing_result",
        "iat": iat,
        "exp": iat + 120,
        "token": "Z5JmNmXbyQ8XbMiWaJTn",
        "status": "DONE",
        "type": "disclosing",
        "proofStatus": "VALID",
        "disclosed": [disclosed],
    })
}

/// iDIN attribute ids with values, for the credential id `credential`.
pub fn idin_attributes<'a>(
    credential: &str,
    initials: &'a str,
    family_name: &'a str,
    date_of_birth: &'a str,
    gender: &'a str,
) -> Vec<(String, &'a str)> {
    [
        ("initials", initials),
        ("familyname", family_name),
        ("dateofbirth", date_of_birth),
        ("gender", gender),
    ]
    .into_iter()
    .map(|(a, v)| (format!("{credential}.{a}"), v))
    .collect()
}

/// A register answered in-process with SOAP answers written to the WSDL: the query for the
/// person's date of birth gets `real`, any other (the probe) gets `probe`, parsed on every call
/// as a real answer would be. Reference data is unavailable, so codes come from the bundled
/// tables.
pub struct FixtureRegister {
    /// The person's date of birth.
    pub born: time::Date,
    /// The answer to the real query.
    pub real: &'static [u8],
    /// The answer to the probe query.
    pub probe: &'static [u8],
}

impl crate::register::Register for FixtureRegister {
    async fn search(
        &self,
        query: &crate::register::Query,
    ) -> Result<Vec<crate::register::Practitioner>, crate::register::RegisterError> {
        let answer = if query.date_of_birth == self.born {
            self.real
        } else {
            self.probe
        };
        crate::register::soap::parse_list_hcp_approx(answer)
    }

    async fn reference_data(
        &self,
    ) -> Result<crate::register::ReferenceData, crate::register::RegisterError> {
        Err(crate::register::RegisterError::Connect)
    }
}
