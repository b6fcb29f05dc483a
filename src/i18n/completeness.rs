//! Every language found under `locales/` is complete: it has each of English's messages with the
//! same variables, no message English lacks, its own name for the switcher, and the names of the
//! same countries and regions. (`scripts/check-locales.py` says the same outside `cargo test`.)

use std::collections::{BTreeMap, BTreeSet};

use super::{Lang, Tr};

/// Each message id of a Fluent file with the variables (`$name`) its text uses.
fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '.', '*', '[', '}']) && line.contains(" =") {
            let id = line
                .split(" =")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            assert!(!out.contains_key(&id), "{id} is given twice");
            out.insert(id.clone(), BTreeSet::new());
            current = Some(id);
        }
        let Some(id) = &current else { continue };
        for piece in line.split('$').skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() {
                out.entry(id.clone()).or_default().insert(name);
            }
        }
    }
    out
}

fn read(lang: Lang, file: &str) -> String {
    let path = format!("locales/{}/{file}", lang.code());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first column of a place-name file, checking every line has a name.
fn codes(lang: Lang, file: &str) -> Vec<String> {
    read(lang, file)
        .lines()
        .map(|line| {
            let (code, name) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}/{file}: {line:?}", lang.code()));
            assert!(
                !name.trim().is_empty(),
                "{}/{file}: {code} has no name",
                lang.code()
            );
            code.to_string()
        })
        .collect()
}

#[test]
fn every_language_has_every_message_with_its_variables() {
    let english = Lang::FALLBACK;
    for file in ["main.ftl", "mail.ftl"] {
        let reference = messages(&read(english, file));
        assert!(reference.len() > 30, "{file}");
        for lang in Lang::ALL {
            let theirs = messages(&read(lang, file));
            let missing: Vec<_> = reference
                .keys()
                .filter(|id| !theirs.contains_key(*id))
                .collect();
            let extra: Vec<_> = theirs
                .keys()
                .filter(|id| !reference.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{lang:?}/{file} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang:?}/{file} has ids English lacks: {extra:?}"
            );
            for (id, vars) in &reference {
                assert_eq!(&theirs[id], vars, "{lang:?}/{file}: the variables of {id}");
            }
        }
    }
    for lang in Lang::ALL {
        assert!(Tr::new(lang).has("nav-campaigns"), "{lang:?}");
    }
}

#[test]
fn every_language_names_itself_and_every_place() {
    let english = Lang::FALLBACK;
    let (countries, regions) = (
        codes(english, "countries.tsv"),
        codes(english, "regions.tsv"),
    );
    assert!(countries.len() > 240 && regions.len() > 1000);
    for lang in Lang::ALL {
        assert!(!lang.native_name().trim().is_empty(), "{lang:?}");
        assert_eq!(
            codes(lang, "countries.tsv"),
            countries,
            "{lang:?}/countries.tsv"
        );
        assert_eq!(codes(lang, "regions.tsv"), regions, "{lang:?}/regions.tsv");
    }
}
