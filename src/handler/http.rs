//! http handlers: POST the item's exact bytes; the status decides, the body answers like
//! stdout. A redirect is never followed silently: it is a failure, unless the stage opts in
//! with `follow_redirects`, and then the same POST (body and headers) goes to the Location.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{StatusCode, Url};

use super::cost::{self, Cost};
use super::{Call, Outcome, Unrunnable, parse_control, success};
use crate::config;
use crate::output::truncate;

/// A response body larger than this is not an item: the call fails.
const BODY_CAP: u64 = 64 << 20;

/// Most redirects followed for one item (with `follow_redirects`).
pub const MAX_REDIRECTS: usize = 5;

pub struct HttpHandler {
    client: Client,
    url: String,
    /// `url`, parsed: where each POST starts (boxed: the runner keeps handlers in an enum).
    start: Box<Url>,
    follow_redirects: bool,
    /// The URL as messages show it: as written in the config (`${VAR}`s not expanded, a
    /// password hidden), since the expanded URL may carry a secret.
    shown_url: String,
    /// The values of the `${VAR}`s in the URL and headers, and the expanded URL: hidden
    /// wherever they would show (a server may even echo a token back in its error body).
    secrets: Vec<String>,
    headers: HeaderMap,
    timeout: Duration,
    max_item_bytes: usize,
}

impl HttpHandler {
    /// Builds the client once (connections are kept alive between items) and expands
    /// `${VAR}` in header values from the environment; a missing variable is a config error.
    pub fn new(
        cfg: &config::HttpHandler,
        timeout: Duration,
        max_item_bytes: usize,
    ) -> Result<HttpHandler, Unrunnable> {
        let mut headers = HeaderMap::new();
        for (name, template) in &cfg.headers {
            let value = expand_env(template).map_err(|var| {
                Unrunnable(format!(
                    "header '{name}' uses ${{{var}}}, which is not set in the environment"
                ))
            })?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Unrunnable(format!("'{name}' is not a valid HTTP header name")))?;
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                Unrunnable(format!(
                    "header '{name}' has a value that is not valid in HTTP"
                ))
            })?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let url = expand_env(&cfg.url).map_err(|var| {
            Unrunnable(format!(
                "http.url uses ${{{var}}}, which is not set in the environment"
            ))
        })?;
        let start = Url::parse(&url).map_err(|e| {
            Unrunnable(format!(
                "http.url {} is not a valid URL: {e}",
                crate::store::redact_url(&cfg.url)
            ))
        })?;
        let client = Client::builder()
            // reqwest would follow a 301/302/303 as a GET without the body, and answer with
            // what that GET got: redirects are handled in `send`, or refused there.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // One client serves every worker of a run: keep a connection per worker.
            .pool_max_idle_per_host(256)
            .build()
            .map_err(|e| Unrunnable(format!("cannot build the HTTP client: {e}")))?;
        let mut secrets: Vec<String> = cfg
            .headers
            .values()
            .chain([&cfg.url])
            .flat_map(|template| referenced_values(template))
            .filter(|v| v.len() >= 4)
            .collect();
        secrets.push(url.clone());
        if let Ok(parsed) = reqwest::Url::parse(&url) {
            secrets.push(parsed.to_string());
        }
        // Longest first, so a value that contains another is hidden whole.
        secrets.sort_by_key(|v| std::cmp::Reverse(v.len()));
        Ok(HttpHandler {
            client,
            url,
            start: Box::new(start),
            follow_redirects: cfg.follow_redirects,
            secrets,
            shown_url: crate::store::redact_url(&cfg.url),
            headers,
            timeout,
            max_item_bytes,
        })
    }

    /// Hides every secret in a message.
    fn scrub(&self, text: String) -> String {
        self.secrets.iter().fold(text, |text, secret| {
            if secret.as_str() == self.url {
                text.replace(secret.as_str(), &self.shown_url)
            } else {
                text.replace(secret.as_str(), "***")
            }
        })
    }

    /// POSTs one item: its outcome, and what the handler reported it cost (the
    /// `Pipectl-Control` header's cost, whatever the status).
    pub fn call(&self, call: &Call<'_>) -> (Outcome, Cost) {
        let mut cost = Cost::default();
        let outcome = self.post(call, &mut cost);
        (outcome, cost)
    }

    fn post(&self, call: &Call<'_>, cost_out: &mut Cost) -> Outcome {
        match self.send(call, cost_out) {
            Outcome::Retry { reason, after } => Outcome::Retry {
                reason: self.scrub(reason),
                after,
            },
            Outcome::Dead { reason } => Outcome::Dead {
                reason: self.scrub(reason),
            },
            other => other,
        }
    }

    fn send(&self, call: &Call<'_>, cost_out: &mut Cost) -> Outcome {
        // The item's exact bytes, never re-encoded: JSON says so in its Content-Type.
        let content_type = if serde_json::from_slice::<serde::de::IgnoredAny>(call.item).is_ok() {
            "application/json"
        } else {
            "application/octet-stream"
        };
        let deadline = Instant::now() + self.timeout;
        let mut url = (*self.start).clone();
        let mut hops = 0;
        let response = loop {
            // Every hop of one item shares the stage's timeout, which the lease is sized by.
            let left = deadline.saturating_duration_since(Instant::now());
            let sent = if left.is_zero() {
                None
            } else {
                let mut request = self
                    .client
                    .post(url.clone())
                    .timeout(left)
                    .headers(self.headers.clone())
                    .header(CONTENT_TYPE, content_type)
                    .header("Pipectl-Stage", call.stage)
                    .header("Pipectl-Attempt", call.attempt.to_string());
                // The body stays the item's exact bytes: a reviewer's note rides beside it.
                if let Some(note) = call.note {
                    request = request.header("Pipectl-Note", percent_encode(note));
                }
                Some(request.body(call.item.to_vec()).send())
            };
            let target = if hops == 0 {
                self.shown_url.clone()
            } else {
                format!("{} (redirected to {url})", self.shown_url)
            };
            let response = match sent {
                Some(Ok(r)) => r,
                Some(Err(e)) if !e.is_timeout() => {
                    // reqwest's message repeats the expanded URL: leave it out.
                    return Outcome::Retry {
                        reason: format!("POST {target} failed: {}", error_chain(&e.without_url())),
                        after: None,
                    };
                }
                // Timed out, or no time left for the next hop.
                _ => return self.timed_out(&target),
            };
            if !response.status().is_redirection() {
                break response;
            }
            match self.redirect(&url, &response, hops) {
                Ok(next) => {
                    url = next;
                    hops += 1;
                }
                Err(reason) => return Outcome::Dead { reason },
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        // A control that is not UTF-8 is a failure, never read as no control at all.
        let control = match response.headers().get("Pipectl-Control") {
            None => Ok(String::new()),
            Some(v) => String::from_utf8(v.as_bytes().to_vec()).map_err(|_| {
                "the Pipectl-Control header is not UTF-8 (send JSON with \\u escapes, e.g. {\"review\": \"caf\\u00e9?\"})".to_owned()
            }),
        };
        let control = control.and_then(|c| {
            let (rest, cost) = cost::split(&c)?;
            *cost_out = cost;
            Ok(rest)
        });
        let mut body = Vec::new();
        if let Err(e) = response.take(BODY_CAP + 1).read_to_end(&mut body) {
            return Outcome::Retry {
                reason: format!(
                    "reading the response of {} failed: {}",
                    self.shown_url,
                    error_chain(&e)
                ),
                after: None,
            };
        }
        if body.len() as u64 > BODY_CAP {
            return Outcome::Retry {
                reason: format!("response body over {} MiB", BODY_CAP >> 20),
                after: None,
            };
        }
        let excerpt = || truncate(String::from_utf8_lossy(&body).trim(), 200);
        let code = status.as_u16();
        match code {
            200..=299 => match control.and_then(|c| parse_control(&c)) {
                Ok(control) => success(control, &body, call.item, self.max_item_bytes),
                Err(reason) => Outcome::Retry {
                    reason,
                    after: None,
                },
            },
            408 | 429 | 500..=599 => Outcome::Retry {
                reason: format!("HTTP {code}: {}", excerpt()),
                after: retry_after,
            },
            _ => Outcome::Dead {
                reason: format!("HTTP {code}: {}", excerpt()),
            },
        }
    }

    fn timed_out(&self, target: &str) -> Outcome {
        Outcome::Retry {
            reason: format!(
                "POST {target} timed out after {}",
                crate::duration::format(self.timeout)
            ),
            after: None,
        }
    }

    /// Where a redirect of the POST to `from` leads, when it may be followed: the stage
    /// opted in, the status is one that names a new address (301, 302, 303, 307, 308), the
    /// Location is on the same origin (the headers carry secrets; an upgrade from http to
    /// https on the same host is the one exception) and fewer than `MAX_REDIRECTS` were
    /// followed. Otherwise the reason the item fails, with the status and the Location.
    fn redirect(
        &self,
        from: &Url,
        response: &reqwest::blocking::Response,
        hops: usize,
    ) -> Result<Url, String> {
        let status = response.status();
        let code = status.as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let Some(location) = location else {
            return Err(format!(
                "HTTP {code} (a redirect) without a Location header"
            ));
        };
        let shown = truncate(&location, 200);
        let moves = matches!(
            status,
            StatusCode::MOVED_PERMANENTLY
                | StatusCode::FOUND
                | StatusCode::SEE_OTHER
                | StatusCode::TEMPORARY_REDIRECT
                | StatusCode::PERMANENT_REDIRECT
        );
        if !self.follow_redirects || !moves {
            let fix = if moves {
                "; the POST was not sent there: set http.url to that address, or follow_redirects = true in the stage's http table"
            } else {
                "; not a redirect pipectl follows"
            };
            return Err(format!("HTTP {code} redirect to {shown}{fix}"));
        }
        if hops >= MAX_REDIRECTS {
            return Err(format!(
                "HTTP {code} redirect to {shown}: stopped after {MAX_REDIRECTS} redirects"
            ));
        }
        let next = from
            .join(&location)
            .map_err(|e| format!("HTTP {code} redirect to {shown}: not a valid Location ({e})"))?;
        let same_origin = next.origin() == from.origin();
        let upgrade = from.scheme() == "http"
            && next.scheme() == "https"
            && next.host_str() == from.host_str()
            && matches!(next.port(), None | Some(443))
            && matches!(from.port(), None | Some(80));
        if !same_origin && !upgrade {
            return Err(format!(
                "HTTP {code} redirect to {shown}: another origin than {}, not followed (the request's headers may carry secrets); set http.url to that address if it is meant",
                from.origin().ascii_serialization()
            ));
        }
        Ok(next)
    }
}

/// Text as `encodeURIComponent` writes it: every UTF-8 byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`
/// as `%XX`, so any note fits in an HTTP header and `decodeURIComponent` (JavaScript) or
/// `urllib.parse.unquote` (Python) gives it back exactly.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Retry-After`: delay-seconds or an HTTP-date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(366 * 86_400)));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = at.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(secs.clamp(0, 366 * 86_400) as u64))
}

/// The values of the variables a template references with `${VAR}` (those set).
fn referenced_values(template: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        if let Ok(value) = std::env::var(&after[..end]) {
            values.push(value);
        }
        rest = &after[end + 1..];
    }
    values
}

/// Replaces each `${VAR}` with the variable's value; returns the name of a missing one.
pub fn expand_env(template: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let var = &after[..end];
        out.push_str(&std::env::var(var).map_err(|_| var.to_owned())?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn notes_are_percent_encoded() {
        assert_eq!(
            percent_encode("Wrong phone: call 555-0123 (ask Ann) — café 100%\n"),
            "Wrong%20phone%3A%20call%20555-0123%20(ask%20Ann)%20%E2%80%94%20caf%C3%A9%20100%25%0A"
        );
    }

    #[test]
    fn env_expansion() {
        // PATH is set in every test environment.
        let path = std::env::var("PATH").unwrap_or_default();
        assert_eq!(expand_env("x ${PATH} y"), Ok(format!("x {path} y")));
        assert_eq!(
            expand_env("${PIPECTL_SURELY_UNSET_VAR}"),
            Err("PIPECTL_SURELY_UNSET_VAR".into())
        );
        assert_eq!(expand_env("plain"), Ok("plain".into()));
    }
}
