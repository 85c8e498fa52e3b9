//! The BIG register: the search port, its SOAP adapter, and the date-of-birth proof.
//!
//! [`Register`] is the port the pipeline talks to; [`soap::SoapRegister`] is the real adapter
//! (SOAP 1.1 `ListHcpApprox4` over HTTPS). [`lookup`] runs every search twice, concurrently,
//! to prove the register applied the date-of-birth filter (DESIGN.md section 5).

pub mod client;
pub mod codes;
pub mod model;
mod probe;
pub mod soap;

use std::future::Future;

pub use client::SoapRegister;
pub use model::{
    BigNumber, Measure, Practitioner, Query, ReferenceData, RegisterGender, Registration,
    RegistrationEnd,
};
pub use probe::{LookupError, lookup, probe_date_of_birth};

/// Searches the BIG register. Implemented by the SOAP client and, in tests, by in-memory
/// registers.
pub trait Register: Send + Sync {
    /// `ListHcpApprox4`: every person whose mailing name contains `query.name`, filtered by the
    /// register on date of birth and gender (which the answer cannot prove: see [`lookup`]).
    fn search(
        &self,
        query: &Query,
    ) -> impl Future<Output = Result<Vec<Practitioner>, RegisterError>> + Send;

    /// `GetRibizReferenceData`: the register's own names for profession and specialism codes.
    fn reference_data(&self) -> impl Future<Output = Result<ReferenceData, RegisterError>> + Send;
}

/// Why the register gave no usable answer. Carries no part of the query or the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// The whole call, retries included, ran past its time budget.
    #[error("the BIG register did not answer within the time budget")]
    Timeout,
    /// No connection could be made (after the one retry).
    #[error("the BIG register could not be reached")]
    Connect,
    /// The register answered with a SOAP fault (1.1 or 1.2).
    #[error("the BIG register answered with a SOAP fault")]
    Fault,
    /// An HTTP status other than 200, without a readable SOAP fault.
    #[error("the BIG register answered with HTTP status {0}")]
    Status(u16),
    /// The answer is larger than the configured bound.
    #[error("the BIG register's answer is larger than allowed")]
    TooLarge,
    /// The answer declares a DOCTYPE, which a SOAP message never may (entity expansion).
    #[error("the BIG register's answer declares a DOCTYPE")]
    Doctype,
    /// The answer is not the SOAP message the WSDL describes.
    #[error("the BIG register's answer could not be parsed")]
    Unparsable,
}
