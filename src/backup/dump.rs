//! Taking a backup: every table from one snapshot, each into a temporary file, then the archive.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::{Column, FORMAT, FORMAT_VERSION, Manifest, TableEntry, rows, table_path};
use crate::db::{Backend, Db};

/// Writes a consistent snapshot of `db` to `to` while the database keeps serving: the archive
/// appears under its name only once it is complete and on disk.
pub async fn backup(db: &Db, to: &Path) -> anyhow::Result<Manifest> {
    let dir = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tables = db.tables().await?;
    let mut tx = rows::snapshot(db).await?;
    let schema_version = crate::db::catalog::applied_version(&mut *tx).await?;
    let mut entries = Vec::with_capacity(tables.len());
    let mut files = Vec::with_capacity(tables.len());
    for table in &tables {
        // Beside the archive, not in /tmp: a big table needs the archive's disk, not a tmpfs.
        let mut file = BufWriter::new(tempfile::tempfile_in(dir)?);
        let mut file_hash = Sha256::new();
        let (rows, content) = rows::each(&mut tx, table, |line| {
            file.write_all(line)?;
            file.write_all(b"\n")?;
            file_hash.update(line);
            file_hash.update(b"\n");
            Ok(())
        })
        .await?;
        entries.push(TableEntry {
            name: table.name.clone(),
            columns: table
                .columns
                .iter()
                .map(|(name, kind)| Column {
                    name: name.clone(),
                    kind: (*kind).into(),
                })
                .collect(),
            rows,
            file_sha256: hex::encode(file_hash.finalize()),
            content,
        });
        files.push(file.into_inner().map_err(|e| e.into_error())?);
    }
    tx.rollback().await?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version,
        backend: match db.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
        .into(),
        created_at_ms: db.now_ms(),
        tables: entries,
    };
    let partial = to.with_extension("partial");
    write_archive(&partial, &manifest, files)?;
    std::fs::rename(&partial, to)?;
    // The rename is durable only once the folder is.
    File::open(dir)?.sync_all()?;
    Ok(manifest)
}

fn write_archive(path: &Path, manifest: &Manifest, files: Vec<File>) -> anyhow::Result<()> {
    let out = BufWriter::new(File::create(path)?);
    let mut tar = tar::Builder::new(GzEncoder::new(out, Compression::fast()));
    let json = serde_json::to_vec_pretty(manifest)?;
    append(&mut tar, "manifest.json", json.len() as u64, &json[..])?;
    for (entry, mut file) in manifest.tables.iter().zip(files) {
        let size = file.stream_position()?;
        file.rewind()?;
        append(&mut tar, &table_path(&entry.name), size, file)?;
    }
    let gz = tar.into_inner()?;
    let out = gz.finish()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    size: u64,
    data: impl std::io::Read,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, data)
}
