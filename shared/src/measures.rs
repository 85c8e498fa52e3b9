//! Public measures (maatregelen) and whether they stop a registration from being issued.
//!
//! The register describes a measure only in free text (`PublicDescription`), so this module
//! classifies that text. The classification, from the register's own explanation of measures
//! (bigregister.nl, "uitleg maatregelen") and Wet BIG articles 48 and 87a/87b:
//!
//! | text contains | kind | restricts practice |
//! |---|---|---|
//! | `onvoorwaardelijk`, `tenuitvoerlegging` | suspension made unconditional | yes |
//! | `voorwaardelijke schorsing` | conditional suspension | no |
//! | `schorsing` | suspension | yes |
//! | `bevel` | order of the inspectorate (art. 87a/87b) | yes |
//! | `verbod` | (partial) prohibition | yes |
//! | `doorhaling`, `ontzegging` | struck off / barred from re-registration | yes |
//! | `beperking`, `beperkt`, `voorwaarden` | restriction of competence, conditions | yes |
//! | `berisping` | reprimand | no |
//! | `geldboete`, `boete` | fine | no |
//! | `waarschuwing` | warning | no |
//! | anything else | unknown | yes: fail closed |
//!
//! A restrictive word anywhere wins over a non-restrictive one ("berisping en gedeeltelijk
//! verbod" restricts). Text nobody recognises restricts, because issuing to a suspended
//! practitioner is worse than asking one to contact the helpdesk. See `docs/measures.md`.

use time::Date;

use crate::names;
use crate::register::Measure;

/// What a measure's description says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureKind {
    /// Schorsing, or a conditional one made unconditional.
    Suspension,
    /// Bevel of the inspectorate (Wet BIG art. 87a/87b).
    Order,
    /// (Gedeeltelijk) verbod om beroepshandelingen te verrichten.
    Prohibition,
    /// Doorhaling or ontzegging.
    StrikeOff,
    /// Beperking van de bevoegdheid, voorwaarden.
    Restriction,
    /// Voorwaardelijke schorsing that has not been made unconditional.
    ConditionalSuspension,
    /// Berisping.
    Reprimand,
    /// Geldboete.
    Fine,
    /// Waarschuwing.
    Warning,
    /// Text the classification does not recognise.
    Unknown,
}

impl MeasureKind {
    /// Whether this kind suspends or restricts the right to practise.
    pub fn restricts_practice(self) -> bool {
        !matches!(
            self,
            MeasureKind::ConditionalSuspension
                | MeasureKind::Reprimand
                | MeasureKind::Fine
                | MeasureKind::Warning
        )
    }
}

/// Classifies a measure's public description (see the module table).
pub fn classify(description: &str) -> MeasureKind {
    // Words only, lower case, single spaces: "Voorwaardelijke  Schorsing." -> "voorwaardelijke schorsing".
    let text = description
        .split(|c: char| !c.is_alphabetic())
        .map(names::letters)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if text.contains("onvoorwaardelijk") || text.contains("tenuitvoerlegging") {
        return MeasureKind::Suspension;
    }
    let conditional = text.contains("voorwaardelijke schorsing");
    let rest = text.replace("voorwaardelijke schorsing", " ");
    let restrictive = [
        ("schorsing", MeasureKind::Suspension),
        ("bevel", MeasureKind::Order),
        ("verbod", MeasureKind::Prohibition),
        ("doorhaling", MeasureKind::StrikeOff),
        ("ontzegging", MeasureKind::StrikeOff),
        ("beperking", MeasureKind::Restriction),
        ("beperkt", MeasureKind::Restriction),
        ("voorwaarden", MeasureKind::Restriction),
    ];
    if let Some((_, kind)) = restrictive.iter().find(|(word, _)| rest.contains(word)) {
        return *kind;
    }
    if conditional {
        return MeasureKind::ConditionalSuspension;
    }
    if rest.contains("berisping") {
        MeasureKind::Reprimand
    } else if rest.contains("boete") {
        MeasureKind::Fine
    } else if rest.contains("waarschuwing") {
        MeasureKind::Warning
    } else {
        MeasureKind::Unknown
    }
}

/// Whether the measure is in force on `today`: started (or without a start date) and not yet
/// ended. A measure without an end date is in force.
pub fn in_force(measure: &Measure, today: Date) -> bool {
    measure.start.is_none_or(|s| s <= today) && measure.end.is_none_or(|e| e > today)
}

/// Whether the measure, on `today`, stops its registration from being issued.
pub fn blocks_issuance(measure: &Measure, today: Date) -> bool {
    in_force(measure, today) && classify(&measure.description).restricts_practice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::BigNumber;
    use time::macros::date;

    #[test]
    fn classifies_the_registers_measures() {
        let cases = [
            ("Schorsing van de inschrijving", MeasureKind::Suspension),
            (
                "Voorwaardelijke schorsing",
                MeasureKind::ConditionalSuspension,
            ),
            (
                "Voorwaardelijke schorsing van de inschrijving; proeftijd 2 jaar",
                MeasureKind::ConditionalSuspension,
            ),
            ("Onvoorwaardelijke schorsing", MeasureKind::Suspension),
            (
                "Tenuitvoerlegging voorwaardelijke schorsing",
                MeasureKind::Suspension,
            ),
            ("Bevel (artikel 87a Wet BIG)", MeasureKind::Order),
            ("Bevoegdheidsbeperkend bevel", MeasureKind::Order),
            (
                "Gedeeltelijk verbod om bepaalde beroepshandelingen te verrichten",
                MeasureKind::Prohibition,
            ),
            ("Doorhaling van de inschrijving", MeasureKind::StrikeOff),
            (
                "Ontzegging van het recht opnieuw ingeschreven te worden",
                MeasureKind::StrikeOff,
            ),
            ("Beperking van de bevoegdheid", MeasureKind::Restriction),
            ("Berisping", MeasureKind::Reprimand),
            ("Geldboete", MeasureKind::Fine),
            ("Waarschuwing", MeasureKind::Warning),
            ("Hello world", MeasureKind::Unknown),
            ("", MeasureKind::Unknown),
        ];
        for (text, kind) in cases {
            assert_eq!(classify(text), kind, "{text}");
        }
    }

    #[test]
    fn a_restrictive_word_wins_over_a_mild_one() {
        assert_eq!(
            classify("Berisping en gedeeltelijk verbod"),
            MeasureKind::Prohibition
        );
        assert_eq!(
            classify("Voorwaardelijke schorsing en schorsing"),
            MeasureKind::Suspension
        );
        assert_eq!(classify("Berisping en geldboete"), MeasureKind::Reprimand);
        assert_eq!(classify("BERISPING"), MeasureKind::Reprimand);
    }

    #[test]
    fn unknown_text_restricts_practice() {
        assert!(MeasureKind::Unknown.restricts_practice());
        assert!(!MeasureKind::Reprimand.restricts_practice());
        assert!(!MeasureKind::ConditionalSuspension.restricts_practice());
        assert!(MeasureKind::Suspension.restricts_practice());
    }

    fn measure(start: Option<Date>, end: Option<Date>, text: &str) -> Measure {
        Measure {
            big_number: BigNumber::from_register("12345678901").unwrap(),
            start,
            end,
            description: text.into(),
        }
    }

    #[test]
    fn in_force_means_started_and_not_ended() {
        let today = date!(2026 - 12 - 04);
        assert!(in_force(
            &measure(Some(date!(2026 - 01 - 01)), None, ""),
            today
        ));
        assert!(in_force(&measure(None, None, ""), today));
        assert!(in_force(
            &measure(Some(today), Some(date!(2026 - 12 - 05)), ""),
            today
        ));
        assert!(!in_force(
            &measure(Some(date!(2026 - 12 - 05)), None, ""),
            today
        ));
        assert!(!in_force(
            &measure(Some(date!(2020 - 01 - 01)), Some(today), ""),
            today
        ));
    }

    #[test]
    fn only_an_in_force_restrictive_measure_blocks_issuance() {
        let today = date!(2026 - 12 - 04);
        let since = Some(date!(2025 - 01 - 01));
        assert!(blocks_issuance(&measure(since, None, "Schorsing"), today));
        assert!(!blocks_issuance(
            &measure(since, Some(date!(2026 - 01 - 01)), "Schorsing"),
            today
        ));
        assert!(!blocks_issuance(&measure(since, None, "Berisping"), today));
    }
}
