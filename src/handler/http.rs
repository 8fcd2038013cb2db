//! http handlers: POST the item as JSON; the status decides, the body answers like stdout.

use std::io::Read;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};

use super::{Call, Outcome, Unrunnable, parse_control, success};
use crate::config;
use crate::output::truncate;

/// A response body larger than this is not an item: the call fails.
const BODY_CAP: u64 = 64 << 20;

pub struct HttpHandler {
    client: Client,
    url: String,
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
        let client = Client::builder()
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

    pub fn call(&self, call: &Call<'_>) -> Outcome {
        match self.send(call) {
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

    fn send(&self, call: &Call<'_>) -> Outcome {
        let body = if serde_json::from_slice::<serde::de::IgnoredAny>(call.item).is_ok() {
            call.item.to_vec()
        } else {
            serde_json::Value::String(String::from_utf8_lossy(call.item).into_owned())
                .to_string()
                .into_bytes()
        };
        let sent = self
            .client
            .post(&self.url)
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("Pipectl-Stage", call.stage)
            .header("Pipectl-Attempt", call.attempt.to_string())
            .body(body)
            .send();
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Outcome::Retry {
                    reason: format!(
                        "POST {} timed out after {}",
                        self.shown_url,
                        crate::duration::format(self.timeout)
                    ),
                    after: None,
                };
            }
            Err(e) => {
                // reqwest's message repeats the expanded URL: leave it out.
                return Outcome::Retry {
                    reason: format!(
                        "POST {} failed: {}",
                        self.shown_url,
                        error_chain(&e.without_url())
                    ),
                    after: None,
                };
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let control = response
            .headers()
            .get("Pipectl-Control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
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
            200..=299 => match parse_control(&control) {
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
