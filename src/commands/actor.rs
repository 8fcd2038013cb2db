//! `--by` and `--note`: who acts, for the audit stream. Shared by every command that decides
//! about items or changes a stage.

use crate::audit::Actor;
use crate::error::Fail;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ActorArgs {
    /// Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login
    /// name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// A note kept with the action in the audit stream (`pipectl audit` shows it)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

impl ActorArgs {
    pub fn actor(&self) -> Result<Actor, Fail> {
        Actor::resolve(self.by.as_deref(), self.note.as_deref())
    }
}
