//! The library's pipeline end to end on the register's own answers: a signed session result
//! goes in, a SOAP fixture written to the WSDL answers the lookup, and the outcome is checked
//! for every rule and pitfall of DESIGN.md sections 5 and 6.

use big_issuer::error::ErrorCode;
use big_issuer::identity::{IdentitySource, SourceKind};
use big_issuer::irma::ResultVerifier;
use big_issuer::issuance::CredentialSettings;
use big_issuer::pipeline::{Failure, Pipeline};
use big_issuer::register::codes::Catalogue;
use big_issuer::rules::RuleConfig;
use big_issuer::testkit::{FixtureRegister, TestKey, result_claims};
use std::sync::OnceLock;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/soap/", $name, ".xml")).as_slice()
    };
}

const BORN: time::Date = time::macros::date!(1970 - 02 - 20);
const BORN_IDIN: &str = "20-02-1970";
const BORN_PASSPORT: &str = "1970-02-20";

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(TestKey::generate)
}

fn pipeline(real: &'static [u8], probe: &'static [u8]) -> Pipeline<FixtureRegister> {
    Pipeline {
        verifier: ResultVerifier::from_pem(key().public_pem.as_bytes(), "irmaserver", 300).unwrap(),
        sources: vec![
            IdentitySource {
                kind: SourceKind::Idin,
                credential: "pbdf.pbdf.idin".into(),
            },
            IdentitySource {
                kind: SourceKind::Passport,
                credential: "pbdf.pbdf.passport".into(),
            },
        ],
        register: FixtureRegister {
            born: BORN,
            real,
            probe,
        },
        catalogue: Catalogue::new(),
        rules: RuleConfig::default(),
        credential: CredentialSettings {
            credential: "pbdf.pbdf.big".into(),
            validity_days: 365,
        },
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn idin(initials: &str, family_name: &str, gender: &str) -> String {
    key().sign(&result_claims(
        &[
            ("pbdf.pbdf.idin.initials", initials),
            ("pbdf.pbdf.idin.familyname", family_name),
            ("pbdf.pbdf.idin.dateofbirth", BORN_IDIN),
            ("pbdf.pbdf.idin.gender", gender),
        ],
        now(),
    ))
}

fn passport(first_names: &str, last_name: &str, gender: &str) -> String {
    key().sign(&result_claims(
        &[
            ("pbdf.pbdf.passport.firstName", first_names),
            ("pbdf.pbdf.passport.lastName", last_name),
            ("pbdf.pbdf.passport.dateOfBirth", BORN_PASSPORT),
            ("pbdf.pbdf.passport.gender", gender),
        ],
        now(),
    ))
}

/// Runs the pipeline; `Ok` with the issued BIG numbers, or the outcome code.
async fn outcome(real: &'static [u8], jwt: String) -> Result<Vec<String>, ErrorCode> {
    outcome_with_probe(real, fixture!("empty_result"), jwt).await
}

async fn outcome_with_probe(
    real: &'static [u8],
    probe: &'static [u8],
    jwt: String,
) -> Result<Vec<String>, ErrorCode> {
    match pipeline(real, probe).run(jwt.as_bytes(), now()).await {
        Ok(issued) => Ok(issued
            .credentials
            .iter()
            .map(|c| c.attributes["bignumber"].clone())
            .collect()),
        Err(Failure { code, .. }) => Err(code),
    }
}

fn issued(numbers: &[&str]) -> Result<Vec<String>, ErrorCode> {
    Ok(numbers.iter().map(|n| n.to_string()).collect())
}

#[tokio::test]
async fn issues_a_single_person_with_one_profession() {
    let p = pipeline(
        fixture!("single_person_one_profession"),
        fixture!("empty_result"),
    );
    let result = p
        .run(idin("J.", "Testpersoon", "male").as_bytes(), now())
        .await
        .unwrap();
    assert_eq!(result.source, SourceKind::Idin);
    let a = &result.credentials[0].attributes;
    assert_eq!(
        (
            a["bignumber"].as_str(),
            a["startdate"].as_str(),
            a["profession"].as_str(),
            a["specialism"].as_str()
        ),
        ("19123456701", "06-02-1998", "Arts", "Huisartsgeneeskunde")
    );
}

#[tokio::test]
async fn matches_a_prefix_absent_empty_separate_or_glued() {
    assert_eq!(
        outcome(
            fixture!("prefix_absent"),
            idin("A.B.", "Proefmans", "female")
        )
        .await,
        issued(&["19200000101"])
    );
    assert_eq!(
        outcome(
            fixture!("prefix_empty_element"),
            idin("AB", "Proefmans", "female")
        )
        .await,
        issued(&["19200000101"])
    );
    assert_eq!(
        outcome(
            fixture!("prefix_separate"),
            idin("K.", "van der Berg", "male")
        )
        .await,
        issued(&["19300000130"])
    );
    assert_eq!(
        outcome(
            fixture!("prefix_glued_into_birth_surname"),
            idin("K.", "van der Berg", "male")
        )
        .await,
        issued(&["19300000130"])
    );
    assert_eq!(
        outcome(fixture!("prefix_separate"), idin("K.", "Berg", "male")).await,
        Err(ErrorCode::NoRegistration)
    );
}

#[tokio::test]
async fn matches_names_with_diacritics_from_a_bank_and_from_a_passport_mrz() {
    assert_eq!(
        outcome(fixture!("diacritics"), idin("E.", "Celik", "female")).await,
        issued(&["19400000101"])
    );
    assert_eq!(
        outcome(fixture!("diacritics"), passport("OEZGUER", "MUELLER", "M")).await,
        issued(&["19400000202"])
    );
}

#[tokio::test]
async fn compares_initials_with_or_without_dots_and_abbreviated() {
    let f = fixture!("initials_variants");
    assert_eq!(
        outcome(f, idin("A.M.", "Voorletter", "female")).await,
        issued(&["19500000201"])
    );
    assert_eq!(
        outcome(f, idin("AM", "Voorletter", "female")).await,
        issued(&["19500000201"])
    );
    assert_eq!(
        outcome(f, idin("A", "Voorletter", "female")).await,
        issued(&["19500000201"])
    );
    assert_eq!(
        outcome(f, idin("Th.J.M.", "Voorletter", "male")).await,
        issued(&["19500000301"])
    );
    assert_eq!(
        outcome(f, passport("THEODORUS JAN", "VOORLETTER", "M")).await,
        issued(&["19500000301"])
    );
    assert_eq!(
        outcome(f, idin("B.", "Voorletter", "female")).await,
        Err(ErrorCode::NoRegistration)
    );
}

#[tokio::test]
async fn filters_out_the_janssens_namesake_of_janssen() {
    assert_eq!(
        outcome(
            fixture!("namesakes_janssen_janssens"),
            idin("P.", "Janssen", "male")
        )
        .await,
        issued(&["19600000101"])
    );
}

#[tokio::test]
async fn refuses_when_two_persons_share_name_and_birth_date() {
    let result = outcome(
        fixture!("identical_name_and_initials"),
        idin("C.H.", "Dubbelman", "female"),
    )
    .await;
    assert_eq!(result, Err(ErrorCode::AmbiguousRegistration));
}

#[tokio::test]
async fn refuses_ended_struck_off_future_and_suspended_registrations() {
    assert_eq!(
        outcome(
            fixture!("registration_ended"),
            idin("M.", "Gestopt", "female")
        )
        .await,
        Err(ErrorCode::RegistrationEnded)
    );
    assert_eq!(
        outcome(
            fixture!("registration_struck_off"),
            idin("N.", "Doorgehaald", "male")
        )
        .await,
        Err(ErrorCode::RegistrationEnded)
    );
    assert_eq!(
        outcome(
            fixture!("registration_future_start"),
            idin("S.", "Toekomst", "female")
        )
        .await,
        Err(ErrorCode::RegistrationEnded)
    );
    assert_eq!(
        outcome(
            fixture!("measure_suspension_in_force"),
            idin("T.", "Geschorst", "male")
        )
        .await,
        Err(ErrorCode::RegistrationEnded)
    );
}

#[tokio::test]
async fn issues_despite_ended_reprimand_and_conditional_measures() {
    assert_eq!(
        outcome(fixture!("measure_ended"), idin("U.", "Hersteld", "female")).await,
        issued(&["19900000201"])
    );
    assert_eq!(
        outcome(fixture!("measure_reprimand"), idin("V.", "Berispt", "male")).await,
        issued(&["19900000301"])
    );
    assert_eq!(
        outcome(
            fixture!("measure_conditional_suspension"),
            idin("W.", "Voorwaarde", "female")
        )
        .await,
        issued(&["19900000401"])
    );
}

#[tokio::test]
async fn issues_one_credential_per_profession_with_its_own_specialisms() {
    let p = pipeline(
        fixture!("two_professions_with_specialisms"),
        fixture!("empty_result"),
    );
    let result = p
        .run(idin("Y.", "Dubbelberoep", "female").as_bytes(), now())
        .await
        .unwrap();
    let got: Vec<(&str, &str)> = result
        .credentials
        .iter()
        .map(|c| {
            (
                c.attributes["bignumber"].as_str(),
                c.attributes["profession"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("19000000101", "Arts"), ("69000000130", "Verpleegkundige")]
    );
    assert_ne!(
        result.credentials[0].attributes["specialism"],
        result.credentials[1].attributes["specialism"]
    );
}

#[tokio::test]
async fn keeps_the_leading_zero_of_a_big_number() {
    assert_eq!(
        outcome(
            fixture!("big_number_leading_zero"),
            idin("Z.", "Nulletje", "male")
        )
        .await,
        issued(&["09911009701"])
    );
}

#[tokio::test]
async fn an_empty_answer_is_no_registration() {
    assert_eq!(
        outcome(fixture!("empty_result"), idin("J.", "Testpersoon", "male")).await,
        Err(ErrorCode::NoRegistration)
    );
}

#[tokio::test]
async fn faults_and_broken_answers_are_big_unavailable() {
    for f in [
        fixture!("soap11_fault"),
        fixture!("soap12_fault"),
        fixture!("garbage_not_xml"),
        fixture!("doctype_entity_expansion"),
        fixture!("wrong_shape"),
        fixture!("unparsable_date"),
    ] {
        assert_eq!(
            outcome(f, idin("J.", "Testpersoon", "male")).await,
            Err(ErrorCode::BigUnavailable)
        );
    }
    let broken_probe = outcome_with_probe(
        fixture!("single_person_one_profession"),
        fixture!("soap11_fault"),
        idin("J.", "Testpersoon", "male"),
    );
    assert_eq!(broken_probe.await, Err(ErrorCode::BigUnavailable));
}

#[tokio::test]
async fn the_same_person_in_the_probe_answer_is_big_unverifiable() {
    let f = fixture!("single_person_one_profession");
    assert_eq!(
        outcome_with_probe(f, f, idin("J.", "Testpersoon", "male")).await,
        Err(ErrorCode::BigUnverifiable)
    );
}
