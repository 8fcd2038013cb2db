//! Preview files served by pipectl (`--preview-dir DIR`): a builder that writes its preview
//! pages to disk names them in the preview field by path (absolute under DIR, relative to
//! it, or a `file://` URL) and the desk frames them from `/preview/…`. Only regular files
//! under DIR are served (symlinks resolved first, so none leads out), never a dotfile, at
//! most [`MAX_BYTES`]; each answer carries its own CSP `sandbox allow-scripts`: the page
//! runs in an opaque origin, so it cannot act as the desk even when opened directly.
//!
//! A sandboxed page's own requests (its CSS, images) carry no SameSite cookie, so the
//! desk's URL holds the authority instead: `/preview/<cap>/<path>`, `cap` an HMAC under a
//! per-process key of the file's directory, good for that directory and below (relative
//! links work). Only pages of an authenticated desk show such URLs; a restart voids them.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::App;
use crate::error::Fail;

/// The largest preview file served.
const MAX_BYTES: u64 = 8 << 20;

/// The directory previews are served from, resolved once at start.
#[derive(Debug)]
pub struct Previews {
    root: PathBuf,
    /// The directory as given (absolute): paths may name it so too.
    given: PathBuf,
    /// The key of the capabilities in preview URLs.
    key: [u8; 32],
}

impl Previews {
    pub fn open(dir: &Path) -> Result<Previews, Fail> {
        let root = dir.canonicalize().map_err(|e| {
            Fail::usage(format!("--preview-dir {}: {e}", dir.display()))
                .hint("give the directory the builder writes its preview pages to")
        })?;
        if !root.is_dir() {
            return Err(Fail::usage(format!(
                "--preview-dir {} is not a directory",
                dir.display()
            )));
        }
        let given = std::path::absolute(dir).unwrap_or_else(|_| root.clone());
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| Fail::new(crate::exit::Exit::Failure, format!("no randomness: {e}")))?;
        Ok(Previews { root, given, key })
    }

    /// The capability for the directory `dir` (its segments joined by `/`) and below.
    fn cap(&self, dir: &[&str]) -> String {
        let text = format!("preview\0{}", dir.join("/"));
        let mac = super::session::hmac_hex(&self.key, text.as_bytes());
        mac.get(..32).unwrap_or_default().to_owned()
    }

    /// The desk's URL (`/preview/…`) of a preview field's value that names a file under the
    /// directory; None for anything else.
    pub fn url_for(&self, value: &str) -> Option<String> {
        let value = value.trim();
        let path = Path::new(value.strip_prefix("file://").unwrap_or(value));
        let rel = if path.is_absolute() {
            (path.strip_prefix(&self.root))
                .or_else(|_| path.strip_prefix(&self.given))
                .ok()?
        } else if value.contains(':') {
            // A URL of another scheme (javascript:, data:, http:…), never a relative path.
            return None;
        } else {
            path
        };
        let parts = segments(rel)?;
        let cap = self.cap(&parts[..parts.len() - 1]);
        let encoded: Vec<String> = parts.iter().map(|p| encode(p)).collect();
        Some(format!("/preview/{cap}/{}", encoded.join("/")))
    }

    /// The file `full` (`<cap>/<path>`, as the URL gave it, decoded) names, when it is one
    /// to serve: the capability is that of one of its directories.
    fn resolve(&self, full: &str) -> Option<PathBuf> {
        let (cap, rel) = full.split_once('/')?;
        let parts = segments(Path::new(rel))?;
        let allowed = (0..parts.len()).any(|n| super::same_secret(&self.cap(&parts[..n]), cap));
        if !allowed {
            return None;
        }
        let path = parts.iter().fold(self.root.clone(), |p, s| p.join(s));
        let real = path.canonicalize().ok()?;
        (real.starts_with(&self.root) && real.is_file()).then_some(real)
    }
}

/// A relative path's plain segments: none empty, `.`/`..`, a dotfile or not UTF-8.
fn segments(rel: &Path) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    for c in rel.components() {
        let Component::Normal(part) = c else {
            return None;
        };
        let part = part.to_str()?;
        if part.starts_with('.') {
            return None;
        }
        parts.push(part);
    }
    (!parts.is_empty()).then_some(parts)
}

/// A path segment percent-encoded for a URL (unreserved characters kept).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn kind(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn not_found() -> Response {
    super::ApiError::http(
        StatusCode::NOT_FOUND,
        "no such preview file",
        "previews are the files under --preview-dir, named in the item's preview field",
    )
    .into_response()
}

/// `GET /preview/{*path}`: a file under --preview-dir (404 without one).
pub async fn file(State(app): State<Arc<App>>, UrlPath(rel): UrlPath<String>) -> Response {
    let Some(path) = app.previews.as_ref().and_then(|p| p.resolve(&rel)) else {
        return not_found();
    };
    let read = tokio::task::spawn_blocking(move || -> std::io::Result<Option<Vec<u8>>> {
        let file = std::fs::File::open(&path)?;
        if file.metadata()?.len() > MAX_BYTES {
            return Ok(None);
        }
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_BYTES), &mut body)?;
        Ok(Some(body))
    });
    let (kind, body) = match read.await {
        Ok(Ok(Some(body))) => (kind(Path::new(&rel)), body),
        _ => return not_found(),
    };
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        body,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox allow-scripts; frame-ancestors 'self'"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_the_directory_map() {
        let dir = tempfile::tempdir().unwrap();
        let p = Previews::open(dir.path()).unwrap();
        let root = p.root.display().to_string();
        let url = p.url_for(&format!("{root}/acme co/index.html")).unwrap();
        let cap = p.cap(&["acme co"]);
        assert_eq!(url, format!("/preview/{cap}/acme%20co/index.html"));
        let top = p.cap(&[]);
        assert_eq!(
            p.url_for(&format!("file://{root}/a.html")),
            Some(format!("/preview/{top}/a.html"))
        );
        assert_eq!(
            p.url_for("b/c.html"),
            Some(format!("/preview/{}/b/c.html", p.cap(&["b"])))
        );
        assert_ne!(cap, top);
        for bad in [
            "/etc/passwd".to_owned(),
            format!("{root}/../x.html"),
            "../x.html".to_owned(),
            format!("{root}/.git/config"),
            "ftp://x/y.html".to_owned(),
            "javascript:alert(1)".to_owned(),
            String::new(),
        ] {
            assert_eq!(p.url_for(&bad), None, "{bad}");
        }
    }
}
