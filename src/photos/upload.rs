//! Taking photos in, the same way from the form and from the API: the multipart body is streamed
//! to temporary files (never whole in memory, each file cut off at the size cap), the fields are
//! checked, every file goes through the pipeline on the blocking pool behind the decoders'
//! permits, the sizes are written to the object store and the rows in one transaction. Anything
//! refused or failing leaves nothing behind: no row, no object, no temporary file.

use axum::extract::Multipart;
use axum::extract::multipart::Field;
use tokio::io::AsyncWriteExt;

use super::pipeline::{self, Format, Processed, Refusal, Size};
use super::storage::PhotoStore;
use super::store::{self, EventFacts, NewPhoto};
use crate::accounts::Account;
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::forms;

/// Longest caption, in characters.
pub const CAPTION_MAX: usize = 300;
/// Files one form may send at once.
pub const FILES_PER_UPLOAD: usize = 10;
/// Largest text field we read; anything longer is refused as it streams.
const TEXT_FIELD_MAX: usize = 8 * 1024;
/// A file past the cap is read on to this many bytes (and thrown away), so the client gets our
/// answer instead of a reset connection; a body still longer is cut off.
const DRAIN_MAX: u64 = 64 * 1024 * 1024;

/// One file as received, in a temporary file deleted when this is dropped.
pub struct ReceivedFile {
    pub name: String,
    pub file: tempfile::NamedTempFile,
    pub too_large: bool,
}

/// A multipart body as received.
#[derive(Default)]
pub struct Received {
    pub files: Vec<ReceivedFile>,
    pub caption: String,
    pub consent: Option<String>,
    pub minors: Option<String>,
    pub csrf: Option<String>,
}

/// The checked text fields.
pub struct Details {
    pub caption: String,
    pub minors: bool,
}

fn io(err: std::io::Error) -> Error {
    Error::Internal(err.into())
}

fn malformed() -> Error {
    Error::BadRequest(Msg::new("photo-error-multipart"))
}

/// A check of the first field's name and value (the form's CSRF token).
pub type FirstFieldCheck<'a> = &'a (dyn Fn(&str, &str) -> Result<()> + Send + Sync);

/// Reads the whole body: files to temporary files (each at most `max_bytes`, the rest thrown
/// away), text fields into memory (each at most a few kB). `first_field_check` sees the first
/// field's name and value when it is a text field (the form's CSRF token comes first, so a forged
/// post is refused before any file is read).
pub async fn receive(
    mut multipart: Multipart,
    max_bytes: u64,
    first_field_check: Option<FirstFieldCheck<'_>>,
) -> Result<Received> {
    let mut received = Received::default();
    let mut first = true;
    let mut drained = 0u64;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| malformed())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        if first {
            first = false;
            if let Some(check) = first_field_check {
                let value = if is_file {
                    String::new()
                } else {
                    read_text(&mut field).await?
                };
                check(&name, &value)?;
                if name == "csrf" {
                    received.csrf = Some(value);
                    continue;
                }
            }
        }
        match (name.as_str(), is_file) {
            ("file", true) => {
                if received.files.len() >= FILES_PER_UPLOAD {
                    let mut errors = FieldErrors::default();
                    errors.add(
                        "file",
                        Msg::new("photo-error-too-many").arg("max", FILES_PER_UPLOAD),
                    );
                    return Err(Error::Invalid(errors));
                }
                let file_name = display_name(field.file_name().unwrap_or_default());
                let (file, too_large, skipped) = stream_to_file(&mut field, max_bytes).await?;
                drained += skipped;
                if drained > DRAIN_MAX {
                    return Err(Error::PayloadTooLarge);
                }
                // A browser sends an empty part when no file was chosen.
                if file_name.is_empty()
                    && !too_large
                    && file.as_file().metadata().map_err(io)?.len() == 0
                {
                    continue;
                }
                received.files.push(ReceivedFile {
                    name: file_name,
                    file,
                    too_large,
                });
            }
            ("caption", false) => received.caption = read_text(&mut field).await?,
            ("consent", false) => received.consent = Some(read_text(&mut field).await?),
            ("minors", false) => received.minors = Some(read_text(&mut field).await?),
            ("csrf", false) => received.csrf = Some(read_text(&mut field).await?),
            // Unknown fields are read and ignored, like unknown JSON fields.
            _ => while field.chunk().await.map_err(|_| malformed())?.is_some() {},
        }
    }
    Ok(received)
}

/// The name a phone gave the file, cut to something fit for a message.
fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars().filter(|c| !c.is_control()).take(80).collect()
}

async fn read_text(field: &mut Field<'_>) -> Result<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
        if bytes.len() + chunk.len() > TEXT_FIELD_MAX {
            return Err(Error::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| malformed())
}

/// Writes a file field to a temporary file, stopping at `max_bytes` (then reading on and throwing
/// the rest away). Returns the file, whether it was cut, and how many bytes were thrown away.
async fn stream_to_file(
    field: &mut Field<'_>,
    max_bytes: u64,
) -> Result<(tempfile::NamedTempFile, bool, u64)> {
    let file = tempfile::NamedTempFile::new().map_err(io)?;
    let mut out = tokio::fs::File::from_std(file.reopen().map_err(io)?);
    let mut written = 0u64;
    let mut skipped = 0u64;
    let mut too_large = false;
    while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
        if too_large || written + chunk.len() as u64 > max_bytes {
            too_large = true;
            skipped += chunk.len() as u64;
            if skipped > DRAIN_MAX {
                return Err(Error::PayloadTooLarge);
            }
            continue;
        }
        out.write_all(&chunk).await.map_err(io)?;
        written += chunk.len() as u64;
    }
    out.flush().await.map_err(io)?;
    if too_large {
        // Nothing of a refused file is kept, even for the moment the request lasts.
        out.set_len(0).await.map_err(io)?;
    }
    Ok((file, too_large, skipped))
}

/// Checks the text fields: the caption (plain text, at most 300 characters), the uploader's word
/// that the people pictured agreed, and the minors flag.
pub fn check_details(received: &Received, errors: &mut FieldErrors) -> Details {
    let caption = forms::line(errors, "caption", &received.caption, 0, CAPTION_MAX);
    if caption.contains(['<', '>']) {
        errors.add("caption", Msg::new("photo-error-markup"));
    }
    let consent = forms::flag(errors, "consent", received.consent.as_deref());
    if !consent {
        errors.add("consent", Msg::new("photo-error-consent"));
    }
    let minors = forms::flag(errors, "minors", received.minors.as_deref());
    if received.files.is_empty() {
        errors.add("file", Msg::new("photo-error-no-file"));
    }
    Details { caption, minors }
}

fn refusal_msg(refusal: Refusal, name: &str, max_bytes: u64) -> Msg {
    let msg = Msg::new(refusal.message_id()).arg("name", if name.is_empty() { "?" } else { name });
    match refusal {
        Refusal::TooLarge => msg.arg("max", max_bytes / (1024 * 1024)),
        Refusal::TooManyPixels => msg.arg("max", pipeline::MAX_PIXELS / 1_000_000),
        _ => msg,
    }
}

/// Runs every file through the pipeline (off the request threads, a few at a time).
async fn process_all(state: &AppState, files: &[ReceivedFile]) -> Result<Vec<Processed>> {
    let photos = state.photos();
    let max_bytes = photos.settings.max_bytes;
    let mut errors = FieldErrors::default();
    let mut processed = Vec::with_capacity(files.len());
    for received in files {
        if received.too_large {
            errors.add(
                "file",
                refusal_msg(Refusal::TooLarge, &received.name, max_bytes),
            );
            continue;
        }
        let permit = photos
            .decoders
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Internal(e.into()))?;
        let path = received.file.path().to_path_buf();
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            pipeline::process(&path)
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?;
        match result {
            Ok(p) => processed.push(p),
            Err(refusal) => errors.add("file", refusal_msg(refusal, &received.name, max_bytes)),
        }
    }
    if errors.is_empty() {
        Ok(processed)
    } else {
        Err(Error::Invalid(errors))
    }
}

fn quota_errors(event: i64, account: i64, adding: i64, state: &AppState) -> FieldErrors {
    let settings = &state.photos().settings;
    let mut errors = FieldErrors::default();
    if event + adding > settings.per_event {
        errors.add(
            "file",
            Msg::new("photo-error-event-quota")
                .arg("max", settings.per_event)
                .arg("left", (settings.per_event - event).max(0)),
        );
    }
    if account + adding > settings.per_account {
        errors.add(
            "file",
            Msg::new("photo-error-account-quota")
                .arg("max", settings.per_account)
                .arg("left", (settings.per_account - account).max(0)),
        );
    }
    errors
}

/// Deletes objects written for an upload that did not make it, except those a row uses (the
/// same bytes uploaded before share a key).
async fn clean_up(state: &AppState, store: &PhotoStore, keys: &[String]) {
    for key in keys {
        match store::key_in_use(&state.db, key, 0).await {
            Ok(false) => {
                if let Err(err) = store.delete(std::slice::from_ref(key)).await {
                    tracing::warn!(error = %err, "an object of a failed upload could not be deleted");
                }
            }
            Ok(true) => {}
            Err(err) => tracing::warn!(error = %err, "could not check an object's rows"),
        }
    }
}

/// Takes the received photos in for `event`, by `uploader` (who may manage it): checks, processes,
/// stores and writes the rows. Returns the new photos' ids, or the reasons, with nothing kept.
pub async fn take_in(
    state: &AppState,
    event: &EventFacts,
    uploader: &Account,
    received: &Received,
) -> Result<Vec<i64>> {
    let mut errors = FieldErrors::default();
    let details = check_details(received, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let adding = received.files.len() as i64;
    {
        let mut tx = state.db.pool.begin().await?;
        let (event_count, account_count) =
            store::counts(&mut tx, event.id, uploader.id, event.campaign_id).await?;
        tx.rollback().await?;
        let quota = quota_errors(event_count, account_count, adding, state);
        if !quota.is_empty() {
            return Err(Error::Invalid(quota));
        }
    }
    let processed = process_all(state, &received.files).await?;

    let store = &state.photos().store;
    let mut written: Vec<String> = Vec::new();
    let mut keyed = Vec::with_capacity(processed.len());
    for photo in processed {
        let mut keys = [String::new(), String::new(), String::new(), String::new()];
        let mut thumb = (0, 0);
        for rendition in photo.renditions {
            let key = PhotoStore::key_for(&rendition.bytes, rendition.format.ext());
            let slot = match (rendition.size, rendition.format) {
                (Size::Large, Format::Jpeg) => 0,
                (Size::Large, Format::Webp) => 1,
                (Size::Thumb, Format::Jpeg) => 2,
                (Size::Thumb, Format::Webp) => 3,
            };
            if rendition.size == Size::Thumb {
                thumb = (i64::from(rendition.width), i64::from(rendition.height));
            }
            if let Err(err) = store.put(&key, rendition.bytes).await {
                tracing::error!(error = %err, "a photo could not be written to the object store");
                clean_up(state, store, &written).await;
                return Err(Error::Unavailable(Msg::new("photo-error-store")));
            }
            written.push(key.clone());
            keys[slot] = key;
        }
        keyed.push((photo.width, photo.height, thumb, keys));
    }

    let result: Result<Vec<i64>> = async {
        let mut tx = state.db.begin_write().await?;
        let (event_count, account_count) =
            store::counts(&mut tx, event.id, uploader.id, event.campaign_id).await?;
        let quota = quota_errors(event_count, account_count, adding, state);
        if !quota.is_empty() {
            return Err(Error::Invalid(quota));
        }
        let now = state.db.now_ms();
        let mut ids = Vec::with_capacity(keyed.len());
        for (width, height, thumb, keys) in &keyed {
            let id = store::insert(
                &mut tx,
                now,
                &NewPhoto {
                    event,
                    uploader_id: uploader.id,
                    caption: &details.caption,
                    minors: details.minors,
                    width: i64::from(*width),
                    height: i64::from(*height),
                    thumb_width: thumb.0,
                    thumb_height: thumb.1,
                    large_jpeg: &keys[0],
                    large_webp: &keys[1],
                    thumb_jpeg: &keys[2],
                    thumb_webp: &keys[3],
                },
            )
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }
    .await;
    if result.is_err() {
        clean_up(state, store, &written).await;
    }
    result
}
