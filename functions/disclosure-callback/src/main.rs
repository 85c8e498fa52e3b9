//! The IRMA-server-facing function: `POST /` answers a chained session's disclosure with the
//! issuance request, or 204 with the refusal's code; `GET /health` (DESIGN.md section 7).

use std::process::ExitCode;

use big_issuer::config::Function;
use big_issuer::http::DisclosureCallbackService;
use big_issuer::pipeline::Pipeline;

fn main() -> ExitCode {
    big_issuer_serve::run(Function::DisclosureCallback, |config, _| {
        Ok(DisclosureCallbackService {
            pipeline: Pipeline::from_config(config)?,
        })
    })
}
