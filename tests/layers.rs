//! Layers only point down: every `crate::…` path in `src/` (in `use` lines, `use crate::{…}`
//! groups over many lines, and paths written in place) and every `super::…` path that leaves its
//! top-level module names a module in a row below the file's own in `layers.toml`. Comments and
//! string literals do not count. See ARCHITECTURE.md, "Layers".

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `layers.toml`: the rows, bottom first, and the modules that count as another one for now.
struct Table {
    rank: BTreeMap<String, usize>,
    moving: BTreeMap<String, String>,
}

/// Reads the file's two shapes (`layers = [ ["a", "b"], … ]` and `"x::y" = "z"` under
/// `[moving]`); anything else is refused, so the file cannot say more than the test reads.
fn read_table(text: &str) -> Table {
    let quoted = |line: &str| -> Vec<String> {
        line.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut rank = BTreeMap::new();
    let mut moving = BTreeMap::new();
    let mut section = "";
    let mut row = 0;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match (section, line) {
            (_, "layers = [") => section = "layers",
            ("layers", "]") => section = "",
            (_, "[moving]") => section = "moving",
            ("layers", l) if l.starts_with('[') && l.ends_with("],") => {
                for module in quoted(l) {
                    assert!(
                        rank.insert(module.clone(), row).is_none(),
                        "layers.toml: {module} twice"
                    );
                }
                row += 1;
            }
            ("moving", l) if quoted(l).len() == 2 => {
                let q = quoted(l);
                moving.insert(q[0].clone(), q[1].clone());
            }
            _ => panic!("layers.toml line {}: not understood: {raw}", n + 1),
        }
    }
    Table { rank, moving }
}

fn peek(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

/// The code with comments, string and char literals blanked out (newlines kept, so line numbers
/// stay right).
fn strip(code: &str) -> String {
    let c: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let word_before = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if c[i] == '/' && peek(&c, i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && peek(&c, i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && peek(&c, i + 1) == '*' {
                    depth += 1;
                    i += 2;
                    out.push_str("  ");
                } else if c[i] == '*' && peek(&c, i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    out.push_str("  ");
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if let Some((start, hashes)) = raw_string_at(&c, i).filter(|_| !word_before) {
            i += start + hashes + 1;
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            while i < c.len() && !c[i..].iter().collect::<String>().starts_with(&close) {
                blank(&mut out, c[i]);
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' && peek(&c, i + 1) == '\\' {
            // '\n', '\'', '\u{…}'
            i += 3;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c[i] == '\'' && peek(&c, i + 2) == '\'' {
            i += 3;
            out.push_str("' '");
        } else {
            // Also a lifetime's quote.
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// `r"…"`, `r#"…"#` or `br"…"` at `i`: the length of its prefix and its number of `#`.
fn raw_string_at(c: &[char], i: usize) -> Option<(usize, usize)> {
    let at = |k: usize| c.get(i + k).copied().unwrap_or('\0');
    let start = match (at(0), at(1)) {
        ('r', _) => 1,
        ('b', 'r') => 2,
        _ => return None,
    };
    let hashes = (start..).take_while(|k| at(*k) == '#').count();
    (at(start + hashes) == '"').then_some((start, hashes))
}

/// A path into another part of the crate: where it is written and its first two segments.
#[derive(Debug, PartialEq)]
struct Use {
    line: usize,
    text: String,
    segments: Vec<String>,
}

fn ident_at(c: &[char], i: usize) -> (String, usize) {
    let mut j = i;
    while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_') {
        j += 1;
    }
    (c[i..j].iter().collect(), j)
}

fn skip_space(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i].is_whitespace() {
        i += 1;
    }
    i
}

/// A path found: where its first segment is written, and up to two segments.
type Found = Vec<(usize, Vec<String>)>;

/// The paths of a `{…}` group starting after its `{`, each as up to two segments below
/// `prefix`; returns them and where the group ends.
fn group(c: &[char], mut i: usize, prefix: &[String]) -> (Found, usize) {
    let mut found = Vec::new();
    loop {
        i = skip_space(c, i);
        if i >= c.len() {
            return (found, i);
        }
        match c[i] {
            '}' => return (found, i + 1),
            ',' => i += 1,
            '{' => {
                let (inner, end) = group(c, i + 1, prefix);
                found.extend(inner);
                i = end;
            }
            _ => {
                let (paths, end) = path(c, i, prefix);
                found.extend(paths);
                // Skip `as name`, `*` and anything else up to the next item.
                i = end;
                while i < c.len() && !matches!(c[i], ',' | '}') {
                    i += 1;
                }
            }
        }
    }
}

/// The path starting at `i` (`a::b::{…}` or `a::b`), as up to two segments below `prefix`.
fn path(c: &[char], mut i: usize, prefix: &[String]) -> (Found, usize) {
    let mut segments = prefix.to_vec();
    let at = skip_space(c, i);
    loop {
        i = skip_space(c, i);
        if i < c.len() && c[i] == '{' {
            if segments.len() >= 2 {
                let end = group(c, i + 1, &segments).1;
                return (vec![(at, segments)], end);
            }
            return group(c, i + 1, &segments);
        }
        let (ident, end) = ident_at(c, i);
        if ident.is_empty() {
            return (vec![(at, segments)], i);
        }
        if segments.len() < 2 && ident != "self" {
            segments.push(ident);
        }
        i = skip_space(c, end);
        if c.get(i) == Some(&':') && c.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            return (vec![(at, segments)], i);
        }
    }
}

/// Every path in `code` (already stripped) that names a module from the crate's root: `crate::`
/// ones, and `super::` ones that climb out of `module` (the file's module path), counting the
/// `mod … {` blocks written inside the file.
fn uses(code: &str, module: &[String]) -> Vec<Use> {
    let c: Vec<char> = code.chars().collect();
    let lines: Vec<&str> = code.lines().collect();
    let line_of = |i: usize| c[..i].iter().filter(|ch| **ch == '\n').count() + 1;
    let mut found = Vec::new();
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < c.len() {
        let boundary =
            i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_' || c[i - 1] == '$');
        match c[i] {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        if !boundary || !(c[i].is_alphabetic()) {
            i += 1;
            continue;
        }
        let (word, end) = ident_at(&c, i);
        let after = skip_space(&c, end);
        let takes_path = c.get(after) == Some(&':') && c.get(after + 1) == Some(&':');
        if word == "mod" {
            let (name, e) = ident_at(&c, skip_space(&c, end));
            let e = skip_space(&c, e);
            if c.get(e) == Some(&'{') {
                inline.push((name, depth));
            }
            i = end;
        } else if word == "crate" && takes_path {
            let (paths, e) = path(&c, after + 2, &[]);
            for (at, segments) in paths {
                found.push(Use {
                    line: line_of(at),
                    text: lines[line_of(at) - 1].trim().to_string(),
                    segments,
                });
            }
            i = e;
        } else if word == "super" && takes_path {
            let mut here: Vec<String> = module.to_vec();
            here.extend(inline.iter().map(|(n, _)| n.clone()));
            let mut j = i;
            loop {
                let (w, e) = ident_at(&c, j);
                let a = skip_space(&c, e);
                if w == "super" && c.get(a) == Some(&':') && c.get(a + 1) == Some(&':') {
                    here.pop();
                    j = skip_space(&c, a + 2);
                } else {
                    break;
                }
            }
            if here.is_empty() {
                let (paths, e) = path(&c, j, &[]);
                for (at, segments) in paths {
                    found.push(Use {
                        line: line_of(at),
                        text: lines[line_of(at) - 1].trim().to_string(),
                        segments,
                    });
                }
                i = e;
            } else {
                i = j;
            }
        } else {
            i = end;
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/events/store.rs` → `["events", "store"]`; `src/events/mod.rs` → `["events"]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix("src").unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The layer a module path belongs to: its top-level module, unless `[moving]` says otherwise.
fn layer_of(table: &Table, segments: &[String]) -> String {
    if segments.len() >= 2
        && let Some(layer) = table.moving.get(&segments[..2].join("::"))
    {
        return layer.clone();
    }
    segments[0].clone()
}

/// The crate's roots are not in any layer: they declare the modules.
fn is_root(module: &str) -> bool {
    matches!(module, "lib" | "main" | "bin")
}

#[test]
fn layers_only_point_down() {
    let table = read_table(&std::fs::read_to_string("layers.toml").unwrap());
    let mut problems = Vec::new();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let on_disk: BTreeSet<String> = files
        .iter()
        .map(|f| module_path(f)[0].clone())
        .filter(|m| !is_root(m))
        .collect();
    for module in &on_disk {
        if !table.rank.contains_key(module) {
            problems.push(format!("src/{module}: not in layers.toml; give it a row"));
        }
    }
    for module in table.rank.keys() {
        if !on_disk.contains(module) && !table.moving.values().any(|l| l == module) {
            problems.push(format!("layers.toml: {module} is not in src/"));
        }
    }
    for name in table.moving.keys() {
        let parts: Vec<&str> = name.split("::").collect();
        let base = Path::new("src").join(parts.join("/"));
        if !base.with_extension("rs").exists() && !base.join("mod.rs").exists() {
            problems.push(format!(
                "layers.toml: [moving] names {name}, which has moved: remove the line"
            ));
        }
    }
    for file in &files {
        let module = module_path(file);
        if is_root(&module[0]) {
            continue;
        }
        let from = layer_of(&table, &module);
        let Some(&from_rank) = table.rank.get(&from) else {
            continue;
        };
        let code = strip(&std::fs::read_to_string(file).unwrap());
        for u in uses(&code, &module) {
            let to = layer_of(&table, &u.segments);
            if to == from {
                continue;
            }
            let Some(&to_rank) = table.rank.get(&to) else {
                // An item of the crate root (lib.rs), or a module layers.toml lacks (reported above).
                continue;
            };
            if to_rank >= from_rank {
                problems.push(format!(
                    "{}:{}: {from} uses {to}, which is not below it: {}",
                    file.display(),
                    u.line,
                    u.text
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layers only point down (layers.toml, ARCHITECTURE.md \"Layers\"):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_reads_groups_over_lines_and_skips_comments_and_strings() {
    let code = strip(
        r####"
use crate::{
    db::Db,
    events::{self, store::{get, put}},
    web::page::PageCtx as Page,
};
// crate::commented::out
/* crate::blocked::out */
let s = "crate::quoted::out"; let r = r#"crate::raw::out"#; let q = '"'; let l: &'a str;
let x = crate::tally::build(); let y = super::super::geo::find;
mod tests { use super::*; fn f() { super::super::super::outer::x(); } }
"####,
    );
    let found: Vec<(usize, String)> = uses(&code, &["events".into(), "store".into()])
        .into_iter()
        .map(|u| (u.line, u.segments.join("::")))
        .collect();
    let expected: Vec<(usize, String)> = [
        (3, "db::Db"),
        (4, "events"),
        (4, "events::store"),
        (5, "web::page"),
        (10, "tally::build"),
        (10, "geo::find"),
        (11, "outer::x"),
    ]
    .into_iter()
    .map(|(l, s)| (l, s.to_string()))
    .collect();
    assert_eq!(found, expected);
}
