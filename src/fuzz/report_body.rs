//! The report body (`reports::ReportBody`, API-v1.md "Report body"), as the API and the host's
//! form send it: JSON bytes → `ReportBody` → `check` → `ReportInput`.

use std::collections::{HashMap, HashSet};

use arbtest::arbitrary::{Result, Unstructured};
use serde_json::Value;

use crate::i18n::FieldErrors;
use crate::reports::{ItemBody, MAX_COUNT, ReportBody, ReportInput};

const SLUGS: [&str; 4] = ["ana", "bo", "case-3", "w4r-2017-x"];
const MAX_ITEMS: usize = 200;
const MAX_HIGHLIGHTS: usize = 2000;

fn cases() -> HashMap<String, i64> {
    (1..)
        .zip(SLUGS)
        .map(|(id, s)| (s.to_string(), id))
        .collect()
}

/// Numbers as a client may spell them (JSON allows no leading zeros or `+`; those fail to parse).
const SPELLED: [&str; 16] = [
    "0",
    "-0",
    "1e3",
    "1E2",
    "1.0",
    "0.5",
    "-1",
    "100000",
    "100001",
    "99999.999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1e400",
    "+1",
];
const STRINGS: [&str; 12] = [
    "0", " 7 ", "+5", "-0", "100000", "100001", "1.5", "1e3", "", "  ", "many", "٣",
];

/// A count as JSON text (`None`: left out).
fn count(u: &mut Unstructured<'_>) -> Result<Option<String>> {
    Ok(Some(match u.int_in_range(0..=9)? {
        0 => return Ok(None),
        1 => "null".into(),
        2 => u.int_in_range(-3..=30)?.to_string(),
        3 => u.int_in_range(MAX_COUNT - 2..=MAX_COUNT + 2)?.to_string(),
        4 => u.arbitrary::<i64>()?.to_string(),
        5 => u.choose(&SPELLED)?.to_string(),
        6 => Value::from(*u.choose(&STRINGS)?).to_string(),
        7 => Value::from(u.int_in_range(-2..=MAX_COUNT + 1)?.to_string()).to_string(),
        8 => u
            .choose(&["true", "[]", "{}", "[1]", "\"\\u0000\""])?
            .to_string(),
        _ => Value::from(super::text(u, &STRINGS, 4)?).to_string(),
    }))
}

fn member(out: &mut String, name: &str, json: Option<String>) {
    if let Some(json) = json {
        if !out.ends_with('{') {
            out.push(',');
        }
        out.push_str(&format!("{}:{json}", Value::from(name)));
    }
}

/// A report body as JSON text: mostly well-formed, sometimes with damaged bytes or just bytes.
fn body(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    if u.ratio(1, 16)? {
        return Ok(u.arbitrary::<&[u8]>()?.to_vec());
    }
    let mut json = String::from("{");
    member(&mut json, "participants", count(u)?);
    let n = match u.int_in_range(0..=20)? {
        0 => u.int_in_range(MAX_ITEMS - 1..=MAX_ITEMS + 1)?,
        _ => u.int_in_range(0..=6)?,
    };
    let mut items = Vec::new();
    for _ in 0..n {
        let mut item = String::from("{");
        let case = match u.int_in_range(0..=9)? {
            0..=6 => u.choose(&SLUGS)?.to_string(),
            7 => format!(" {}\t", u.choose(&SLUGS)?),
            _ => super::text(u, &SLUGS, 30)?,
        };
        member(&mut item, "case", Some(Value::from(case).to_string()));
        member(&mut item, "letters", count(u)?);
        member(&mut item, "solidarity", count(u)?);
        if u.ratio(1, 30)? {
            member(&mut item, "extra", Some("1".into()));
        }
        item.push('}');
        items.push(item);
    }
    member(&mut json, "items", Some(format!("[{}]", items.join(","))));
    let highlights = match u.int_in_range(0..=9)? {
        0 => None,
        1 => Some("null".into()),
        2 => Some("42".into()),
        3 => Some(Value::from("x".repeat(u.int_in_range(1995..=2005)?)).to_string()),
        _ => Some(Value::from(super::text(u, &["\r\n", "\r", "Letters!"], 40)?).to_string()),
    };
    member(&mut json, "highlights", highlights);
    json.push('}');
    let mut bytes = json.into_bytes();
    if u.ratio(1, 8)? && !bytes.is_empty() {
        for _ in 0..u.int_in_range(1..=3)? {
            let at = u.choose_index(bytes.len())?;
            bytes[at] = u.arbitrary()?;
        }
    }
    Ok(bytes)
}

/// What API-v1.md promises for a count: a whole number from 0 to MAX_COUNT, as a JSON integer (a
/// number with no fraction is one, as JSON Schema says: `12.0`, `-0.0`) or the digits a form
/// sends; a count that may be left out is 0 when null or blank.
fn expected_count(value: &Value, required: bool) -> Option<i64> {
    let in_range = |v: i64| (0..=MAX_COUNT).contains(&v).then_some(v);
    match value {
        Value::Null => (!required).then_some(0),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() <= 1e15)
                    .map(|f| f as i64)
            })
            .and_then(in_range),
        Value::String(s) if s.trim().is_empty() => (!required).then_some(0),
        Value::String(s) => s.trim().parse().ok().and_then(in_range),
        _ => None,
    }
}

fn plain_text(s: &str, max: usize) -> bool {
    s.trim().chars().count() <= max
        && !s
            .trim()
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The checked report the body should give, or `None` if it should be refused.
fn expected(body: &ReportBody, cases: &HashMap<String, i64>) -> Option<ReportInput> {
    let participants = expected_count(&body.participants, true);
    let mut items = Vec::new();
    let mut ok = body.items.len() <= MAX_ITEMS;
    for item in &body.items {
        let letters = expected_count(&item.letters, false);
        let solidarity = expected_count(&item.solidarity, false);
        match (cases.get(item.case.trim()), letters, solidarity) {
            (Some(id), Some(l), Some(s)) if items.iter().all(|i: &(i64, i64, i64)| i.0 != *id) => {
                items.push((*id, l, s))
            }
            _ => ok = false,
        }
    }
    let highlights = body.highlights.as_deref().unwrap_or("");
    ok &= plain_text(highlights, MAX_HIGHLIGHTS);
    items.sort();
    Some(ReportInput {
        participants: participants.filter(|_| ok)?,
        items,
        // Compared separately: line breaks are normalised.
        highlights: String::new(),
    })
}

fn assert_bounds(input: &ReportInput, cases: &HashMap<String, i64>) {
    let ids: HashSet<i64> = cases.values().copied().collect();
    assert!((0..=MAX_COUNT).contains(&input.participants), "{input:?}");
    assert!(input.items.len() <= MAX_ITEMS, "{input:?}");
    assert!(input.items.is_sorted(), "{input:?}");
    let mut seen = HashSet::new();
    for &(id, letters, solidarity) in &input.items {
        assert!(ids.contains(&id) && seen.insert(id), "{input:?}");
        assert!((0..=MAX_COUNT).contains(&letters), "{input:?}");
        assert!((0..=MAX_COUNT).contains(&solidarity), "{input:?}");
    }
    let h = &input.highlights;
    assert!(h.trim() == h && plain_text(h, MAX_HIGHLIGHTS), "{h:?}");
    assert!(!h.contains("\r\n"), "line breaks are stored as \\n: {h:?}");
}

/// The refusal names the fields at fault, and an unknown case by its (shortened) slug.
fn assert_refusal(body: &ReportBody, cases: &HashMap<String, i64>, errors: &FieldErrors) {
    assert!(!errors.is_empty());
    let shown = body.items.len().min(MAX_ITEMS);
    for field in errors.0.keys() {
        let known = ["participants", "items", "highlights"].contains(&field.as_str())
            || (0..shown).any(|i| {
                ["case", "letters", "solidarity"]
                    .iter()
                    .any(|f| *field == format!("items[{i}].{f}"))
            });
        assert!(known, "error for a field that was not sent: {field}");
    }
    for (i, item) in body.items.iter().enumerate().take(shown) {
        if !cases.contains_key(item.case.trim()) {
            let msgs = errors.get(&format!("items[{i}].case"));
            let named = item.case.chars().take(60).collect::<String>();
            assert!(
                msgs.iter()
                    .any(|m| m.key == "report-case-unknown" && m.args == [("case", named.clone())]),
                "unknown case {named:?} not named: {errors:?}"
            );
        }
    }
}

/// The accepted report written back as the API's JSON and as the form's strings.
fn written_back(input: &ReportInput, cases: &HashMap<String, i64>, form: bool) -> ReportBody {
    let slug = |id: i64| cases.iter().find(|(_, v)| **v == id).unwrap().0.clone();
    let n = |v: i64| {
        if form {
            Value::from(v.to_string())
        } else {
            Value::from(v)
        }
    };
    ReportBody {
        participants: n(input.participants),
        items: input
            .items
            .iter()
            .map(|&(id, l, s)| ItemBody {
                case: slug(id),
                letters: n(l),
                solidarity: n(s),
            })
            .collect(),
        highlights: Some(input.highlights.clone()),
    }
}

#[test]
fn report_body() {
    let cases = cases();
    super::run("report_body", 8192, |u| {
        let bytes = body(u)?;
        let Ok(parsed) = serde_json::from_slice::<ReportBody>(&bytes) else {
            // A 400 from `ApiJson`; the members it refuses are serde's to name.
            return Ok(());
        };
        let want = expected(&parsed, &cases);
        match parsed.check(&cases) {
            Ok(input) => {
                let want = want.unwrap_or_else(|| panic!("accepted {parsed:?} as {input:?}"));
                assert_eq!(
                    (input.participants, &input.items),
                    (want.participants, &want.items),
                    "{parsed:?}"
                );
                assert_bounds(&input, &cases);
                for form in [false, true] {
                    let again = written_back(&input, &cases, form);
                    let json = serde_json::to_vec(&again).unwrap();
                    let reparsed: ReportBody = serde_json::from_slice(&json).unwrap();
                    assert_eq!(reparsed.check(&cases).as_ref(), Ok(&input), "{again:?}");
                }
            }
            Err(errors) => {
                assert!(want.is_none(), "refused {parsed:?}: {errors:?}");
                assert_refusal(&parsed, &cases, &errors);
            }
        }
        Ok(())
    });
}
