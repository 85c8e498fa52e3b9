//! What the register says about a person: the typed form of one `ListHcpApprox4` element.
//!
//! These values are personal data. They are never logged, never put into an error and never
//! kept beyond the request.

use time::Date;

/// A BIG number: 11 digits, kept as a string because the register types it `xs:decimal` and
/// naive clients lose leading zeros (BIG-REGISTER.md, "Leading zeros").
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BigNumber(String);

impl BigNumber {
    /// Parses the register's decimal rendering (`"12345678901"`, `"9911009701"`, `"123.0"`)
    /// into the 11-digit form, left-padding with zeros. `None` when it is not a whole number
    /// of at most 11 digits.
    pub fn from_register(raw: &str) -> Option<BigNumber> {
        let raw = raw.trim();
        // xs:decimal may carry a fractional part of zeros ("12345678901.0").
        let whole = match raw.split_once('.') {
            Some((whole, frac)) if frac.bytes().all(|b| b == b'0') => whole,
            Some(_) => return None,
            None => raw,
        };
        let whole = whole.strip_prefix('+').unwrap_or(whole);
        if whole.is_empty() || whole.len() > 11 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(BigNumber(format!("{whole:0>11}")))
    }

    /// The 11-digit string, as issued in the `bignumber` attribute.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BigNumber {
    // A BIG number is personal data: keep it out of debug output by accident, e.g. in a
    // panic message; tests that need it compare with `as_str`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BigNumber(..)")
    }
}

/// Gender as the register records it (`M` or `V`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterGender {
    /// `M`: man.
    Male,
    /// `V`: vrouw.
    Female,
}

impl RegisterGender {
    /// The register's code for this gender.
    pub fn code(self) -> &'static str {
        match self {
            RegisterGender::Male => "M",
            RegisterGender::Female => "V",
        }
    }
}

/// One person in the register, with all their professions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Practitioner {
    /// Geslachtsnaam without prefix (`BirthSurname`). May have the prefix glued in front.
    pub birth_surname: String,
    /// Voorvoegsel (`Prefix`); `None` when absent or empty.
    pub prefix: Option<String>,
    /// Initials as stored (`Initial`), e.g. `A.M.`.
    pub initials: String,
    /// `Gender`; `None` when absent or not `M`/`V`.
    pub gender: Option<RegisterGender>,
    /// One entry per profession (`ArticleRegistrationExtApp`).
    pub registrations: Vec<Registration>,
    /// Public measures (`JudgmentProvisionExtApp`), each tied to one BIG number.
    pub measures: Vec<Measure>,
}

/// One registration: one profession with its own BIG number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// `ArticleRegistrationNumber`.
    pub big_number: BigNumber,
    /// `ArticleRegistrationStartDate` (the date part; the register gives midnight times).
    pub start_date: Date,
    /// `ArticleRegistrationEndDate`, with its sentinels decoded.
    pub end: RegistrationEnd,
    /// `ProfessionalGroupCode`, zero-padded to two digits (`"01"`).
    pub profession_code: String,
    /// `TypeOfSpecialismId` of every specialism linked to this BIG number, in register order.
    pub specialism_codes: Vec<u32>,
}

/// The end of a registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationEnd {
    /// `0001-01-01T00:00:00`: no end date.
    Open,
    /// `0002-01-01T00:00:00`: struck off permanently (reported by a client of the current
    /// endpoint; BIG-REGISTER.md section 2).
    StruckOff,
    /// A real end date.
    On(Date),
}

/// A public measure (maatregel) on one registration, as the register describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// `ArticleNumber`: the BIG number the measure applies to.
    pub big_number: BigNumber,
    /// `StartDate`; `None` when nil.
    pub start: Option<Date>,
    /// `EndDate`; `None` when nil (in force until further notice).
    pub end: Option<Date>,
    /// `PublicDescription`: free text, the only clue to the kind of measure.
    pub description: String,
}

/// What one lookup asks the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// `Name`: matched partially against the mailing name by the register.
    pub name: String,
    /// `DateOfBirth`.
    pub date_of_birth: Date,
    /// `Gender`; sent only when known.
    pub gender: Option<RegisterGender>,
}

/// A profession or specialism name from the register's reference data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferenceData {
    /// `ProfessionalGroup`: code (`"01"`) and singular title.
    pub professions: Vec<(String, String)>,
    /// `TypeOfSpecialism`: code and name.
    pub specialisms: Vec<(u32, String)>,
}
