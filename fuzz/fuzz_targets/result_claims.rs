//! The claims of a session result, after the signature: any JSON must end in a disclosure or
//! a `DisclosureError`, never a panic.
#![no_main]

use std::sync::OnceLock;

use big_issuer::irma::ResultVerifier;
use libfuzzer_sys::fuzz_target;

// Any RSA public key will do: the signature is not part of this target.
const PUBLIC_KEY: &str = include_str!("../fixtures/public-key.pem");

fn verifier() -> &'static ResultVerifier {
    static VERIFIER: OnceLock<ResultVerifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        ResultVerifier::from_pem(PUBLIC_KEY.as_bytes(), "irmaserver", 300).expect("test key")
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = verifier().check_claims(data, 1_796_000_000);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = verifier().verify(text, 1_796_000_000);
    }
});
