//! The names issued for the register's profession and specialism codes: a bundled table,
//! complete for today's register, with the register's own `GetRibizReferenceData` as the
//! fallback for a code the table does not know (DESIGN.md section 6).
//!
//! Professions are issued as the Dutch singular title (`Arts`, `Verpleegkundige`). For the
//! eight classic groups these are the titles the previous issuer (credentials/irma_big_server,
//! `BIGService.GROUPS`) issued, `Gz-psycholoog` included; the newer groups take the singular
//! titles of the UZI role codes (OID 2.16.840.1.113883.2.4.15.111, copied in
//! nuts-foundation/nl-generic-functions-ig `input/fsh/valuesets.fsh`), except group 86, whose
//! UZI label "VIG-er" is slang: it gets the singular of the register's own group name. Group 99
//! ("Onbekend" in the register, "Zorgverlener andere zorg" in UZI) has no title and is left to
//! the register's reference data.
//!
//! Specialisms are issued as the name of the specialism alone, e.g. `Huisartsgeneeskunde`.
//! The previous issuer issued the label of the 2017 *Handleiding webservice BIG-register*
//! verbatim, specialist title in parentheses included (`Huisartsgeneeskunde (huisarts)`,
//! irma_big_server `BIGService.SPECIALISMS`). We drop the parenthesised title because the
//! register keeps the two apart (`TypeOfSpecialism` has `Description` and `TitleOfSpecialist`),
//! so a name from the bundled table and one from the reference-data fallback have the same
//! form. The names otherwise follow that handleiding list (as also copied in
//! waarneembemiddeling/bigregister-soap `Specialism.php`), with two evident typos corrected
//! ("Arbeid en gezond", "Spoedeisendehulp"); code 76 comes from the UZI role codes; codes that
//! were retired before 2016 (5, 6, 7, 17, 44) from finalist/big_register's 2013 list.

use std::sync::Arc;

use tokio::sync::OnceCell;

use super::Register;
use super::model::{ReferenceData, Registration};

/// The Dutch singular title for a `ProfessionalGroupCode` (two digits, `"01"`), if bundled.
pub fn profession_title(code: &str) -> Option<&'static str> {
    Some(match code {
        "01" => "Arts",
        "02" => "Tandarts",
        "03" => "Verloskundige",
        "04" => "Fysiotherapeut",
        "16" => "Psychotherapeut",
        "17" => "Apotheker",
        "18" => "Apotheekhoudend arts",
        "25" => "Gz-psycholoog",
        "30" => "Verpleegkundige",
        "31" => "Orthopedagoog-generalist",
        "79" => "Geregistreerd-mondhygiënist",
        "80" => "Bachelor medisch hulpverlener",
        "81" => "Physician assistant",
        "82" => "Klinisch technoloog",
        "83" => "Apothekersassistent",
        "84" => "Klinisch fysicus",
        "85" => "Tandprotheticus",
        "86" => "Verzorgende individuele gezondheidszorg",
        "87" => "Optometrist",
        "88" => "Huidtherapeut",
        "89" => "Diëtist",
        "90" => "Ergotherapeut",
        "91" => "Logopedist",
        "92" => "Mondhygiënist",
        "93" => "Oefentherapeut Mensendieck",
        "94" => "Oefentherapeut Cesar",
        "95" => "Orthoptist",
        "96" => "Podotherapeut",
        "97" => "Radiodiagnostisch laborant",
        "98" => "Radiotherapeutisch laborant",
        _ => return None,
    })
}

/// The Dutch name of a `TypeOfSpecialismId`, if bundled.
pub fn specialism_name(code: u32) -> Option<&'static str> {
    Some(match code {
        // Arts (01)
        2 => "Allergologie",
        3 => "Anesthesiologie",
        4 => "Huisartsgeneeskunde met apotheek",
        5 => "Medische milieukunde",
        6 => "Tuberculosebestrijding",
        7 => "Arbeid en gezondheid",
        8 => "Arbeid en gezondheid - bedrijfsgeneeskunde",
        10 => "Cardiologie",
        11 => "Cardio-thoracale chirurgie",
        12 => "Dermatologie en venerologie",
        13 => "Maag-darm-leverziekten",
        14 => "Heelkunde",
        15 => "Huisartsgeneeskunde",
        16 => "Interne geneeskunde",
        17 => "Jeugdgezondheidszorg",
        18 => "Keel-, neus- en oorheelkunde",
        19 => "Kindergeneeskunde",
        20 => "Klinische chemie",
        21 => "Klinische genetica",
        22 => "Klinische geriatrie",
        23 => "Longziekten en tuberculose",
        24 => "Medische microbiologie",
        25 => "Neurochirurgie",
        26 => "Neurologie",
        30 => "Nucleaire geneeskunde",
        31 => "Oogheelkunde",
        32 => "Orthopedie",
        33 => "Pathologie",
        34 => "Plastische chirurgie",
        35 => "Psychiatrie",
        39 => "Radiologie",
        40 => "Radiotherapie",
        41 => "Reumatologie",
        42 => "Revalidatiegeneeskunde",
        43 => "Maatschappij en gezondheid",
        44 => "Sportgeneeskunde",
        45 => "Urologie",
        46 => "Obstetrie en gynaecologie",
        47 => "Specialisme ouderengeneeskunde",
        48 => "Arbeid en gezondheid - verzekeringsgeneeskunde",
        50 => "Zenuw- en zielsziekten",
        55 => "Maatschappij en gezondheid",
        56 => "Geneeskunde voor verstandelijk gehandicapten",
        62 => "Interne geneeskunde-allergologie",
        70 => "Jeugdgezondheidszorg",
        71 => "Spoedeisende hulp",
        74 => "Sportgeneeskunde",
        // Tandarts (02)
        53 => "Dento-maxillaire orthopaedie",
        54 => "Mondziekten en kaakchirurgie",
        // Apotheker (17)
        60 => "Ziekenhuisfarmacie",
        75 => "Openbare farmacie",
        // Gz-psycholoog (25)
        61 => "Klinische psychologie",
        63 => "Klinische neuropsychologie",
        // Verpleegkundige (30): verpleegkundig specialist
        65 => "Verpl. spec. prev. zorg bij som. aandoeningen",
        66 => "Verpl. spec. acute zorg bij som. aandoeningen",
        67 => "Verpl. spec. intensieve zorg bij som. aandoeningen",
        68 => "Verpl. spec. chronische zorg bij som. aandoeningen",
        69 => "Verpl. spec. geestelijke gezondheidszorg",
        76 => "Verpl. spec. algemene gezondheidszorg",
        _ => return None,
    })
}

/// The code tables of one process: the bundled ones, plus the register's reference data once
/// a code turned out to be missing. Build one per container and share it.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Only a successful fetch is kept: a failed one is tried again on the next miss.
    fetched: OnceCell<Arc<ReferenceData>>,
}

impl Catalogue {
    /// A catalogue that has not asked the register anything yet.
    pub const fn new() -> Catalogue {
        Catalogue {
            fetched: OnceCell::const_new(),
        }
    }

    /// The names for these registrations' codes. Asks the register only when a code is not
    /// bundled and nothing was fetched yet; never fails (a code nobody names stays a code).
    pub async fn names_for<R: Register>(
        &self,
        register: &R,
        registrations: &[Registration],
    ) -> Names {
        let all_bundled = registrations.iter().all(|registration| {
            profession_title(&registration.profession_code).is_some()
                && registration
                    .specialism_codes
                    .iter()
                    .all(|&code| specialism_name(code).is_some())
        });
        if all_bundled {
            return Names {
                fetched: self.fetched.get().cloned(),
            };
        }
        let fetched = self
            .fetched
            .get_or_try_init(|| async {
                let data = register.reference_data().await;
                match &data {
                    Ok(_) => tracing::info!(outcome = "ok", "fetched BIG reference data"),
                    Err(error) => tracing::warn!(
                        outcome = "failed",
                        %error,
                        "BIG reference data unavailable; issuing raw codes"
                    ),
                }
                data.map(Arc::new)
            })
            .await
            .ok()
            .cloned();
        Names { fetched }
    }
}

/// Names for profession and specialism codes, as resolved by [`Catalogue::names_for`].
#[derive(Clone, Debug, Default)]
pub struct Names {
    fetched: Option<Arc<ReferenceData>>,
}

impl Names {
    /// The profession title for a code: bundled, else the register's, else the code itself.
    pub fn profession(&self, code: &str) -> String {
        if let Some(title) = profession_title(code) {
            return title.to_owned();
        }
        self.fetched
            .as_ref()
            .and_then(|data| data.professions.iter().find(|(c, _)| c == code))
            .map_or_else(|| code.to_owned(), |(_, title)| title.clone())
    }

    /// The specialism name for a code: bundled, else the register's, else the code itself.
    pub fn specialism(&self, code: u32) -> String {
        if let Some(name) = specialism_name(code) {
            return name.to_owned();
        }
        self.fetched
            .as_ref()
            .and_then(|data| data.specialisms.iter().find(|(c, _)| *c == code))
            .map_or_else(|| code.to_string(), |(_, name)| name.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use time::macros::date;

    use super::*;
    use crate::register::RegisterError;
    use crate::register::model::{BigNumber, Practitioner, Query, RegistrationEnd};

    /// A register that only answers reference data, counting the calls.
    struct ReferenceRegister {
        answer: Result<ReferenceData, RegisterError>,
        calls: AtomicUsize,
    }

    impl ReferenceRegister {
        fn answering(answer: Result<ReferenceData, RegisterError>) -> ReferenceRegister {
            ReferenceRegister {
                answer,
                calls: AtomicUsize::new(0),
            }
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl Register for ReferenceRegister {
        async fn search(&self, _query: &Query) -> Result<Vec<Practitioner>, RegisterError> {
            Ok(Vec::new())
        }

        async fn reference_data(&self) -> Result<ReferenceData, RegisterError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.answer.clone()
        }
    }

    fn registration(profession: &str, specialisms: &[u32]) -> Registration {
        Registration {
            big_number: BigNumber::from_register("19123456701").expect("valid"),
            start_date: date!(2000 - 01 - 01),
            end: RegistrationEnd::Open,
            profession_code: profession.to_owned(),
            specialism_codes: specialisms.to_vec(),
        }
    }

    fn register_names() -> ReferenceData {
        ReferenceData {
            professions: vec![
                ("01".to_owned(), "Artsen".to_owned()),
                ("77".to_owned(), "Proefberoeper".to_owned()),
            ],
            specialisms: vec![
                (15, "Huisartsgeneeskunde (register)".to_owned()),
                (99, "Proefspecialisme".to_owned()),
            ],
        }
    }

    #[test]
    fn names_every_professional_group_of_today_in_the_singular() {
        let groups = [
            "01", "02", "03", "04", "16", "17", "18", "25", "30", "31", "79", "80", "81", "82",
            "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96",
            "97", "98",
        ];
        for code in groups {
            assert!(
                profession_title(code).is_some(),
                "group {code} has no title"
            );
        }
        assert_eq!(profession_title("01"), Some("Arts"));
        assert_eq!(profession_title("30"), Some("Verpleegkundige"));
        assert_eq!(profession_title("25"), Some("Gz-psycholoog"));
        assert_eq!(profession_title("81"), Some("Physician assistant"));
        assert_eq!(profession_title("99"), None);
        assert_eq!(profession_title("1"), None);
    }

    #[test]
    fn names_every_specialism_of_today_without_the_specialist_title() {
        let specialisms = [
            2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
            26, 30, 31, 32, 33, 34, 35, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 53, 54, 55, 56,
            60, 61, 62, 63, 65, 66, 67, 68, 69, 70, 71, 74, 75, 76,
        ];
        for code in specialisms {
            let name = specialism_name(code).unwrap_or_else(|| panic!("{code} has no name"));
            assert!(!name.contains('('), "{code} carries a title: {name}");
        }
        assert_eq!(specialism_name(15), Some("Huisartsgeneeskunde"));
        assert_eq!(
            specialism_name(69),
            Some("Verpl. spec. geestelijke gezondheidszorg")
        );
        assert_eq!(specialism_name(1), None);
    }

    #[tokio::test]
    async fn makes_no_call_when_every_code_is_bundled() {
        let register = ReferenceRegister::answering(Ok(register_names()));
        let catalogue = Catalogue::new();
        let names = catalogue
            .names_for(
                &register,
                &[registration("01", &[15, 35]), registration("30", &[69])],
            )
            .await;
        assert_eq!(register.calls(), 0);
        assert_eq!(names.profession("01"), "Arts");
        assert_eq!(names.specialism(15), "Huisartsgeneeskunde");
    }

    #[tokio::test]
    async fn fetches_reference_data_once_for_unknown_codes() {
        let register = ReferenceRegister::answering(Ok(register_names()));
        let catalogue = Catalogue::new();
        let first = catalogue
            .names_for(&register, &[registration("77", &[15])])
            .await;
        let second = catalogue
            .names_for(&register, &[registration("01", &[99])])
            .await;
        assert_eq!(register.calls(), 1);
        assert_eq!(first.profession("77"), "Proefberoeper");
        assert_eq!(second.specialism(99), "Proefspecialisme");
    }

    #[tokio::test]
    async fn prefers_bundled_names_over_the_registers() {
        let register = ReferenceRegister::answering(Ok(register_names()));
        let names = Catalogue::new()
            .names_for(&register, &[registration("77", &[15])])
            .await;
        assert_eq!(register.calls(), 1);
        assert_eq!(names.profession("01"), "Arts");
        assert_eq!(names.specialism(15), "Huisartsgeneeskunde");
    }

    #[tokio::test]
    async fn falls_back_to_raw_codes_and_does_not_cache_a_failed_fetch() {
        let register = ReferenceRegister::answering(Err(RegisterError::Timeout));
        let catalogue = Catalogue::new();
        for _ in 0..2 {
            let names = catalogue
                .names_for(&register, &[registration("77", &[99])])
                .await;
            assert_eq!(names.profession("77"), "77");
            assert_eq!(names.specialism(99), "99");
            assert_eq!(names.profession("30"), "Verpleegkundige");
        }
        assert_eq!(register.calls(), 2);
    }

    #[tokio::test]
    async fn names_codes_nobody_knows_by_the_code() {
        let register = ReferenceRegister::answering(Ok(register_names()));
        let names = Catalogue::new()
            .names_for(&register, &[registration("76", &[123])])
            .await;
        assert_eq!(names.profession("76"), "76");
        assert_eq!(names.specialism(123), "123");
    }
}
