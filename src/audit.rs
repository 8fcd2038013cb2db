//! The audit stream `<pipeline>:audit` (keys.rs): who decided what about which item, when.
//! Every decision and operator action writes its record in the same Lua script as the change
//! (common.lua, rule 3); this module builds what those scripts are given, and reads records
//! back for `pipectl audit`. A record is a stream entry: its ID is the server time in ms; its
//! fields are `action`, `stage`, `by`, `note` (when given), action-specific ones (`from`,
//! `to`, `question`, `policy`, ...), and for an item `sha256` (of its exact bytes) and `item`
//! (the exact bytes), so `redis-cli XRANGE prospect:audit - +` reads it as it is.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::Fail;

/// Where a pipeline's audit records go and how long they are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditLog {
    pub key: String,
    pub keep: Duration,
}

impl AuditLog {
    /// The retention in ms, as the scripts take it.
    pub fn keep_ms(&self) -> u64 {
        self.keep.as_millis().min(u128::from(u64::MAX)) as u64
    }
}

/// Who acts, and why: `--by` and `--note`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub by: String,
    pub note: Option<String>,
}

impl Actor {
    /// `by` as given, else `PIPECTL_REVIEWER`, else the login name; a note when not blank.
    pub fn resolve(by: Option<&str>, note: Option<&str>) -> Result<Actor, Fail> {
        let by = match by {
            Some(by) => by.to_owned(),
            None => std::env::var("PIPECTL_REVIEWER")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(login_name),
        };
        let by = by.trim().to_owned();
        if by.is_empty() || by.chars().any(char::is_control) || by.len() > 200 {
            return Err(Fail::usage(format!(
                "'{}' is not a reviewer name: give up to 200 characters, no control characters",
                by.escape_debug()
            ))
            .hint("pass --by NAME or set PIPECTL_REVIEWER"));
        }
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        Ok(Actor { by, note })
    }

    /// A policy or program acting on its own (`policy:review`, `agent`).
    pub fn named(by: impl Into<String>) -> Actor {
        Actor {
            by: by.into(),
            note: None,
        }
    }
}

/// The login name: `USER`, `LOGNAME`, else the numeric user id.
fn login_name() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.trim().is_empty()
        {
            return name;
        }
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    format!("uid:{}", unsafe { libc::geteuid() })
}

/// The fields every record of one step shares, in order.
#[derive(Clone, Debug)]
pub struct Entry {
    fields: Vec<(&'static str, String)>,
}

impl Entry {
    pub fn new(action: &str, stage: &str, actor: &Actor) -> Entry {
        let mut fields = vec![
            ("action", action.to_owned()),
            ("stage", stage.to_owned()),
            ("by", actor.by.clone()),
        ];
        if let Some(note) = &actor.note {
            fields.push(("note", note.clone()));
        }
        Entry { fields }
    }

    /// Adds a field (`from`, `to`, `question`, `policy`, `reason`, ...).
    pub fn with(mut self, field: &'static str, value: impl Into<String>) -> Entry {
        self.fields.push((field, value.into()));
        self
    }

    /// The JSON array `[field, value, ...]` the scripts decode (common.lua `audit_head`).
    pub fn head(&self) -> String {
        let flat: Vec<&str> = self
            .fields
            .iter()
            .flat_map(|(k, v)| [*k, v.as_str()])
            .collect();
        serde_json::to_string(&flat).unwrap_or_else(|_| "[]".to_owned())
    }
}

/// The sha256 of an item's exact bytes, in lowercase hex.
pub fn sha256_hex(item: &[u8]) -> String {
    let digest = Sha256::digest(item);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_flat_json_arrays_in_order() {
        let actor = Actor {
            by: "ann".into(),
            note: Some("looks \"fine\"".into()),
        };
        let head = Entry::new("approve", "review", &actor)
            .with("to", "prospect:ready")
            .head();
        assert_eq!(
            head,
            r#"["action","approve","stage","review","by","ann","note","looks \"fine\"","to","prospect:ready"]"#
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn names_are_checked() {
        assert!(Actor::resolve(Some(" "), None).is_err());
        assert!(Actor::resolve(Some("a\nb"), None).is_err());
        let a = Actor::resolve(Some(" ann "), Some("  ")).unwrap();
        assert_eq!((a.by.as_str(), a.note), ("ann", None));
    }
}
