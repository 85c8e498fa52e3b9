//! Where a cold start's time goes: each start-up step timed on its own, first and second run.
//! `cargo run --release -p big-issuer-bench --example startup -- KEY_DIR`

use std::time::Instant;

use big_issuer::irma::{RequestorSigner, ResultVerifier};
use big_issuer::register::SoapRegister;

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    println!(
        "{label:<40} {:>8.2} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}

fn main() {
    // Keys from files first, so the first round meets the crypto library untouched.
    let dir = std::env::args()
        .nth(1)
        .expect("usage: startup KEY_DIR (with requestor.pem, irma.pub.pem)");
    let private = std::fs::read(format!("{dir}/requestor.pem")).expect("requestor.pem");
    let public = std::fs::read(format!("{dir}/irma.pub.pem")).expect("irma.pub.pem");
    for round in ["first", "second"] {
        println!("-- {round}");
        let _ = time("ResultVerifier::from_pem", || {
            ResultVerifier::from_pem(&public, "irmaserver", 300)
        });
        let _ = time("RequestorSigner::from_pem", || {
            RequestorSigner::from_pem(&private, "x")
        });
        let _ = time("SoapRegister::new (https)", || {
            SoapRegister::new(
                "https://api.bigregister.nl/zksrv/soap/4",
                std::time::Duration::from_secs(2),
                1 << 20,
            )
            .map(|_| ())
        });
    }
}
