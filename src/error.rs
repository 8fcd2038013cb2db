//! The error pipectl raises on purpose: it carries its exit code and a hint. Printing it is
//! the reporter's job (report.rs).

use std::fmt;

use crate::exit::Exit;

/// An error pipectl raises on purpose: it knows its exit code and what the user should do.
#[derive(Debug)]
pub struct Fail {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
    /// What a multi-item write cut short did write (see `batch::Cut`): `error.partial`
    /// under `--json`.
    pub partial: Option<Box<serde_json::Value>>,
}

impl Fail {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Fail {
            exit,
            message: message.into(),
            hint: None,
            partial: None,
        }
    }
    pub fn data(message: impl Into<String>) -> Self {
        Fail::new(Exit::DataErr, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Fail::new(Exit::Usage, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Fail::new(Exit::Config, message)
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn partial(mut self, partial: serde_json::Value) -> Self {
        self.partial = Some(Box::new(partial));
        self
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}
