//! Identity mapping: any disclosed attribute ids and values, from any mix of sources, must end
//! in a person or an `IdentityError`, never a panic (names are sliced and split here).
#![no_main]

use big_issuer::identity::{IdentitySource, SourceKind, identify};
use big_issuer::irma::{DisclosedAttribute, Disclosure};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sources: Vec<IdentitySource> = SourceKind::ALL
        .into_iter()
        .map(|kind| IdentitySource {
            kind,
            credential: format!("test.test.{}", kind.as_str()),
        })
        .collect();
    let text = String::from_utf8_lossy(data);
    // Lines of `kind attribute value`: the fuzzer picks the source, the attribute and the value.
    let attributes = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let (kind, attribute, value) =
                (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
            // Names when they are right, else any of them: every line lands somewhere.
            let kind =
                SourceKind::parse(kind).or_else(|| SourceKind::ALL.get(kind.len() % 4).copied())?;
            let names = kind.attributes();
            let attribute = names
                .iter()
                .find(|n| **n == attribute)
                .or_else(|| names.get(attribute.len() % names.len()))?;
            Some(DisclosedAttribute {
                id: format!("test.test.{}.{attribute}", kind.as_str()),
                value: value.to_string(),
            })
        })
        .collect();
    if let Ok((_, person)) = identify(&Disclosure { attributes }, &sources) {
        let _ = person.family_name();
    }
});
