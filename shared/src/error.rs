//! The outcome codes of the HTTP contract (DESIGN.md section 7), one variant a row.
//!
//! Every failure anywhere in the pipeline ends as exactly one [`ErrorCode`]. Its message is a
//! fixed English sentence: it never carries personal data, because nothing is interpolated.

use serde::Serialize;

/// One row of the contract's error table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// Body missing, not a JWT, not UTF-8.
    InvalidRequest,
    /// The session result is not a valid, complete disclosure of one accepted source.
    InvalidDisclosure,
    /// The session result is too old, expired, or issued in the future.
    DisclosureExpired,
    /// The disclosed identity cannot be used for a lookup (unparsable date, empty name).
    UnusableIdentity,
    /// No person in the register matches.
    NoRegistration,
    /// More than one person in the register matches.
    AmbiguousRegistration,
    /// The person matches but has no active, unrestricted registration.
    RegistrationEnded,
    /// The register was unreachable, timed out, faulted, or answered unparsably.
    BigUnavailable,
    /// The register did not honour the date-of-birth filter.
    BigUnverifiable,
    /// Unknown route.
    NotFound,
    /// Known route, wrong method.
    MethodNotAllowed,
    /// Body over 64 KiB.
    PayloadTooLarge,
    /// Anything else.
    Internal,
}

impl ErrorCode {
    /// Every code, in the contract's order.
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidDisclosure,
        ErrorCode::DisclosureExpired,
        ErrorCode::UnusableIdentity,
        ErrorCode::NoRegistration,
        ErrorCode::AmbiguousRegistration,
        ErrorCode::RegistrationEnded,
        ErrorCode::BigUnavailable,
        ErrorCode::BigUnverifiable,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Internal,
    ];

    /// The code as it appears in the `error` field and the `Big-Issuer-Outcome` header.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid-request",
            ErrorCode::InvalidDisclosure => "invalid-disclosure",
            ErrorCode::DisclosureExpired => "disclosure-expired",
            ErrorCode::UnusableIdentity => "unusable-identity",
            ErrorCode::NoRegistration => "no-registration",
            ErrorCode::AmbiguousRegistration => "ambiguous-registration",
            ErrorCode::RegistrationEnded => "registration-ended",
            ErrorCode::BigUnavailable => "big-unavailable",
            ErrorCode::BigUnverifiable => "big-unverifiable",
            ErrorCode::NotFound => "not-found",
            ErrorCode::MethodNotAllowed => "method-not-allowed",
            ErrorCode::PayloadTooLarge => "payload-too-large",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status of this code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest => 400,
            ErrorCode::InvalidDisclosure | ErrorCode::DisclosureExpired => 401,
            ErrorCode::UnusableIdentity => 422,
            ErrorCode::NoRegistration | ErrorCode::NotFound => 404,
            ErrorCode::AmbiguousRegistration => 409,
            ErrorCode::RegistrationEnded => 403,
            ErrorCode::BigUnavailable | ErrorCode::BigUnverifiable => 503,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Internal => 500,
        }
    }

    /// The English sentence shown with the code. Fixed text: no personal data can enter it.
    pub fn message(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "The request body must be a session-result JWT.",
            ErrorCode::InvalidDisclosure => {
                "The disclosure is not a valid, complete disclosure of an accepted identity credential."
            }
            ErrorCode::DisclosureExpired => {
                "The disclosure is too old or not yet valid; please disclose your identity again."
            }
            ErrorCode::UnusableIdentity => {
                "The disclosed identity cannot be used to search the BIG register."
            }
            ErrorCode::NoRegistration => {
                "No registration in the BIG register matches your identity."
            }
            ErrorCode::AmbiguousRegistration => {
                "More than one person in the BIG register matches your identity, so no attributes can be issued."
            }
            ErrorCode::RegistrationEnded => {
                "Your BIG registration has ended or is restricted, so no attributes can be issued."
            }
            ErrorCode::BigUnavailable => {
                "The BIG register could not be consulted right now; please try again in a few minutes."
            }
            ErrorCode::BigUnverifiable => {
                "The BIG register's answer could not be verified, so no attributes can be issued; please try again later."
            }
            ErrorCode::NotFound => "There is nothing at this address.",
            ErrorCode::MethodNotAllowed => "This address does not accept this method.",
            ErrorCode::PayloadTooLarge => "The request body is larger than 64 KiB.",
            ErrorCode::Internal => "Something went wrong on our side; please try again later.",
        }
    }

    /// Whether the code refuses a valid disclosure because of the person or the register
    /// (the disclosure-callback answers these with 204 and `Big-Issuer-Outcome`).
    pub fn is_person_refusal(self) -> bool {
        matches!(
            self,
            ErrorCode::UnusableIdentity
                | ErrorCode::NoRegistration
                | ErrorCode::AmbiguousRegistration
                | ErrorCode::RegistrationEnded
                | ErrorCode::BigUnavailable
                | ErrorCode::BigUnverifiable
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_the_contract_status() {
        let table = [
            ("invalid-request", 400),
            ("invalid-disclosure", 401),
            ("disclosure-expired", 401),
            ("unusable-identity", 422),
            ("no-registration", 404),
            ("ambiguous-registration", 409),
            ("registration-ended", 403),
            ("big-unavailable", 503),
            ("big-unverifiable", 503),
            ("not-found", 404),
            ("method-not-allowed", 405),
            ("payload-too-large", 413),
            ("internal", 500),
        ];
        let got: Vec<_> = ErrorCode::ALL
            .iter()
            .map(|c| (c.as_str(), c.status()))
            .collect();
        assert_eq!(got, table);
    }

    #[test]
    fn serializes_as_the_contract_code() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn only_person_and_register_outcomes_are_callback_refusals() {
        let refusals: Vec<_> = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.is_person_refusal())
            .map(ErrorCode::as_str)
            .collect();
        assert_eq!(
            refusals,
            [
                "unusable-identity",
                "no-registration",
                "ambiguous-registration",
                "registration-ended",
                "big-unavailable",
                "big-unverifiable"
            ]
        );
    }

    #[test]
    fn messages_are_english_sentences() {
        for code in ErrorCode::ALL {
            let m = code.message();
            assert!(m.ends_with('.'), "{code}");
            assert!(m.chars().next().is_some_and(char::is_uppercase), "{code}");
        }
    }
}
