//! Identity sources: which disclosed credential says who the person is, and how to read it.
//!
//! Each accepted source ([`SourceKind`]) has a profile: the attributes it must disclose and how
//! their values are written. [`identify`] checks that exactly one enabled source was disclosed
//! completely and maps it to one normalized [`Person`]. The value formats were checked against
//! the public scheme and issuer sources; see `docs/identity-sources.md`.

use time::{Date, Month};

use crate::irma::Disclosure;
use crate::names;

/// The kinds of identity credential this service accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// iDIN, via the bank (`pbdf.pbdf.idin`).
    Idin,
    /// Civil registry (BRP) personal data (`pbdf.gemeente.personalData`).
    Brp,
    /// Dutch passport, read from its chip (`pbdf.pbdf.passport`).
    Passport,
    /// Dutch identity card, read from its chip (`pbdf.pbdf.idcard`).
    Idcard,
}

impl SourceKind {
    /// Every kind, in the order of the default configuration.
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Idin,
        SourceKind::Brp,
        SourceKind::Passport,
        SourceKind::Idcard,
    ];

    /// The kind's name in `IDENTITY_SOURCES` and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Idin => "idin",
            SourceKind::Brp => "brp",
            SourceKind::Passport => "passport",
            SourceKind::Idcard => "idcard",
        }
    }

    /// Parses a kind's name.
    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The attribute names (without the credential id) this kind must disclose, in the order
    /// they are requested.
    pub fn attributes(self) -> &'static [&'static str] {
        match self {
            SourceKind::Idin => &["initials", "familyname", "dateofbirth", "gender"],
            SourceKind::Brp => &["initials", "prefix", "familyname", "dateofbirth", "gender"],
            SourceKind::Passport | SourceKind::Idcard => {
                &["firstName", "lastName", "dateOfBirth", "gender"]
            }
        }
    }
}

/// One enabled source: a kind and the credential type that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentitySource {
    /// How to read the credential.
    pub kind: SourceKind,
    /// The credential type id, e.g. `pbdf.pbdf.idin` (or `irma-demo.*` in tests).
    pub credential: String,
}

impl IdentitySource {
    /// The full attribute ids this source must disclose.
    pub fn attribute_ids(&self) -> Vec<String> {
        self.kind
            .attributes()
            .iter()
            .map(|a| format!("{}.{a}", self.credential))
            .collect()
    }
}

/// Gender as far as it can filter a register search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
    /// Unknown, not applicable, or X: not sent to the register and never filters.
    Unknown,
}

/// The person who disclosed, normalized from whichever source they used.
///
/// Personal data: never logged, never in an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Initials as groups, upper-case letters only: `["J", "P"]` for `J.P.`, or whole given
    /// names (`["JAN", "PIETER"]`) when derived from a travel document.
    pub initials: Vec<String>,
    /// Surname prefix (voorvoegsel), possibly empty.
    pub prefix: String,
    /// Birth surname without prefix.
    pub surname: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Gender.
    pub gender: Gender,
}

impl Person {
    /// Prefix and surname as one name (`"van der Berg"`), the form matching compares.
    pub fn family_name(&self) -> String {
        if self.prefix.is_empty() {
            self.surname.clone()
        } else {
            format!("{} {}", self.prefix, self.surname)
        }
    }
}

/// Why a disclosure does not identify a person. No variant carries a disclosed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// Nothing from an accepted source was disclosed.
    #[error("no accepted identity source was disclosed")]
    NoSource,
    /// An attribute from a credential that is not an enabled source.
    #[error("an attribute from a credential that is not an accepted identity source was disclosed")]
    ForeignAttribute,
    /// Attributes of more than one source were mixed.
    #[error("attributes of several identity sources were mixed")]
    MixedSources,
    /// The source was disclosed incompletely, or an attribute twice.
    #[error("the identity source was not disclosed completely")]
    Incomplete,
    /// The values are there but cannot be used for a lookup.
    #[error("the disclosed identity cannot be used: {0}")]
    Unusable(Unusable),
}

/// What makes a complete disclosure unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// The date of birth is not a date in a known format.
    #[error("the date of birth cannot be read")]
    DateOfBirth,
    /// The family name has fewer than two letters.
    #[error("the family name is empty")]
    FamilyName,
    /// The gender value is not one the source issues.
    #[error("the gender cannot be read")]
    Gender,
}

/// Reads the person from a disclosure: exactly one enabled source, disclosed completely, no
/// attributes from elsewhere.
pub fn identify(
    disclosure: &Disclosure,
    sources: &[IdentitySource],
) -> Result<(SourceKind, Person), IdentityError> {
    let mut used: Option<&IdentitySource> = None;
    for attr in &disclosure.attributes {
        let source = sources
            .iter()
            .find(|s| attr.credential() == Some(s.credential.as_str()))
            .ok_or(IdentityError::ForeignAttribute)?;
        match used {
            Some(u) if u != source => return Err(IdentityError::MixedSources),
            _ => used = Some(source),
        }
    }
    let source = used.ok_or(IdentityError::NoSource)?;

    // Each required attribute exactly once, and nothing else of this credential.
    let ids = source.attribute_ids();
    if disclosure.attributes.len() != ids.len() {
        return Err(IdentityError::Incomplete);
    }
    let mut values = Vec::with_capacity(ids.len());
    for id in &ids {
        let mut found = disclosure.attributes.iter().filter(|a| &a.id == id);
        match (found.next(), found.next()) {
            (Some(a), None) => values.push(a.value.as_str()),
            _ => return Err(IdentityError::Incomplete),
        }
    }

    let person = match source.kind {
        SourceKind::Idin => {
            let [initials, family_name, dob, gender] = values[..] else {
                return Err(IdentityError::Incomplete);
            };
            let (prefix, surname) = names::split_prefix(family_name);
            person(initials_groups(initials), prefix, surname, dob, gender)
        }
        SourceKind::Brp => {
            let [initials, prefix, family_name, dob, gender] = values[..] else {
                return Err(IdentityError::Incomplete);
            };
            let (prefix, surname) = brp_family_name(prefix, family_name);
            person(initials_groups(initials), prefix, surname, dob, gender)
        }
        SourceKind::Passport | SourceKind::Idcard => {
            let [first_names, last_name, dob, gender] = values[..] else {
                return Err(IdentityError::Incomplete);
            };
            let (prefix, surname) = names::split_prefix(last_name);
            person(given_name_groups(first_names), prefix, surname, dob, gender)
        }
    }
    .map_err(IdentityError::Unusable)?;
    Ok((source.kind, person))
}

fn person(
    initials: Vec<String>,
    prefix: String,
    surname: String,
    dob: &str,
    gender: &str,
) -> Result<Person, Unusable> {
    if names::letters(&surname).chars().count() < 2 {
        return Err(Unusable::FamilyName);
    }
    Ok(Person {
        initials,
        prefix,
        surname,
        date_of_birth: parse_date_of_birth(dob).ok_or(Unusable::DateOfBirth)?,
        gender: parse_gender(gender).ok_or(Unusable::Gender)?,
    })
}

/// The civil registry's prefix and birth surname. Older Nijmegen cards put the prefix into
/// `familyname` as well (`"de Jong"` with prefix `"de"`); then it must not be added twice.
fn brp_family_name(prefix: &str, family_name: &str) -> (String, String) {
    let prefix = prefix.split_whitespace().collect::<Vec<_>>().join(" ");
    let family = family_name.split_whitespace().collect::<Vec<_>>().join(" ");
    let head = format!("{prefix} ");
    let glued = family
        .get(..head.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(&head));
    if !prefix.is_empty() && glued && family.len() > head.len() {
        let (_, surname) = family.split_at(head.len());
        return (prefix, surname.to_string());
    }
    (prefix, family)
}

/// Initials as a bank or the civil registry writes them: `"J.P."`, `"JP"`, `"Th.J."`, `"j p"`.
/// With dots, each dotted part is a group (`Th.` stays one group); without, each letter is.
fn initials_groups(raw: &str) -> Vec<String> {
    let dotted = raw.contains('.');
    let mut groups = Vec::new();
    if dotted {
        for part in raw.split('.') {
            let l = names::letters(part).to_uppercase();
            if !l.is_empty() {
                groups.push(l);
            }
        }
    } else {
        for c in names::letters(raw).to_uppercase().chars() {
            groups.push(c.to_string());
        }
    }
    groups
}

/// Given names from a travel document (`"Jan-Willem Pieter"`): one group per name, split on
/// spaces and hyphens, so the register's `J.W.P.` and `J.P.` both stay comparable.
fn given_name_groups(raw: &str) -> Vec<String> {
    raw.split(|c: char| c.is_whitespace() || c == '-')
        .map(|n| names::letters(n).to_uppercase())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Dates of birth as the sources write them: `dd-MM-yyyy` (iDIN, BRP) or `yyyy-MM-dd`
/// (passport, ID card).
pub fn parse_date_of_birth(raw: &str) -> Option<Date> {
    let parts: Vec<&str> = raw.trim().split('-').collect();
    let [a, b, c] = parts[..] else { return None };
    let (d, m, y) = match (a.len(), b.len(), c.len()) {
        (2, 2, 4) => (a, b, c),
        (4, 2, 2) => (c, b, a),
        _ => return None,
    };
    let all_digits = [d, m, y]
        .iter()
        .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// Gender as the sources write it: iDIN `male`/`female`/`unknown`/`not applicable`, the
/// travel documents `M`/`F`/`X`, the civil registry `M`/`V`/`O` or the words.
fn parse_gender(raw: &str) -> Option<Gender> {
    match raw.trim().to_lowercase().as_str() {
        "male" | "m" | "man" => Some(Gender::Male),
        "female" | "f" | "v" | "vrouw" => Some(Gender::Female),
        "unknown" | "not applicable" | "x" | "o" | "onbekend" | "" => Some(Gender::Unknown),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irma::DisclosedAttribute;
    use time::macros::date;

    fn sources() -> Vec<IdentitySource> {
        SourceKind::ALL
            .into_iter()
            .map(|kind| IdentitySource {
                kind,
                credential: match kind {
                    SourceKind::Idin => "pbdf.pbdf.idin",
                    SourceKind::Brp => "pbdf.gemeente.personalData",
                    SourceKind::Passport => "pbdf.pbdf.passport",
                    SourceKind::Idcard => "pbdf.pbdf.idcard",
                }
                .to_string(),
            })
            .collect()
    }

    fn disclosure(attrs: &[(&str, &str)]) -> Disclosure {
        Disclosure {
            attributes: attrs
                .iter()
                .map(|(id, v)| DisclosedAttribute {
                    id: id.to_string(),
                    value: v.to_string(),
                })
                .collect(),
        }
    }

    fn idin(initials: &str, family: &str, dob: &str, gender: &str) -> Disclosure {
        disclosure(&[
            ("pbdf.pbdf.idin.initials", initials),
            ("pbdf.pbdf.idin.familyname", family),
            ("pbdf.pbdf.idin.dateofbirth", dob),
            ("pbdf.pbdf.idin.gender", gender),
        ])
    }

    #[test]
    fn reads_idin_with_prefix_in_family_name() {
        let (kind, p) = identify(
            &idin("J.P.", "van der Berg", "07-03-1981", "female"),
            &sources(),
        )
        .unwrap();
        assert_eq!(kind, SourceKind::Idin);
        assert_eq!(p.initials, ["J", "P"]);
        assert_eq!((p.prefix.as_str(), p.surname.as_str()), ("van der", "Berg"));
        assert_eq!(p.date_of_birth, date!(1981 - 03 - 07));
        assert_eq!(p.gender, Gender::Female);
    }

    #[test]
    fn reads_idin_initials_without_dots_and_unknown_gender() {
        let (_, p) = identify(
            &idin("VJ", "Vries", "31-01-1980", "not applicable"),
            &sources(),
        )
        .unwrap();
        assert_eq!(p.initials, ["V", "J"]);
        assert_eq!(p.gender, Gender::Unknown);
        let (_, p) =
            identify(&idin("Th.J.", "Vries", "31-01-1980", "unknown"), &sources()).unwrap();
        assert_eq!(p.initials, ["TH", "J"]);
        assert_eq!(p.gender, Gender::Unknown);
    }

    #[test]
    fn reads_brp_with_separate_prefix() {
        let d = disclosure(&[
            ("pbdf.gemeente.personalData.initials", "A.M."),
            ("pbdf.gemeente.personalData.prefix", "den"),
            ("pbdf.gemeente.personalData.familyname", "Hollander"),
            ("pbdf.gemeente.personalData.dateofbirth", "20-02-1970"),
            ("pbdf.gemeente.personalData.gender", "male"),
        ]);
        let (kind, p) = identify(&d, &sources()).unwrap();
        assert_eq!(kind, SourceKind::Brp);
        assert_eq!(p.family_name(), "den Hollander");
        assert_eq!(p.initials, ["A", "M"]);
        assert_eq!(p.gender, Gender::Male);
    }

    #[test]
    fn reads_brp_card_that_repeats_the_prefix_in_the_family_name() {
        let d = disclosure(&[
            ("pbdf.gemeente.personalData.initials", "H."),
            ("pbdf.gemeente.personalData.prefix", "de"),
            ("pbdf.gemeente.personalData.familyname", "de Jong"),
            ("pbdf.gemeente.personalData.dateofbirth", "01-01-1960"),
            ("pbdf.gemeente.personalData.gender", "V"),
        ]);
        let (_, p) = identify(&d, &sources()).unwrap();
        assert_eq!(p.family_name(), "de Jong");
        assert_eq!(p.gender, Gender::Female);
    }

    #[test]
    fn reads_brp_with_empty_prefix() {
        let d = disclosure(&[
            ("pbdf.gemeente.personalData.initials", "H."),
            ("pbdf.gemeente.personalData.prefix", ""),
            ("pbdf.gemeente.personalData.familyname", "Jong"),
            ("pbdf.gemeente.personalData.dateofbirth", "01-01-1960"),
            ("pbdf.gemeente.personalData.gender", "M"),
        ]);
        let (_, p) = identify(&d, &sources()).unwrap();
        assert_eq!(p.family_name(), "Jong");
    }

    #[test]
    fn reads_passport_mrz_names_in_capitals_with_empty_gender() {
        let d = disclosure(&[
            ("pbdf.pbdf.passport.firstName", "IJSBRAND THEODORUS"),
            ("pbdf.pbdf.passport.lastName", "VAN DER BERG"),
            ("pbdf.pbdf.passport.dateOfBirth", "1975-12-01"),
            ("pbdf.pbdf.passport.gender", ""),
        ]);
        let (_, p) = identify(&d, &sources()).unwrap();
        assert_eq!(p.initials, ["IJSBRAND", "THEODORUS"]);
        assert_eq!((p.prefix.as_str(), p.surname.as_str()), ("VAN DER", "BERG"));
        assert_eq!(p.gender, Gender::Unknown);
    }

    #[test]
    fn reads_passport_and_derives_initials_from_given_names() {
        let d = disclosure(&[
            ("pbdf.pbdf.passport.firstName", "Jan-Willem Pieter"),
            ("pbdf.pbdf.passport.lastName", "de Vries"),
            ("pbdf.pbdf.passport.dateOfBirth", "1975-12-01"),
            ("pbdf.pbdf.passport.gender", "M"),
        ]);
        let (kind, p) = identify(&d, &sources()).unwrap();
        assert_eq!(kind, SourceKind::Passport);
        assert_eq!(p.initials, ["JAN", "WILLEM", "PIETER"]);
        assert_eq!(p.family_name(), "de Vries");
        assert_eq!(p.date_of_birth, date!(1975 - 12 - 01));
    }

    #[test]
    fn reads_idcard_with_gender_x_as_unknown() {
        let d = disclosure(&[
            ("pbdf.pbdf.idcard.firstName", "Sam"),
            ("pbdf.pbdf.idcard.lastName", "Bakker"),
            ("pbdf.pbdf.idcard.dateOfBirth", "1990-05-17"),
            ("pbdf.pbdf.idcard.gender", "X"),
        ]);
        let (kind, p) = identify(&d, &sources()).unwrap();
        assert_eq!(kind, SourceKind::Idcard);
        assert_eq!(p.gender, Gender::Unknown);
    }

    #[test]
    fn refuses_attributes_mixed_from_two_sources() {
        let d = disclosure(&[
            ("pbdf.pbdf.idin.initials", "J."),
            ("pbdf.pbdf.idin.familyname", "Jansen"),
            ("pbdf.pbdf.idin.dateofbirth", "01-01-1970"),
            ("pbdf.pbdf.passport.gender", "M"),
        ]);
        assert_eq!(identify(&d, &sources()), Err(IdentityError::MixedSources));
    }

    #[test]
    fn refuses_an_incomplete_source() {
        let d = disclosure(&[
            ("pbdf.pbdf.idin.initials", "J."),
            ("pbdf.pbdf.idin.familyname", "Jansen"),
            ("pbdf.pbdf.idin.dateofbirth", "01-01-1970"),
        ]);
        assert_eq!(identify(&d, &sources()), Err(IdentityError::Incomplete));
    }

    #[test]
    fn refuses_an_attribute_disclosed_twice() {
        let d = disclosure(&[
            ("pbdf.pbdf.idin.initials", "J."),
            ("pbdf.pbdf.idin.familyname", "Jansen"),
            ("pbdf.pbdf.idin.familyname", "Jansen"),
            ("pbdf.pbdf.idin.dateofbirth", "01-01-1970"),
        ]);
        assert_eq!(identify(&d, &sources()), Err(IdentityError::Incomplete));
    }

    #[test]
    fn refuses_a_credential_that_is_not_an_enabled_source() {
        let d = disclosure(&[
            ("irma-demo.idin.idin.initials", "J."),
            ("irma-demo.idin.idin.familyname", "Jansen"),
            ("irma-demo.idin.idin.dateofbirth", "01-01-1970"),
            ("irma-demo.idin.idin.gender", "male"),
        ]);
        assert_eq!(
            identify(&d, &sources()),
            Err(IdentityError::ForeignAttribute)
        );
    }

    #[test]
    fn refuses_an_empty_disclosure() {
        assert_eq!(
            identify(&disclosure(&[]), &sources()),
            Err(IdentityError::NoSource)
        );
    }

    #[test]
    fn refuses_unusable_values_as_unusable() {
        let bad_date = idin("J.", "Jansen", "1970/01/01", "male");
        assert_eq!(
            identify(&bad_date, &sources()),
            Err(IdentityError::Unusable(Unusable::DateOfBirth))
        );
        let impossible = idin("J.", "Jansen", "31-02-1970", "male");
        assert_eq!(
            identify(&impossible, &sources()),
            Err(IdentityError::Unusable(Unusable::DateOfBirth))
        );
        let empty_name = idin("J.", "  ", "01-01-1970", "male");
        assert_eq!(
            identify(&empty_name, &sources()),
            Err(IdentityError::Unusable(Unusable::FamilyName))
        );
        let odd_gender = idin("J.", "Jansen", "01-01-1970", "dragon");
        assert_eq!(
            identify(&odd_gender, &sources()),
            Err(IdentityError::Unusable(Unusable::Gender))
        );
    }

    #[test]
    fn error_messages_never_carry_disclosed_values() {
        let errors = [
            IdentityError::NoSource,
            IdentityError::ForeignAttribute,
            IdentityError::MixedSources,
            IdentityError::Incomplete,
            IdentityError::Unusable(Unusable::DateOfBirth),
            IdentityError::Unusable(Unusable::FamilyName),
            IdentityError::Unusable(Unusable::Gender),
        ];
        for e in errors {
            let text = format!("{e} {e:?}");
            for value in ["Jansen", "1970", "J.", "male"] {
                assert!(!text.contains(value), "{text}");
            }
        }
    }
}

/// The disclosure request for the enabled sources: one disjunction whose options are the
/// sources, each a conjunction of its attributes, so the person discloses whichever they hold.
pub fn disclosure_request(sources: &[IdentitySource]) -> crate::irma::DisclosureRequest {
    use crate::irma::request::{AttributeRequest, DISCLOSURE_CONTEXT};
    let options = sources
        .iter()
        .map(|s| {
            s.attribute_ids()
                .into_iter()
                .map(AttributeRequest::Any)
                .collect()
        })
        .collect();
    crate::irma::DisclosureRequest {
        context: DISCLOSURE_CONTEXT,
        disclose: vec![options],
    }
}

#[cfg(test)]
mod request_tests {
    use super::*;

    #[test]
    fn offers_every_enabled_source_as_one_alternative() {
        let sources = [
            IdentitySource {
                kind: SourceKind::Idin,
                credential: "irma-demo.idin.idin".into(),
            },
            IdentitySource {
                kind: SourceKind::Passport,
                credential: "irma-demo.pbdf.passport".into(),
            },
        ];
        let json = serde_json::to_value(disclosure_request(&sources)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "@context": "https://irma.app/ld/request/disclosure/v2",
                "disclose": [[
                    ["irma-demo.idin.idin.initials", "irma-demo.idin.idin.familyname",
                     "irma-demo.idin.idin.dateofbirth", "irma-demo.idin.idin.gender"],
                    ["irma-demo.pbdf.passport.firstName", "irma-demo.pbdf.passport.lastName",
                     "irma-demo.pbdf.passport.dateOfBirth", "irma-demo.pbdf.passport.gender"]
                ]]
            })
        );
    }
}
