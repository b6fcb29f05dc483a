//! `writeathon backup` and `writeathon restore`: one portable archive for both backends.
//!
//! The archive is a gzip-compressed tar: `manifest.json` first (format, schema version, and per
//! table its columns, row count and checksums), then `tables/<name>.jsonl`, one JSON array per
//! row with the columns in the manifest's order, then `media/<key>`, each stored photo size from
//! the object store (or, with `--no-media`, only their list in the manifest). Both ends stream: a table goes row by row into a
//! temporary file and from there into the archive, and comes back out line by line, so a
//! database of millions of rows is never held in memory.
//!
//! A table's `content` checksum does not depend on the order of its rows or on the backend, so
//! the same rows on SQLite and on PostgreSQL give the same checksum: that is how a restore proves
//! it loaded what was taken, and how a move between backends is checked.

mod dump;
mod load;
mod store;

use serde::{Deserialize, Serialize};

pub use dump::backup;
pub use load::{Restored, restore, verify};

use crate::db::catalog::ColumnKind;
use crate::photos::PhotoStore;

/// What the archive says of itself, and what `restore` checks before it touches the database.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The newest migration the database had: a restore loads into exactly this schema.
    pub schema_version: i64,
    /// The backend it was taken from (for the record; either restores into either).
    pub backend: String,
    pub created_at_ms: i64,
    pub tables: Vec<TableEntry>,
    /// The object store's files (photos), in the archive or, when `media_included` is false,
    /// only listed (to be copied by other means).
    #[serde(default)]
    pub media: Vec<MediaEntry>,
    #[serde(default)]
    pub media_included: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct MediaEntry {
    pub key: String,
    pub size: u64,
    /// SHA-256 of the bytes (only when they are in the archive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// What a backup does with the object store's files.
#[derive(Clone, Copy)]
pub enum Media<'a> {
    /// Nothing (a database without photos, or a test of the tables alone).
    Skip,
    /// Their list in the manifest, not their bytes (`--no-media`).
    List(&'a PhotoStore),
    /// Every file, in the archive.
    Include(&'a PhotoStore),
}

const FORMAT: &str = "writeathon-backup";
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: u64,
    /// SHA-256 of the table's file in the archive: a corrupt or truncated archive fails here.
    pub file_sha256: String,
    /// The order-free checksum of the rows' contents ([`store::ContentHash`]).
    pub content: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// A column's values in the archive: whole numbers, floating point, text, or bytes (base64).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Integer,
    Real,
    Text,
    Blob,
}

impl From<ColumnKind> for Kind {
    fn from(kind: ColumnKind) -> Kind {
        match kind {
            ColumnKind::Integer => Kind::Integer,
            ColumnKind::Real => Kind::Real,
            ColumnKind::Text => Kind::Text,
            ColumnKind::Blob => Kind::Blob,
        }
    }
}

fn table_path(name: &str) -> String {
    format!("tables/{name}.jsonl")
}

fn media_path(key: &str) -> String {
    format!("media/{key}")
}

/// The checksums of every table of a database, as `backup` would write them: what a test compares
/// to prove two databases (one per backend, say) hold the same rows.
pub async fn checksums(db: &crate::db::Db) -> anyhow::Result<Vec<(String, u64, String)>> {
    let mut tx = store::snapshot(db).await?;
    let mut out = Vec::new();
    for table in db.tables().await? {
        let (count, content) = store::each(&mut tx, &table, |_| Ok(())).await?;
        out.push((table.name, count, content));
    }
    tx.rollback().await?;
    Ok(out)
}
