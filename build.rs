//! Two things the crate embeds at compile time:
//! - the migrations (`sqlx::migrate!`): without the rerun line, adding one would not rebuild;
//! - the languages: every folder under `locales/` is one, described by its `language.json`. This
//!   writes `$OUT_DIR/languages.rs`, the table `i18n::Lang` indexes, so adding a language is
//!   adding a folder and the code lists none.

use std::fmt::Write as _;
use std::path::Path;

/// English: the language every other one is checked against and falls back to.
const FALLBACK: &str = "en";

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let locales = Path::new(&root).join("locales");
    let mut codes: Vec<String> = std::fs::read_dir(&locales)
        .expect("locales/ exists")
        .filter_map(|entry| {
            let entry = entry.ok()?;
            entry
                .file_type()
                .ok()?
                .is_dir()
                .then(|| entry.file_name().to_string_lossy().into_owned())
        })
        .collect();
    // English first (the switcher's first entry and index 0), then by code.
    codes.sort_by_key(|c| (c != FALLBACK, c.clone()));
    assert!(
        codes.first().map(String::as_str) == Some(FALLBACK),
        "locales/{FALLBACK}/ is missing"
    );

    let mut table = String::new();
    for code in &codes {
        let dir = locales.join(code);
        for file in [
            "language.json",
            "main.ftl",
            "mail.ftl",
            "countries.tsv",
            "regions.tsv",
        ] {
            println!("cargo:rerun-if-changed={}", dir.join(file).display());
        }
        let json = std::fs::read_to_string(dir.join("language.json"))
            .unwrap_or_else(|e| panic!("locales/{code}/language.json: {e}"));
        let about: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("locales/{code}/language.json: {e}"));
        let text = |key: &str| -> String {
            about[key]
                .as_str()
                .unwrap_or_else(|| panic!("locales/{code}/language.json: \"{key}\" is missing"))
                .to_string()
        };
        let (native_name, formats) = (text("native_name"), text("formats"));
        assert!(
            formats.parse::<unic_langid::LanguageIdentifier>().is_ok(),
            "locales/{code}/language.json: \"formats\" is not a language tag: {formats}"
        );
        writeln!(
            table,
            "    Language {{ code: {code:?}, native_name: {native_name:?}, formats: {formats:?}, \
             countries: include_str!({countries:?}), regions: include_str!({regions:?}) }},",
            countries = dir.join("countries.tsv").display().to_string(),
            regions = dir.join("regions.tsv").display().to_string(),
        )
        .unwrap();
    }
    let all: Vec<String> = (0..codes.len()).map(|i| format!("Lang({i})")).collect();
    let out = format!(
        "/// Every folder under `locales/`, English first.\n\
         static LANGUAGES: [Language; {n}] = [\n{table}];\n\n\
         impl Lang {{\n    /// Every language found under `locales/`, English first.\n    \
         pub const ALL: [Lang; {n}] = [{all}];\n}}\n",
        n = codes.len(),
        all = all.join(", "),
    );
    let path =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("languages.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}
