//! Test and demo tooling, never deployed: the BIG-register stand-in, the demo persons, and
//! helpers that start the real binaries for end-to-end tests.

pub mod demo;
pub mod lambda_emulator;
pub mod moto;
pub mod procs;
pub mod stack;
pub mod standin;
