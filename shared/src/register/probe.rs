//! The date-of-birth proof: the register's answer carries no date of birth, so nothing in it
//! shows that the `DateOfBirth` filter was applied (BIG-REGISTER.md section 1; the previous
//! issuer worked around this with an undocumented search that later broke).
//!
//! Every lookup therefore sends the same query twice, concurrently: once with the person's date
//! of birth and once with a probe date that nobody can share with them. A register that honours
//! the filter cannot return one practitioner for both dates; if any practitioner appears in
//! both answers, the filter was ignored and the lookup is refused as unverifiable.

use time::Date;

use super::{Practitioner, Query, Register, RegisterError, RegisterGender};
use crate::identity::{Gender, Person};

/// Why a lookup gives no usable candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// One of the two queries failed (`big-unavailable`).
    #[error("the BIG register is unavailable: {0}")]
    Unavailable(RegisterError),
    /// The register ignored the date-of-birth filter (`big-unverifiable`).
    #[error("the BIG register did not honour the date-of-birth filter")]
    Unverifiable,
}

/// The probe's date of birth: a year earlier, the next month, and a day 14 away, so day, month
/// and year all differ from the person's (a register that matched on only part of the date
/// still cannot return one person for both). Always a valid date: the day stays within 1..=28.
pub fn probe_date_of_birth(date_of_birth: Date) -> Date {
    let day = date_of_birth.day();
    let day = if day <= 14 { day + 14 } else { day - 14 };
    let month = date_of_birth.month().next();
    Date::from_calendar_date(date_of_birth.year() - 1, month, day)
        .or_else(|_| Date::from_calendar_date(date_of_birth.year() + 1, month, day))
        .unwrap_or(date_of_birth)
}

/// The register query for a person: the surname without prefix as the search name, because
/// the register matches `Name` partially against the mailing name, which always contains the
/// birth surname but may spell the prefix differently or put a partner's name first.
pub fn query_for(person: &Person, date_of_birth: Date) -> Query {
    Query {
        name: person.surname.clone(),
        date_of_birth,
        gender: match person.gender {
            Gender::Male => Some(RegisterGender::Male),
            Gender::Female => Some(RegisterGender::Female),
            Gender::Unknown => None,
        },
    }
}

/// Searches the register for `person` and proves the answer is filtered on date of birth.
pub async fn lookup<R: Register>(
    register: &R,
    person: &Person,
) -> Result<Vec<Practitioner>, LookupError> {
    let real = query_for(person, person.date_of_birth);
    let probe = query_for(person, probe_date_of_birth(person.date_of_birth));
    let (real, probe) = tokio::join!(register.search(&real), register.search(&probe));
    let real = real.map_err(LookupError::Unavailable)?;
    let probe = probe.map_err(LookupError::Unavailable)?;
    if real
        .iter()
        .any(|r| probe.iter().any(|p| same_practitioner(r, p)))
    {
        return Err(LookupError::Unverifiable);
    }
    Ok(real)
}

/// The same register entry: a shared BIG number, or (for entries without registrations) the
/// same name, initials and gender.
fn same_practitioner(a: &Practitioner, b: &Practitioner) -> bool {
    let shares_number = a.registrations.iter().any(|ra| {
        b.registrations
            .iter()
            .any(|rb| ra.big_number == rb.big_number)
    });
    shares_number
        || (a.birth_surname == b.birth_surname
            && a.prefix == b.prefix
            && a.initials == b.initials
            && a.gender == b.gender)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::{BigNumber, ReferenceData, Registration, RegistrationEnd};
    use std::sync::Mutex;
    use time::macros::date;

    /// An in-memory register: persons with their dates of birth, and a switch to ignore the
    /// date-of-birth filter like a misbehaving register would.
    struct MemoryRegister {
        persons: Vec<(Date, Practitioner)>,
        honours_date_filter: bool,
        fail: Option<RegisterError>,
        seen: Mutex<Vec<Query>>,
    }

    impl Register for MemoryRegister {
        async fn search(&self, query: &Query) -> Result<Vec<Practitioner>, RegisterError> {
            self.seen.lock().unwrap().push(query.clone());
            if let Some(e) = self.fail {
                return Err(e);
            }
            Ok(self
                .persons
                .iter()
                .filter(|(dob, _)| !self.honours_date_filter || *dob == query.date_of_birth)
                .map(|(_, p)| p.clone())
                .collect())
        }

        async fn reference_data(&self) -> Result<ReferenceData, RegisterError> {
            Ok(ReferenceData::default())
        }
    }

    fn practitioner(big: &str) -> Practitioner {
        Practitioner {
            birth_surname: "Berg".into(),
            prefix: Some("van der".into()),
            initials: "A.".into(),
            gender: Some(RegisterGender::Female),
            registrations: vec![Registration {
                big_number: BigNumber::from_register(big).unwrap(),
                start_date: date!(2000 - 01 - 01),
                end: RegistrationEnd::Open,
                profession_code: "01".into(),
                specialism_codes: vec![],
            }],
            measures: vec![],
        }
    }

    fn person() -> Person {
        Person {
            initials: vec!["A".into()],
            prefix: "van der".into(),
            surname: "Berg".into(),
            date_of_birth: date!(1980 - 06 - 15),
            gender: Gender::Female,
        }
    }

    fn register(honours: bool) -> MemoryRegister {
        MemoryRegister {
            persons: vec![
                (date!(1980 - 06 - 15), practitioner("11111111101")),
                (date!(1975 - 01 - 01), practitioner("22222222201")),
            ],
            honours_date_filter: honours,
            fail: None,
            seen: Mutex::new(vec![]),
        }
    }

    #[tokio::test]
    async fn returns_the_filtered_answer_when_the_register_honours_the_date_filter() {
        let reg = register(true);
        let found = lookup(&reg, &person()).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].registrations[0].big_number.as_str(), "11111111101");
        let seen = reg.seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].name, "Berg");
        assert_eq!(seen[0].gender, Some(RegisterGender::Female));
        assert_ne!(seen[0].date_of_birth, seen[1].date_of_birth);
    }

    #[tokio::test]
    async fn refuses_as_unverifiable_when_the_register_ignores_the_date_filter() {
        assert_eq!(
            lookup(&register(false), &person()).await,
            Err(LookupError::Unverifiable)
        );
    }

    #[tokio::test]
    async fn an_empty_answer_is_no_proof_problem() {
        let mut reg = register(false);
        reg.persons.clear();
        assert_eq!(lookup(&reg, &person()).await, Ok(vec![]));
    }

    #[tokio::test]
    async fn a_failing_register_is_unavailable() {
        let mut reg = register(true);
        reg.fail = Some(RegisterError::Timeout);
        assert_eq!(
            lookup(&reg, &person()).await,
            Err(LookupError::Unavailable(RegisterError::Timeout))
        );
    }

    #[tokio::test]
    async fn unknown_gender_is_not_sent() {
        let reg = register(true);
        let mut p = person();
        p.gender = Gender::Unknown;
        lookup(&reg, &p).await.unwrap();
        assert!(reg.seen.lock().unwrap().iter().all(|q| q.gender.is_none()));
    }

    #[test]
    fn the_probe_date_differs_in_day_month_and_year() {
        for dob in [
            date!(1980 - 06 - 15),
            date!(1972 - 02 - 29),
            date!(2000 - 01 - 01),
            date!(1999 - 12 - 31),
        ] {
            let probe = probe_date_of_birth(dob);
            assert_ne!(probe.day(), dob.day(), "{dob}");
            assert_ne!(probe.month(), dob.month(), "{dob}");
            assert_ne!(probe.year(), dob.year(), "{dob}");
        }
    }
}
