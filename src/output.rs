//! Where output goes and in which shape: tables on a TTY, raw lines or NDJSON in pipes,
//! one JSON document with `--json`; progress bars on stderr only when it is a terminal.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};

use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A command's typed result (docs/json.md): `--json` prints it as one JSON document, or one
/// NDJSON line per record of a stream, exactly as it serializes; everyone else reads the text
/// this renders from the same value. Its JSON Schema is in docs/schema/ (src/commands/schema.rs).
pub trait Report: serde::Serialize {
    /// The result for a person (or a pipe without `--json`).
    fn text(&self, out: &mut Output) -> io::Result<()>;
}

/// A record of `ls` (and `staged` in a pipe): the item on its own line.
impl Report for crate::item::Positioned {
    fn text(&self, out: &mut Output) -> io::Result<()> {
        out.item_line(&self.item.0)
    }
}

pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    /// Whether stdout (a command's text result) may carry colour: --color, else a terminal
    /// without NO_COLOR.
    pub color_stdout: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    stdout: BufWriter<Stdout>,
    warned_escape: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: u8, color: ColorChoice) -> Output {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let (color, color_stdout) = match color {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (stderr_tty && !no_color, stdout_tty && !no_color),
        };
        Output {
            json,
            quiet,
            verbose,
            color,
            color_stdout,
            stdout_tty,
            stderr_tty,
            stdout: BufWriter::new(io::stdout()),
            warned_escape: false,
        }
    }

    /// A command's result, or one record of a stream: JSON under `--json`, else its text.
    pub fn print(&mut self, report: &impl Report) -> io::Result<()> {
        if self.json {
            serde_json::to_writer(&mut self.stdout, report)?;
            return self.stdout.write_all(b"\n");
        }
        report.text(self)
    }

    /// A line of the command's result on stdout.
    pub fn line(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.stdout, "{text}")
    }

    /// Bytes as they are, on stdout.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stdout.write_all(bytes)
    }

    /// Raw item bytes and a newline, as redis-cli --raw prints them.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stdout.write_all(bytes)?;
        self.stdout.write_all(b"\n")
    }

    /// One item on its own line of text output (crate::item::line): as it is, or escaped
    /// when it holds a line break, with a warning (once) that says so.
    pub fn item_line(&mut self, bytes: &[u8]) -> io::Result<()> {
        let line = self.line_of(bytes);
        self.stdout.write_all(&line)
    }

    /// An item's line of text output, newline included (see [`Output::item_line`]), for
    /// output written otherwise (`pop` delivers whole records itself).
    pub fn line_of(&mut self, bytes: &[u8]) -> Vec<u8> {
        let (line, escaped) = crate::item::line(bytes);
        if escaped && !self.warned_escape {
            self.warned_escape = true;
            self.warn(
                "an item holds a line break: it is written on one line with \\n, \\r and \\\\ escaped; --json gives its exact bytes",
            );
        }
        let mut line = line.into_owned();
        line.push(b'\n');
        line
    }

    /// Writes whole records (each ending in its newline) straight to stdout, after what was
    /// buffered, counting what the OS took: returns how many records were written in full,
    /// and the error that stopped the rest. For output that must not claim to have delivered
    /// what it did not (`pop`): a record cut short counts as not written.
    pub fn deliver(&mut self, records: &[Vec<u8>]) -> (usize, Option<io::Error>) {
        if let Err(e) = self.stdout.flush() {
            return (0, Some(e));
        }
        let bytes = records.concat();
        // fd 1 itself, not std's line-buffered Stdout, whose write may buffer what it accepts.
        // SAFETY: fd 1 stays open for the whole process; ManuallyDrop never closes it.
        let mut fd = std::mem::ManuallyDrop::new(unsafe {
            <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(1)
        });
        let mut done = 0;
        let mut error = None;
        while done < bytes.len() {
            match fd.write(&bytes[done..]) {
                Ok(0) => {
                    error = Some(io::Error::from(io::ErrorKind::WriteZero));
                    break;
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        let mut end = 0;
        let whole = records
            .iter()
            .take_while(|r| {
                end += r.len();
                end <= done
            })
            .count();
        (whole, error)
    }

    /// One compact JSON value on its own line (a `--json` document or an NDJSON record).
    pub fn json(&mut self, value: &Value) -> io::Result<()> {
        serde_json::to_writer(&mut self.stdout, value)?;
        self.stdout.write_all(b"\n")
    }

    pub fn table(&mut self, table: &Table) -> io::Result<()> {
        writeln!(self.stdout, "{table}")
    }

    /// A question for the person at the terminal: stdout, no newline, flushed now.
    pub fn prompt(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        write!(self.stdout, "{text}")?;
        self.stdout.flush()
    }

    /// A note for the person at the terminal (stderr), unless `-q`.
    pub fn note(&mut self, text: impl std::fmt::Display) {
        if !self.quiet {
            self.stdout.flush().ok();
            writeln!(io::stderr().lock(), "{text}").ok();
        }
    }

    /// A warning on stderr; shown even with `-q`. Under `--json`, one JSON line
    /// `{"warning":{"message":…}}`.
    pub fn warn(&mut self, text: impl std::fmt::Display) {
        self.stdout.flush().ok();
        if self.json {
            let doc = crate::report::WarningDoc {
                warning: crate::report::WarningBody {
                    message: text.to_string(),
                },
            };
            if let Ok(line) = serde_json::to_string(&doc) {
                writeln!(io::stderr().lock(), "{line}").ok();
            }
            return;
        }
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
        if !visible {
            // Never drawn: no style to parse (a one-shot command from cron pays for every
            // page of code it touches).
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({rate}, eta {eta})")
        {
            // indicatif's own {per_sec} prints `566,395.5962/s`.
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    write!(w, "{}", rate(state.per_sec())).ok();
                },
            ));
        }
        bar.set_message(what.to_owned());
        bar
    }

    /// A table whose every line fits in `width` columns: long cells are cut with `…`, never
    /// wrapped (see [`fit_columns`]).
    pub fn fitted_table(
        &self,
        mut header: Vec<String>,
        mut rows: Vec<Vec<String>>,
        width: usize,
    ) -> Table {
        fit_columns(&mut header, &mut rows, width);
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header);
        for row in rows {
            table.add_row(row);
        }
        table
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

/// `n` and the noun, singular or plural: "1 item", "2 items" (`noun` + "s").
pub fn count_of(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A rate for people, two or three significant digits: `0.4/s`, `12/s`, `5.7k/s`, `566k/s`,
/// `1.2M/s`.
pub fn rate(per_sec: f64) -> String {
    let r = if per_sec.is_finite() {
        per_sec.max(0.0)
    } else {
        0.0
    };
    let (value, unit) = match r {
        r if r >= 1e6 => (r / 1e6, "M"),
        r if r >= 1e3 => (r / 1e3, "k"),
        r => (r, ""),
    };
    if value < 10.0 && (unit.is_empty() || value.fract() >= 0.05) {
        format!("{value:.1}{unit}/s")
    } else {
        format!("{value:.0}{unit}/s")
    }
}

/// A one-line summary of an item cut to `width` characters, for table cells: its text with
/// control characters and bytes that are not UTF-8 escaped (crate::item::display).
pub fn summary(item: &[u8], width: usize) -> String {
    truncate(&crate::item::display(item), width)
}

pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// How many terminal columns `text` takes (wide characters count two).
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Text made safe for one line of a terminal: control characters (newlines, tabs, escape
/// sequences an item may carry) become spaces; then cut to `width` columns, ending in `…`.
pub fn one_line(text: &str, width: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if display_width(&clean) <= width {
        return clean;
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        cut.push(c);
        used += w;
    }
    if width > 0 {
        cut.push('…');
    }
    cut
}

/// Cuts cells (header included) so a table fits in `width` columns in the house style:
/// a border between columns and one space of padding each side (`3 * columns + 1` in all).
/// Columns that fit keep their width; the others share what is left equally. Returns the
/// column widths chosen.
pub fn fit_columns(header: &mut [String], rows: &mut [Vec<String>], width: usize) -> Vec<usize> {
    let n = header.len();
    let mut wanted: Vec<usize> = header.iter().map(|h| display_width(h).max(1)).collect();
    for row in rows.iter() {
        for (w, cell) in wanted.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let mut left = width.saturating_sub(3 * n + 1);
    let mut widths = vec![0; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| wanted[i]);
    for (done, &i) in order.iter().enumerate() {
        let share = left / (n - done);
        widths[i] = wanted[i].min(share).max(1);
        left = left.saturating_sub(widths[i]);
    }
    for (i, h) in header.iter_mut().enumerate() {
        *h = one_line(h, widths[i]);
    }
    for row in rows.iter_mut() {
        for (i, cell) in row.iter_mut().enumerate().take(n) {
            *cell = one_line(cell, widths[i]);
        }
    }
    widths
}

/// The terminal's width: `COLUMNS` when set, else the width of the terminal on stdout, else 80.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c > 0)
        .or_else(|| Table::new().width().map(usize::from))
        .unwrap_or(80)
}

/// Now, as pipectl stamps records (`failed_at`, …): RFC 3339 in UTC, to the millisecond.
pub fn timestamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_cuts_by_display_width_and_cleans_control_characters() {
        assert_eq!(one_line("short", 10), "short");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
        assert_eq!(one_line("a\nb\tc\x1b[31m", 20), "a b c [31m");
        // Wide characters count two columns.
        assert_eq!(one_line("日本語テキスト", 7), "日本語…");
        assert_eq!(display_width(&one_line("日本語テキスト", 6)), 5);
        assert_eq!(one_line("anything", 1), "…");
    }

    #[test]
    fn fitted_tables_never_exceed_the_width() {
        let out = Output::new(false, false, 0, ColorChoice::Never);
        let long = "x".repeat(200);
        for width in [40, 60, 80, 120] {
            let header: Vec<String> = ["#", "name", "url", "preview_url", "phone"]
                .map(String::from)
                .into();
            let rows = vec![
                vec![
                    "1".into(),
                    "Acme Auto".into(),
                    "acmeauto.com".into(),
                    long.clone(),
                    "555".into(),
                ],
                vec![
                    "2".into(),
                    long.clone(),
                    "日本語".repeat(30),
                    "".into(),
                    "".into(),
                ],
            ];
            let table = out.fitted_table(header, rows, width);
            let text = table.to_string();
            for line in text.lines() {
                assert!(display_width(line) <= width, "{width}: {line}");
            }
            assert!(text.contains('…'), "{text}");
            if width >= 80 {
                assert!(text.contains(" Acme Auto "), "{text}");
            }
        }
    }

    #[test]
    fn rates_are_rounded_for_people() {
        assert_eq!(rate(566_395.596_2), "566k/s");
        assert_eq!(rate(5_712.0), "5.7k/s");
        assert_eq!(rate(1_234_567.0), "1.2M/s");
        assert_eq!(rate(12.34), "12/s");
        assert_eq!(rate(0.42), "0.4/s");
        assert_eq!(rate(f64::NAN), "0.0/s");
    }

    #[test]
    fn narrow_columns_keep_their_width() {
        let mut header: Vec<String> = ["#", "a", "b"].map(String::from).into();
        let mut rows = vec![vec!["1".into(), "tiny".into(), "y".repeat(100)]];
        let widths = fit_columns(&mut header, &mut rows, 40);
        assert_eq!(widths[..2], [1, 4]);
        assert_eq!(widths.iter().sum::<usize>() + 3 * 3 + 1, 40);
        assert!(rows[0][2].ends_with('…'));
    }
}
