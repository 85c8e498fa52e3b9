//! No personal value ever reaches an error: every error type's `Display` and `Debug`, and the
//! HTTP error bodies, are checked against the values of a person pushed through every failure.

use big_issuer::config::{Config, Function};
use big_issuer::error::ErrorCode;
use big_issuer::http::error_response;
use big_issuer::identity::{IdentityError, IdentitySource, SourceKind, Unusable, identify};
use big_issuer::irma::{
    DisclosedAttribute, Disclosure, DisclosureError, ExpiredReason, InvalidReason, KeyError,
    SignError,
};
use big_issuer::register::{LookupError, RegisterError};
use big_issuer::rules::Refusal;

/// Values of the test person; none may appear in any error text.
const PERSONAL: &[&str] = &[
    "Hollander",
    "den Hollander",
    "A.M.",
    "20-02-1970",
    "1970",
    "19021814501",
    "female",
];

fn assert_clean(text: &str) {
    for value in PERSONAL {
        assert!(!text.contains(value), "error text shows {value:?}: {text}");
    }
}

fn check<E: std::fmt::Display + std::fmt::Debug>(errors: &[E]) {
    for e in errors {
        assert_clean(&format!("{e} | {e:?}"));
    }
}

#[test]
fn no_error_type_displays_a_personal_value() {
    check(&[
        RegisterError::Timeout,
        RegisterError::Connect,
        RegisterError::Fault,
        RegisterError::Status(500),
        RegisterError::TooLarge,
        RegisterError::Doctype,
        RegisterError::Unparsable,
    ]);
    check(&[
        LookupError::Unverifiable,
        LookupError::Unavailable(RegisterError::Fault),
    ]);
    check(&[
        Refusal::NoRegistration,
        Refusal::AmbiguousRegistration,
        Refusal::RegistrationEnded,
    ]);
    check(&[KeyError::Unreadable, KeyError::NotRsaPem]);
    check(&[SignError::Signing]);
    check(&[
        DisclosureError::NotAJwt,
        DisclosureError::Expired(ExpiredReason::Expired),
        DisclosureError::Expired(ExpiredReason::TooOld),
        DisclosureError::Expired(ExpiredReason::IssuedInFuture),
    ]);
    for reason in [
        InvalidReason::Algorithm,
        InvalidReason::Signature,
        InvalidReason::Claims,
        InvalidReason::Issuer,
        InvalidReason::Subject,
        InvalidReason::SessionType,
        InvalidReason::Status,
        InvalidReason::ProofStatus,
        InvalidReason::AttributeNotPresent,
    ] {
        check(&[DisclosureError::Invalid(reason)]);
    }
    for code in ErrorCode::ALL {
        assert_clean(code.message());
        let body = error_response(code).into_body();
        assert_clean(&String::from_utf8_lossy(&body));
    }
}

#[test]
fn identity_errors_from_a_real_disclosure_show_none_of_its_values() {
    let sources = [IdentitySource {
        kind: SourceKind::Idin,
        credential: "pbdf.pbdf.idin".into(),
    }];
    let attr = |a: &str, v: &str| DisclosedAttribute {
        id: format!("pbdf.pbdf.idin.{a}"),
        value: v.into(),
    };
    let cases = [
        vec![
            attr("initials", "A.M."),
            attr("familyname", "den Hollander"),
            attr("dateofbirth", "1970-20-02"),
            attr("gender", "female"),
        ],
        vec![
            attr("initials", "A.M."),
            attr("familyname", "den Hollander"),
            attr("dateofbirth", "20-02-1970"),
        ],
        vec![
            attr("initials", "A.M."),
            attr("familyname", "den Hollander"),
            attr("dateofbirth", "20-02-1970"),
            attr("gender", "femme"),
        ],
    ];
    for attributes in cases {
        let e = identify(&Disclosure { attributes }, &sources).expect_err("refused");
        assert_clean(&format!("{e} | {e:?}"));
    }
    check(&[
        IdentityError::Unusable(Unusable::DateOfBirth),
        IdentityError::MixedSources,
    ]);
}

#[test]
fn configuration_errors_name_the_variable_never_the_value() {
    let values = [
        ("IRMA_SERVER_URL", "ftp://den-Hollander-19021814501"),
        ("IDENTITY_SOURCES", "idin=Hollander"),
        ("CREDENTIAL_VALIDITY_DAYS", "19021814501"),
    ];
    for (variable, value) in values {
        let e = Config::from_lookup(Function::DisclosureCallback, |name| match name {
            n if n == variable => Some(value.to_string()),
            "IRMA_SERVER_URL" => Some("https://irma.example.org".into()),
            "IRMA_SERVER_PUBLIC_KEY" => Some("pem".into()),
            _ => None,
        })
        .expect_err("refused");
        assert_eq!(e.variable, variable);
        assert_clean(&format!("{e} | {e:?}"));
    }
}
