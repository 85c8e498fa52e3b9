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
