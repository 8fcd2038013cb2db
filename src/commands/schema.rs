//! The JSON Schema of every command's `--json` output (and of errors and warnings),
//! generated from the same types the commands print. `pipectl generate` writes them to
//! docs/schema/<name>.json; tests/it/generated.rs fails while the committed files differ, and
//! tests/it/schemas.rs validates real outputs of every command against them.

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::commands;

/// One schema: its file name (without `.json`), and what it describes.
pub struct Entry {
    pub name: &'static str,
    pub schema: Schema,
}

/// `T`'s schema, from a generator of its own (so its `$defs` hold only its own types).
fn entry<T: JsonSchema>(name: &'static str, generator: &mut SchemaGenerator) -> Entry {
    let mut schema = SchemaGenerator::new(generator.settings().clone()).into_root_schema_for::<T>();
    schema.insert(
        "$id".into(),
        format!("https://pipectl.invalid/schema/{name}.json").into(),
    );
    Entry { name, schema }
}

/// Every schema, by name: a command's (its path joined by `-`: `dead-ls`), or `error` and
/// `warning` for what `--json` writes to stderr. A stream's schema is that of one record.
pub fn all() -> Vec<Entry> {
    // The serializing side's contract: a field always written (even as null) is required.
    let mut g = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    vec![
        entry::<crate::report::ErrorDoc>("error", &mut g),
        entry::<crate::report::WarningDoc>("warning", &mut g),
        entry::<commands::len::Lengths>("len", &mut g),
        entry::<crate::item::Positioned>("ls", &mut g),
        entry::<commands::ls::DelayedRecord>("ls-delayed", &mut g),
        entry::<commands::peek::Peeked>("peek", &mut g),
        entry::<commands::pop::Popped>("pop", &mut g),
        // Queue and operator commands: enqueue, ack, nack, seen, count, recover, pause, …
        entry::<commands::enqueue::Enqueued>("enqueue", &mut g),
        entry::<commands::ack::Acked>("ack", &mut g),
        entry::<commands::nack::Nacked>("nack", &mut g),
        entry::<commands::seen::Seen>("seen", &mut g),
        entry::<commands::count::Counted>("count", &mut g),
        entry::<commands::recover::RecoveredQueues>("recover", &mut g),
        entry::<commands::pause::Paused>("pause", &mut g),
        entry::<commands::pause::Resumed>("resume", &mut g),
        entry::<commands::ratelimit::RateWindow>("ratelimit-show", &mut g),
        entry::<commands::ratelimit::RateTake>("ratelimit-take", &mut g),
        entry::<commands::ratelimit::RateReset>("ratelimit-reset", &mut g),
        entry::<commands::init::Initialized>("init", &mut g),
        entry::<commands::config::ConfigShow>("config-show", &mut g),
        entry::<commands::config::ConfigPath>("config-path", &mut g),
        entry::<commands::exit_codes::ExitCodes>("exit-codes", &mut g),
        entry::<commands::generate::Generated>("generate", &mut g),
        entry::<commands::complete_stages::StageNames>("complete-stages", &mut g),
        // Review and dead letters: stage, staged, approve, reject, review, dead …
        entry::<commands::review::Pushed>("stage", &mut g),
        entry::<commands::review::staged::StagedRecord>("staged", &mut g),
        entry::<commands::review::Decided>("approve", &mut g),
        entry::<commands::review::Decided>("reject", &mut g),
        entry::<commands::review::Reviewed>("review", &mut g),
        entry::<commands::review::send_back::SentBack>("send-back", &mut g),
        entry::<commands::dead::Record>("dead-ls", &mut g),
        entry::<commands::dead::Shown>("dead-show", &mut g),
        entry::<commands::dead::Retried>("dead-retry", &mut g),
        entry::<commands::dead::Purged>("dead-purge", &mut g),
        entry::<commands::audit::Record>("audit", &mut g),
        entry::<commands::mcp::Listed>("mcp", &mut g),
        entry::<commands::serve::Listening>("serve", &mut g),
        entry::<commands::metrics::Metrics>("metrics", &mut g),
        // Operator views and run: status, stats, saturation, doctor, run
        entry::<commands::status::Status>("status", &mut g),
        entry::<commands::stats::Stats>("stats", &mut g),
        entry::<commands::saturation::Saturation>("saturation", &mut g),
        entry::<commands::doctor::Doctor>("doctor", &mut g),
        entry::<crate::runner::RunReport>("run", &mut g),
        entry::<commands::review::policy::Applied>("run-review", &mut g),
        // Item surgery: find, move, rm, unreject
        entry::<crate::item::Positioned>("find", &mut g),
        entry::<commands::surgery::MovedItems>("move", &mut g),
        entry::<commands::surgery::Removed>("rm", &mut g),
        entry::<commands::surgery::Unrejected>("unreject", &mut g),
        // Running unattended: dead-letter retention and notifications
        entry::<commands::dead::Trimmed>("dead-trim", &mut g),
        entry::<commands::notify::Delivery>("notify-deliver", &mut g),
        entry::<crate::notify::Document>("notify-event", &mut g),
    ]
}
