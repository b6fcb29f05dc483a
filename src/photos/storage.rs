//! Where the stored sizes live: any `object_store` store, chosen by URL (`config::photos`): a
//! folder under the data directory by default, an S3-compatible bucket for several nodes.
//!
//! Keys are `photos/<sha256 of the bytes>.<ext>`: a name changes with the content, so a URL can
//! be cached for ever, and two nodes writing the same bytes write the same object.

use std::sync::Arc;
use std::time::Duration;

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use crate::config::photos::StoreUrl;

/// A failure of the object store (unreachable, refused, timed out): the caller answers 503.
#[derive(Debug, thiserror::Error)]
#[error("object store: {0}")]
pub struct StoreError(String);

impl From<object_store::Error> for StoreError {
    fn from(err: object_store::Error) -> Self {
        StoreError(err.to_string())
    }
}

#[derive(Clone, Debug)]
pub struct PhotoStore {
    inner: Arc<dyn ObjectStore>,
}

impl PhotoStore {
    /// The store a URL names (its form was checked by `StoreUrl::parse`). A folder is created
    /// when missing.
    pub fn open(url: &StoreUrl) -> anyhow::Result<PhotoStore> {
        let url = url.as_str();
        let inner: Arc<dyn ObjectStore> = if url == "memory:" {
            Arc::new(object_store::memory::InMemory::new())
        } else if let Some(path) = url.strip_prefix("file://") {
            std::fs::create_dir_all(path)?;
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(path)?)
        } else if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
            let mut builder = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket.trim_end_matches('/'))
                .with_region("us-east-1")
                // A store that does not answer is a 503 within seconds, not a request
                // retried for minutes.
                .with_retry(object_store::RetryConfig {
                    max_retries: 2,
                    retry_timeout: Duration::from_secs(10),
                    ..Default::default()
                })
                .with_client_options(
                    object_store::ClientOptions::new()
                        .with_timeout(Duration::from_secs(20))
                        .with_connect_timeout(Duration::from_secs(3)),
                );
            for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query)? {
                builder = match key.as_str() {
                    "endpoint" => builder
                        .with_allow_http(value.starts_with("http://"))
                        .with_virtual_hosted_style_request(false)
                        .with_endpoint(value),
                    "region" => builder.with_region(value),
                    "access_key_id" => builder.with_access_key_id(value),
                    "secret_access_key" => builder.with_secret_access_key(value),
                    other => anyhow::bail!("unknown object store parameter {other:?}"),
                };
            }
            Arc::new(builder.build()?)
        } else {
            anyhow::bail!("unknown object store {:?}", url.split('?').next());
        };
        Ok(PhotoStore { inner })
    }

    /// The key these bytes are stored under.
    pub fn key_for(bytes: &[u8], ext: &str) -> String {
        format!("photos/{}.{ext}", hex::encode(Sha256::digest(bytes)))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.inner
            .put(&Path::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// The object's bytes; `None` when there is no such object.
    pub async fn get(&self, key: &str) -> Result<Option<axum::body::Bytes>, StoreError> {
        match self.inner.get(&Path::from(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Deletes the objects; one already gone is no error.
    pub async fn delete(&self, keys: &[String]) -> Result<(), StoreError> {
        for key in keys {
            match self.inner.delete(&Path::from(key.as_str())).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(())
    }

    /// Every key in the store, for the tests and the erasure checks.
    pub async fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .listing()
            .await?
            .into_iter()
            .map(|(key, _)| key)
            .collect())
    }

    /// Every object in the store with its size in bytes, sorted by key (what a backup copies).
    pub async fn listing(&self) -> Result<Vec<(String, u64)>, StoreError> {
        use tokio_stream::StreamExt;
        let mut list = self.inner.list(None);
        let mut objects = Vec::new();
        while let Some(meta) = list.next().await {
            let meta = meta?;
            objects.push((meta.location.to_string(), meta.size));
        }
        objects.sort();
        Ok(objects)
    }
}
