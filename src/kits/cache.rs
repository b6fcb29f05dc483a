//! Made kits, kept by their content: the key is a hash of everything that goes into the PDF (the
//! template, the document's data in its language and paper size, its QR codes), so a changed case
//! or event makes a new key and the old PDF is never served again, and the same kit asked by many
//! visitors is made once. The key is also the ETag. Building runs on the blocking pool, at most
//! one kit per core at a time; a kit asked again while it is being made waits for that build.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use axum::body::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::{OnceCell, Semaphore};

use super::documents::{self, Document};
use super::typeset;

/// The bytes of made PDFs kept at most.
const CAPACITY_BYTES: u64 = 96 * 1024 * 1024;

static MADE: LazyLock<mini_moka::sync::Cache<String, Bytes>> = LazyLock::new(|| {
    mini_moka::sync::Cache::builder()
        .weigher(|_k: &String, v: &Bytes| u32::try_from(v.len()).unwrap_or(u32::MAX))
        .max_capacity(CAPACITY_BYTES)
        .build()
});

type Building = Arc<OnceCell<Bytes>>;

static BUILDING: LazyLock<Mutex<HashMap<String, Building>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

static BUILDERS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Semaphore::new(cores.clamp(1, 4))
});

/// What a document is made from, hashed into its key (and strong ETag) before anything is laid
/// out: the template, every kit message in every language, and what the caller adds (the kind
/// of document, language, paper, day, site address, and the campaign's, cases' and event's rows).
#[derive(Clone)]
pub struct Key(Sha256);

/// The template and the kit's messages, hashed once per process.
static FIXED: LazyLock<Sha256> = LazyLock::new(|| {
    let mut h = Sha256::new();
    h.update(typeset::TEMPLATE.as_bytes());
    for lang in crate::i18n::Lang::ALL {
        let tr = crate::i18n::Tr::new(lang);
        for id in documents::MESSAGES {
            h.update(id.as_bytes());
            h.update(tr.t(id).as_bytes());
        }
    }
    h
});

impl Default for Key {
    fn default() -> Key {
        Key(FIXED.clone())
    }
}

impl Key {
    pub fn new() -> Key {
        Key::default()
    }

    /// Adds a part; each is length-prefixed, so parts never run into each other.
    pub fn part(mut self, part: impl AsRef<[u8]>) -> Key {
        let part = part.as_ref();
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub fn etag(self) -> String {
        let digest = self.0.finalize();
        format!("\"kit-{}\"", hex::encode(&digest[..16]))
    }
}

/// A kit already made, if it is still kept.
pub fn cached(etag: &str) -> Option<Bytes> {
    MADE.get(&etag.to_string())
}

/// The PDF under `etag`: kept, being made by another request, or made now.
pub async fn get_or_make(
    etag: &str,
    doc: Document,
    today: chrono::NaiveDate,
) -> anyhow::Result<Bytes> {
    if let Some(pdf) = cached(etag) {
        return Ok(pdf);
    }
    let cell = {
        let mut building = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
        building.entry(etag.to_string()).or_default().clone()
    };
    let made = cell
        .get_or_try_init(|| async {
            let _permit = BUILDERS.acquire().await?;
            let pdf = tokio::task::spawn_blocking(move || {
                typeset::pdf(&doc.data, doc.attachments, today)
            })
            .await??;
            let pdf = Bytes::from(pdf);
            MADE.insert(etag.to_string(), pdf.clone());
            anyhow::Ok(pdf)
        })
        .await
        .cloned();
    BUILDING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(etag);
    made
}
