//! End to end: the real binaries in local mode, against the register stand-in, spoken to only
//! through the HTTP contract (DESIGN.md sections 7 and 8).

use std::time::{Duration, Instant};

use big_issuer::testkit::{hs256_token, unsigned_token};
use big_issuer_devtools::demo::{DEMO_PERSONS, DemoPerson};
use big_issuer_devtools::procs::start_failing;
use big_issuer_devtools::stack::{Keys, Stack, StackOptions};
use serde_json::{Value, json};

const IDIN: &str = "pbdf.pbdf.idin";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the contract's error answer: status, JSON content type, code and a message.
    fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{code}: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{code}"
        );
        let body = self.json();
        assert_eq!(body["error"], code);
        let message = body["message"].as_str().expect("message");
        assert!(message.ends_with('.') && message.len() > 10, "{message}");
    }
}

async fn send(
    method: &str,
    url: &str,
    body: impl Into<reqwest::Body>,
    headers: &[(&str, &str)],
) -> Answer {
    let client = reqwest::Client::new();
    let mut request = client
        .request(method.parse().expect("method"), url)
        .body(body);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body").to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> Answer {
    send("POST", url, body, &[("content-type", "text/plain")]).await
}

fn jwt_for(person: &DemoPerson) -> String {
    person.result_jwt(&Keys::get().irma, IDIN, now())
}

fn person(label: &str) -> &'static DemoPerson {
    DEMO_PERSONS
        .iter()
        .find(|p| p.label == label)
        .expect("demo person")
}

#[tokio::test]
async fn two_step_flow_gives_every_demo_person_their_outcome() {
    let stack = Stack::start();
    for p in DEMO_PERSONS {
        let answer = post(
            &format!("{}/issuance-request", stack.issuance.url()),
            jwt_for(p),
        )
        .await;
        match p.refusal {
            None => {
                assert_eq!(
                    answer.status,
                    200,
                    "{}: {}",
                    p.label,
                    String::from_utf8_lossy(&answer.body)
                );
                let body = answer.json();
                assert_eq!(body["irma_server_url"], "https://irma.example.test");
                let numbers: Vec<&str> = body["credentials"]
                    .as_array()
                    .expect("credentials")
                    .iter()
                    .map(|c| c["attributes"]["bignumber"].as_str().expect("bignumber"))
                    .collect();
                assert_eq!(numbers, p.issued, "{}", p.label);
            }
            Some(code) => {
                let status = match code {
                    "no-registration" => 404,
                    "ambiguous-registration" => 409,
                    _ => 403,
                };
                answer.assert_error(status, code);
            }
        }
    }
}

#[tokio::test]
async fn chained_flow_answers_issuance_or_204_with_the_outcome() {
    let stack = Stack::start();
    for p in DEMO_PERSONS {
        let mut claims = p.result_claims(IDIN, now());
        claims["status"] = json!("CONNECTED");
        let answer = post(
            &format!("{}/", stack.callback.url()),
            Keys::get().irma.sign(&claims),
        )
        .await;
        match p.refusal {
            None => {
                assert_eq!(answer.status, 200, "{}", p.label);
                let body = answer.json();
                assert_eq!(
                    body["request"]["@context"],
                    "https://irma.app/ld/request/issuance/v2"
                );
                assert!(
                    body["request"].get("disclose").is_none(),
                    "the IRMA server re-discloses by itself"
                );
                let numbers: Vec<&str> = body["request"]["credentials"]
                    .as_array()
                    .expect("credentials")
                    .iter()
                    .map(|c| c["attributes"]["bignumber"].as_str().expect("bignumber"))
                    .collect();
                assert_eq!(numbers, p.issued, "{}", p.label);
            }
            Some(code) => {
                assert_eq!(answer.status, 204, "{}", p.label);
                assert!(answer.body.is_empty());
                assert_eq!(
                    answer.header("big-issuer-outcome"),
                    Some(code),
                    "{}",
                    p.label
                );
            }
        }
    }
}

#[tokio::test]
async fn issued_credentials_carry_the_four_attributes_and_a_capped_validity() {
    let stack = Stack::start();
    let answer = post(
        &format!("{}/issuance-request", stack.issuance.url()),
        jwt_for(person("two professions with specialisms")),
    )
    .await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let creds = body["credentials"].as_array().expect("credentials");
    assert_eq!(creds[0]["credential"], "pbdf.pbdf.big");
    assert_eq!(
        creds[0]["attributes"],
        json!({"bignumber": "29021814501", "startdate": "01-09-1992", "profession": "Arts", "specialism": "Interne geneeskunde;Maag-darm-leverziekten"})
    );
    assert_eq!(creds[1]["attributes"]["profession"], "Verpleegkundige");
    let validity = creds[0]["validity"].as_i64().expect("integer validity");
    let year = now() + 365 * 86_400;
    assert!((year - 5..=year + 5).contains(&validity), "{validity}");

    // The issuance JWT: signed with our key, sub issue_request, and it re-requires the same
    // identity values so the credentials land only in the app that proved them.
    let jwt = body["jwt"].as_str().expect("jwt");
    let claims = verify_requestor_jwt(jwt);
    assert_eq!(claims["sub"], "issue_request");
    assert_eq!(claims["iprequest"]["validity"], 120);
    let request = &claims["iprequest"]["request"];
    assert_eq!(request["credentials"], body["credentials"]);
    let disclose = request["disclose"][0][0].as_array().expect("disclose");
    assert_eq!(disclose.len(), 4);
    assert!(
        disclose
            .iter()
            .any(|a| a["type"] == "pbdf.pbdf.idin.familyname" && a["value"] == "Visser")
    );
}

fn verify_requestor_jwt(jwt: &str) -> Value {
    let header = jsonwebtoken::decode_header(jwt).expect("header");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(
        header.kid, None,
        "irmago would take a kid as the requestor name"
    );
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(Keys::get().requestor.public_pem.as_bytes())
        .expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .expect("valid signature")
        .claims;
    assert_eq!(claims["iss"], "big_issuer");
    let iat = claims["iat"].as_i64().expect("integer iat");
    assert!(claims["iat"].is_i64());
    assert!(
        (now() - 5..=now()).contains(&iat),
        "iat {iat} must be now and never in the future"
    );
    claims
}

#[tokio::test]
async fn disclosure_request_follows_irmagos_rules_with_next_session_when_configured() {
    let stack = Stack::start();
    let answer = send(
        "GET",
        &format!("{}/disclosure-request", stack.issuance.url()),
        "",
        &[],
    )
    .await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["irma_server_url"], "https://irma.example.test");
    let claims = verify_requestor_jwt(body["jwt"].as_str().expect("jwt"));
    assert_eq!(claims["sub"], "verification_request");
    let sp = &claims["sprequest"];
    assert_eq!(sp["validity"], 120);
    assert_eq!(
        sp["nextSession"]["url"],
        format!("{}/", stack.callback.url())
    );
    assert_eq!(
        sp["request"]["@context"],
        "https://irma.app/ld/request/disclosure/v2"
    );
    let options = sp["request"]["disclose"][0]
        .as_array()
        .expect("one disjunction");
    assert_eq!(options.len(), 4, "one option per enabled source");
    assert_eq!(
        options[0],
        json!([
            "pbdf.pbdf.idin.initials",
            "pbdf.pbdf.idin.familyname",
            "pbdf.pbdf.idin.dateofbirth",
            "pbdf.pbdf.idin.gender"
        ])
    );
    assert_eq!(options[1][2], "pbdf.gemeente.personalData.familyname");
    assert_eq!(options[2][0], "pbdf.pbdf.passport.firstName");
}

#[tokio::test]
async fn disclosure_request_has_no_next_session_without_a_callback_url() {
    let stack = Stack::start_with(StackOptions {
        chained: false,
        ..Default::default()
    });
    let answer = send(
        "GET",
        &format!("{}/disclosure-request", stack.issuance.url()),
        "",
        &[],
    )
    .await;
    let claims = verify_requestor_jwt(answer.json()["jwt"].as_str().expect("jwt"));
    assert!(claims["sprequest"].get("nextSession").is_none());
}

#[tokio::test]
async fn every_invalid_request_and_disclosure_gets_its_code_from_both_functions() {
    let stack = Stack::start();
    let keys = Keys::get();
    let p = person("one profession, prefixed surname");
    let good = p.result_claims(IDIN, now());
    let mut wrong_type = good.clone();
    wrong_type["type"] = json!("signing");
    let mut expired = good.clone();
    expired["exp"] = json!(now() - 10);
    let mut old = good.clone();
    old["iat"] = json!(now() - 400);
    old["exp"] = json!(now() + 100);
    let mut future = good.clone();
    future["iat"] = json!(now() + 120);
    future["exp"] = json!(now() + 240);
    let mut wrong_issuer = good.clone();
    wrong_issuer["iss"] = json!("someone-else");
    let mut bad_date = good.clone();
    bad_date["disclosed"][0][2]["rawvalue"] = json!("1970-20-02");
    let demo_credential = p.result_claims("irma-demo.idin.idin", now());
    let mut mixed = good.clone();
    mixed["disclosed"][0][3]["id"] = json!("pbdf.pbdf.passport.gender");
    let token = keys.irma.sign(&good);
    let truncated = token[..token.len() - 20].to_string();

    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("empty body", vec![], 400, "invalid-request"),
        (
            "not UTF-8",
            vec![0xff, 0xfe, 0x00, 0x80],
            400,
            "invalid-request",
        ),
        ("not a JWT", b"hello world".to_vec(), 400, "invalid-request"),
        (
            "alg none",
            unsigned_token(&json!({"alg": "none"}), &good, "").into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "HS256 with the public key",
            hs256_token(&good, keys.irma.public_pem.as_bytes()).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "foreign key",
            keys.foreign.sign(&good).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "truncated",
            truncated.into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "wrong issuer",
            keys.irma.sign(&wrong_issuer).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "signing session",
            keys.irma.sign(&wrong_type).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "irma-demo credential in production configuration",
            keys.irma.sign(&demo_credential).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "mixed sources",
            keys.irma.sign(&mixed).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "expired",
            keys.irma.sign(&expired).into_bytes(),
            401,
            "disclosure-expired",
        ),
        (
            "too old",
            keys.irma.sign(&old).into_bytes(),
            401,
            "disclosure-expired",
        ),
        (
            "from the future",
            keys.irma.sign(&future).into_bytes(),
            401,
            "disclosure-expired",
        ),
    ];
    for (name, body, status, code) in cases {
        let answer = post(
            &format!("{}/issuance-request", stack.issuance.url()),
            body.clone(),
        )
        .await;
        assert_eq!(answer.json()["error"], code, "issuance-request: {name}");
        answer.assert_error(status, code);
        let answer = post(&format!("{}/", stack.callback.url()), body).await;
        assert_eq!(answer.json()["error"], code, "callback: {name}");
        answer.assert_error(status, code);
    }

    // A valid disclosure of an unusable identity is a refusal of the person: 422, or 204 from
    // the callback.
    let answer = post(
        &format!("{}/issuance-request", stack.issuance.url()),
        keys.irma.sign(&bad_date),
    )
    .await;
    answer.assert_error(422, "unusable-identity");
    let answer = post(
        &format!("{}/", stack.callback.url()),
        keys.irma.sign(&bad_date),
    )
    .await;
    assert_eq!(
        (answer.status, answer.header("big-issuer-outcome")),
        (204, Some("unusable-identity"))
    );
}

#[tokio::test]
async fn a_register_that_ignores_the_date_filter_is_unverifiable() {
    let stack = Stack::start_with(StackOptions {
        register_behaviour: "ignore-date-of-birth",
        ..Default::default()
    });
    let jwt = jwt_for(person("one profession, prefixed surname"));
    post(
        &format!("{}/issuance-request", stack.issuance.url()),
        jwt.clone(),
    )
    .await
    .assert_error(503, "big-unverifiable");
    let answer = post(&format!("{}/", stack.callback.url()), jwt).await;
    assert_eq!(
        (answer.status, answer.header("big-issuer-outcome")),
        (204, Some("big-unverifiable"))
    );
}

#[tokio::test]
async fn every_misbehaving_register_ends_as_big_unavailable_within_the_budget() {
    // The stack's budget is 1.5 s (BIG_REGISTER_TIMEOUT_MS); an answer must come well before
    // an IRMA server gives up on the callback.
    let behaviours = [
        "fault",
        "status-500-empty",
        "garbage",
        "doctype",
        "huge",
        "hang",
        "slow-drip",
    ];
    for behaviour in behaviours {
        let stack = Stack::start_with(StackOptions {
            register_behaviour: behaviour,
            ..Default::default()
        });
        let jwt = jwt_for(person("one profession, prefixed surname"));
        let started = Instant::now();
        post(
            &format!("{}/issuance-request", stack.issuance.url()),
            jwt.clone(),
        )
        .await
        .assert_error(503, "big-unavailable");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{behaviour}: {:?}",
            started.elapsed()
        );
        let started = Instant::now();
        let answer = post(&format!("{}/", stack.callback.url()), jwt).await;
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{behaviour}: {:?}",
            started.elapsed()
        );
        assert_eq!(
            (answer.status, answer.header("big-issuer-outcome")),
            (204, Some("big-unavailable")),
            "{behaviour}"
        );
        // Still serving, and it never panicked.
        assert_eq!(
            send("GET", &format!("{}/health", stack.issuance.url()), "", &[])
                .await
                .status,
            200,
            "{behaviour}"
        );
        assert!(
            !stack.logs().contains("panicked"),
            "{behaviour}: {}",
            stack.logs()
        );
    }
}

#[tokio::test]
async fn an_unreachable_register_is_unavailable() {
    let closed = big_issuer_devtools::procs::free_port();
    let stack = Stack::start_with(StackOptions {
        env: vec![("BIG_REGISTER_URL", format!("http://127.0.0.1:{closed}"))],
        ..Default::default()
    });
    let jwt = jwt_for(person("one profession, prefixed surname"));
    post(&format!("{}/issuance-request", stack.issuance.url()), jwt)
        .await
        .assert_error(503, "big-unavailable");
}

#[tokio::test]
async fn hostile_bodies_end_with_their_contract_code() {
    let stack = Stack::start();
    let keys = Keys::get();
    let p = person("one profession, prefixed surname");
    let mut huge = p.result_claims(IDIN, now());
    huge["padding"] = json!("x".repeat(40_000));
    let mut nested = p.result_claims(IDIN, now());
    let mut deep = json!(1);
    for _ in 0..500 {
        deep = json!([deep]);
    }
    nested["disclosed"] = deep;
    let mut many = p.result_claims(IDIN, now());
    let attribute = many["disclosed"][0][0].clone();
    many["disclosed"] = json!([vec![attribute; 150]]);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "huge but valid claims",
            keys.irma.sign(&huge).into_bytes(),
            200,
            "",
        ),
        (
            "deeply nested claims",
            keys.irma.sign(&nested).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        (
            "one attribute many times",
            keys.irma.sign(&many).into_bytes(),
            401,
            "invalid-disclosure",
        ),
        ("three dots", b"...".to_vec(), 400, "invalid-request"),
        (
            "binary",
            (0u8..=255).cycle().take(5000).collect(),
            400,
            "invalid-request",
        ),
        (
            "JSON object",
            br#"{"jwt": "eyJ"}"#.to_vec(),
            400,
            "invalid-request",
        ),
        (
            "header not JSON",
            b"bm90IGpzb24.e30.c2ln".to_vec(),
            400,
            "invalid-request",
        ),
        (
            "quoted JWT",
            format!("\"{}\"", jwt_for(p)).into_bytes(),
            200,
            "",
        ),
    ];
    for (name, body, status, code) in cases {
        let answer = post(&format!("{}/issuance-request", stack.issuance.url()), body).await;
        if status == 200 {
            assert_eq!(
                answer.status,
                200,
                "{name}: {}",
                String::from_utf8_lossy(&answer.body)
            );
        } else {
            assert_eq!(answer.json()["error"], code, "{name}");
            answer.assert_error(status, code);
        }
    }
}

#[tokio::test]
async fn routes_methods_and_body_limit_follow_the_contract() {
    let stack = Stack::start();
    let issuance = stack.issuance.url();
    let callback = stack.callback.url();
    send("GET", &format!("{issuance}/nope"), "", &[])
        .await
        .assert_error(404, "not-found");
    send("GET", &format!("{callback}/nope"), "", &[])
        .await
        .assert_error(404, "not-found");
    send("POST", &format!("{issuance}/disclosure-request"), "", &[])
        .await
        .assert_error(405, "method-not-allowed");
    send("GET", &format!("{issuance}/issuance-request"), "", &[])
        .await
        .assert_error(405, "method-not-allowed");
    send("GET", &format!("{callback}/"), "", &[])
        .await
        .assert_error(405, "method-not-allowed");
    send("DELETE", &format!("{callback}/health"), "", &[])
        .await
        .assert_error(405, "method-not-allowed");
    let big = vec![b'a'; 64 * 1024 + 1];
    post(&format!("{issuance}/issuance-request"), big.clone())
        .await
        .assert_error(413, "payload-too-large");
    post(&format!("{callback}/"), big)
        .await
        .assert_error(413, "payload-too-large");
    // Every body over the limit, whatever the route or method.
    let big = vec![b'a'; 64 * 1024 + 1];
    send(
        "GET",
        &format!("{issuance}/disclosure-request"),
        big.clone(),
        &[],
    )
    .await
    .assert_error(413, "payload-too-large");
    send("POST", &format!("{issuance}/nope"), big.clone(), &[])
        .await
        .assert_error(413, "payload-too-large");
    send("GET", &format!("{callback}/health"), big, &[])
        .await
        .assert_error(413, "payload-too-large");
    let just_fits = vec![b'a'; 64 * 1024];
    post(&format!("{issuance}/issuance-request"), just_fits)
        .await
        .assert_error(400, "invalid-request");
    for url in [&issuance, &callback] {
        let health = send("GET", &format!("{url}/health"), "", &[]).await;
        assert_eq!(health.status, 200);
        assert_eq!(
            health.json(),
            json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
        );
    }
}

#[tokio::test]
async fn cors_grants_configured_origins_only() {
    let stack = Stack::start();
    let url = format!("{}/issuance-request", stack.issuance.url());
    let preflight = [
        ("origin", "https://page.example.test"),
        ("access-control-request-method", "POST"),
    ];
    let answer = send("OPTIONS", &url, "", &preflight).await;
    assert_eq!(answer.status, 204);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://page.example.test")
    );
    assert!(
        answer
            .header("access-control-allow-methods")
            .is_some_and(|m| m.contains("POST"))
    );
    assert!(
        answer
            .header("access-control-allow-headers")
            .is_some_and(|h| h.contains("content-type"))
    );

    let refused = [
        ("origin", "https://evil.example.test"),
        ("access-control-request-method", "POST"),
    ];
    let answer = send("OPTIONS", &url, "", &refused).await;
    assert_eq!(answer.header("access-control-allow-origin"), None);
    assert_eq!(answer.header("access-control-allow-methods"), None);

    let get = send(
        "GET",
        &format!("{}/disclosure-request", stack.issuance.url()),
        "",
        &[("origin", "https://page.example.test")],
    )
    .await;
    assert_eq!(
        get.header("access-control-allow-origin"),
        Some("https://page.example.test")
    );
    let error = post(&url, "x").await;
    assert_eq!(error.header("access-control-allow-origin"), None);
    let error = send(
        "POST",
        &url,
        "x",
        &[("origin", "https://page.example.test")],
    )
    .await;
    assert_eq!(
        error.header("access-control-allow-origin"),
        Some("https://page.example.test"),
        "errors must be readable by the page"
    );

    // The callback is server to server: no CORS at all.
    let answer = send(
        "OPTIONS",
        &format!("{}/", stack.callback.url()),
        "",
        &preflight,
    )
    .await;
    assert_eq!(answer.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn logs_of_full_flows_carry_no_personal_data() {
    let stack = Stack::start();
    for p in DEMO_PERSONS {
        post(
            &format!("{}/issuance-request", stack.issuance.url()),
            jwt_for(p),
        )
        .await;
        let mut claims = p.result_claims(IDIN, now());
        claims["status"] = json!("CONNECTED");
        post(
            &format!("{}/", stack.callback.url()),
            Keys::get().irma.sign(&claims),
        )
        .await;
    }
    let logs = stack.logs();
    assert!(
        logs.lines().filter(|l| l.contains("request")).count() >= 2 * DEMO_PERSONS.len(),
        "{logs}"
    );
    for p in DEMO_PERSONS {
        let surname = p.family_name.rsplit(' ').next().unwrap_or(p.family_name);
        for value in [p.family_name, surname, p.initials, p.date_of_birth] {
            assert!(!logs.contains(value), "log shows {value:?}:\n{logs}");
        }
        for number in p.issued {
            assert!(!logs.contains(number), "log shows a BIG number:\n{logs}");
        }
    }
    assert!(!logs.contains("eyJ"), "log shows a JWT");
    assert!(
        logs.contains("outcome=ambiguous-registration") && logs.contains("source=idin"),
        "{logs}"
    );
}

#[test]
fn a_missing_variable_stops_the_function_with_one_line_naming_it() {
    let keys = Keys::get();
    let env = vec![
        ("IRMA_SERVER_PUBLIC_KEY_FILE", keys.path("irma.pub.pem")),
        ("SIGNING_KEY_FILE", keys.path("requestor.pem")),
        ("PORT", "1".to_string()),
    ];
    for function in ["issuance-request", "disclosure-callback"] {
        let (code, stderr) = start_failing(function, &env)
            .wait_exit(Duration::from_secs(10))
            .expect("exits");
        assert_ne!(code, 0);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("IRMA_SERVER_URL"), "{stderr}");
    }
    let env = vec![
        ("IRMA_SERVER_URL", "https://irma.example.test".to_string()),
        (
            "IRMA_SERVER_PUBLIC_KEY",
            "-----BEGIN PUBLIC KEY-----\nc2VjcmV0\n-----END PUBLIC KEY-----".to_string(),
        ),
        ("SIGNING_KEY_FILE", keys.path("requestor.pem")),
        ("PORT", "1".to_string()),
    ];
    let (code, stderr) = start_failing("issuance-request", &env)
        .wait_exit(Duration::from_secs(10))
        .expect("exits");
    assert_ne!(code, 0);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("IRMA_SERVER_PUBLIC_KEY") && !stderr.contains("c2VjcmV0"),
        "{stderr}"
    );
}
