//! Restoring a backup: the whole archive is checked first, then loaded in one transaction into
//! the schema it was taken from, counted and checksummed again, migrated the rest of the way and
//! reconciled. A damaged archive is refused before the database is touched; anything wrong during
//! the load rolls it back, leaving the database empty.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, bail};
use flate2::read::GzDecoder;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::store::{self, ContentHash, quoted};
use super::{
    FORMAT, FORMAT_VERSION, Kind, Manifest, MediaEntry, TableEntry, media_path, table_path,
};
use crate::db::catalog::{self, Table};
use crate::db::{Db, Tx};
use crate::photos::PhotoStore;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub rows: u64,
    /// Counters `reconcile` had to repair after the load (0 for an archive taken by `backup`).
    pub drift: usize,
    /// Files put into the object store.
    pub media: usize,
}

/// At most this many values in one INSERT (SQLite allows 32,766 parameters, PostgreSQL 65,535).
const VALUES_PER_INSERT: usize = 8_000;

type Archive = tar::Archive<GzDecoder<BufReader<File>>>;

fn open(path: &Path) -> anyhow::Result<Archive> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(tar::Archive::new(GzDecoder::new(BufReader::new(file))))
}

/// Reads the manifest and checks every table's file against it, without touching a database.
pub fn verify(path: &Path) -> anyhow::Result<Manifest> {
    let mut archive = open(path)?;
    let mut entries = archive
        .entries()
        .context("not a Writeathon backup archive")?;
    let manifest = read_manifest(&mut entries)?;
    for table in &manifest.tables {
        let entry = next_entry(&mut entries, table)?;
        let (mut file_hash, mut content, mut count) = (Sha256::new(), ContentHash::default(), 0u64);
        for line in BufReader::new(entry).split(b'\n') {
            let line = line.with_context(|| truncated(table))?;
            file_hash.update(&line);
            file_hash.update(b"\n");
            content.add(&line);
            count += 1;
        }
        if count != table.rows
            || hex::encode(file_hash.finalize()) != table.file_sha256
            || content.hex() != table.content
        {
            bail!(
                "the archive is damaged: {} does not match its checksum",
                table_path(&table.name)
            );
        }
    }
    if manifest.media_included {
        for media in &manifest.media {
            read_media(&mut entries, media)?;
        }
    }
    Ok(manifest)
}

/// The next entry's bytes, which must be this file of the object store, whole and unchanged.
fn read_media(
    entries: &mut tar::Entries<'_, GzDecoder<BufReader<File>>>,
    media: &MediaEntry,
) -> anyhow::Result<Vec<u8>> {
    let path = media_path(&media.key);
    let damaged = || format!("the archive is damaged or truncated in {path}");
    let mut entry = entries
        .next()
        .with_context(damaged)?
        .with_context(damaged)?;
    if entry.path()?.to_str() != Some(path.as_str()) {
        bail!("the archive is damaged: {path} is missing");
    }
    let mut bytes = Vec::with_capacity(media.size as usize);
    entry.read_to_end(&mut bytes).with_context(damaged)?;
    if bytes.len() as u64 != media.size || Some(hex::encode(Sha256::digest(&bytes))) != media.sha256
    {
        bail!("the archive is damaged: {path} does not match its checksum");
    }
    Ok(bytes)
}

fn truncated(table: &TableEntry) -> String {
    format!(
        "the archive is damaged or truncated in {}",
        table_path(&table.name)
    )
}

fn read_manifest(
    entries: &mut tar::Entries<'_, GzDecoder<BufReader<File>>>,
) -> anyhow::Result<Manifest> {
    let mut first = entries
        .next()
        .context("the archive is empty")?
        .context("not a Writeathon backup archive")?;
    if first.path()?.to_str() != Some("manifest.json") {
        bail!("not a Writeathon backup archive (no manifest.json first)");
    }
    let mut text = String::new();
    first
        .read_to_string(&mut text)
        .context("the archive is damaged: manifest.json cannot be read")?;
    let manifest: Manifest =
        serde_json::from_str(&text).context("not a Writeathon backup archive (manifest.json)")?;
    if manifest.format != FORMAT {
        bail!(
            "not a Writeathon backup archive (format {:?})",
            manifest.format
        );
    }
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "the archive is in format version {}, newer than this Writeathon reads ({FORMAT_VERSION}): restore it with a newer Writeathon",
            manifest.format_version
        );
    }
    Ok(manifest)
}

fn next_entry<'a>(
    entries: &mut tar::Entries<'a, GzDecoder<BufReader<File>>>,
    table: &TableEntry,
) -> anyhow::Result<tar::Entry<'a, GzDecoder<BufReader<File>>>> {
    let entry = entries
        .next()
        .with_context(|| truncated(table))?
        .with_context(|| truncated(table))?;
    if entry.path()?.to_str() != Some(table_path(&table.name).as_str()) {
        bail!(
            "the archive is damaged: {} is missing",
            table_path(&table.name)
        );
    }
    Ok(entry)
}

/// Restores the archive at `from` into `db`, which must hold no rows unless `force` (then
/// everything in it is erased first), and its photos' files into `media` when given.
pub async fn restore(
    db: &Db,
    from: &Path,
    force: bool,
    media: Option<&PhotoStore>,
) -> anyhow::Result<Restored> {
    let manifest = verify(from)?;
    let newest = catalog::latest_version(db.backend);
    if manifest.schema_version > newest {
        bail!(
            "the archive's schema (version {}) is newer than this Writeathon's ({newest}): restore it with the Writeathon that took it, or a newer one",
            manifest.schema_version
        );
    }
    if !force && let Some(table) = store::first_with_rows(db).await? {
        bail!(
            "the target database is not empty (table {table} has rows): restore into an empty database, or add --force to erase it first"
        );
    }
    // Empty (or to be erased): start from nothing, so the schema is exactly the archive's.
    db.erase_everything().await?;
    db.migrate_to(manifest.schema_version).await?;
    let tables = db.tables().await?;
    let mut tx = db.begin_write().await?;
    let mut archive = open(from)?;
    let mut entries = archive.entries()?;
    read_manifest(&mut entries)?;
    let mut total = 0;
    for entry in &manifest.tables {
        let table = tables
            .iter()
            .find(|t| t.name == entry.name)
            .with_context(|| {
                format!(
                    "table {} is not in schema version {}",
                    entry.name, manifest.schema_version
                )
            })?;
        let lines = BufReader::new(next_entry(&mut entries, entry)?);
        total += load_table(&mut tx, table, entry, lines).await?;
        let (count, content) = store::each(&mut tx, table, |_| Ok(())).await?;
        if count != entry.rows || content != entry.content {
            bail!(
                "table {} did not load as archived: nothing was restored",
                entry.name
            );
        }
    }
    // The files before the commit: rows never name a file that is not there.
    let mut files = 0;
    if let Some(store) = media.filter(|_| manifest.media_included) {
        for entry in &manifest.media {
            let bytes = read_media(&mut entries, entry)?;
            store
                .put(&entry.key, bytes)
                .await
                .with_context(|| format!("cannot store {}", entry.key))?;
            files += 1;
        }
    }
    tx.commit().await?;
    db.continue_ids().await?;
    db.migrate().await?;
    let drift = crate::reports::reconcile::reconcile(db, None).await?.len();
    Ok(Restored {
        manifest,
        rows: total,
        drift,
        media: files,
    })
}

async fn load_table(
    tx: &mut Tx,
    table: &Table,
    entry: &TableEntry,
    lines: impl BufRead,
) -> anyhow::Result<u64> {
    let mut kinds = Vec::with_capacity(entry.columns.len());
    for column in &entry.columns {
        let kind = table.kind_of(&column.name).with_context(|| {
            format!(
                "column {}.{} is not in the target schema",
                entry.name, column.name
            )
        })?;
        if Kind::from(kind) != column.kind {
            bail!(
                "column {}.{} has another type in the target schema",
                entry.name,
                column.name
            );
        }
        kinds.push(kind);
    }
    let names: Vec<String> = entry.columns.iter().map(|c| quoted(&c.name)).collect();
    let per_insert = (VALUES_PER_INSERT / names.len().max(1)).clamp(1, 1000);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_insert);
    let mut count = 0;
    for line in lines.lines() {
        let values: Vec<Value> = serde_json::from_str(&line?)?;
        if values.len() != kinds.len() {
            bail!(
                "{}: a row with {} values for {} columns",
                entry.name,
                values.len(),
                kinds.len()
            );
        }
        batch.push(values);
        if batch.len() == per_insert {
            count += store::insert(tx, &entry.name, &names, &kinds, &mut batch).await?;
        }
    }
    count += store::insert(tx, &entry.name, &names, &kinds, &mut batch).await?;
    Ok(count)
}
