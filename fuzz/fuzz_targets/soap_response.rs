//! The register's answer is untrusted input: parsing any bytes must end in a value or a
//! `RegisterError`, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = big_issuer::register::soap::parse_list_hcp_approx(data);
    let _ = big_issuer::register::soap::parse_reference_data(data);
});
