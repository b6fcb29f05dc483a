//! A case's Markdown as Typst markup: headings, paragraphs, lists, emphasis, quotes, links and
//! code become Typst's own functions; every character of the text that Typst would read as markup
//! is escaped; raw HTML is dropped (its text between tags stays, as plain text), images leave
//! their description. The result is evaluated by the template with the `right-to-left` helper in scope:
//! a paragraph whose first letter is Arabic or Hebrew is set right to left.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Characters Typst markup gives a meaning to, and the full stop (`1.` opens a numbered list).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\\' | '#'
            | '*'
            | '_'
            | '`'
            | '$'
            | '<'
            | '>'
            | '@'
            | '['
            | ']'
            | '='
            | '-'
            | '+'
            | '/'
            | '~'
            | ':'
            | '.'
            | '{'
            | '}'
    )
}

/// Plain text as Typst markup that shows exactly that text.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_control() {
            if c == '\n' || c == '\t' {
                out.push(' ');
            }
            continue;
        }
        if needs_escape(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Text as a Typst string literal.
fn string_literal(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// Whether the first letter of `text` belongs to a right-to-left script.
pub fn starts_rtl(text: &str) -> bool {
    text.chars().find(|c| c.is_alphabetic()).is_some_and(is_rtl)
}

/// One line of plain text (a salutation, say) as a paragraph of markup, right to left when its
/// first letter is Arabic or Hebrew.
pub fn plain_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape(text, &mut out);
    if starts_rtl(text) {
        format!("#right-to-left[{out}]")
    } else {
        out
    }
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Where a paragraph's markup starts in the output and the text it has so far.
struct OpenBlock {
    at: usize,
    text: String,
}

/// Converts Markdown to Typst markup. Headings are pushed down by `heading_offset` levels, so that
/// a story's `#` sits under the document's own title.
pub fn from_markdown(markdown: &str, heading_offset: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    let mut blocks: Vec<OpenBlock> = Vec::new();
    let mut code: Option<String> = None;
    let mut link_stack: Vec<(String, usize)> = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        if let Some(buf) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    buf.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    out.push_str("#raw(block: true, ");
                    let text = code.take().unwrap_or_default();
                    string_literal(text.trim_end_matches('\n'), &mut out);
                    out.push_str(")\n\n");
                    continue;
                }
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                blocks.push(OpenBlock {
                    at: out.len(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(block) = blocks.pop()
                    && starts_rtl(&block.text)
                {
                    out.insert_str(block.at, "#right-to-left[");
                    out.push(']');
                }
                out.push_str("\n\n");
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let level = (heading_level(level) + heading_offset).min(6);
                out.push_str(&format!("#heading(level: {level})["));
                blocks.push(OpenBlock {
                    at: out.len(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(block) = blocks.pop()
                    && starts_rtl(&block.text)
                {
                    out.insert_str(block.at, "#text(dir: rtl)[");
                    out.push(']');
                }
                out.push_str("]\n\n");
            }
            Event::Start(Tag::BlockQuote(_)) => out.push_str("#quote(block: true)["),
            Event::End(TagEnd::BlockQuote(_)) => out.push_str("]\n\n"),
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::Start(Tag::List(start)) => match start {
                Some(n) => out.push_str(&format!("#enum(start: {}, ", n.min(1_000_000))),
                None => out.push_str("#list("),
            },
            Event::End(TagEnd::List(_)) => out.push_str(")\n\n"),
            Event::Start(Tag::Item) => out.push('['),
            Event::End(TagEnd::Item) => {
                while out.ends_with('\n') {
                    out.pop();
                }
                out.push_str("], ");
            }
            Event::Start(Tag::Emphasis) => out.push_str("#emph["),
            Event::Start(Tag::Strong) => out.push_str("#strong["),
            Event::Start(Tag::Strikethrough) => out.push_str("#strike["),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => out.push(']'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_stack.push((dest_url.to_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, at)) = link_stack.pop() {
                    let shown = out[at..].to_string();
                    let mut plain = String::new();
                    escape(&url, &mut plain);
                    let printable = url.starts_with("https://")
                        || url.starts_with("http://")
                        || url.starts_with("mailto:");
                    if printable && shown != plain {
                        out.push_str(" (");
                        out.push_str(&plain);
                        out.push(')');
                    }
                }
            }
            Event::Text(t) => {
                escape(&t, &mut out);
                if let Some(block) = blocks.last_mut()
                    && block.text.len() < 200
                {
                    block.text.push_str(&t);
                }
            }
            Event::Code(t) => {
                out.push_str("#raw(");
                string_literal(&t, &mut out);
                out.push(')');
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("#linebreak()"),
            Event::Rule => out.push_str("#line(length: 100%)\n\n"),
            // Raw HTML is never passed on: the tags go, the words between them stay.
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        let out = from_markdown("Costs $5 #hash @ref <b>x</b> = 1. // not a comment", 0);
        assert!(out.contains("\\$5"), "{out}");
        assert!(out.contains("\\#hash"), "{out}");
        assert!(out.contains("\\@ref"), "{out}");
        assert!(out.contains("\\/\\/ not"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn structure_becomes_typst_functions() {
        let out = from_markdown(
            "# Title\n\n**bold** and *it*\n\n- one\n- two\n\n1. a\n2. b",
            1,
        );
        assert!(out.starts_with("#heading(level: 2)[Title]"), "{out}");
        assert!(out.contains("#strong[bold]"), "{out}");
        assert!(out.contains("#emph[it]"), "{out}");
        assert!(out.contains("#list([one], [two], )"), "{out}");
        assert!(out.contains("#enum(start: 1, [a], [b], )"), "{out}");
    }

    #[test]
    fn html_blocks_are_dropped() {
        let out = from_markdown("<script>alert(1)</script>\n\nAfter <i>all</i>", 0);
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("alert"), "{out}");
        assert!(out.contains("After all"), "{out}");
    }

    #[test]
    fn arabic_paragraphs_run_right_to_left() {
        let out = from_markdown("Hello\n\nنطالب بالإفراج الفوري", 0);
        assert!(out.starts_with("Hello"), "{out}");
        assert!(out.contains("#right-to-left[نطالب"), "{out}");
    }

    #[test]
    fn plain_text_stays_plain() {
        assert_eq!(
            plain_paragraph("# 1. Dear *all*"),
            "\\# 1\\. Dear \\*all\\*"
        );
        assert_eq!(
            plain_paragraph("السيد الوزير،"),
            "#right-to-left[السيد الوزير،]"
        );
    }

    #[test]
    fn code_is_a_string_literal() {
        let out = from_markdown("`a\"b\\c`\n\n```\nx\"\n```", 0);
        assert!(out.contains(r#"#raw("a\"b\\c")"#), "{out}");
        assert!(out.contains(r#"#raw(block: true, "x\"")"#), "{out}");
    }
}
