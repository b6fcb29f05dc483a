//! The languages: one per folder under `locales/`, found by `build.rs` at compile time. The code
//! names none of them; English is the fallback, `Lang::FALLBACK`.

use std::sync::OnceLock;

use fluent_templates::LanguageIdentifier;

/// What a locale folder says about its language (`language.json`, `countries.tsv`,
/// `regions.tsv`), embedded in the binary.
pub(super) struct Language {
    pub code: &'static str,
    /// The language's own name, for the switcher (not translated on purpose).
    pub native_name: &'static str,
    /// The CLDR locale whose number and date formats the language uses ("en-GB": 10 December 2017).
    pub formats: &'static str,
    /// ISO 3166-1 code, tab, the country's name in the language; one a line.
    pub countries: &'static str,
    /// ISO 3166-2 code, tab, the region's name in the language; one a line.
    pub regions: &'static str,
}

/// A language the site speaks: an index into the table `build.rs` writes from `locales/`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

impl Lang {
    /// English, which every other language is checked against and falls back to.
    pub const FALLBACK: Lang = Lang(0);

    pub(super) fn data(self) -> &'static Language {
        &LANGUAGES[usize::from(self.0)]
    }

    /// The position in `Lang::ALL`, for tables kept per language.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn code(self) -> &'static str {
        self.data().code
    }

    /// The language of a tag such as `es`, `es-MX` or `pt_BR`: the folder named by the whole tag,
    /// else by its first subtag; `None` when the site does not speak it.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-");
        let primary = tag.split('-').next()?;
        let find = |code: &str| {
            Lang::ALL
                .into_iter()
                .find(|l| l.code().eq_ignore_ascii_case(code))
        };
        find(&tag).or_else(|| find(primary))
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        self.data().native_name
    }

    /// `locales/<code>/countries.tsv`: ISO 3166-1 code, tab, name; one a line.
    pub fn country_names(self) -> &'static str {
        self.data().countries
    }

    /// `locales/<code>/regions.tsv`: ISO 3166-2 code, tab, name; one a line.
    pub fn region_names(self) -> &'static str {
        self.data().regions
    }

    /// The codes of every language, for messages that list them ("en, es, fr").
    pub fn all_codes() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }

    pub(super) fn id(self) -> &'static LanguageIdentifier {
        static IDS: OnceLock<Vec<LanguageIdentifier>> = OnceLock::new();
        &IDS.get_or_init(|| {
            Lang::ALL
                .iter()
                .map(|l| {
                    l.code()
                        .parse()
                        .unwrap_or_else(|_| panic!("locales/{}: not a language code", l.code()))
                })
                .collect()
        })[self.index()]
    }
}

impl Default for Lang {
    fn default() -> Lang {
        Lang::FALLBACK
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_is_a_language_and_english_comes_first() {
        let mut folders: Vec<String> = std::fs::read_dir("locales")
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        let mut codes: Vec<String> = Lang::ALL.iter().map(|l| l.code().to_string()).collect();
        assert_eq!(codes[0], "en");
        assert_eq!(Lang::FALLBACK.code(), "en");
        codes.sort();
        assert_eq!(codes, folders);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(Lang::from_code(&lang.code().to_uppercase()), Some(lang));
            assert_eq!(Lang::from_code(&format!("{}-ZZ", lang.code())), Some(lang));
            assert!(!lang.native_name().is_empty());
        }
        assert_eq!(Lang::from_code("xx"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
