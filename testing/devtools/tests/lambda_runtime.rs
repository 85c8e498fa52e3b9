//! The artifact AWS runs: each built binary in Lambda mode under an emulation of the Runtime
//! API, fed real function-URL events (payload format 2.0), GET and POST, base64 bodies too.

use std::time::Duration;

use big_issuer_devtools::demo::DEMO_PERSONS;
use big_issuer_devtools::lambda_emulator::{LambdaEmulator, function_url_event};
use big_issuer_devtools::procs::{start_lambda, start_standin};
use big_issuer_devtools::stack::{Keys, function_env};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

fn env(register: &str) -> Vec<(&'static str, String)> {
    let mut env = function_env(register);
    env.push(("ALLOWED_ORIGINS", "https://page.example.test".into()));
    env
}

fn body_json(response: &Value) -> Value {
    let body = response["body"].as_str().unwrap_or("");
    serde_json::from_str(body).unwrap_or(Value::Null)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test]
async fn issuance_request_answers_function_url_events_under_the_runtime_api() {
    let register = start_standin(&[]);
    let emulator = LambdaEmulator::start().await;
    let function = start_lambda(
        "issuance-request",
        &emulator.runtime_api(),
        &env(&register.url()),
    );

    let health = emulator
        .invoke(
            function_url_event("GET", "/health", &[], None, false),
            TIMEOUT,
        )
        .await;
    let health = health.unwrap_or_else(|e| panic!("{e}\n{}", function.log()));
    assert_eq!(health["statusCode"], 200);
    assert_eq!(body_json(&health)["status"], "ok");

    let disclosure = emulator
        .invoke(
            function_url_event(
                "GET",
                "/disclosure-request",
                &[("origin", "https://page.example.test")],
                None,
                false,
            ),
            TIMEOUT,
        )
        .await
        .expect("response");
    assert_eq!(disclosure["statusCode"], 200);
    assert_eq!(
        disclosure["headers"]["access-control-allow-origin"],
        "https://page.example.test"
    );
    assert!(
        body_json(&disclosure)["jwt"]
            .as_str()
            .is_some_and(|j| j.split('.').count() == 3)
    );

    let person = &DEMO_PERSONS[0];
    let jwt = person.result_jwt(&Keys::get().irma, "pbdf.pbdf.idin", now());
    for base64 in [false, true] {
        let event = function_url_event(
            "POST",
            "/issuance-request",
            &[("content-type", "text/plain")],
            Some(jwt.as_bytes()),
            base64,
        );
        let issued = emulator.invoke(event, TIMEOUT).await.expect("response");
        assert_eq!(issued["statusCode"], 200, "base64 {base64}: {issued}");
        assert_eq!(issued["isBase64Encoded"], false);
        let body = body_json(&issued);
        assert_eq!(
            body["credentials"][0]["attributes"]["bignumber"],
            person.issued[0]
        );
    }

    let refused = emulator
        .invoke(
            function_url_event("POST", "/issuance-request", &[], Some(b"not a jwt"), false),
            TIMEOUT,
        )
        .await
        .expect("response");
    assert_eq!(refused["statusCode"], 400);
    assert_eq!(refused["headers"]["content-type"], "application/json");
    assert_eq!(body_json(&refused)["error"], "invalid-request");

    let too_large = vec![b'x'; 70 * 1024];
    let answer = emulator
        .invoke(
            function_url_event("POST", "/issuance-request", &[], Some(&too_large), true),
            TIMEOUT,
        )
        .await
        .expect("response");
    assert_eq!(answer["statusCode"], 413);

    let unknown = emulator
        .invoke(
            function_url_event("GET", "/nope", &[], None, false),
            TIMEOUT,
        )
        .await
        .expect("response");
    assert_eq!(
        (
            unknown["statusCode"].clone(),
            body_json(&unknown)["error"].clone()
        ),
        (json!(404), json!("not-found"))
    );

    // JSON log lines on Lambda, and no personal data in them.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let log = function.log();
    let request_lines: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["message"] == "request")
        .collect();
    assert!(request_lines.len() >= 5, "{log}");
    assert!(request_lines.iter().all(|l| l["level"] == "INFO"), "{log}");
    for value in ["Hollander", person.issued[0], "20-02-1970", "eyJ"] {
        assert!(
            !log.contains(value),
            "the Lambda log shows {value:?}:\n{log}"
        );
    }
}

#[tokio::test]
async fn disclosure_callback_answers_the_irma_servers_post_under_the_runtime_api() {
    let register = start_standin(&[]);
    let emulator = LambdaEmulator::start().await;
    let mut env = env(&register.url());
    env.retain(|(k, _)| *k != "SIGNING_KEY_FILE");
    let function = start_lambda("disclosure-callback", &emulator.runtime_api(), &env);

    let issued_person = &DEMO_PERSONS[0];
    let mut claims = issued_person.result_claims("pbdf.pbdf.idin", now());
    claims["status"] = json!("CONNECTED");
    let jwt = Keys::get().irma.sign(&claims);
    let headers = [
        ("content-type", "text/plain; charset=UTF-8"),
        ("user-agent", "irmago"),
    ];
    let answer = emulator
        .invoke(
            function_url_event("POST", "/", &headers, Some(jwt.as_bytes()), false),
            TIMEOUT,
        )
        .await;
    let answer = answer.unwrap_or_else(|e| panic!("{e}\n{}", function.log()));
    assert_eq!(answer["statusCode"], 200);
    assert_eq!(
        body_json(&answer)["request"]["credentials"][0]["attributes"]["bignumber"],
        issued_person.issued[0]
    );

    let refused_person = DEMO_PERSONS
        .iter()
        .find(|p| p.refusal == Some("registration-ended"))
        .expect("person");
    let mut claims = refused_person.result_claims("pbdf.pbdf.idin", now());
    claims["status"] = json!("CONNECTED");
    let jwt = Keys::get().irma.sign(&claims);
    let answer = emulator
        .invoke(
            function_url_event("POST", "/", &headers, Some(jwt.as_bytes()), true),
            TIMEOUT,
        )
        .await
        .expect("response");
    assert_eq!(answer["statusCode"], 204);
    assert_eq!(
        answer["headers"]["big-issuer-outcome"],
        "registration-ended"
    );
    assert!(answer["body"].is_null() || answer["body"] == "");
}
