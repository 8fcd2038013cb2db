//! Where output goes and in which shape: tables on a TTY, raw lines or NDJSON in pipes,
//! one JSON document with `--json`; progress bars on stderr only when it is a terminal.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};

use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    stdout: BufWriter<Stdout>,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: u8, color: ColorChoice) -> Output {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_tty && !no_color,
        };
        Output {
            json,
            quiet,
            verbose,
            color,
            stdout_tty,
            stderr_tty,
            stdout: BufWriter::new(io::stdout()),
        }
    }

    /// A line of the command's result on stdout.
    pub fn line(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.stdout, "{text}")
    }

    /// Raw item bytes and a newline, as redis-cli --raw prints them.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stdout.write_all(bytes)?;
        self.stdout.write_all(b"\n")
    }

    /// One compact JSON value on its own line (a `--json` document or an NDJSON record).
    pub fn json(&mut self, value: &Value) -> io::Result<()> {
        serde_json::to_writer(&mut self.stdout, value)?;
        self.stdout.write_all(b"\n")
    }

    pub fn table(&mut self, table: &Table) -> io::Result<()> {
        writeln!(self.stdout, "{table}")
    }

    /// A note for the person at the terminal (stderr), unless `-q`.
    pub fn note(&mut self, text: impl std::fmt::Display) {
        if !self.quiet {
            self.stdout.flush().ok();
            writeln!(io::stderr().lock(), "{text}").ok();
        }
    }

    /// A warning on stderr; shown even with `-q`.
    pub fn warn(&mut self, text: impl std::fmt::Display) {
        self.stdout.flush().ok();
        let label = if self.color {
            "\x1b[1;33mwarning:\x1b[0m"
        } else {
            "warning:"
        };
        writeln!(io::stderr().lock(), "{label} {text}").ok();
    }

    /// A trace line for `-v`, on stderr.
    pub fn debug(&mut self, text: impl std::fmt::Display) {
        if self.verbose > 0 {
            writeln!(io::stderr().lock(), "pipectl: {text}").ok();
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.stdout.flush()
    }

    /// A progress bar for `len` steps: drawn on stderr when it is a terminal and the output
    /// is for a person; hidden (and free) otherwise.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        let visible = self.stderr_tty && !self.quiet && !self.json;
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(len), target);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({per_sec}, eta {eta})")
        {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
        bar
    }

    /// A table in the house style: fits the terminal width, no wrapping mess.
    pub fn new_table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        if self.stdout_tty {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.load_style(presets::NOTHING);
        }
        table.set_header(header.iter().map(|h| h.to_string()));
        table
    }
}

/// An item as a JSON value: itself when it is JSON, else a string.
pub fn item_value(item: &[u8]) -> Value {
    serde_json::from_slice(item)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(item).into_owned()))
}

/// A one-line summary of an item cut to `width` characters, for table cells.
pub fn summary(item: &[u8], width: usize) -> String {
    let text = match serde_json::from_slice::<Value>(item) {
        Ok(v) => v.to_string(),
        Err(_) => String::from_utf8_lossy(item).into_owned(),
    };
    truncate(&text.replace(['\n', '\r', '\t'], " "), width)
}

pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The terminal's width, or 80.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

/// Now, as pipectl stamps records (`failed_at`, …): RFC 3339 in UTC, to the millisecond.
pub fn timestamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
