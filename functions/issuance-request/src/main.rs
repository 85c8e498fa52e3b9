//! The browser-facing function: `GET /disclosure-request`, `POST /issuance-request`,
//! `GET /health` (DESIGN.md section 7).

use std::process::ExitCode;

use big_issuer::config::{ConfigError, Function};
use big_issuer::http::IssuanceRequestService;
use big_issuer::pipeline::Pipeline;

fn main() -> ExitCode {
    big_issuer_serve::run(Function::IssuanceRequest, |config, signing_key| {
        Ok(IssuanceRequestService {
            pipeline: Pipeline::from_config(config)?,
            signing_key: signing_key.ok_or(ConfigError {
                variable: "SIGNING_KEY_SECRET_ID",
                problem: "or SIGNING_KEY_FILE is required",
            })?,
            irma_server_url: config.irma_server_url.clone(),
            callback_url: config.disclosure_callback_url.clone(),
            allowed_origins: config.allowed_origins.clone(),
        })
    })
}
