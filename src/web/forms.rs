//! Field checks: each adds its messages (`i18n::Msg`) to the form's `FieldErrors`.

use serde::Deserialize;

use crate::i18n::{FieldErrors, Msg};

/// Trims a text field and checks its length in characters; returns the trimmed value with every
/// line break (CRLF, or a lone CR) as LF, so that checking it again changes nothing.
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let value = value.trim();
    let len = value.chars().count();
    if len == 0 && min > 0 {
        errors.add(field, Msg::new("field-required"));
    } else if len < min {
        errors.add(field, Msg::new("field-too-short").arg("min", min));
    } else if len > max {
        errors.add(field, Msg::new("field-too-long").arg("max", max));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, Msg::new("field-control-chars"));
    }
    value.replace("\r\n", "\n").replace('\r', "\n")
}

/// A single-line text: like [`text`] but line breaks are refused (they have no place in a name).
pub fn line(errors: &mut FieldErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let value = text(errors, field, value, min, max);
    if value.contains(['\n', '\r', '\t']) {
        errors.add(field, Msg::new("field-single-line"));
    }
    value
}

/// A URL-safe identifier: lowercase letters, digits and dashes, 2–60 characters.
pub fn slug(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let value = value.trim().to_string();
    let ok = (2..=60).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if !ok {
        errors.add(field, Msg::new("field-slug"));
    }
    value
}

/// A calendar date written `YYYY-MM-DD`.
pub fn date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<chrono::NaiveDate> {
    match chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            errors.add(field, Msg::new("field-date"));
            None
        }
    }
}

/// A yes/no choice as a checkbox or a query sends it: `on`, `true`, `1`, `yes`, or `off`, `false`,
/// `0`, `no`; absent is no. Anything else is refused rather than read as no.
pub fn flag(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> bool {
    match value {
        None | Some("off" | "false" | "0" | "no") => false,
        Some("on" | "true" | "1" | "yes") => true,
        Some(_) => {
            errors.add(field, Msg::new("field-choice"));
            false
        }
    }
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let code = value.trim().to_ascii_uppercase();
    if crate::geo::country_name(&code, crate::i18n::Lang::FALLBACK).is_none() {
        errors.add(field, Msg::new("field-country"));
    }
    code
}

/// Form fields that may be sent but carry no value: `csrf` is checked by the extractor.
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_is_yes_no_or_refused() {
        let mut e = FieldErrors::default();
        assert!(flag(&mut e, "f", Some("on")) && flag(&mut e, "f", Some("yes")));
        assert!(!flag(&mut e, "f", None) && !flag(&mut e, "f", Some("0")));
        assert!(e.is_empty());
        assert!(!flag(&mut e, "f", Some("maybe")));
        assert_eq!(e.get("f")[0].key, "field-choice");
    }

    #[test]
    fn line_breaks_are_stored_as_lf_once_and_for_all() {
        let mut e = FieldErrors::default();
        let stored = text(&mut e, "highlights", "a\r\r\nb\rc\r\nd", 0, 100);
        assert_eq!(stored, "a\n\nb\nc\nd");
        assert_eq!(text(&mut e, "highlights", &stored, 0, 100), stored);
        assert!(e.is_empty());
    }
}
