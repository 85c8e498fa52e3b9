//! The decision: given the person, the register's candidates and `today`, issue which
//! registrations, or refuse why (DESIGN.md section 6).
//!
//! Pure: no clock, no I/O. The only way to an issuance is [`Decision::Issue`], and it is only
//! built when exactly one candidate matches and at least one of its registrations is active
//! and unrestricted.

use time::Date;

use crate::error::ErrorCode;
use crate::identity::Person;
use crate::matching;
use crate::measures;
use crate::register::{Practitioner, Registration, RegistrationEnd};

/// Switches of the rules that configuration may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleConfig {
    /// Refuse registrations under an in-force measure that restricts practice (default on).
    pub refuse_restrictive_measures: bool,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            refuse_restrictive_measures: true,
        }
    }
}

/// What to do for this person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Issue one credential per registration, ordered by BIG number. Never empty.
    Issue(Vec<Registration>),
    /// Issue nothing, for this reason.
    Refuse(Refusal),
}

/// Why the register's answer gives no credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No candidate matches the person.
    #[error("no person in the register matches")]
    NoRegistration,
    /// More than one candidate matches: the register cannot tell them apart.
    #[error("more than one person in the register matches")]
    AmbiguousRegistration,
    /// The one match has no active, unrestricted registration.
    #[error("the person has no active, unrestricted registration")]
    RegistrationEnded,
}

impl From<Refusal> for ErrorCode {
    fn from(r: Refusal) -> ErrorCode {
        match r {
            Refusal::NoRegistration => ErrorCode::NoRegistration,
            Refusal::AmbiguousRegistration => ErrorCode::AmbiguousRegistration,
            Refusal::RegistrationEnded => ErrorCode::RegistrationEnded,
        }
    }
}

/// Decides for `person`, among the register's `candidates`, on `today`.
pub fn decide(
    person: &Person,
    candidates: &[Practitioner],
    today: Date,
    config: RuleConfig,
) -> Decision {
    let mut matches = candidates.iter().filter(|c| matching::is_match(person, c));
    let practitioner = match (matches.next(), matches.next()) {
        (None, _) => return Decision::Refuse(Refusal::NoRegistration),
        (Some(_), Some(_)) => return Decision::Refuse(Refusal::AmbiguousRegistration),
        (Some(one), None) => one,
    };
    let mut issuable: Vec<Registration> = practitioner
        .registrations
        .iter()
        .filter(|r| is_active(r, today))
        .filter(|r| !config.refuse_restrictive_measures || !is_restricted(practitioner, r, today))
        .cloned()
        .collect();
    if issuable.is_empty() {
        return Decision::Refuse(Refusal::RegistrationEnded);
    }
    issuable.sort_by(|a, b| a.big_number.cmp(&b.big_number));
    Decision::Issue(issuable)
}

/// Active: started on or before `today`, and no end date or one after `today`. Struck off is
/// never active.
pub fn is_active(registration: &Registration, today: Date) -> bool {
    registration.start_date <= today
        && match registration.end {
            RegistrationEnd::Open => true,
            RegistrationEnd::StruckOff => false,
            RegistrationEnd::On(end) => end > today,
        }
}

/// Restricted: an in-force measure on this registration's BIG number suspends or restricts
/// the right to practise (see [`measures`]).
pub fn is_restricted(
    practitioner: &Practitioner,
    registration: &Registration,
    today: Date,
) -> bool {
    practitioner
        .measures
        .iter()
        .filter(|m| m.big_number == registration.big_number)
        .any(|m| measures::blocks_issuance(m, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Gender;
    use crate::register::{BigNumber, Measure, RegisterGender};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn person() -> Person {
        Person {
            initials: vec!["A".into(), "M".into()],
            prefix: "den".into(),
            surname: "Hollander".into(),
            date_of_birth: date!(1970 - 02 - 20),
            gender: Gender::Female,
        }
    }

    fn big(n: &str) -> BigNumber {
        BigNumber::from_register(n).unwrap()
    }

    fn registration(n: &str, start: Date, end: RegistrationEnd) -> Registration {
        Registration {
            big_number: big(n),
            start_date: start,
            end,
            profession_code: "01".into(),
            specialism_codes: vec![],
        }
    }

    fn practitioner(registrations: Vec<Registration>) -> Practitioner {
        Practitioner {
            birth_surname: "Hollander".into(),
            prefix: Some("den".into()),
            initials: "A.M.".into(),
            gender: Some(RegisterGender::Female),
            registrations,
            measures: vec![],
        }
    }

    fn open(n: &str) -> Registration {
        registration(n, date!(1998 - 02 - 20), RegistrationEnd::Open)
    }

    #[test]
    fn issues_the_one_matching_persons_active_registration() {
        let d = decide(
            &person(),
            &[practitioner(vec![open("19021814501")])],
            TODAY,
            RuleConfig::default(),
        );
        assert_eq!(d, Decision::Issue(vec![open("19021814501")]));
    }

    #[test]
    fn refuses_when_no_person_matches() {
        let d = decide(&person(), &[], TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Refuse(Refusal::NoRegistration));
        let mut namesake = practitioner(vec![open("19021814501")]);
        namesake.birth_surname = "Hollanders".into();
        let d = decide(&person(), &[namesake], TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Refuse(Refusal::NoRegistration));
    }

    #[test]
    fn refuses_when_two_persons_share_name_and_birth_date() {
        let two = [
            practitioner(vec![open("19021814501")]),
            practitioner(vec![open("29021814530")]),
        ];
        let d = decide(&person(), &two, TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Refuse(Refusal::AmbiguousRegistration));
    }

    #[test]
    fn a_namesake_of_another_gender_does_not_make_it_ambiguous() {
        let mut other = practitioner(vec![open("29021814530")]);
        other.gender = Some(RegisterGender::Male);
        let d = decide(
            &person(),
            &[practitioner(vec![open("19021814501")]), other],
            TODAY,
            RuleConfig::default(),
        );
        assert_eq!(d, Decision::Issue(vec![open("19021814501")]));
    }

    #[test]
    fn refuses_an_ended_registration() {
        let ended = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::On(date!(2020 - 01 - 01)),
        );
        let d = decide(
            &person(),
            &[practitioner(vec![ended])],
            TODAY,
            RuleConfig::default(),
        );
        assert_eq!(d, Decision::Refuse(Refusal::RegistrationEnded));
    }

    #[test]
    fn a_registration_ending_today_is_ended_and_tomorrow_is_active() {
        let today_end = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::On(TODAY),
        );
        assert!(!is_active(&today_end, TODAY));
        let tomorrow = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::On(date!(2026 - 12 - 05)),
        );
        assert!(is_active(&tomorrow, TODAY));
    }

    #[test]
    fn refuses_a_struck_off_registration() {
        let struck = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::StruckOff,
        );
        let d = decide(
            &person(),
            &[practitioner(vec![struck])],
            TODAY,
            RuleConfig::default(),
        );
        assert_eq!(d, Decision::Refuse(Refusal::RegistrationEnded));
    }

    #[test]
    fn refuses_a_registration_that_starts_in_the_future() {
        let future = registration("19021814501", date!(2027 - 01 - 01), RegistrationEnd::Open);
        let d = decide(
            &person(),
            &[practitioner(vec![future])],
            TODAY,
            RuleConfig::default(),
        );
        assert_eq!(d, Decision::Refuse(Refusal::RegistrationEnded));
        let starts_today = registration("19021814501", TODAY, RegistrationEnd::Open);
        assert!(is_active(&starts_today, TODAY));
    }

    #[test]
    fn issues_only_the_active_professions_ordered_by_big_number() {
        let ended = registration(
            "39021814530",
            date!(1990 - 01 - 01),
            RegistrationEnd::On(date!(2000 - 01 - 01)),
        );
        let p = practitioner(vec![open("79021814530"), ended, open("19021814501")]);
        let d = decide(&person(), &[p], TODAY, RuleConfig::default());
        assert_eq!(
            d,
            Decision::Issue(vec![open("19021814501"), open("79021814530")])
        );
    }

    fn measure(n: &str, text: &str, end: Option<Date>) -> Measure {
        Measure {
            big_number: big(n),
            start: Some(date!(2025 - 01 - 01)),
            end,
            description: text.into(),
        }
    }

    #[test]
    fn refuses_a_registration_under_an_in_force_suspension() {
        let mut p = practitioner(vec![open("19021814501")]);
        p.measures.push(measure(
            "19021814501",
            "Schorsing van de inschrijving",
            None,
        ));
        let d = decide(&person(), &[p.clone()], TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Refuse(Refusal::RegistrationEnded));
        let off = RuleConfig {
            refuse_restrictive_measures: false,
        };
        assert_eq!(
            decide(&person(), &[p], TODAY, off),
            Decision::Issue(vec![open("19021814501")])
        );
    }

    #[test]
    fn a_measure_restricts_only_its_own_profession() {
        let mut p = practitioner(vec![open("19021814501"), open("79021814530")]);
        p.measures
            .push(measure("79021814530", "Gedeeltelijk verbod", None));
        let d = decide(&person(), &[p], TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Issue(vec![open("19021814501")]));
    }

    #[test]
    fn issues_despite_a_reprimand_or_an_ended_suspension() {
        let mut p = practitioner(vec![open("19021814501")]);
        p.measures.push(measure("19021814501", "Berisping", None));
        p.measures.push(measure(
            "19021814501",
            "Schorsing",
            Some(date!(2025 - 06 - 01)),
        ));
        p.measures
            .push(measure("19021814501", "Voorwaardelijke schorsing", None));
        let d = decide(&person(), &[p], TODAY, RuleConfig::default());
        assert_eq!(d, Decision::Issue(vec![open("19021814501")]));
    }

    /// A refusal can never turn into an issuance: feed every kind of refusing answer and check
    /// that the decision is a refusal and names no registration.
    #[test]
    fn no_refusing_answer_ever_becomes_an_issuance() {
        let ended = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::On(date!(2020 - 01 - 01)),
        );
        let struck = registration(
            "19021814501",
            date!(1998 - 02 - 20),
            RegistrationEnd::StruckOff,
        );
        let future = registration("19021814501", date!(2027 - 01 - 01), RegistrationEnd::Open);
        let mut suspended = practitioner(vec![open("19021814501")]);
        suspended
            .measures
            .push(measure("19021814501", "Schorsing", None));
        let mut unknown_measure = practitioner(vec![open("19021814501")]);
        unknown_measure
            .measures
            .push(measure("19021814501", "iets onbekends", None));
        let mut other_person = practitioner(vec![open("19021814501")]);
        other_person.initials = "B.".into();
        let answers: Vec<(Vec<Practitioner>, Refusal)> = vec![
            (vec![], Refusal::NoRegistration),
            (vec![other_person], Refusal::NoRegistration),
            (
                vec![practitioner(vec![open("1")]), practitioner(vec![open("2")])],
                Refusal::AmbiguousRegistration,
            ),
            (vec![practitioner(vec![])], Refusal::RegistrationEnded),
            (vec![practitioner(vec![ended])], Refusal::RegistrationEnded),
            (vec![practitioner(vec![struck])], Refusal::RegistrationEnded),
            (vec![practitioner(vec![future])], Refusal::RegistrationEnded),
            (vec![suspended], Refusal::RegistrationEnded),
            (vec![unknown_measure], Refusal::RegistrationEnded),
        ];
        for (candidates, expected) in answers {
            match decide(&person(), &candidates, TODAY, RuleConfig::default()) {
                Decision::Refuse(r) => assert_eq!(r, expected),
                Decision::Issue(regs) => panic!(
                    "issued {} registrations for a {expected:?} answer",
                    regs.len()
                ),
            }
        }
    }
}
