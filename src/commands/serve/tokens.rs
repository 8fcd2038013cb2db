//! Who may use `pipectl serve`: the token file (`--tokens FILE`, one person and role per
//! token), the single shared token (`--token-file`, `$PIPECTL_SERVE_TOKEN`), or nobody
//! (loopback only).
//!
//! The token file, one token a line, `#` starts a comment:
//!
//! ```text
//! # person   role       token (at least 16 characters)
//! alice      reviewer   8bV0m1lF2cQ9sX4tZr7KpA
//! olga       operator   Hs3e9Qn0yWkz1uVbT6cLdM
//! dashboard  viewer     rT5wq8ZcN2jxP0sKe4HbYf
//! ```

use std::path::Path;

use crate::error::Fail;

/// What a person may do; each role may do what the ones before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads every page and GET route; decides nothing.
    Viewer,
    /// Also decides staged items: approve, reject, skip, send back.
    Reviewer,
    /// Also pauses and resumes stages, retries and purges dead letters.
    Operator,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Reviewer => "reviewer",
            Role::Operator => "operator",
        }
    }

    fn parse(word: &str) -> Option<Role> {
        match word {
            "viewer" => Some(Role::Viewer),
            "reviewer" => Some(Role::Reviewer),
            "operator" => Some(Role::Operator),
            _ => None,
        }
    }
}

/// One line of the token file.
#[derive(Clone, Debug)]
pub struct Entry {
    pub person: String,
    pub role: Role,
    pub token: String,
}

/// How requests authenticate.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No token: anyone who reaches the (loopback) server; requests name their reviewer.
    Open,
    /// One shared token (operator rights); requests name their reviewer.
    Shared(String),
    /// A token per person: the token names who decides and what they may do.
    People(Vec<Entry>),
}

impl Auth {
    pub fn required(&self) -> bool {
        !matches!(self, Auth::Open)
    }
}

/// Why a token is refused, or None when it is usable.
pub fn token_problem(token: &str) -> Option<&'static str> {
    if token.len() < 16 {
        Some("shorter than 16 characters")
    } else if token
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == ';' || c == ',')
    {
        Some("holds a space, a control character, ';' or ','")
    } else {
        None
    }
}

/// Reads and checks the token file: refused when others may read it, when a line is not
/// `person role token`, a token is weak or given twice. Tokens never appear in errors.
pub fn load(path: &Path) -> Result<Vec<Entry>, Fail> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Fail::usage(format!("cannot read the token file {shown}: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o007 != 0 {
            return Err(Fail::usage(format!(
                "the token file {shown} is readable or writable by every user (mode {:o}): refusing it",
                mode & 0o777
            ))
            .hint(format!("chmod 600 {shown} (or 640 with the server's group)")));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::usage(format!("cannot read the token file {shown}: {e}")))?;
    parse(&text).map_err(|(line, why)| {
        Fail::usage(format!("the token file {shown}, line {line}: {why}"))
            .hint("each line: PERSON ROLE TOKEN, the role viewer, reviewer or operator; # starts a comment")
    })
}

/// The entries of a token file's text, or the line number and what is wrong there.
pub fn parse(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    let mut entries: Vec<Entry> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let [person, role, token] = words[..] else {
            return Err((
                n + 1,
                format!("{} words, want 3 (person role token)", words.len().min(99)),
            ));
        };
        let role = Role::parse(role).ok_or_else(|| {
            // A long word there may be a token in the wrong column: never echo it.
            let what = if role.len() <= 12 {
                format!("role '{}'", role.escape_debug())
            } else {
                "the second word".to_owned()
            };
            (n + 1, format!("{what}: say viewer, reviewer or operator"))
        })?;
        let person = crate::audit::Actor::resolve(Some(person), None)
            .map_err(|e| (n + 1, e.to_string()))?
            .by;
        if let Some(why) = token_problem(token) {
            return Err((n + 1, format!("the token of {person} is {why}")));
        }
        if let Some(other) = entries
            .iter()
            .find(|e| super::auth::same_secret(&e.token, token))
        {
            return Err((
                n + 1,
                format!("the token of {person} is also {}'s", other.person),
            ));
        }
        entries.push(Entry {
            person,
            role,
            token: token.to_owned(),
        });
    }
    if entries.is_empty() {
        return Err((0, "no tokens in it".to_owned()));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_people_and_refuses_bad_lines() {
        let ok = parse(
            "# who role token\nalice reviewer aaaaaaaaaaaaaaaa1\n\n  olga\toperator bbbbbbbbbbbbbbbb2 # ops\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(
            (ok[1].person.as_str(), ok[1].role),
            ("olga", Role::Operator)
        );
        assert!(Role::Viewer < Role::Reviewer && Role::Reviewer < Role::Operator);
        assert_eq!(parse("alice reviewer").unwrap_err().0, 1);
        assert_eq!(parse("\nalice boss aaaaaaaaaaaaaaaa1").unwrap_err().0, 2);
        let short = parse("alice viewer tiny").unwrap_err();
        assert!(!short.1.contains("tiny"), "{}", short.1);
        assert!(
            parse("a viewer aaaaaaaaaaaaaaaa1\nb operator aaaaaaaaaaaaaaaa1")
                .unwrap_err()
                .1
                .contains("also a's")
        );
        assert!(parse("# nothing\n").is_err());
        let swapped = parse("alice aaaaaaaaaaaaaaaa1 reviewer").unwrap_err().1;
        assert!(!swapped.contains("aaaa"), "{swapped}");
    }
}
