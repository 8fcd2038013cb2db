//! The exit codes pipectl promises to scripts and cron jobs (DESIGN §5).

/// Every exit status pipectl can return. Stable: scripts branch on these numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Ok = 0,
    /// Some work failed (e.g. items were dead-lettered, a lease was unknown).
    Failure = 1,
    /// The command line was wrong, or the command needs a terminal.
    Usage = 2,
    /// Nothing to do: the queue was empty.
    NothingToDo = 3,
    /// The stage is paused.
    Paused = 4,
    /// The stage's rate limit is spent.
    RateLimited = 5,
    /// Input data was invalid (EX_DATAERR).
    DataErr = 65,
    /// Redis is unreachable or unavailable (EX_UNAVAILABLE).
    Unavailable = 69,
    /// Redis refused authentication or permission (EX_NOPERM).
    NoPerm = 77,
    /// The configuration is invalid (EX_CONFIG).
    Config = 78,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code's stable name, for JSON errors: scripts may branch on either.
    pub fn name(self) -> &'static str {
        match self {
            Exit::Ok => "ok",
            Exit::Failure => "failure",
            Exit::Usage => "usage",
            Exit::NothingToDo => "nothing_to_do",
            Exit::Paused => "paused",
            Exit::RateLimited => "rate_limited",
            Exit::DataErr => "bad_data",
            Exit::Unavailable => "unavailable",
            Exit::NoPerm => "no_permission",
            Exit::Config => "bad_config",
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// The table printed by `pipectl exit-codes` (and its `--help`, so `pipectl help exit-codes`
/// shows it too), and copied into the README.
pub const TABLE: &str = "\
Exit codes:
  0   ok
  1   failure (items failed, unknown lease, a value not seen, doctor FAIL, saturated, Redis OOM)
  2   usage error, or a command that needs a terminal
  3   nothing to do (queue empty, nothing matched, no data)
  4   stage paused
  5   rate limit spent
  65  bad input data (invalid JSON, item too large, wrong key type)
  69  Redis unavailable (unreachable, loading, cluster down)
  77  Redis authentication, permission or TLS certificate refused
  78  bad configuration";
