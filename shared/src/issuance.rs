//! From registrations to the IRMA issuance request: one BIG credential per profession.
//!
//! Attribute values follow the scheme's `pbdf.pbdf.big` (all four required) and the previous
//! issuer's formats: `bignumber` the 11 digits, `startdate` `dd-MM-yyyy`, `profession` the Dutch
//! singular title, `specialism` the specialisms' names joined with `;` (empty when none).

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime, format_description::FormatItem, macros::format_description};

use crate::irma::Disclosure;
use crate::irma::request::{
    AttributeRequest, CredentialRequest, ISSUANCE_CONTEXT, IssuanceRequest,
};
use crate::register::codes::Names;
use crate::register::{Registration, RegistrationEnd};

/// `dd-MM-yyyy`, the date format of the BIG credential's `startdate`.
const DUTCH_DATE: &[FormatItem<'static>] = format_description!("[day]-[month]-[year]");

/// Default credential lifetime in days.
pub const DEFAULT_VALIDITY_DAYS: u32 = 365;

/// What every credential of this deployment shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialSettings {
    /// The credential type, e.g. `pbdf.pbdf.big`.
    pub credential: String,
    /// Lifetime in days, before capping at the registration's end.
    pub validity_days: u32,
}

/// The expiry of a credential issued at `now` (Unix seconds): `now` + the configured days, but
/// never past the registration's end date (the start of that day, UTC).
pub fn validity(now: i64, validity_days: u32, end: RegistrationEnd) -> i64 {
    let wanted = now.saturating_add(i64::from(validity_days) * 86_400);
    match end {
        RegistrationEnd::On(date) => wanted.min(start_of_day(date)),
        RegistrationEnd::Open | RegistrationEnd::StruckOff => wanted,
    }
}

fn start_of_day(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}

/// One credential per registration, in the order given (the rules order by BIG number).
pub fn credentials(
    registrations: &[Registration],
    names: &Names,
    settings: &CredentialSettings,
    now: i64,
) -> Vec<CredentialRequest> {
    registrations
        .iter()
        .map(|r| {
            let specialisms: Vec<String> = r
                .specialism_codes
                .iter()
                .map(|&code| names.specialism(code))
                .collect();
            let attributes = BTreeMap::from([
                ("bignumber".to_string(), r.big_number.as_str().to_string()),
                ("startdate".to_string(), format_date(r.start_date)),
                (
                    "profession".to_string(),
                    names.profession(&r.profession_code),
                ),
                ("specialism".to_string(), specialisms.join(";")),
            ]);
            CredentialRequest {
                credential: settings.credential.clone(),
                validity: validity(now, settings.validity_days, r.end),
                attributes,
            }
        })
        .collect()
}

fn format_date(date: Date) -> String {
    date.format(DUTCH_DATE).unwrap_or_default()
}

/// The issuance request for the IRMA server's chained session (flow A): no `disclose`, the
/// IRMA server re-discloses the identity by itself.
pub fn chained_request(credentials: Vec<CredentialRequest>) -> IssuanceRequest {
    IssuanceRequest {
        context: ISSUANCE_CONTEXT,
        credentials,
        disclose: vec![],
    }
}

/// The issuance request for the browser (flow B): it also requires the app to disclose the very
/// identity values that were looked up, so the credentials can only land in the app that
/// proved that identity.
pub fn two_step_request(
    credentials: Vec<CredentialRequest>,
    disclosure: &Disclosure,
) -> IssuanceRequest {
    let same_identity: Vec<AttributeRequest> = disclosure
        .attributes
        .iter()
        .map(|a| AttributeRequest::Value {
            id: a.id.clone(),
            value: a.value.clone(),
        })
        .collect();
    IssuanceRequest {
        context: ISSUANCE_CONTEXT,
        credentials,
        disclose: vec![vec![same_identity]],
    }
}

/// Now, as Unix seconds (the one clock read of the pipeline, at its edge).
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irma::DisclosedAttribute;
    use crate::register::BigNumber;
    use time::macros::{date, datetime};

    const NOW: i64 = datetime!(2026-12-04 12:00 UTC).unix_timestamp();

    fn settings() -> CredentialSettings {
        CredentialSettings {
            credential: "pbdf.pbdf.big".into(),
            validity_days: 365,
        }
    }

    fn registration(
        big: &str,
        profession: &str,
        specialisms: Vec<u32>,
        end: RegistrationEnd,
    ) -> Registration {
        Registration {
            big_number: BigNumber::from_register(big).unwrap(),
            start_date: date!(1998 - 02 - 06),
            end,
            profession_code: profession.into(),
            specialism_codes: specialisms,
        }
    }

    #[test]
    fn validity_is_a_year_from_now() {
        assert_eq!(
            validity(NOW, 365, RegistrationEnd::Open),
            NOW + 365 * 86_400
        );
        assert_eq!(validity(NOW, 30, RegistrationEnd::Open), NOW + 30 * 86_400);
    }

    #[test]
    fn validity_is_capped_at_the_registration_end_date() {
        let end = date!(2027 - 03 - 01);
        assert_eq!(
            validity(NOW, 365, RegistrationEnd::On(end)),
            datetime!(2027-03-01 00:00 UTC).unix_timestamp()
        );
        let far = date!(2030 - 01 - 01);
        assert_eq!(
            validity(NOW, 365, RegistrationEnd::On(far)),
            NOW + 365 * 86_400
        );
    }

    #[test]
    fn builds_one_credential_per_registration_with_the_four_attributes() {
        let regs = [
            registration("01234567801", "01", vec![15], RegistrationEnd::Open),
            registration("91234567830", "30", vec![], RegistrationEnd::Open),
        ];
        let creds = credentials(&regs, &Names::default(), &settings(), NOW);
        assert_eq!(creds.len(), 2);
        let a = &creds[0].attributes;
        assert_eq!(a["bignumber"], "01234567801");
        assert_eq!(a["startdate"], "06-02-1998");
        assert_eq!(a["profession"], "Arts");
        assert_eq!(a["specialism"], "Huisartsgeneeskunde");
        assert_eq!(creds[0].credential, "pbdf.pbdf.big");
        assert_eq!(creds[1].attributes["profession"], "Verpleegkundige");
        assert_eq!(creds[1].attributes["specialism"], "");
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            ["bignumber", "profession", "specialism", "startdate"]
        );
    }

    #[test]
    fn joins_several_specialisms_with_semicolons() {
        let regs = [registration(
            "01234567801",
            "01",
            vec![16, 13],
            RegistrationEnd::Open,
        )];
        let creds = credentials(&regs, &Names::default(), &settings(), NOW);
        assert_eq!(
            creds[0].attributes["specialism"],
            "Interne geneeskunde;Maag-darm-leverziekten"
        );
    }

    #[test]
    fn the_two_step_request_requires_the_same_identity_values() {
        let disclosure = Disclosure {
            attributes: vec![
                DisclosedAttribute {
                    id: "pbdf.pbdf.idin.familyname".into(),
                    value: "Jansen".into(),
                },
                DisclosedAttribute {
                    id: "pbdf.pbdf.idin.initials".into(),
                    value: "J.".into(),
                },
            ],
        };
        let req = two_step_request(vec![], &disclosure);
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["@context"], "https://irma.app/ld/request/issuance/v2");
        assert_eq!(
            json["disclose"],
            serde_json::json!([[[
                {"type": "pbdf.pbdf.idin.familyname", "value": "Jansen"},
                {"type": "pbdf.pbdf.idin.initials", "value": "J."}
            ]]])
        );
        let chained = serde_json::to_value(chained_request(vec![])).unwrap();
        assert!(chained.get("disclose").is_none());
    }
}
