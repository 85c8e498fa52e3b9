//! The cold-start baseline: the smallest `lambda_http` function, built with the same crate
//! features and release profile as the real ones.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(|_: Request| async {
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::Text(r#"{"status":"ok"}"#.to_string()))
            .map_err(Error::from)
    }))
    .await
}
