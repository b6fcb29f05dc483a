//! The demo's text generators: venue names, street addresses, titles, descriptions, accessibility
//! notes and report stories, in the event's language, from the data files.
//!
//! Each draws from the caller's seeded RNG in a fixed order, so a seed always gives the same text.

use std::collections::BTreeMap;

use rand::Rng;
use rand::rngs::StdRng;

use super::data::{ADDRESSES, EVENT_TEXTS, HIGHLIGHTS, NAMES, VENUES, in_lang};

/// One of `items`, uniformly.
pub fn pick<'a>(rng: &mut StdRng, items: &'a [String]) -> &'a str {
    &items[rng.gen_range(0..items.len())]
}

/// One of several templates; a lone template is taken without a draw. The draw is an `i32`
/// one, unlike [`pick`]'s: each call site keeps the draws the generator has always made, so a
/// seed keeps giving the same rows.
fn choose<'a>(rng: &mut StdRng, templates: &'a [String]) -> &'a str {
    match templates.len() {
        1 => &templates[0],
        n => &templates[rng.gen_range(0..n as i32) as usize],
    }
}

/// One of a list, or its only item without a draw.
fn pick_or_only<'a>(rng: &mut StdRng, items: &'a [String]) -> &'a str {
    match items {
        [only] => only,
        _ => pick(rng, items),
    }
}

/// Fills a template's fields left to right: `{a..b}` is a number drawn in `a..b`, `{name}` the
/// value `known` gives it or else a pick from the list `lists` gives.
fn fill<'a>(
    rng: &mut StdRng,
    template: &str,
    known: &[(&str, &str)],
    lists: impl Fn(&str) -> Option<&'a [String]>,
) -> String {
    let mut out = String::with_capacity(template.len() + 24);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("demo template field closed");
        let field = &rest[open + 1..close];
        let range = field
            .split_once("..")
            .and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)));
        if let Some((low, high)) = range {
            out.push_str(&rng.gen_range(low..high).to_string());
        } else if let Some((_, value)) = known.iter().find(|(name, _)| *name == field) {
            out.push_str(value);
        } else {
            let list = lists(field).unwrap_or_else(|| panic!("demo template field {field}"));
            out.push_str(pick(rng, list));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn list<'a>(lists: &'a BTreeMap<String, Vec<String>>, name: &str) -> Option<&'a [String]> {
    lists.get(name).map(Vec::as_slice)
}

/// A fictional venue of this kind; `host_first` names the host of a home.
pub fn venue_name(rng: &mut StdRng, kind: &str, lang: &str, host_first: &str) -> String {
    let venues = in_lang(&VENUES, lang);
    let place = pick(rng, &venues.places);
    let saint = pick(rng, &venues.saints);
    let templates = venues.kinds.get(kind).unwrap_or(&venues.kinds["other"]);
    let template = choose(rng, templates);
    fill(
        rng,
        template,
        &[("place", place), ("saint", saint), ("host", host_first)],
        |name| match name {
            "last" => Some(NAMES.last(lang)),
            _ => list(&venues.lists, name),
        },
    )
}

/// A plausible, fictional street address in the country's usual style.
pub fn street_address(rng: &mut StdRng, country: &str, lang: &str) -> String {
    let style = if country == "CA" && lang == "fr" {
        "CA-fr"
    } else {
        country
    };
    let address = ADDRESSES.get(style).unwrap_or(&ADDRESSES["other"]);
    fill(rng, &address.template, &[], |name| {
        list(&address.lists, name)
    })
}

/// An event's title: some kinds have their own, always or half of the time.
pub fn title(rng: &mut StdRng, kind: &str, lang: &str, venue: &str, city: &str) -> String {
    let titles = &in_lang(&EVENT_TEXTS, lang).titles;
    let special = rng.gen_bool(0.5);
    let t = if let Some(own) = titles.always.get(kind) {
        pick_or_only(rng, own).to_string()
    } else if let Some(own) = titles.special.get(kind).filter(|_| special) {
        own.clone()
    } else {
        let template = choose(rng, &titles.general);
        fill(rng, template, &[("venue", venue), ("city", city)], |_| None)
    };
    // Titles stay within the form's 120 characters whatever the venue's name.
    t.chars().take(120).collect()
}

/// An event's description: an opening for its kind, a middle and a practical line in bold.
pub fn description(rng: &mut StdRng, kind: &str, lang: &str) -> String {
    let texts = &in_lang(&EVENT_TEXTS, lang).descriptions;
    let opening = texts.openings.get(kind).unwrap_or(&texts.opening);
    let middle = pick(rng, &texts.middles);
    let practical = pick(rng, &texts.practical);
    format!("{opening} {middle}\n\n**{practical}**")
}

/// An event's accessibility note (sometimes none).
pub fn accessibility(rng: &mut StdRng, kind: &str, lang: &str, step_free: bool) -> String {
    let notes = &in_lang(&EVENT_TEXTS, lang).accessibility;
    if kind == "online" {
        notes.online.clone()
    } else if step_free {
        pick(rng, &notes.step_free).to_string()
    } else {
        pick(rng, &notes.with_steps).to_string()
    }
}

/// A short, fictional story from an event, naming nobody: often one for its kind.
pub fn highlight(rng: &mut StdRng, kind: &str, lang: &str) -> String {
    let stories = in_lang(&HIGHLIGHTS, lang);
    let specific: &[String] = stories
        .by_kind
        .iter()
        .find(|s| s.kinds.iter().any(|k| k == kind))
        .map_or(&[], |s| &s.texts);
    let list = if !specific.is_empty() && rng.gen_bool(0.6) {
        specific
    } else {
        &stories.general
    };
    pick(rng, list).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn templates_fill_every_field() {
        let mut rng = StdRng::seed_from_u64(3);
        for kind in crate::events::KINDS {
            for lang in ["en", "fr", "es"] {
                let venue = venue_name(&mut rng, kind, lang, "Léa");
                assert!(!venue.contains(['{', '}']), "{venue}");
                let t = title(&mut rng, kind, lang, &venue, "Lyon");
                assert!(!t.contains(['{', '}']) && !t.is_empty(), "{t}");
            }
        }
        for country in ["FR", "CA", "DE", "ES", "MX", "BR", "JP", "KE"] {
            let a = street_address(&mut rng, country, "fr");
            assert!(
                !a.contains(['{', '}']) && a.chars().any(|c| c.is_ascii_digit()),
                "{a}"
            );
        }
    }
}
