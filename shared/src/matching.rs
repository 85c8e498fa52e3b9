//! Which of the register's candidates is the person who disclosed.
//!
//! The register's `Name` search is partial and runs against the mailing name, so its answer
//! holds namesakes (`Janssens` for `Janssen`) and may hold partner names. Each candidate must
//! match on all three of: family name, initials, gender (DESIGN.md section 5).
//! `MailingName` is never compared: it may carry a partner's name.

use crate::identity::{Gender, Person};
use crate::names;
use crate::register::{Practitioner, RegisterGender};

/// Whether the register's candidate is this person.
pub fn is_match(person: &Person, candidate: &Practitioner) -> bool {
    family_name_matches(person, candidate)
        && initials_match(&person.initials, &candidate.initials)
        && gender_agrees(person.gender, candidate.gender)
}

/// `Prefix + BirthSurname` equals the person's prefix and family name, compared on letters
/// only, so an absent, empty, separate or glued prefix all compare alike.
pub fn family_name_matches(person: &Person, candidate: &Practitioner) -> bool {
    let register_name = match &candidate.prefix {
        Some(prefix) => format!("{prefix} {}", candidate.birth_surname),
        None => candidate.birth_surname.clone(),
    };
    names::same_family_name(&person.family_name(), &register_name)
}

/// The register's initials (`"A.M."`, `"Th.J."`) against the person's initial groups.
///
/// Two ways to agree, either suffices:
/// - letters only, the shorter sequence a prefix of the longer (`AM` and `A`; `THJ` and `THJ`);
/// - group by group, each pair one a prefix of the other, the shorter list a prefix of the
///   longer: this lets whole given names from a passport (`THEODORUS JAN`) meet `Th.J.`.
///
/// Empty initials agree only with empty initials: an absent value must not match everyone.
pub fn initials_match(person: &[String], register: &str) -> bool {
    let register_groups: Vec<String> = register
        .split(|c: char| c == '.' || c.is_whitespace())
        .map(|g| names::letters(g).to_uppercase())
        .filter(|g| !g.is_empty())
        .collect();
    let person_letters: String = person
        .iter()
        .map(|g| g.chars().next().map(String::from).unwrap_or_default())
        .collect::<Vec<_>>()
        .concat();
    let person_all: String = person.concat();
    let register_letters: String = register_groups.concat();

    if person_all.is_empty() || register_letters.is_empty() {
        return person_all.is_empty() && register_letters.is_empty();
    }
    // Initials from a bank or registry: every group is itself an initial (or `TH`).
    let letterwise = |ours: &str| {
        let (short, long) = if ours.len() <= register_letters.len() {
            (ours, register_letters.as_str())
        } else {
            (register_letters.as_str(), ours)
        };
        long.starts_with(short)
    };
    let looks_like_initials = person.iter().all(|g| g.chars().count() <= 2);
    if looks_like_initials && letterwise(&person_all) {
        return true;
    }
    // Whole given names: compare their first letters letterwise, then group by group.
    if !looks_like_initials && letterwise(&person_letters) {
        return true;
    }
    let n = person.len().min(register_groups.len());
    person
        .iter()
        .zip(&register_groups)
        .take(n)
        .all(|(a, b)| a.starts_with(b.as_str()) || b.starts_with(a.as_str()))
}

/// Gender must agree where both sides know it; unknown on either side does not filter.
pub fn gender_agrees(person: Gender, register: Option<RegisterGender>) -> bool {
    matches!(
        (person, register),
        (Gender::Unknown, _)
            | (_, None)
            | (Gender::Male, Some(RegisterGender::Male))
            | (Gender::Female, Some(RegisterGender::Female))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn groups(g: &[&str]) -> Vec<String> {
        g.iter().map(|s| s.to_string()).collect()
    }

    fn person(initials: &[&str], prefix: &str, surname: &str, gender: Gender) -> Person {
        Person {
            initials: groups(initials),
            prefix: prefix.into(),
            surname: surname.into(),
            date_of_birth: date!(1970 - 01 - 01),
            gender,
        }
    }

    fn candidate(prefix: Option<&str>, surname: &str, initials: &str) -> Practitioner {
        Practitioner {
            birth_surname: surname.into(),
            prefix: prefix.map(Into::into),
            initials: initials.into(),
            gender: Some(RegisterGender::Female),
            registrations: vec![],
            measures: vec![],
        }
    }

    #[test]
    fn matches_prefix_absent_empty_separate_or_glued() {
        let p = person(&["A", "M"], "van der", "Berg", Gender::Female);
        assert!(is_match(&p, &candidate(Some("van der"), "Berg", "A.M.")));
        assert!(is_match(&p, &candidate(None, "van der Berg", "A.M.")));
        assert!(is_match(&p, &candidate(Some("Van Der"), "Berg", "A.M.")));
        assert!(is_match(&p, &candidate(None, "vanderBerg", "A.M.")));
        assert!(!is_match(&p, &candidate(None, "Berg", "A.M.")));
        let no_prefix = person(&["A", "M"], "", "Berg", Gender::Female);
        assert!(is_match(&no_prefix, &candidate(None, "Berg", "A.M.")));
        assert!(!is_match(
            &no_prefix,
            &candidate(Some("van der"), "Berg", "A.M.")
        ));
    }

    #[test]
    fn matches_names_regardless_of_case_and_diacritics() {
        let p = person(&["E"], "", "Celik", Gender::Female);
        assert!(is_match(&p, &candidate(None, "Çelik", "E.")));
        let mrz = person(&["ERIKA"], "", "MUELLER", Gender::Female);
        assert!(is_match(&mrz, &candidate(None, "Müller", "E.")));
        let apostrophe = person(&["P"], "d'", "Hondt", Gender::Female);
        assert!(is_match(&apostrophe, &candidate(Some("d'"), "Hondt", "P.")));
        assert!(is_match(&apostrophe, &candidate(Some("D"), "hondt", "P.")));
    }

    #[test]
    fn refuses_the_janssens_namesake_of_janssen() {
        let p = person(&["K"], "", "Janssen", Gender::Female);
        assert!(is_match(&p, &candidate(None, "Janssen", "K.")));
        assert!(!is_match(&p, &candidate(None, "Janssens", "K.")));
    }

    #[test]
    fn initials_with_or_without_dots_and_abbreviated() {
        assert!(initials_match(&groups(&["A", "M"]), "A.M."));
        assert!(initials_match(&groups(&["A"]), "A.M."));
        assert!(initials_match(&groups(&["A", "M", "J"]), "A.M."));
        assert!(initials_match(&groups(&["TH", "J"]), "Th.J."));
        assert!(initials_match(&groups(&["T", "H", "J"]), "Th.J."));
        assert!(!initials_match(&groups(&["M", "A"]), "A.M."));
        assert!(!initials_match(&groups(&["B"]), "A.M."));
    }

    #[test]
    fn initials_derived_from_given_names() {
        assert!(initials_match(&groups(&["ANNA", "MARIA"]), "A.M."));
        assert!(initials_match(&groups(&["ANNA"]), "A.M."));
        assert!(initials_match(&groups(&["THEODORUS", "JAN"]), "Th.J."));
        assert!(initials_match(&groups(&["IJSBRAND"]), "IJ."));
        assert!(!initials_match(&groups(&["MARIA", "ANNA"]), "A.M."));
        assert!(!initials_match(&groups(&["THOMAS"]), "Ch."));
    }

    #[test]
    fn empty_initials_match_only_empty_initials() {
        assert!(!initials_match(&[], "A."));
        assert!(!initials_match(&groups(&["A"]), ""));
        assert!(initials_match(&[], ""));
    }

    #[test]
    fn gender_filters_only_where_both_sides_know_it() {
        assert!(gender_agrees(Gender::Female, Some(RegisterGender::Female)));
        assert!(!gender_agrees(Gender::Female, Some(RegisterGender::Male)));
        assert!(!gender_agrees(Gender::Male, Some(RegisterGender::Female)));
        assert!(gender_agrees(Gender::Unknown, Some(RegisterGender::Male)));
        assert!(gender_agrees(Gender::Male, None));
    }
}
