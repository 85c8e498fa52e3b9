//! The demo persons as the IRMA app would disclose them (iDIN), with the outcome each must
//! get. They match `data/demo-persons.json`, the stand-in register's demo data.

use serde_json::Value;

use big_issuer::testkit::{TestKey, idin_attributes, result_claims};

/// One person who discloses their identity, and what the service must answer.
#[derive(Clone, Copy, Debug)]
pub struct DemoPerson {
    /// What this person demonstrates.
    pub label: &'static str,
    /// iDIN initials.
    pub initials: &'static str,
    /// iDIN family name (prefix included).
    pub family_name: &'static str,
    /// iDIN date of birth, `dd-MM-yyyy`.
    pub date_of_birth: &'static str,
    /// iDIN gender.
    pub gender: &'static str,
    /// `None` for an issuance; else the refusal code.
    pub refusal: Option<&'static str>,
    /// BIG numbers issued, in order.
    pub issued: &'static [&'static str],
}

/// Every demo person, one per outcome.
pub const DEMO_PERSONS: &[DemoPerson] = &[
    DemoPerson {
        label: "one profession, prefixed surname",
        initials: "A.M.",
        family_name: "den Hollander",
        date_of_birth: "20-02-1970",
        gender: "female",
        refusal: None,
        issued: &["19021814501"],
    },
    DemoPerson {
        label: "two professions with specialisms",
        initials: "PJ",
        family_name: "Visser",
        date_of_birth: "01-07-1965",
        gender: "male",
        refusal: None,
        issued: &["29021814501", "79021814530"],
    },
    DemoPerson {
        label: "prefix glued into the surname",
        initials: "E.",
        family_name: "van der Berg",
        date_of_birth: "15-06-1980",
        gender: "female",
        refusal: None,
        issued: &["39021814517"],
    },
    DemoPerson {
        label: "namesake Jansens filtered out",
        initials: "L.",
        family_name: "Jansen",
        date_of_birth: "11-11-1981",
        gender: "female",
        refusal: None,
        issued: &["59021814501"],
    },
    DemoPerson {
        label: "diacritics, gender unknown",
        initials: "C.",
        family_name: "Celik",
        date_of_birth: "04-04-1985",
        gender: "unknown",
        refusal: None,
        issued: &["19021814630"],
    },
    DemoPerson {
        label: "two persons share name and birth date",
        initials: "K.",
        family_name: "Janssen",
        date_of_birth: "03-03-1975",
        gender: "male",
        refusal: Some("ambiguous-registration"),
        issued: &[],
    },
    DemoPerson {
        label: "registration ended",
        initials: "R.",
        family_name: "Bakker",
        date_of_birth: "01-01-1950",
        gender: "male",
        refusal: Some("registration-ended"),
        issued: &[],
    },
    DemoPerson {
        label: "struck off",
        initials: "S.",
        family_name: "de Boer",
        date_of_birth: "05-05-1960",
        gender: "female",
        refusal: Some("registration-ended"),
        issued: &[],
    },
    DemoPerson {
        label: "suspended (public measure)",
        initials: "T.",
        family_name: "Mulder",
        date_of_birth: "12-12-1972",
        gender: "male",
        refusal: Some("registration-ended"),
        issued: &[],
    },
    DemoPerson {
        label: "registration starts in the future",
        initials: "U.",
        family_name: "Smit",
        date_of_birth: "09-09-1999",
        gender: "female",
        refusal: Some("registration-ended"),
        issued: &[],
    },
    DemoPerson {
        label: "not in the register",
        initials: "N.",
        family_name: "Nergens",
        date_of_birth: "01-01-1990",
        gender: "female",
        refusal: Some("no-registration"),
        issued: &[],
    },
    DemoPerson {
        label: "right name, wrong birth date",
        initials: "A.M.",
        family_name: "den Hollander",
        date_of_birth: "21-02-1970",
        gender: "female",
        refusal: Some("no-registration"),
        issued: &[],
    },
];

impl DemoPerson {
    /// The session result claims an IRMA server would sign for this person's iDIN disclosure
    /// from `credential` (e.g. `pbdf.pbdf.idin`), issued at `iat`.
    pub fn result_claims(&self, credential: &str, iat: i64) -> Value {
        let attrs = idin_attributes(
            credential,
            self.initials,
            self.family_name,
            self.date_of_birth,
            self.gender,
        );
        let refs: Vec<(&str, &str)> = attrs.iter().map(|(id, v)| (id.as_str(), *v)).collect();
        result_claims(&refs, iat)
    }

    /// The signed session-result JWT.
    pub fn result_jwt(&self, irma_key: &TestKey, credential: &str, iat: i64) -> String {
        irma_key.sign(&self.result_claims(credential, iat))
    }
}
