//! `big-issuer-demo`: plays the IRMA server for the demo persons against running functions, so
//! the main job can be seen without an IRMA server or the Yivi app. For each person it signs a
//! session result with the dev IRMA-server key, posts it to the disclosure callback (flow A,
//! status CONNECTED) and to `/issuance-request` (flow B), and prints what came back.
//!
//! Environment: `ISSUANCE_REQUEST_URL`, `DISCLOSURE_CALLBACK_URL`, `IRMA_SERVER_PRIVATE_KEY_FILE`,
//! `IRMA_SERVER_PUBLIC_KEY_FILE`, `IDIN_CREDENTIAL` (default `pbdf.pbdf.idin`).

use std::process::ExitCode;

use big_issuer::testkit::TestKey;
use big_issuer_devtools::demo::DEMO_PERSONS;
use serde_json::Value;

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("big-issuer-demo: {name} is required"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match demo().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn json(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

async fn demo() -> Result<bool, String> {
    let issuance = var("ISSUANCE_REQUEST_URL")?;
    let callback = var("DISCLOSURE_CALLBACK_URL")?;
    let read = |name: &str| {
        var(name).and_then(|p| {
            std::fs::read_to_string(p).map_err(|_| format!("big-issuer-demo: cannot read {name}"))
        })
    };
    let key = TestKey {
        private_pem: read("IRMA_SERVER_PRIVATE_KEY_FILE")?,
        public_pem: read("IRMA_SERVER_PUBLIC_KEY_FILE")?,
    };
    let credential = std::env::var("IDIN_CREDENTIAL").unwrap_or_else(|_| "pbdf.pbdf.idin".into());
    let client = reqwest::Client::new();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();

    println!(
        "{:<40} {:<34} two-step issuance-request (flow B)",
        "demo person (iDIN disclosure)", "chained callback (flow A)"
    );
    println!("{}", "-".repeat(120));
    let mut all_as_expected = true;
    for person in DEMO_PERSONS {
        let mut claims = person.result_claims(&credential, now);
        claims["status"] = Value::from("CONNECTED");
        let chained = client
            .post(&callback)
            .body(key.sign(&claims))
            .send()
            .await
            .map_err(|_| "big-issuer-demo: the callback function is not reachable".to_string())?;
        let chained_status = chained.status().as_u16();
        let outcome = chained
            .headers()
            .get("big-issuer-outcome")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let chained_body = json(chained).await;
        let flow_a = match chained_status {
            200 => format!(
                "200 issue {} credential(s)",
                chained_body["request"]["credentials"]
                    .as_array()
                    .map_or(0, Vec::len)
            ),
            204 => format!("204 {outcome}"),
            s => format!("{s} {}", chained_body["error"].as_str().unwrap_or("?")),
        };

        let jwt = person.result_jwt(&key, &credential, now);
        let two_step = client
            .post(format!("{issuance}/issuance-request"))
            .header("content-type", "text/plain")
            .body(jwt)
            .send()
            .await
            .map_err(|_| {
                "big-issuer-demo: the issuance-request function is not reachable".to_string()
            })?;
        let status = two_step.status().as_u16();
        let body = json(two_step).await;
        let flow_b = if status == 200 {
            let creds: Vec<String> = body["credentials"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    let a = &c["attributes"];
                    let specialism = a["specialism"].as_str().unwrap_or("");
                    format!(
                        "{} {}{}",
                        a["bignumber"].as_str().unwrap_or("?"),
                        a["profession"].as_str().unwrap_or("?"),
                        if specialism.is_empty() {
                            String::new()
                        } else {
                            format!(" ({specialism})")
                        }
                    )
                })
                .collect();
            format!("200 {}", creds.join(", "))
        } else {
            format!("{status} {}", body["error"].as_str().unwrap_or("?"))
        };

        let issued: Vec<&str> = body["credentials"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["attributes"]["bignumber"].as_str())
            .collect();
        let expected = match person.refusal {
            None => status == 200 && chained_status == 200 && issued == person.issued,
            Some(code) => body["error"] == code && chained_status == 204 && outcome == code,
        };
        all_as_expected &= expected;
        println!(
            "{:<40} {:<34} {}{}",
            person.label,
            flow_a,
            flow_b,
            if expected { "" } else { "   <-- UNEXPECTED" }
        );
    }
    println!();
    println!(
        "{}",
        if all_as_expected {
            "every demo person got the expected outcome"
        } else {
            "some demo persons got an unexpected outcome"
        }
    );
    Ok(all_as_expected)
}
