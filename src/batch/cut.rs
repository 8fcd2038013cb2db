//! A batch cut short by Redis: what was written, by input number, and how to resume.

use crate::error::Fail;
use crate::input::Item;

/// What became of one chunk of a batch cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    /// Its reply says it was written.
    Written,
    /// Redis refused it: nothing of it was written.
    Refused,
    /// Sent, but the connection was lost before the reply: written or not, nobody knows.
    Unknown,
    /// Never sent.
    NotSent,
}

/// `error.partial` of a batch cut short (enqueue, stage): what was written, by input number.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Partial {
    pub queue: String,
    /// What the numbers count: `lines` (of --file or stdin) or `arguments`.
    pub input: String,
    /// Items in the batch.
    pub total: u64,
    /// Items Redis answered as written (with dedup: added + duplicates).
    pub written: u64,
    /// Inclusive ranges `[first, last]` of input numbers whose items were written.
    pub written_ranges: Vec<(usize, usize)>,
    /// Ranges sent without an answer (the connection was lost): maybe written.
    pub unknown_ranges: Vec<(usize, usize)>,
    /// The first input number not written, when what was written is a prefix; else null.
    pub resume_line: Option<usize>,
    /// The `--skip-lines` value that resumes without duplicates; null when some are in doubt.
    pub skip_lines: Option<String>,
    /// With dedup: new items among the written (else null).
    pub added: Option<u64>,
    /// With dedup: duplicates skipped among the written (else null).
    pub duplicates: Option<u64>,
    /// The exact command that resumes the batch, when known.
    pub resume: Option<String>,
}

/// A batch cut short by Redis: what was written, by input line (or argument) number.
#[derive(Debug)]
pub struct Cut {
    pub queue: String,
    /// "line" or "argument": what the numbers count.
    pub unit: &'static str,
    pub total: u64,
    /// Items of the chunks Redis answered as written (with dedup: added + duplicates).
    pub written: u64,
    /// With dedup: (added, duplicates) among the written.
    pub dedup: Option<(u64, u64)>,
    /// Inclusive ranges of input numbers whose items were written.
    pub written_ranges: Vec<(usize, usize)>,
    /// Ranges sent without an answer: maybe written.
    pub unknown_ranges: Vec<(usize, usize)>,
    /// The first and last input numbers of the batch's items.
    pub first: usize,
    pub last: usize,
    /// A delayed batch (`enqueue --in/--at`): the delayed set its items went to.
    pub delayed_set: Option<String>,
}

impl Cut {
    pub(super) fn new(
        queue: &str,
        chunks: &[&[Item<'_>]],
        states: &[State],
        dedup: Option<(u64, u64)>,
    ) -> Cut {
        let span = |chunk: &[Item<'_>]| {
            let first = chunk.first().map_or(0, |i| i.origin.number());
            let last = chunk.last().map_or(0, |i| i.origin.number());
            (first, last)
        };
        let ranges = |want: State| {
            let mut out: Vec<(usize, usize)> = Vec::new();
            let mut previous = None;
            for (i, (chunk, state)) in chunks.iter().zip(states).enumerate() {
                if *state != want {
                    continue;
                }
                let (first, last) = span(chunk);
                match out.last_mut() {
                    Some(range) if previous == Some(i - 1) => range.1 = last,
                    _ => out.push((first, last)),
                }
                previous = Some(i);
            }
            out
        };
        let written = chunks
            .iter()
            .zip(states)
            .filter(|(_, s)| **s == State::Written)
            .map(|(c, _)| c.len() as u64)
            .sum();
        let items = chunks.iter().flat_map(|c| c.iter());
        Cut {
            queue: queue.to_owned(),
            unit: items.clone().next().map_or("line", |i| i.origin.unit()),
            total: items.clone().count() as u64,
            written,
            dedup,
            written_ranges: ranges(State::Written),
            unknown_ranges: ranges(State::Unknown),
            first: items.clone().next().map_or(1, |i| i.origin.number()),
            last: items.last().map_or(0, |i| i.origin.number()),
            delayed_set: None,
        }
    }

    /// The input numbers a resume skips: what was written, and what came before this
    /// batch's first item (blank lines, or lines an earlier `--skip-lines` skipped), merged.
    fn skip_ranges(&self) -> Vec<(usize, usize)> {
        let before = (self.first > 1).then_some((1, self.first - 1));
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (a, b) in before
            .into_iter()
            .chain(self.written_ranges.iter().copied())
        {
            match out.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        out
    }

    /// When what was written is the input up to one number `K` and nothing after it is in
    /// doubt: `K` (0 when nothing was), and `--skip-lines K` resumes exactly.
    fn prefix(&self) -> Option<usize> {
        if !self.unknown_ranges.is_empty() {
            return None;
        }
        match self.skip_ranges().as_slice() {
            [] => Some(0),
            [(1, k)] => Some(*k),
            _ => None,
        }
    }

    /// The `--skip-lines` value that resumes without duplicates: `K` (the first K input
    /// lines) or ranges `A-B,C-D`; None when some chunks are in doubt.
    pub fn skip_lines(&self) -> Option<String> {
        if !self.unknown_ranges.is_empty() {
            return None;
        }
        if let Some(k) = self.prefix() {
            return Some(k.to_string());
        }
        Some(
            self.skip_ranges()
                .iter()
                .map(|(a, b)| format!("{a}-{b}"))
                .collect::<Vec<_>>()
                .join(","),
        )
    }

    /// The first input number not written (the prefix case): where a resume starts.
    pub fn resume_line(&self) -> Option<usize> {
        self.prefix().map(|k| k + 1)
    }

    fn show(&self, ranges: &[(usize, usize)]) -> String {
        let plural = if ranges.len() == 1 && ranges[0].0 == ranges[0].1 {
            ""
        } else {
            "s"
        };
        let list = ranges
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        format!("{}{plural} {list}", self.unit)
    }

    /// What was written and what remains, in words.
    pub fn summary(&self) -> String {
        let unit = self.unit;
        let mut text = format!("wrote {} of {} items", self.written, self.total);
        if !self.unknown_ranges.is_empty() {
            text.push_str(" for sure");
        }
        if !self.written_ranges.is_empty() {
            text.push_str(&format!(" ({})", self.show(&self.written_ranges)));
        }
        if let Some((added, dups)) = self.dedup {
            text.push_str(&format!(
                ": {added} new, {dups} duplicate{} skipped",
                if dups == 1 { "" } else { "s" }
            ));
        }
        if !self.unknown_ranges.is_empty() {
            text.push_str(&format!(
                "; {} may or may not have been written (the connection was lost before Redis answered)",
                self.show(&self.unknown_ranges)
            ));
        }
        let end = self
            .written_ranges
            .iter()
            .chain(&self.unknown_ranges)
            .map(|r| r.1)
            .max();
        match (self.prefix(), end) {
            _ if self.written == 0 && self.unknown_ranges.is_empty() => {
                text.push_str("; nothing was written")
            }
            (Some(0), _) | (_, None) => text.push_str("; nothing was written"),
            (Some(k), _) => text.push_str(&format!("; nothing after {unit} {k} was written")),
            (None, Some(end)) => {
                let mut missing = Vec::new();
                let mut from = self.first;
                let mut known: Vec<(usize, usize)> = self
                    .written_ranges
                    .iter()
                    .chain(&self.unknown_ranges)
                    .copied()
                    .collect();
                known.sort_unstable();
                for (a, b) in known {
                    if a > from {
                        missing.push((from, a - 1));
                    }
                    from = b + 1;
                }
                if missing.is_empty() {
                    text.push_str(&format!("; nothing after {unit} {end} was written"));
                } else {
                    text.push_str(&format!(
                        "; {} and everything after {unit} {end} were not written",
                        self.show(&missing)
                    ));
                }
            }
        }
        text
    }

    /// The machine-readable form, for `--json` errors (`error.partial`).
    pub fn to_json(&self) -> serde_json::Value {
        // A struct of strings, integers and options always serializes.
        serde_json::to_value(self.partial(None)).unwrap_or_default()
    }

    /// The typed form of `error.partial`; `resume` is the command that resumes, if known.
    pub fn partial(&self, resume: Option<String>) -> Partial {
        Partial {
            queue: self.queue.clone(),
            input: format!("{}s", self.unit),
            total: self.total,
            written: self.written,
            written_ranges: self.written_ranges.clone(),
            unknown_ranges: self.unknown_ranges.clone(),
            resume_line: self.resume_line(),
            skip_lines: self.skip_lines(),
            added: self.dedup.map(|d| d.0),
            duplicates: self.dedup.map(|d| d.1),
            resume,
        }
    }

    /// What to do next, when the command that was cut short knows no better.
    pub fn resume_advice(&self) -> String {
        if self.dedup.is_some() {
            "run it again: the dedup skips what went in".to_owned()
        } else if let Some(skip) = self.skip_lines() {
            format!(
                "the written items are in {}: do not send input {}s {skip} again",
                self.delayed_set.as_ref().unwrap_or(&self.queue),
                self.unit
            )
        } else {
            format!(
                "check what went in ({}) before sending the rest",
                self.last_written()
            )
        }
    }

    /// How to find the last item written, with redis-cli: the left end of the queue, or
    /// among the entries of a delayed set, those at the batch's due time (in input order).
    pub fn last_written(&self) -> String {
        match &self.delayed_set {
            Some(set) => format!(
                "`redis-cli ZRANGE {set} 0 -1 WITHSCORES` lists what waits: the batch's entries at its due time, in input order"
            ),
            None => format!(
                "`redis-cli LINDEX {} 0` is the last item written",
                self.queue
            ),
        }
    }

    /// The error: the refusal's own exit code, what was written, and a hint.
    pub(super) fn into_error(
        self,
        err: anyhow::Error,
        counters_failed: bool,
        resume: String,
        command: Option<String>,
    ) -> anyhow::Error {
        let (exit, hint) = match crate::report::classify(&err) {
            crate::report::Verdict::Report { exit, hint, .. } => (exit, hint),
            crate::report::Verdict::BrokenPipe => (crate::exit::Exit::Unavailable, None),
        };
        let mut message = format!("cut short by Redis: {}", self.summary());
        if counters_failed {
            message.push_str(" (today's new/dup counters were not updated for them)");
        }
        let hint = match hint {
            Some(h) => format!("{h}; then {resume}"),
            None => resume,
        };
        let partial = serde_json::to_value(self.partial(command)).unwrap_or_default();
        let fail = Fail::new(exit, message).hint(hint).partial(partial);
        err.context(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Origin;

    /// Chunks of items on the given lines.
    fn cut(lines: &[&[usize]], states: &[State], dedup: bool) -> Cut {
        let items: Vec<Vec<Item<'static>>> = lines
            .iter()
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|&n| Item {
                        bytes: b"x",
                        dedup: None,
                        origin: Origin::Line(n),
                    })
                    .collect()
            })
            .collect();
        let chunks: Vec<&[Item<'_>]> = items.iter().map(Vec::as_slice).collect();
        Cut::new("q", &chunks, states, dedup.then_some((0, 0)))
    }

    #[test]
    fn a_written_prefix_resumes_after_its_last_line() {
        use State::*;
        let c = cut(
            &[&[1, 2], &[4, 5], &[6]],
            &[Written, Refused, NotSent],
            false,
        );
        assert_eq!(c.written, 2);
        assert_eq!(c.skip_lines().as_deref(), Some("2"));
        assert_eq!(c.resume_line(), Some(3));
        assert_eq!(
            c.summary(),
            "wrote 2 of 5 items (lines 1–2); nothing after line 2 was written"
        );
        // A batch that started on line 10 (an earlier --skip-lines, or blank lines).
        let c = cut(&[&[10, 11], &[12]], &[Refused, NotSent], false);
        assert_eq!(c.skip_lines().as_deref(), Some("9"));
        assert_eq!(c.summary(), "wrote 0 of 3 items; nothing was written");
    }

    #[test]
    fn a_chunk_written_after_a_refused_one_is_counted_and_skipped_by_ranges() {
        use State::*;
        let c = cut(
            &[&[3, 4], &[5, 6], &[7, 8], &[9]],
            &[Written, Refused, Written, NotSent],
            false,
        );
        assert_eq!(c.written, 4);
        assert_eq!(c.written_ranges, [(3, 4), (7, 8)]);
        assert_eq!(c.skip_lines().as_deref(), Some("1-4,7-8"));
        assert_eq!(c.resume_line(), None);
        assert_eq!(
            c.summary(),
            "wrote 4 of 7 items (lines 3–4, 7–8); lines 5–6 and everything after line 8 were not written"
        );
    }

    #[test]
    fn chunks_sent_without_an_answer_are_named_as_in_doubt() {
        use State::*;
        let c = cut(
            &[&[1, 2], &[3, 4], &[5]],
            &[Written, Unknown, NotSent],
            false,
        );
        assert_eq!(c.skip_lines(), None);
        assert_eq!(c.unknown_ranges, [(3, 4)]);
        assert_eq!(
            c.summary(),
            "wrote 2 of 5 items for sure (lines 1–2); lines 3–4 may or may not have been written (the connection was lost before Redis answered); nothing after line 4 was written"
        );
        assert!(c.resume_advice().contains("LINDEX q 0"));
        let c = cut(&[&[1]], &[Unknown], true);
        assert!(c.resume_advice().contains("run it again"));
    }
}
