//! Taking a backup: every table from one snapshot, each into a temporary file, then the archive.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::{
    Column, FORMAT, FORMAT_VERSION, Manifest, Media, MediaEntry, TableEntry, media_path, store,
    table_path,
};
use crate::db::{Backend, Db};

/// Writes a consistent snapshot of `db` (and the object store's files, as `media` says) to `to`
/// while the database keeps serving: the archive appears under its name only once it is complete
/// and on disk.
pub async fn backup(db: &Db, to: &Path, media: Media<'_>) -> anyhow::Result<Manifest> {
    let dir = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tables = db.tables().await?;
    let mut tx = store::snapshot(db).await?;
    let schema_version = crate::db::catalog::applied_version(&mut *tx).await?;
    let mut entries = Vec::with_capacity(tables.len());
    let mut files = Vec::with_capacity(tables.len());
    for table in &tables {
        // Beside the archive, not in /tmp: a big table needs the archive's disk, not a tmpfs.
        let mut file = BufWriter::new(tempfile::tempfile_in(dir)?);
        let mut file_hash = Sha256::new();
        let (rows, content) = store::each(&mut tx, table, |line| {
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
    // After the snapshot: a photo's files are named by their bytes and written before its row,
    // so every file a row of the snapshot names is there (unless erased since).
    let (media_entries, media_files, media_included) = copy_media(media, dir).await?;
    files.extend(media_files);
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
        media: media_entries,
        media_included,
    };
    let partial = to.with_extension("partial");
    write_archive(&partial, &manifest, files)?;
    std::fs::rename(&partial, to)?;
    // The rename is durable only once the folder is.
    File::open(dir)?.sync_all()?;
    Ok(manifest)
}

/// The object store's files into temporary files, one at a time, with their checksums.
async fn copy_media(
    media: Media<'_>,
    dir: &Path,
) -> anyhow::Result<(Vec<MediaEntry>, Vec<File>, bool)> {
    let (store, include) = match media {
        Media::Skip => return Ok((Vec::new(), Vec::new(), false)),
        Media::List(store) => (store, false),
        Media::Include(store) => (store, true),
    };
    let (mut entries, mut files) = (Vec::new(), Vec::new());
    for (key, size) in store.listing().await? {
        if !include {
            entries.push(MediaEntry {
                key,
                size,
                sha256: None,
            });
            continue;
        }
        // Erased between the listing and now: nothing to keep.
        let Some(bytes) = store.get(&key).await? else {
            continue;
        };
        let mut file = tempfile::tempfile_in(dir)?;
        file.write_all(&bytes)?;
        entries.push(MediaEntry {
            key,
            size: bytes.len() as u64,
            sha256: Some(hex::encode(Sha256::digest(&bytes))),
        });
        files.push(file);
    }
    Ok((entries, files, include))
}

fn write_archive(path: &Path, manifest: &Manifest, files: Vec<File>) -> anyhow::Result<()> {
    let out = BufWriter::new(File::create(path)?);
    let mut tar = tar::Builder::new(GzEncoder::new(out, Compression::fast()));
    let json = serde_json::to_vec_pretty(manifest)?;
    append(&mut tar, "manifest.json", json.len() as u64, &json[..])?;
    let names = (manifest.tables.iter().map(|t| table_path(&t.name)))
        .chain(manifest.media.iter().map(|m| media_path(&m.key)));
    for (name, mut file) in names.zip(files) {
        let size = file.stream_position()?;
        file.rewind()?;
        append(&mut tar, &name, size, file)?;
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
