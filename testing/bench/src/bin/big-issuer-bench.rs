//! `make bench`: the numbers of the README's Performance section, each beside its baseline.
//!
//! - cold start: process start to the first completed invocation under the Runtime API
//!   emulation, median of repeated runs, beside a hello-world `lambda_http` function;
//! - per-request time without network: both flows in-process (the register answered in-process
//!   from WSDL fixtures, parsed every time), beside one RS256 signature and one verification
//!   with the same 2048-bit key;
//! - peak RSS of each function over a full flow (local mode, against the register stand-in);
//! - size of each stripped release binary.
//!
//! Run from `target/release` (it finds its sibling binaries there): `make bench`.

use std::time::{Duration, Instant};

use big_issuer::http::{DisclosureCallbackService, IssuanceRequestService, Service};
use big_issuer::identity::{IdentitySource, SourceKind};
use big_issuer::irma::{RequestorSigner, ResultVerifier, SigningKey};
use big_issuer::issuance::CredentialSettings;
use big_issuer::pipeline::Pipeline;
use big_issuer::register::codes::Catalogue;
use big_issuer::rules::RuleConfig;
use big_issuer::testkit::FixtureRegister;
use big_issuer_devtools::demo::DEMO_PERSONS;
use big_issuer_devtools::lambda_emulator::{LambdaEmulator, function_url_event};
use big_issuer_devtools::procs::{bin_path, start_function, start_lambda, start_standin};
use big_issuer_devtools::stack::{Keys, function_env};
use bytes::Bytes;
use serde_json::{Value, json};

const REAL_ANSWER: &[u8] =
    include_bytes!("../../../../shared/tests/fixtures/soap/two_professions_with_specialisms.xml");
const PROBE_ANSWER: &[u8] =
    include_bytes!("../../../../shared/tests/fixtures/soap/empty_result.xml");
const COLD_RUNS: usize = 41;

/// The pipeline with the register answered in-process: the person's query gets two
/// professions, the probe none.
fn pipeline() -> Pipeline<FixtureRegister> {
    let keys = Keys::get();
    Pipeline {
        verifier: ResultVerifier::from_pem(keys.irma.public_pem.as_bytes(), "irmaserver", 300)
            .expect("key"),
        sources: vec![IdentitySource {
            kind: SourceKind::Idin,
            credential: "pbdf.pbdf.idin".into(),
        }],
        register: FixtureRegister {
            born: time::macros::date!(1970 - 01 - 01),
            real: REAL_ANSWER,
            probe: PROBE_ANSWER,
        },
        catalogue: Catalogue::new(),
        rules: RuleConfig::default(),
        credential: CredentialSettings {
            credential: "pbdf.pbdf.big".into(),
            validity_days: 365,
        },
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The disclosure of the fixture's person ("Y. Dubbelberoep").
fn result_jwt() -> String {
    let claims = big_issuer::testkit::result_claims(
        &[
            ("pbdf.pbdf.idin.initials", "Y."),
            ("pbdf.pbdf.idin.familyname", "Dubbelberoep"),
            ("pbdf.pbdf.idin.dateofbirth", "01-01-1970"),
            ("pbdf.pbdf.idin.gender", "female"),
        ],
        now(),
    );
    Keys::get().irma.sign(&claims)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Median over 7 rounds of the mean time of one call, after a warm-up.
fn per_call(iterations: u32, mut call: impl FnMut()) -> Duration {
    for _ in 0..iterations / 10 + 1 {
        call();
    }
    let rounds = (0..7)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                call();
            }
            started.elapsed() / iterations
        })
        .collect();
    median(rounds)
}

fn request(method: &str, path: &str, body: &str) -> http::Request<Bytes> {
    http::Request::builder()
        .method(method)
        .uri(path)
        .body(Bytes::from(body.to_string()))
        .expect("request")
}

fn per_request_times() -> (Duration, Duration, Duration, Duration) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let keys = Keys::get();
    let signer = RequestorSigner::from_pem(keys.requestor.private_pem.as_bytes(), "big_issuer")
        .expect("key");
    let two_step = IssuanceRequestService {
        pipeline: pipeline(),
        signing_key: SigningKey::fixed(signer),
        irma_server_url: "https://irma.example.test".into(),
        callback_url: None,
        allowed_origins: vec![],
    };
    let chained = DisclosureCallbackService {
        pipeline: pipeline(),
    };
    let jwt = result_jwt();

    // Both flows must really issue, or the timing measures a refusal.
    let check = rt.block_on(two_step.handle(request("POST", "/issuance-request", &jwt)));
    assert_eq!(
        check.status(),
        200,
        "{}",
        String::from_utf8_lossy(check.body())
    );
    let check = rt.block_on(chained.handle(request("POST", "/", &jwt)));
    assert_eq!(
        check.status(),
        200,
        "{}",
        String::from_utf8_lossy(check.body())
    );

    let two_step_time = per_call(300, || {
        let r = rt.block_on(two_step.handle(request("POST", "/issuance-request", &jwt)));
        assert_eq!(r.status(), 200);
    });
    let chained_time = per_call(1000, || {
        let r = rt.block_on(chained.handle(request("POST", "/", &jwt)));
        assert_eq!(r.status(), 200);
    });

    // Baselines: one RS256 signature (a parsed 2048-bit key signing a message the size of the
    // issuance JWT) and one verification of the session-result JWT, as the product does it.
    let issued = rt.block_on(two_step.handle(request("POST", "/issuance-request", &jwt)));
    let issued: Value = serde_json::from_slice(issued.body()).expect("json");
    let message = issued["jwt"]
        .as_str()
        .and_then(|j| j.rsplit_once('.'))
        .expect("jwt")
        .0
        .to_string();
    let pkcs1 = jsonwebtoken::EncodingKey::from_rsa_pem(keys.requestor.private_pem.as_bytes())
        .expect("key");
    let pair = aws_lc_rs::signature::RsaKeyPair::from_der(pkcs1.as_bytes()).expect("key");
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut signature = vec![0; pair.public_modulus_len()];
    let sign_time = per_call(300, || {
        pair.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &rng,
            message.as_bytes(),
            &mut signature,
        )
        .expect("sign");
    });
    let decoding =
        jsonwebtoken::DecodingKey::from_rsa_pem(keys.irma.public_pem.as_bytes()).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let verify_time = per_call(1000, || {
        jsonwebtoken::decode::<Value>(&jwt, &decoding, &validation).expect("verify");
    });
    (two_step_time, chained_time, sign_time, verify_time)
}

/// Median cold start of each binary. The binaries take turns within each round, so a slow
/// moment of the machine falls on all of them alike instead of skewing one median.
async fn cold_starts(binaries: &[(&str, &[(&str, String)])]) -> Vec<Duration> {
    let emulator = LambdaEmulator::start().await;
    let event = function_url_event("GET", "/health", &[], None, false);
    let mut samples = vec![Vec::with_capacity(COLD_RUNS); binaries.len()];
    for _ in 0..COLD_RUNS {
        for ((binary, env), samples) in binaries.iter().zip(&mut samples) {
            let started = Instant::now();
            let process = start_lambda(binary, &emulator.runtime_api(), env);
            let answer = emulator
                .invoke(event.clone(), Duration::from_secs(10))
                .await;
            samples.push(started.elapsed());
            assert!(
                answer.is_ok_and(|a| a["statusCode"] == 200),
                "{binary}: {}",
                process.log()
            );
        }
    }
    samples.into_iter().map(median).collect()
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn peak_rss(register: &str) -> (u64, u64) {
    let keys = Keys::get();
    let env = function_env(register);
    let issuance = start_function("issuance-request", &env);
    let callback = start_function("disclosure-callback", &env);
    let client = reqwest::Client::new();
    for person in DEMO_PERSONS {
        let jwt = person.result_jwt(&keys.irma, "pbdf.pbdf.idin", now());
        let a = client
            .get(format!("{}/disclosure-request", issuance.url()))
            .send()
            .await
            .expect("request");
        assert_eq!(a.status(), 200);
        let b = client
            .post(format!("{}/issuance-request", issuance.url()))
            .body(jwt.clone())
            .send()
            .await
            .expect("request");
        assert!(b.status() == 200 || person.refusal.is_some());
        let mut claims = person.result_claims("pbdf.pbdf.idin", now());
        claims["status"] = json!("CONNECTED");
        let c = client
            .post(format!("{}/", callback.url()))
            .body(keys.irma.sign(&claims))
            .send()
            .await
            .expect("request");
        assert!(c.status() == 200 || c.status() == 204);
    }
    (peak_rss_kib(issuance.pid()), peak_rss_kib(callback.pid()))
}

fn size_mib(binary: &str) -> f64 {
    std::fs::metadata(bin_path(binary))
        .map(|m| m.len() as f64 / 1_048_576.0)
        .unwrap_or(f64::NAN)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1_000_000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let register = start_standin(&[]);
    let env = function_env(&register.url());

    let cold = rt.block_on(cold_starts(&[
        ("hello-lambda", &[]),
        ("issuance-request", &env),
        ("disclosure-callback", &env),
    ]));
    let (hello, issuance, callback) = (cold[0], cold[1], cold[2]);
    let (two_step, chained, sign, verify) = per_request_times();
    let (rss_issuance, rss_callback) = rt.block_on(peak_rss(&register.url()));
    let sizes = [
        size_mib("issuance-request"),
        size_mib("disclosure-callback"),
        size_mib("hello-lambda"),
    ];

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("| measure | big-issuer | baseline | ratio | target |");
    println!("|---|---|---|---|---|");
    for (name, value) in [
        ("issuance-request", issuance),
        ("disclosure-callback", callback),
    ] {
        let r = ratio(value, hello);
        println!(
            "| cold start, {name} (median of {COLD_RUNS}) | {} | {} hello-world | {r:.2}x | <= 1.5x: {} |",
            ms(value),
            ms(hello),
            verdict(r <= 1.5)
        );
    }
    let r = ratio(two_step, sign);
    println!(
        "| per request, two-step `POST /issuance-request` | {} | {} one RS256 signature | {r:.2}x | <= 1.3x: {} |",
        us(two_step),
        us(sign),
        verdict(r <= 1.3)
    );
    let r = ratio(chained, verify);
    println!(
        "| per request, chained callback `POST /` | {} | {} one RS256 verification | {r:.2}x | <= 3x: {} |",
        us(chained),
        us(verify),
        verdict(r <= 3.0)
    );
    for (name, kib) in [
        ("issuance-request", rss_issuance),
        ("disclosure-callback", rss_callback),
    ] {
        let mb = kib as f64 / 1024.0;
        println!(
            "| peak RSS over a full flow, {name} | {mb:.1} MiB | | | < 25 MB: {} |",
            verdict(kib * 1024 < 25_000_000)
        );
    }
    for (name, mib) in [
        ("issuance-request", sizes[0]),
        ("disclosure-callback", sizes[1]),
    ] {
        println!(
            "| stripped release binary, {name} | {mib:.2} MiB | {:.2} MiB hello-world | {:.2}x | < 8 MB: {} |",
            sizes[2],
            mib / sizes[2],
            verdict(mib * 1_048_576.0 < 8_000_000.0)
        );
    }
}
