//! `[notify]`: where pipectl sends notifications (a webhook URL and/or a command), which
//! events, and how deliveries are retried. The events themselves are named here so the
//! config, the outbox and the delivery agree on one spelling.

use std::time::Duration;

use serde::Deserialize;

use crate::duration::ConfigDuration;

/// What pipectl notifies about. The `event` field of the JSON document (snake_case).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A stage was paused (details.cause: "hand", "breaker" or "budget").
    StagePaused,
    /// A stage's circuit breaker opened (the stage pauses itself).
    BreakerOpened,
    /// A stage's circuit breaker closed again (a probe succeeded, or `resume`).
    BreakerClosed,
    /// A stage's spend cap was reached.
    BudgetSpent,
    /// The dead-letter list reached `[notify] dead_letters_over`.
    DeadLettersOver,
    /// The dead-letter list reached 80 % of `dead_letters_max`.
    DeadLettersNearCap,
    /// The saturation verdict changed.
    SaturationFlipped,
    /// A manual stage has items waiting longer than its `max_wait`.
    ReviewOverdue,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::StagePaused,
        Event::BreakerOpened,
        Event::BreakerClosed,
        Event::BudgetSpent,
        Event::DeadLettersOver,
        Event::DeadLettersNearCap,
        Event::SaturationFlipped,
        Event::ReviewOverdue,
    ];

    /// The name in the JSON document, the config's `events` list and the outbox.
    pub fn name(self) -> &'static str {
        match self {
            Event::StagePaused => "stage_paused",
            Event::BreakerOpened => "breaker_opened",
            Event::BreakerClosed => "breaker_closed",
            Event::BudgetSpent => "budget_spent",
            Event::DeadLettersOver => "dead_letters_over",
            Event::DeadLettersNearCap => "dead_letters_near_cap",
            Event::SaturationFlipped => "saturation_flipped",
            Event::ReviewOverdue => "review_overdue",
        }
    }

    pub fn parse(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The `[notify]` table.
#[derive(Clone, Debug)]
pub struct Notify {
    /// Webhook: POST of the JSON document. May hold `${VAR}`s, expanded at delivery.
    pub url: Option<String>,
    /// Run with the JSON document on stdin; exit 0 = delivered.
    pub command: Option<Vec<String>>,
    /// The events sent (all when the config names none).
    pub events: Vec<Event>,
    /// `dead_letters_over`: the count that raises the event (none: not watched).
    pub dead_letters_over: Option<u64>,
    /// One delivery attempt's limit; also keeps a second pipectl from taking over an event
    /// still being delivered.
    pub timeout: Duration,
    /// The first retry's delay; doubles with each failed attempt, up to 1h.
    pub backoff: Duration,
    /// Attempts per event and destination before it is given up (with a warning).
    pub max_attempts: u32,
    /// Events older than this when first delivered are dropped unsent.
    pub max_age: Duration,
}

impl Notify {
    pub fn wants(&self, event: Event) -> bool {
        self.events.contains(&event)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NotifySection {
    url: Option<String>,
    command: Option<Vec<String>>,
    events: Option<Vec<Event>>,
    dead_letters_over: Option<u64>,
    timeout: Option<ConfigDuration>,
    backoff: Option<ConfigDuration>,
    max_attempts: Option<u32>,
    max_age: Option<ConfigDuration>,
}

pub(super) fn notify(s: NotifySection) -> Result<Notify, String> {
    if s.url.is_none() && s.command.is_none() {
        return Err("[notify] needs a url (a webhook) or a command, or both".into());
    }
    if let Some(url) = &s.url
        && !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with("${"))
    {
        return Err("[notify] url must start with http:// or https://".into());
    }
    if let Some(argv) = &s.command
        && argv.first().is_none_or(|a| a.is_empty())
    {
        return Err("[notify] command must name a program: command = [\"./notify.sh\"]".into());
    }
    let events = match s.events {
        Some(events) if events.is_empty() => {
            return Err("[notify] events is empty: leave it out to send every event".into());
        }
        Some(events) => events,
        None => Event::ALL.to_vec(),
    };
    let timeout = s.timeout.map_or(Duration::from_secs(10), |d| d.0);
    let backoff = s.backoff.map_or(Duration::from_secs(30), |d| d.0);
    if timeout < Duration::from_millis(100) || timeout > Duration::from_secs(300) {
        return Err("[notify] timeout must be between 100ms and 5m".into());
    }
    if backoff < Duration::from_millis(100) {
        return Err("[notify] backoff must be at least 100ms".into());
    }
    let max_attempts = s.max_attempts.unwrap_or(10);
    if max_attempts == 0 {
        return Err("[notify] max_attempts must be at least 1".into());
    }
    if s.dead_letters_over == Some(0) {
        return Err("[notify] dead_letters_over must be at least 1".into());
    }
    Ok(Notify {
        url: s.url,
        command: s.command,
        events,
        dead_letters_over: s.dead_letters_over,
        timeout,
        backoff,
        max_attempts,
        max_age: s.max_age.map_or(Duration::from_secs(86_400), |d| d.0),
    })
}

/// A URL as logs and errors show it: userinfo, query and fragment hidden (`${VAR}`s are
/// shown as written, unexpanded, so keep secrets in the path in variables).
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("<redacted>@{host}"),
        None => authority.to_owned(),
    };
    let cut = tail.find(['?', '#']);
    let path = &tail[..cut.unwrap_or(tail.len())];
    let hidden = if cut.is_some() { "?<redacted>" } else { "" };
    match scheme {
        Some(s) => format!("{s}://{host}{path}{hidden}"),
        None => format!("{host}{path}{hidden}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_userinfo_and_query() {
        assert_eq!(
            redact_url("https://u:pw@hooks.example.com/x?token=s#f"),
            "https://<redacted>@hooks.example.com/x?<redacted>"
        );
        assert_eq!(
            redact_url("http://127.0.0.1:9/hook"),
            "http://127.0.0.1:9/hook"
        );
        assert_eq!(redact_url("https://h?a=b"), "https://h?<redacted>");
        assert_eq!(redact_url("https://a@b@h/p"), "https://<redacted>@h/p");
    }

    #[test]
    fn event_names_round_trip() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.name()), Some(e));
            let json = serde_json::to_string(&e).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", e.name()));
        }
    }
}
