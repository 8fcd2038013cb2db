//! The status text: a table that fits the terminal, then the details in plain lines.

use std::time::Duration;

use super::{Kind, StageStatus, Status};
use crate::output::{Output, Report, fit_columns, one_line, terminal_width};

/// A column of the table; when the terminal is narrow, the lowest `keep` goes first.
struct Column {
    header: &'static str,
    keep: u8,
    cell: fn(&StageStatus) -> String,
}

fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

fn counter(n: Option<i64>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

const COLUMNS: [Column; 8] = [
    Column {
        header: "stage",
        keep: 255,
        cell: |s| s.name.clone(),
    },
    Column {
        header: "input",
        keep: 10,
        cell: |s| s.input.clone().unwrap_or_else(|| "(source)".into()),
    },
    Column {
        header: "queued",
        keep: 90,
        cell: |s| match s.input {
            None => "-".into(),
            Some(_) => count(s.queued),
        },
    },
    Column {
        header: "leased",
        keep: 70,
        cell: |s| match (s.input.as_ref(), s.leased, s.expired_leases) {
            (None, ..) => "-".into(),
            (_, Some(n), Some(x)) if x > 0 => format!("{n} ({x} expired)"),
            (_, n, _) => count(n),
        },
    },
    Column {
        header: "delayed",
        keep: 40,
        cell: |s| match (s.input.as_ref(), s.delayed, s.due_retries) {
            (None, ..) => "-".into(),
            (_, Some(n), Some(d)) if d > 0 => format!("{n} ({d} due)"),
            (_, n, _) => count(n),
        },
    },
    Column {
        header: "state",
        keep: 80,
        cell: |s| {
            match s.paused {
                None => "?",
                Some(true) => "PAUSED",
                Some(false) if s.kind == Kind::Manual => "manual",
                Some(false) => "active",
            }
            .into()
        },
    },
    Column {
        header: "processed",
        keep: 50,
        cell: |s| counter(s.today.processed),
    },
    Column {
        header: "failed",
        keep: 60,
        cell: |s| counter(s.today.failed),
    },
];

const YELLOW: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

impl Report for Status {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let width = terminal_width().max(20);
        let now = jiff::Timestamp::now()
            .to_zoned_datetime(crate::date::local_zone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string();
        let title = format!("pipeline {} · {} · {now}", self.pipeline, self.server);
        out.line(one_line(&title, width))?;
        let mut table = self.table(width);
        if out.color_stdout {
            // After the layout: escape codes take no columns.
            table = table.replace(" PAUSED ", &format!(" {YELLOW}PAUSED{RESET} "));
        }
        out.line(table.trim_end())?;
        for line in self.details() {
            for piece in wrap(&line, width) {
                out.line(piece)?;
            }
        }
        let label = if out.color_stdout {
            format!("{YELLOW}warning:{RESET}")
        } else {
            "warning:".to_owned()
        };
        for w in self.warnings() {
            for (i, piece) in wrap(&format!("warning: {w}"), width)
                .into_iter()
                .enumerate()
            {
                match piece.strip_prefix("warning:").filter(|_| i == 0) {
                    Some(rest) => out.line(format_args!("{label}{rest}"))?,
                    None => out.line(piece)?,
                }
            }
        }
        Ok(())
    }
}

impl Status {
    /// The table in `width` columns: columns dropped by priority until it fits, then cells
    /// cut with `…` (never wrapped).
    fn table(&self, width: usize) -> String {
        let mut cols: Vec<&Column> = COLUMNS.iter().collect();
        let cells = |cols: &[&Column]| -> Vec<Vec<String>> {
            self.stages
                .iter()
                .map(|s| cols.iter().map(|c| (c.cell)(s)).collect())
                .collect()
        };
        loop {
            let rows = cells(&cols);
            let wanted: usize = cols
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    rows.iter()
                        .map(|r| crate::output::display_width(&r[i]))
                        .max()
                        .unwrap_or(0)
                        .max(c.header.len())
                })
                .sum::<usize>()
                + 3 * cols.len()
                + 1;
            let Some((drop, _)) = cols
                .iter()
                .enumerate()
                .filter(|(_, c)| c.keep < 255)
                .min_by_key(|(_, c)| c.keep)
            else {
                break;
            };
            if wanted <= width {
                break;
            }
            cols.remove(drop);
        }
        let mut header: Vec<String> = cols.iter().map(|c| c.header.to_owned()).collect();
        let mut rows = cells(&cols);
        fit_columns(&mut header, &mut rows, width);
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
            .set_header(header);
        for row in rows {
            table.add_row(row);
        }
        table.to_string()
    }

    /// Plain lines under the table: pauses, rate limits, staged items, dead letters.
    fn details(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for s in &self.stages {
            if s.paused == Some(true) {
                let why = s.paused_reason.as_deref().filter(|r| !r.is_empty());
                lines.push(match why {
                    Some(reason) => format!("{}: PAUSED: {reason}", s.name),
                    None => format!("{}: PAUSED", s.name),
                });
            }
            if let Some(rl) = &s.rate_limit {
                let window = match (rl.remaining, rl.resets_in_ms, rl.never_resets) {
                    (None, ..) => "?".to_owned(),
                    (Some(left), Some(ms), _) => format!(
                        "{left}/{} left, reopens in {}",
                        rl.limit,
                        crate::duration::format(Duration::from_secs(ms.div_ceil(1000)))
                    ),
                    (Some(left), None, Some(true)) => {
                        format!("{left}/{} left, never reopens", rl.limit)
                    }
                    (Some(left), None, _) => format!("{left}/{} left", rl.limit),
                };
                lines.push(format!("{}: rate limit {window} ({})", s.name, rl.key));
            }
            if let Some(g) = &s.guards {
                lines.extend(g.lines(&s.name));
            }
            if let Some(ms) = s.oldest_staged_ms.filter(|_| s.queued.unwrap_or(0) > 0) {
                lines.push(format!(
                    "{}: the longest-waiting item has waited {}",
                    s.name,
                    crate::duration::format(Duration::from_millis(ms))
                ));
            }
        }
        if !self.staged.queues.is_empty() {
            lines.push(format!(
                "staged for review: {} ({})",
                count(self.staged.count),
                self.staged.queues.join(", ")
            ));
        }
        lines.push(self.dead_letters.line());
        lines
    }

    fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for s in &self.stages {
            for e in &s.errors {
                warnings.push(format!("cannot read {e}"));
            }
            if let (Some(x), Some(input)) = (s.expired_leases.filter(|&x| x > 0), &s.input) {
                let leases = if x == 1 { "lease" } else { "leases" };
                warnings.push(format!(
                    "{x} expired {leases} on {input}: `pipectl recover` returns them now (the next pop does too)"
                ));
            }
            if let Some(n) = s.overdue.filter(|&n| n > 0) {
                let items = if n == 1 { "item has" } else { "items have" };
                warnings.push(format!(
                    "{n} staged {items} waited past {}'s max_wait: review them, or `pipectl run {}` applies its on_timeout",
                    s.name, s.name
                ));
            }
            if let Some(rl) = s
                .rate_limit
                .as_ref()
                .filter(|rl| rl.never_resets == Some(true))
            {
                warnings.push(format!(
                    "rate-limit key {} has no TTL: its window never reopens; `redis-cli DEL {}` resets it",
                    rl.key, rl.key
                ));
            }
        }
        warnings.extend(self.dead_letters.warning());
        if let Some(e) = &self.dead_letters.error {
            warnings.push(format!("cannot read {}: {e}", self.dead_letters.queue));
        }
        warnings
    }
}

/// Words on lines of at most `width` columns; a word longer than that gets a line of its own.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits =
            crate::output::display_width(&line) + 1 + crate::output::display_width(word) <= width;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// An error in one line: what failed, and the root cause when it adds something.
pub fn why(err: &anyhow::Error) -> String {
    let (top, root) = (err.to_string(), err.root_cause().to_string());
    if root == top || top.contains(&root) {
        top
    } else {
        format!("{top}: {root}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_between_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh x", 4), ["abcdefgh", "x"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
