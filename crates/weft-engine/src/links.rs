//! Links into the desktop app: `weft://workflow/ID`, `weft://run/ID` and `weft://approve/RUN`.
//!
//! One reading of a link for every front door: the CLI writes them (`weft open run 42`), the
//! desktop shell reads the ones the system hands it (a click in a browser, a second launch) and
//! passes the typed [`Link`] to the UI, which only picks the screen. A link is untrusted input:
//! anything else than these three shapes is refused with a [`Error`], never a panic.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The URL scheme the desktop app is registered for (its desktop entry's `MimeType`).
pub const SCHEME: &str = "weft";

/// Longest id a link may carry: ids are short; a longer one is not a link we wrote.
const MAX_ID: usize = 256;

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Link {
    /// A workflow in the editor.
    Workflow {
        /// The workflow's id.
        id: String,
    },
    /// A run's detail screen.
    Run {
        /// The run's id.
        #[ts(type = "number")]
        id: i64,
    },
    /// The approvals a run waits for.
    Approve {
        /// The run's id.
        #[ts(type = "number")]
        run: i64,
    },
}

/// Why a text is not a Weft link. Codes are documented in `docs/errors/README.md`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// WEFT-L001: not a `weft://` URL at all.
    #[error("WEFT-L001 {0:?} is not a weft:// link")]
    NotALink(String),
    /// WEFT-L002: a `weft://` URL of a kind we do not know.
    #[error("WEFT-L002 unknown link kind {0:?}: use workflow, run or approve")]
    UnknownKind(String),
    /// WEFT-L003: the id is missing, too long, or not a number where one is needed.
    #[error("WEFT-L003 a {kind} link needs {expected}, got {got:?}")]
    BadId {
        /// The link's kind.
        kind: &'static str,
        /// What the id must be.
        expected: &'static str,
        /// What was there.
        got: String,
    },
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotALink(_) => "WEFT-L001",
            Self::UnknownKind(_) => "WEFT-L002",
            Self::BadId { .. } => "WEFT-L003",
        }
    }
}

/// Result alias of link parsing.
pub type Result<T> = std::result::Result<T, Error>;

impl Link {
    /// Reads a `weft://KIND/ID` URL (a trailing slash, a query or a fragment are ignored).
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        let rest = url
            .split_once("://")
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(SCHEME))
            .map(|(_, rest)| rest)
            .ok_or_else(|| Error::NotALink(shorten(url)))?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let rest = rest.trim_end_matches('/');
        let (kind, id) = rest.split_once('/').unwrap_or((rest, ""));
        let id = percent_decode(id).ok_or_else(|| Error::BadId {
            kind: "weft",
            expected: "a percent-encoded id",
            got: shorten(id),
        })?;
        Self::from_parts(kind, &id)
    }

    /// The link of kind `kind` (`workflow`, `run`, `approve`) to `id`, as `weft open KIND ID` says.
    pub fn from_parts(kind: &str, id: &str) -> Result<Self> {
        let number = |kind: &'static str| {
            id.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::BadId {
                    kind,
                    expected: "a run number",
                    got: shorten(id),
                })
        };
        match kind.to_ascii_lowercase().as_str() {
            "workflow" => {
                if id.is_empty() || id.len() > MAX_ID || id.chars().any(char::is_control) {
                    return Err(Error::BadId {
                        kind: "workflow",
                        expected: "a workflow id",
                        got: shorten(id),
                    });
                }
                Ok(Self::Workflow { id: id.to_string() })
            }
            "run" => Ok(Self::Run { id: number("run")? }),
            "approve" => Ok(Self::Approve {
                run: number("approve")?,
            }),
            _ => Err(Error::UnknownKind(shorten(kind))),
        }
    }

    /// The link as a URL; [`Link::parse`] reads it back.
    pub fn to_url(&self) -> String {
        match self {
            Self::Workflow { id } => format!("{SCHEME}://workflow/{}", percent_encode(id)),
            Self::Run { id } => format!("{SCHEME}://run/{id}"),
            Self::Approve { run } => format!("{SCHEME}://approve/{run}"),
        }
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_url())
    }
}

/// Error messages quote at most this much of what they were given.
fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `None` when a `%` is not followed by two hex digits or the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_kinds_read_back_what_they_write() {
        for link in [
            Link::Workflow {
                id: "daily report/2 é".into(),
            },
            Link::Run { id: 42 },
            Link::Approve { run: 7 },
        ] {
            assert_eq!(Link::parse(&link.to_url()), Ok(link.clone()), "{link}");
        }
        assert_eq!(Link::Run { id: 42 }.to_url(), "weft://run/42");
    }

    #[test]
    fn trailing_slash_query_and_case_of_the_scheme_are_tolerated() {
        assert_eq!(Link::parse("WEFT://run/42/"), Ok(Link::Run { id: 42 }));
        assert_eq!(
            Link::parse("weft://approve/9?from=mail#x"),
            Ok(Link::Approve { run: 9 })
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_code() {
        let code = |s: &str| Link::parse(s).map_err(|e| e.code());
        assert_eq!(code("https://run/42"), Err("WEFT-L001"));
        assert_eq!(code("run/42"), Err("WEFT-L001"));
        assert_eq!(code("weft://settings/1"), Err("WEFT-L002"));
        assert_eq!(code("weft://run/abc"), Err("WEFT-L003"));
        assert_eq!(code("weft://run/-3"), Err("WEFT-L003"));
        assert_eq!(code("weft://run"), Err("WEFT-L003"));
        assert_eq!(code("weft://workflow/"), Err("WEFT-L003"));
        assert_eq!(code("weft://workflow/%zz"), Err("WEFT-L003"));
        assert_eq!(code("weft://workflow/%FF"), Err("WEFT-L003"));
        assert_eq!(
            code(&format!("weft://workflow/{}", "a".repeat(300))),
            Err("WEFT-L003")
        );
    }

    #[test]
    fn the_cli_spelling_builds_the_same_links() {
        assert_eq!(Link::from_parts("run", "42"), Ok(Link::Run { id: 42 }));
        assert_eq!(
            Link::from_parts("Approve", "5"),
            Ok(Link::Approve { run: 5 })
        );
        assert_eq!(
            Link::from_parts("workflow", "wf-1"),
            Ok(Link::Workflow { id: "wf-1".into() })
        );
    }
}
