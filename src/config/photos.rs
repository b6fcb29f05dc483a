//! Where photos are kept and how much one may upload.

use std::fmt;

/// Largest photo file taken, by default (`--photo-max-bytes`).
pub const DEFAULT_MAX_BYTES: u64 = 15 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct PhotoSettings {
    pub store: StoreUrl,
    /// Largest uploaded file, in bytes; a larger one is refused while it streams in.
    pub max_bytes: u64,
    /// Photos one event may hold (pending and approved alike).
    pub per_event: i64,
    /// Photos one account may upload in one campaign.
    pub per_account: i64,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        PhotoSettings {
            store: StoreUrl::memory(),
            max_bytes: DEFAULT_MAX_BYTES,
            per_event: 60,
            per_account: 200,
        }
    }
}

/// The store asked for, or the `photos` folder of the data directory.
pub fn store_url(asked: Option<&StoreUrl>, data_dir: &std::path::Path) -> anyhow::Result<StoreUrl> {
    Ok(match asked {
        Some(url) => url.clone(),
        None => StoreUrl::folder(&std::path::absolute(data_dir.join("photos"))?),
    })
}

/// The object store, as written: `file:///path` (a folder), `s3://bucket?endpoint=…&region=…`
/// (keys `access_key_id` and `secret_access_key` in the query or from the usual `AWS_*`
/// variables), or `memory:` (one process, gone at exit: tools and tests). Its `Debug` shows no
/// query, so the keys never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl(String);

impl StoreUrl {
    pub fn memory() -> StoreUrl {
        StoreUrl("memory:".to_string())
    }

    pub fn folder(path: &std::path::Path) -> StoreUrl {
        StoreUrl(format!("file://{}", path.display()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the form of a URL given on the command line.
    pub fn parse(url: &str) -> Result<StoreUrl, String> {
        let url = url.trim();
        if url == "memory:" {
            return Ok(StoreUrl::memory());
        }
        if let Some(path) = url.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err("a file:// object store needs an absolute path".to_string());
            }
            return Ok(StoreUrl(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
            let bucket = bucket.trim_end_matches('/');
            if bucket.is_empty() || bucket.contains('/') {
                return Err("an s3:// object store needs a bucket name: s3://bucket".to_string());
            }
            for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .map_err(|_| "the object store's query does not parse".to_string())?
            {
                match key.as_str() {
                    "endpoint" if value.starts_with("http://") || value.starts_with("https://") => {
                    }
                    "endpoint" => return Err("the endpoint is an http(s) URL".to_string()),
                    "region" | "access_key_id" | "secret_access_key" => {}
                    other => return Err(format!("unknown object store parameter {other:?}")),
                }
            }
            return Ok(StoreUrl(url.to_string()));
        }
        if url.starts_with('/') {
            return Ok(StoreUrl(format!("file://{url}")));
        }
        Err("use file:///path, s3://bucket?endpoint=… or memory:".to_string())
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.split('?').next().unwrap_or_default();
        write!(f, "StoreUrl({shown:?})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_are_checked_and_keys_never_shown() {
        let s3 = StoreUrl::parse(
            "s3://photos?endpoint=http://127.0.0.1:9000&region=eu&access_key_id=A&secret_access_key=SECRET",
        )
        .unwrap();
        assert!(!format!("{s3:?}").contains("SECRET"));
        assert_eq!(
            StoreUrl::parse("/var/lib/w/photos").unwrap().as_str(),
            "file:///var/lib/w/photos"
        );
        for bad in [
            "s3://",
            "s3://a/b",
            "s3://a?endpoint=ftp://x",
            "s3://a?colour=red",
            "file://relative",
            "photos",
        ] {
            assert!(StoreUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
