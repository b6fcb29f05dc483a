//! Numbers and dates the language's way, from CLDR through ICU4X's compiled data: 1,900,000 /
//! 1 900 000 / 1.900.000 (Spanish leaves 1900 ungrouped), "10 December 2017" / "10 décembre
//! 2017" / "10 de diciembre de 2017". Each language names the CLDR locale it formats like in its
//! `language.json` (`formats`).

use std::sync::OnceLock;

use chrono::Datelike;
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;

use super::Lang;

struct Formats {
    number: DecimalFormatter,
    /// Campaigns, events and deadlines are dated in the Gregorian calendar whatever the language.
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
}

fn formats(lang: Lang) -> &'static Formats {
    static ALL: OnceLock<Vec<Formats>> = OnceLock::new();
    &ALL.get_or_init(|| Lang::ALL.iter().map(|l| Formats::new(*l)).collect())[lang.index()]
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        // build.rs checked the tag; an unknown locale falls back to CLDR's root data, which is
        // always compiled in.
        let locale = Locale::try_from_str(lang.data().formats).unwrap_or(Locale::UNKNOWN);
        let number = DecimalFormatter::try_new((&locale).into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(Default::default(), Default::default()))
            .expect("CLDR root number data is compiled in");
        let date = FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long())
            .or_else(|_| FixedCalendarDateTimeFormatter::try_new(Default::default(), YMD::long()))
            .expect("CLDR root date data is compiled in");
        Formats { number, date }
    }
}

/// A whole number with the language's digit grouping.
pub fn group_digits(n: i64, lang: Lang) -> String {
    formats(lang).number.format(&Decimal::from(n)).to_string()
}

/// A date written out in the language: day, month name and year.
pub fn long_date(date: chrono::NaiveDate, lang: Lang) -> String {
    let Ok(month) = u8::try_from(date.month()) else {
        return date.to_string();
    };
    let Ok(day) = u8::try_from(date.day()) else {
        return date.to_string();
    };
    match Date::try_new_gregorian(date.year(), month, day) {
        Ok(d) => formats(lang).date.format(&d).to_string(),
        // chrono's dates are all valid Gregorian ones; keep the ISO form rather than fail.
        Err(_) => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::from_code(code).unwrap()
    }

    #[test]
    fn numbers_grouped_as_cldr_says() {
        assert_eq!(group_digits(1_900_000, lang("en")), "1,900,000");
        assert_eq!(group_digits(-12_345, lang("en")), "-12,345");
        assert_eq!(group_digits(250_000, lang("fr")), "250\u{202f}000");
        assert_eq!(group_digits(1_900_000, lang("es")), "1.900.000");
        // Spanish groups four digits only from five on.
        assert_eq!(group_digits(1_900, lang("es")), "1900");
        assert_eq!(group_digits(19_000, lang("es")), "19.000");
    }

    #[test]
    fn dates_written_out() {
        let d = chrono::NaiveDate::from_ymd_opt(2017, 12, 10).unwrap();
        assert_eq!(long_date(d, lang("en")), "10 December 2017");
        assert_eq!(long_date(d, lang("fr")), "10 décembre 2017");
        assert_eq!(long_date(d, lang("es")), "10 de diciembre de 2017");
    }
}
