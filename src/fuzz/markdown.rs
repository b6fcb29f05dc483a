//! Markdown sanitising (`web::markdown::to_safe_html`): what a browser parses from the HTML we
//! put inside a `<div class="prose">` holds no script, no style, no event handler and no link
//! that runs code; and sanitising our own output again changes nothing.

use std::cell::RefCell;

use arbtest::arbitrary::Unstructured;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

use crate::web::markdown::{sanitize, to_safe_html};

const PIECES: [&str; 64] = [
    "**",
    "_",
    "`",
    "```\n",
    "~~",
    "# ",
    "\n- ",
    "\n1. ",
    "\n> ",
    "\n\n",
    "\n",
    "|",
    "\n| a | b |\n|---|---|\n",
    "---",
    "[x](",
    "](",
    ")",
    "![i](",
    "<http://",
    "<mailto:a@b>",
    "[r]: ",
    "\\",
    "&",
    "&#106;",
    "&#x3A;",
    "&colon;",
    "&lt;",
    ";",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    " \u{1}javascript:",
    "vbscript:",
    "data:text/html,",
    "alert(1)",
    "<script>",
    "</script>",
    "<style>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"",
    "<a href=",
    "\"",
    "'",
    "=",
    " ",
    ">",
    "<",
    "</a>",
    "<p>",
    "<iframe srcdoc=",
    "<svg><script>",
    "<math><mi xlink:href=",
    "<noscript><p title=\"",
    "</noscript>",
    "<template>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<table><td>",
    "<form action=",
    "<textarea>",
    "<details open ontoggle=",
    " style=\"background:url(",
];

/// The tags ammonia's default allows (ammonia 4).
const TAGS: [&str; 73] = [
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
];
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "cite", "longdesc", "action", "poster"];

/// Whether a browser would follow `value` only to a page, a mail form or a relative address:
/// it drops leading and trailing controls and spaces, and every tab and line break, first.
fn harmless_url(value: &str) -> bool {
    let url: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    // A scheme is a letter, then letters, digits, `+`, `-` or `.`; anything else is relative.
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| s.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    scheme.is_none_or(|s| ["http", "https", "mailto"].contains(&s))
}

/// The start tags a browser reads in `html`. Its tree builder would switch the tokenizer to raw
/// text after `<script>`, `<style>`, `<textarea>`, `<svg>` and the like; none of those may appear
/// (checked below), so the tokens alone are what the browser sees.
fn start_tags(html: &str) -> Vec<Tag> {
    struct Tags(RefCell<Vec<Tag>>);
    impl TokenSink for Tags {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token
                && tag.kind == TagKind::StartTag
            {
                self.0.borrow_mut().push(tag);
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(Tags(RefCell::default()), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

fn assert_harmless(html: &str, markdown: &str) {
    for Tag { name, attrs, .. } in start_tags(html) {
        let tag = &*name;
        assert!(TAGS.contains(&tag), "<{tag}> in {html:?} from {markdown:?}");
        for attr in &attrs {
            let (attribute, value) = (attr.name.local.to_ascii_lowercase(), &*attr.value);
            assert!(
                !attribute.starts_with("on") && !["style", "srcdoc"].contains(&&*attribute),
                "{attribute} on <{tag}> in {html:?} from {markdown:?}"
            );
            if URL_ATTRIBUTES.contains(&&*attribute) || attribute.contains(':') {
                assert!(
                    harmless_url(value),
                    "{attribute}={value:?} in {html:?} from {markdown:?}"
                );
            }
        }
        if tag == "a" && attrs.iter().any(|a| &*a.name.local == "href") {
            let rel = attrs.iter().find(|a| &*a.name.local == "rel");
            assert_eq!(
                rel.map(|a| &*a.value),
                Some("noopener noreferrer nofollow"),
                "{html:?}"
            );
        }
    }
}

#[test]
fn markdown() {
    super::run("markdown", 4096, |u: &mut Unstructured<'_>| {
        let markdown = super::text(u, &PIECES, 60)?;
        let html = to_safe_html(&markdown);
        assert_harmless(&html, &markdown);
        assert_eq!(sanitize(&html), html, "sanitised again, from {markdown:?}");
        Ok(())
    });
}

#[test]
fn the_url_check_knows_obfuscated_schemes() {
    for bad in [
        "javascript:x",
        " JAVA\tSCRIPT:x",
        "\u{1}vbscript:x",
        "data:x",
    ] {
        assert!(!harmless_url(bad), "{bad}");
    }
    for ok in [
        "https://x",
        "mailto:a@b",
        "/a:b",
        "?q=a:b",
        "#a:b",
        "page",
        "\u{3000}:x",
    ] {
        assert!(harmless_url(ok), "{ok}");
    }
}
