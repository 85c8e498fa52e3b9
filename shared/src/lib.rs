//! The BIG-register issuer: from a disclosed identity to BIG credentials, keeping nothing.
//!
//! The pipeline, top-down, one module a step:
//!
//! 1. [`irma`]: verify the IRMA server's signed session result and read the [`irma::Disclosure`];
//!    build and sign our own session requests.
//! 2. [`identity`]: map the disclosed attributes of one accepted source to a normalized
//!    [`identity::Person`].
//! 3. [`register`]: search the BIG register for that person (SOAP `ListHcpApprox4`), with a
//!    probe query that proves the register honoured the date-of-birth filter.
//! 4. [`rules`]: match the register's candidates against the person and decide, for a given
//!    `today`: issue these registrations, or refuse with a reason ([`rules::Decision`]).
//! 5. [`issuance`]: turn the registrations into an IRMA issuance request (one credential per
//!    profession, validity capped at the registration's end).
//!
//! [`config`] reads the environment once at start; [`error`] is the contract's table of
//! outcome codes, shared by both functions.

pub mod calendar;
pub mod config;
pub mod error;
pub mod http;
pub mod identity;
pub mod irma;
pub mod issuance;
pub mod matching;
pub mod measures;
pub mod names;
pub mod pipeline;
pub mod register;
pub mod rules;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
