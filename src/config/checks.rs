//! Checks and helpers of config parsing: the links between stages, error positions, and how
//! a header value is shown.

use super::{Config, Handler};

/// Every `escalate_to` names a manual stage with an input other than the stage itself.
pub(super) fn review_links(config: &Config) -> Result<(), String> {
    for stage in &config.stages {
        let Some(target) = &stage.escalate_to else {
            continue;
        };
        match config.stage(target) {
            Some(t) if matches!(t.handler, Handler::Manual) && t.input.is_some() => {}
            Some(_) => {
                return Err(format!(
                    "[stages.{}] escalate_to = \"{target}\" is not a manual stage: name a stage with an input and no exec/http",
                    stage.name
                ));
            }
            None => {
                return Err(format!(
                    "[stages.{}] escalate_to = \"{target}\": the pipeline has no stage '{target}'",
                    stage.name
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// Header values that could be secrets: shown only when every literal part is an auth scheme
/// word and the secret itself is a `${VAR}` reference; anything else is hidden.
pub fn redact_header(value: &str) -> String {
    let mut literal = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => return "<redacted>".into(),
        }
    }
    literal.push_str(rest);
    let literal = literal.trim();
    let only_scheme = literal.is_empty() || matches!(literal, "Bearer" | "Basic" | "Token");
    if value.contains("${") && only_scheme {
        value.to_owned()
    } else {
        "<redacted>".into()
    }
}
