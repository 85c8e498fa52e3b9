//! The signing key from Secrets Manager (`SIGNING_KEY_SECRET_ID`), end to end: the real
//! `issuance-request` binary against moto's Secrets Manager on 127.0.0.1, the secret written
//! with the operator's `infra/keys.py`. Needs the virtualenv (`make venv`; `make test` makes
//! it) and fails, saying so, without it.

use std::path::Path;
use std::time::Duration;

use big_issuer_devtools::moto::Moto;
use big_issuer_devtools::procs::{Running, start_failing, start_function};
use big_issuer_devtools::stack::Keys;
use serde_json::Value;

const SECRET: &str = "big-issuer/signing-key";

/// The configuration of section 8 with the key from the stand-in; the register is never
/// called by `GET /disclosure-request`, so it points at a closed local port.
fn env(moto: &Moto, secret_id: &str) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("IRMA_SERVER_URL", "https://irma.example.test".to_string()),
        (
            "IRMA_SERVER_PUBLIC_KEY_FILE",
            Keys::get().path("irma.pub.pem"),
        ),
        ("BIG_REGISTER_URL", "http://127.0.0.1:9".into()),
        ("SIGNING_KEY_SECRET_ID", secret_id.to_string()),
        ("SIGNING_KEY_TTL_SECS", "1".into()),
    ];
    env.extend(moto.env());
    env
}

/// A new key pair written by the operator's tool into `dir`, then stored in the secret.
fn rotate_to(moto: &Moto, dir: &Path) -> String {
    let dir = dir.display().to_string();
    moto.keys_tool(&["generate", "--out", &dir, "--bits", "2048"]);
    let private = format!("{dir}/requestor.pem");
    moto.keys_tool(&[
        "put",
        "--secret-id",
        SECRET,
        "--key-file",
        &private,
        "--create",
    ]);
    std::fs::read_to_string(format!("{dir}/requestor.pub.pem")).expect("public key")
}

async fn disclosure_request_jwt(issuance: &Running) -> String {
    let answer = reqwest::get(format!("{}/disclosure-request", issuance.url()))
        .await
        .expect("request");
    assert_eq!(answer.status(), 200, "{}", issuance.log());
    let body: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("JSON");
    body["jwt"].as_str().expect("jwt").to_string()
}

fn verifies_with(jwt: &str, public_pem: &str) -> bool {
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(public_pem.as_bytes()).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .is_ok_and(|t| t.claims["iss"] == "big_issuer")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("big-issuer-sm-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn signs_with_the_key_from_secrets_manager_and_picks_up_a_rotation_after_the_ttl() {
    let moto = Moto::start();
    let (first_dir, second_dir) = (temp_dir("first"), temp_dir("second"));
    let first = rotate_to(&moto, &first_dir);
    let issuance = start_function("issuance-request", &env(&moto, SECRET));

    let jwt = disclosure_request_jwt(&issuance).await;
    assert!(verifies_with(&jwt, &first), "signed with the stored key");

    let second = rotate_to(&moto, &second_dir);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let jwt = disclosure_request_jwt(&issuance).await;
    assert!(
        verifies_with(&jwt, &second),
        "after the TTL the rotated key signs"
    );
    assert!(!verifies_with(&jwt, &first));

    // A store that fails later (here: the secret is gone) must not stop issuance: the key in
    // use stays until the store answers again.
    moto.secretsmanager(&format!(
        "sm.delete_secret(SecretId='{SECRET}', ForceDeleteWithoutRecovery=True)"
    ));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(verifies_with(
        &disclosure_request_jwt(&issuance).await,
        &second
    ));

    let log = issuance.log();
    for pem in [&first_dir, &second_dir].map(|d| d.join("requestor.pem")) {
        let private = std::fs::read_to_string(pem).expect("private key");
        let body_line = private.lines().nth(1).expect("PEM body");
        assert!(
            !log.contains(body_line),
            "the log shows key material:\n{log}"
        );
    }
    let _ = std::fs::remove_dir_all(first_dir);
    let _ = std::fs::remove_dir_all(second_dir);
}

/// What stops the function at start: one line on stderr that names the variable and says
/// what to fix, never the value.
fn start_error(moto: &Moto, secret_id: &str) -> String {
    let (code, stderr) = start_failing("issuance-request", &env(moto, secret_id))
        .wait_exit(Duration::from_secs(20))
        .expect("the function stops at start");
    assert_ne!(code, 0);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    let line = lines[0];
    assert!(
        line.starts_with("configuration error: SIGNING_KEY_SECRET_ID "),
        "{line}"
    );
    assert!(!line.contains(secret_id), "{line}");
    line.to_string()
}

#[tokio::test]
async fn a_missing_or_unusable_secret_stops_the_start_with_one_line_naming_the_variable() {
    let moto = Moto::start();
    let missing = start_error(&moto, "big-issuer/no-such-secret");
    assert!(missing.contains("does not exist"), "{missing}");

    let not_a_key = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVl\n-----END PRIVATE KEY-----\n";
    moto.secretsmanager(&format!(
        "sm.create_secret(Name='big-issuer/not-a-key', SecretString={not_a_key:?})"
    ));
    let garbage = start_error(&moto, "big-issuer/not-a-key");
    assert!(garbage.contains("not an RSA private key"), "{garbage}");
    assert!(!garbage.contains("c2VjcmV0LXZhbHVl"), "{garbage}");

    moto.secretsmanager("sm.create_secret(Name='big-issuer/binary', SecretBinary=b'x')");
    let binary = start_error(&moto, "big-issuer/binary");
    assert!(binary.contains("without a string value"), "{binary}");
}
