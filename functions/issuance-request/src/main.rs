//! The browser-facing function: `GET /disclosure-request`, `POST /issuance-request`,
//! `GET /health` (DESIGN.md section 7).

use std::process::ExitCode;

use big_issuer::config::{ConfigError, Function};
use big_issuer::http::IssuanceRequestService;
use big_issuer::irma::RequestorSigner;
use big_issuer::pipeline::Pipeline;

fn main() -> ExitCode {
    big_issuer_serve::run(Function::IssuanceRequest, |config, signing_key| {
        let invalid_key = ConfigError {
            variable: "SIGNING_KEY_FILE",
            problem: "is not an RSA private key in PEM form",
        };
        let signer = signing_key
            .and_then(|pem| RequestorSigner::from_pem(pem, &config.requestor_name))
            .ok_or(invalid_key)?;
        Ok(IssuanceRequestService {
            pipeline: Pipeline::from_config(config)?,
            signer,
            irma_server_url: config.irma_server_url.clone(),
            callback_url: config.disclosure_callback_url.clone(),
            allowed_origins: config.allowed_origins.clone(),
        })
    })
}
