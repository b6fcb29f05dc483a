//! The attendee CSV (`events::attendees::csv_field`): a CSV reader gets back exactly the names
//! and addresses written, but for the quote that defuses a formula, and a spreadsheet never
//! starts a cell with a formula.

use arbtest::arbitrary::Unstructured;

use crate::events::attendees::csv_field;

const PIECES: [&str; 24] = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\"",
    "\"\"",
    ",",
    "'",
    " ",
    "\0",
    "=HYPERLINK(\"http://x\")",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "Ana",
    "ana@example.org",
    "\u{feff}",
    "\u{a0}",
    ";",
    "é",
];

/// What makes a spreadsheet read a cell as a formula (OWASP's list; ASVS 5.0 adds NUL), also
/// after the leading spaces an import may trim.
fn formula(cell: &str) -> bool {
    cell.trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r', '\0'])
}

/// The rows as `attendees_csv` writes them: two quoted fields, then the server's own values.
fn write(rows: &[[String; 2]]) -> String {
    let mut out = String::from("name,email,status,consent_contact,language,registered_at\r\n");
    for [name, email] in rows {
        let row = [
            csv_field(name),
            csv_field(email),
            "confirmed".into(),
            "true".into(),
            "en".into(),
            "2026-11-20T10:00:00Z".into(),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn attendee_csv() {
    super::run("attendee_csv", 4096, |u: &mut Unstructured<'_>| {
        let mut rows = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            rows.push([super::text(u, &PIECES, 12)?, super::text(u, &PIECES, 12)?]);
        }
        let csv = write(&rows);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(csv.as_bytes());
        let read: Vec<csv::StringRecord> = reader
            .records()
            .collect::<std::result::Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e} in {csv:?}"));
        assert_eq!(read.len(), rows.len(), "{csv:?}");
        for (record, row) in read.iter().zip(&rows) {
            assert_eq!(record.len(), 6, "{csv:?}");
            for (cell, written) in record.iter().zip(row) {
                let defused = format!("'{written}");
                assert!(
                    cell == written && !formula(written) || cell == defused && formula(written),
                    "{written:?} read back as {cell:?}"
                );
                assert!(!formula(cell), "{cell:?} is a formula");
            }
        }
        Ok(())
    });
}
