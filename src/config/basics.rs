//! What a one-shot `enqueue` needs of the config, known without parsing the built-in
//! pipeline's TOML when there is no config file (that parse was a fifth of a one-item
//! enqueue's instructions).

use std::path::Path;
use std::time::Duration;

use super::{Config, DEFAULT_MAX_ITEM_BYTES, default_name, locate};
use crate::error::Fail;

/// The pipeline's name, dedup set, counter retention and item size limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Basics {
    pub name: String,
    pub seen_set: String,
    pub stats_retention: Duration,
    pub max_item_bytes: usize,
}

impl Basics {
    pub fn of(config: &Config) -> Basics {
        Basics {
            name: config.name.clone(),
            seen_set: config.seen_set.clone(),
            stats_retention: config.stats_retention,
            max_item_bytes: config.max_item_bytes,
        }
    }
}

/// The built-in pipeline's basics (as `load` would give them, tested against it) when no
/// config file is found; None when there is one, or with `--cluster` (whose built-in
/// pipeline's hash slots are checked): load it.
pub fn builtin_basics(
    explicit: Option<&Path>,
    name_override: Option<&str>,
    cluster: bool,
) -> Result<Option<Basics>, Fail> {
    if cluster || locate(explicit)?.is_some() {
        return Ok(None);
    }
    let name = name_override.map_or_else(|| default_name(false), str::to_owned);
    Ok(Some(Basics {
        seen_set: format!("{name}:seen"),
        name,
        stats_retention: Duration::from_secs(7 * 86_400),
        max_item_bytes: DEFAULT_MAX_ITEM_BYTES,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_basics_are_the_builtin_configs() {
        assert!(
            matches!(builtin_basics(None, None, true), Ok(None)),
            "--cluster loads"
        );
        for name in [None, Some("leads")] {
            let Ok(Some(basics)) = builtin_basics(None, name, false) else {
                // A pipectl.toml where the tests run: nothing to compare.
                return;
            };
            let config = super::super::load(None, name, false).unwrap();
            assert_eq!(basics, Basics::of(&config));
        }
    }
}
