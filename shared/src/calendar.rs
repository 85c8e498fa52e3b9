//! "Today" as the register means it: the date in the Netherlands.
//!
//! A registration that ends on a date ends at the start of that Dutch day; near midnight UTC
//! the Dutch date is already the next one. The Europe/Amsterdam rule (CET, CEST from the last
//! Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, EU directive 2000/84/EC)
//! is small enough to compute here instead of shipping a time-zone database.

use time::{Date, Month, OffsetDateTime, Weekday};

/// The date in the Netherlands at `unix` seconds.
pub fn dutch_date(unix: i64) -> Date {
    let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let year = utc.year();
    let summer_start = last_sunday_1am_utc(year, Month::March);
    let summer_end = last_sunday_1am_utc(year, Month::October);
    let offset_hours = if utc >= summer_start && utc < summer_end {
        2
    } else {
        1
    };
    (utc + time::Duration::hours(offset_hours)).date()
}

fn last_sunday_1am_utc(year: i32, month: Month) -> OffsetDateTime {
    let last_day = time::util::days_in_month(month, year);
    let mut date = Date::from_calendar_date(year, month, last_day).unwrap_or(Date::MIN);
    while date.weekday() != Weekday::Sunday {
        date = date.previous_day().unwrap_or(date);
    }
    date.with_hms(1, 0, 0)
        .unwrap_or(date.midnight())
        .assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn winter_midnight_is_an_hour_before_utc_midnight() {
        let t = datetime!(2026-12-04 23:30 UTC).unix_timestamp();
        assert_eq!(dutch_date(t), date!(2026 - 12 - 05));
        let t = datetime!(2026-12-04 22:59 UTC).unix_timestamp();
        assert_eq!(dutch_date(t), date!(2026 - 12 - 04));
    }

    #[test]
    fn summer_midnight_is_two_hours_before_utc_midnight() {
        let t = datetime!(2026-07-01 22:00 UTC).unix_timestamp();
        assert_eq!(dutch_date(t), date!(2026 - 07 - 02));
        let t = datetime!(2026-07-01 21:59 UTC).unix_timestamp();
        assert_eq!(dutch_date(t), date!(2026 - 07 - 01));
    }

    #[test]
    fn switches_on_the_last_sundays_of_march_and_october() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            dutch_date(datetime!(2026-03-28 22:30 UTC).unix_timestamp()),
            date!(2026 - 03 - 28)
        );
        assert_eq!(
            dutch_date(datetime!(2026-10-25 22:30 UTC).unix_timestamp()),
            date!(2026 - 10 - 25)
        );
        assert_eq!(
            dutch_date(datetime!(2026-10-24 22:30 UTC).unix_timestamp()),
            date!(2026 - 10 - 25)
        );
    }
}
