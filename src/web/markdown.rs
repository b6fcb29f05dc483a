//! Markdown written by staff and hosts, turned into HTML that is safe to show to everyone.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown and sanitises the result with ammonia: no script, style, iframe, event
/// handlers or `javascript:` URLs survive; links get `rel="noopener noreferrer nofollow"`.
pub fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    );
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn hostile_markdown_is_defused() {
        let out = to_safe_html(
            "**hi** <script>alert(1)</script><img src=x onerror=alert(1)>\
             <iframe src=//x></iframe><style>*{}</style>[x](javascript:alert(1)) <a href=\"https://ok.example\">ok</a>",
        );
        assert!(out.contains("<strong>hi</strong>"), "{out}");
        for bad in ["<script", "onerror", "<iframe", "<style", "javascript:"] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
        assert!(
            out.contains("rel=\"noopener noreferrer nofollow\""),
            "{out}"
        );
    }
}
