//! The JSON Schema of every command's `--json` output (and of errors and warnings),
//! generated from the same types the commands print. `pipectl generate` writes them to
//! docs/schema/<name>.json; tests/generated.rs fails while the committed files differ, and
//! tests/schemas.rs validates real outputs of every command against them.

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::commands;

/// One schema: its file name (without `.json`), and what it describes.
pub struct Entry {
    pub name: &'static str,
    pub schema: Schema,
}

fn entry<T: JsonSchema>(name: &'static str, generator: &mut SchemaGenerator) -> Entry {
    let mut schema = generator.root_schema_for::<T>();
    schema.insert(
        "$id".into(),
        format!("https://pipectl.invalid/schema/{name}.json").into(),
    );
    Entry { name, schema }
}

/// Every schema, by name: a command's (its path joined by `-`: `dead-ls`), or `error` and
/// `warning` for what `--json` writes to stderr. A stream's schema is that of one record.
pub fn all() -> Vec<Entry> {
    let mut g = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    vec![
        entry::<crate::error::ErrorDoc>("error", &mut g),
        entry::<crate::error::WarningDoc>("warning", &mut g),
        entry::<commands::len::Lengths>("len", &mut g),
        entry::<crate::item::Positioned>("ls", &mut g),
        entry::<commands::peek::Peeked>("peek", &mut g),
        entry::<commands::pop::Popped>("pop", &mut g),
        // Queue and operator commands: enqueue, ack, nack, seen, count, recover, pause, …
        // Review and dead letters: stage, staged, approve, reject, review, dead …
        // Operator views and run: status, stats, saturation, doctor, run
        entry::<commands::status::Status>("status", &mut g),
        entry::<commands::stats::Stats>("stats", &mut g),
        entry::<commands::saturation::Saturation>("saturation", &mut g),
        entry::<commands::doctor::Doctor>("doctor", &mut g),
        entry::<crate::runner::RunReport>("run", &mut g),
    ]
}
