//! Crash reports: when a front door panics, a text file with the version, the panic, a backtrace
//! and the last log lines is written to the data folder ([`crate::paths::crash_dir`]); the next
//! start offers to open it. Reports stay on this computer: nothing here sends anything anywhere.
//!
//! [`LogTail`] keeps the last log lines in memory (the binaries give its writer to their log
//! subscriber); [`CrashReports::install_panic_hook`] writes the report before the default hook
//! prints the panic; [`CrashReports::unseen`] and [`CrashReports::mark_seen`] serve the offer.

use serde::Serialize;
use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// How many log lines a report carries.
pub const TAIL_LINES: usize = 200;
/// A report is read back up to this size (a larger one is cut, it is a text for a person).
const MAX_READ: u64 = 512 * 1024;
const PREFIX: &str = "crash-";
const SUFFIX: &str = ".txt";
const SEEN_SUFFIX: &str = ".seen.txt";

/// Why crash reports could not be listed or marked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-P001: the crash reports folder or a report could not be read or renamed.
    #[error("WEFT-P001 cannot {action} {path}: {message}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: String,
        /// The system's message.
        message: String,
    },
    /// WEFT-P002: no unseen report has this name.
    #[error("WEFT-P002 no crash report {0:?}")]
    NotFound(String),
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "WEFT-P001",
            Self::NotFound(_) => "WEFT-P002",
        }
    }

    fn io(action: &'static str, path: &Path, e: &std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }
}

/// Result alias of crash report operations.
pub type Result<T> = std::result::Result<T, Error>;

/// The last [`TAIL_LINES`] log lines, shared between the log writer and the panic hook.
#[derive(Clone, Default)]
pub struct LogTail {
    lines: Arc<Mutex<VecDeque<String>>>,
}

impl LogTail {
    /// An empty tail.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer for one log record: what it is given goes to stderr at once and, line by line,
    /// into the tail when it is dropped. `move || tail.writer()` is a `MakeWriter` for
    /// `tracing_subscriber::fmt().with_writer(…)`.
    pub fn writer(&self) -> TailWriter {
        TailWriter {
            tail: self.clone(),
            pending: Vec::new(),
        }
    }

    /// The lines kept, oldest first.
    pub fn lines(&self) -> Vec<String> {
        // try_lock: a panic inside a log write must not wait for itself.
        match self.lines.try_lock() {
            Ok(lines) => lines.iter().cloned().collect(),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().iter().cloned().collect(),
            Err(std::sync::TryLockError::WouldBlock) => {
                vec!["(log lines unavailable: a log write was under way)".into()]
            }
        }
    }

    fn push(&self, text: &str) {
        let mut lines = match self.lines.lock() {
            Ok(lines) => lines,
            Err(p) => p.into_inner(),
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if lines.len() == TAIL_LINES {
                lines.pop_front();
            }
            lines.push_back(line.to_string());
        }
    }
}

/// See [`LogTail::writer`].
pub struct TailWriter {
    tail: LogTail,
    pending: Vec<u8>,
}

impl Write for TailWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        std::io::stderr().write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl Drop for TailWriter {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            self.tail.push(&String::from_utf8_lossy(&self.pending));
        }
    }
}

/// One report the next start offers to open.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CrashReport {
    /// The file's name: what [`CrashReports::mark_seen`] takes.
    pub name: String,
    /// Where it is, to open it with another program.
    pub path: String,
    /// The report itself.
    pub text: String,
}

/// The crash reports folder.
#[derive(Clone, Debug)]
pub struct CrashReports {
    dir: PathBuf,
}

impl CrashReports {
    /// Reports in `dir` (created when the first one is written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// From now on, a panic anywhere in this process writes a report (`app` and `version` name
    /// the program) before the previous hook runs.
    pub fn install_panic_hook(&self, app: &'static str, version: &'static str, tail: LogTail) {
        let reports = self.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = report_text(app, version, info, &tail.lines());
            match reports.write(&text) {
                Ok(path) => eprintln!("{app} crashed; report written to {}", path.display()),
                Err(e) => eprintln!("{app} crashed; the report could not be written: {e}"),
            }
            previous(info);
        }));
    }

    /// Writes a report; returns its path.
    pub fn write(&self, text: &str) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let path = self
            .dir
            .join(format!("{PREFIX}{stamp}-{}{SUFFIX}", std::process::id()));
        std::fs::write(&path, text)?;
        Ok(path)
    }

    /// Reports not yet marked seen, newest first. No folder means no report.
    pub fn unseen(&self) -> Result<Vec<CrashReport>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("read", &self.dir, &e)),
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_unseen_name(n))
            .collect();
        // Names carry the time (`crash-YYYYMMDD-HHMMSS-pid`): sorting them sorts by time.
        names.sort_unstable_by(|a, b| b.cmp(a));
        names
            .into_iter()
            .map(|name| {
                let path = self.dir.join(&name);
                let text = read_capped(&path).map_err(|e| Error::io("read", &path, &e))?;
                Ok(CrashReport {
                    path: path.display().to_string(),
                    name,
                    text,
                })
            })
            .collect()
    }

    /// Marks a report seen: it stays in the folder (renamed `….seen.txt`) but is not offered again.
    pub fn mark_seen(&self, name: &str) -> Result<()> {
        if !is_unseen_name(name) || name.contains(['/', '\\']) {
            return Err(Error::NotFound(name.to_string()));
        }
        let from = self.dir.join(name);
        if !from.is_file() {
            return Err(Error::NotFound(name.to_string()));
        }
        let stem = name.strip_suffix(SUFFIX).unwrap_or(name);
        let to = self.dir.join(format!("{stem}{SEEN_SUFFIX}"));
        std::fs::rename(&from, &to).map_err(|e| Error::io("rename", &from, &e))
    }
}

fn is_unseen_name(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(SUFFIX) && !name.ends_with(SEEN_SUFFIX)
}

fn read_capped(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_READ)
        .read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The report: what a person (or a developer they send it to themselves) needs to see.
fn report_text(
    app: &str,
    version: &str,
    info: &std::panic::PanicHookInfo<'_>,
    lines: &[String],
) -> String {
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    let location = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_else(|| "(unknown)".into());
    let thread = std::thread::current()
        .name()
        .unwrap_or("(unnamed)")
        .to_string();
    let backtrace = std::backtrace::Backtrace::force_capture();
    let mut out = String::new();
    out.push_str("Weft crash report. It stays on this computer: Weft never sends it anywhere.\n\n");
    out.push_str(&format!("program: {app} {version}\n"));
    out.push_str(&format!("time:    {}\n", chrono::Utc::now().to_rfc3339()));
    out.push_str(&format!(
        "system:  {} {}\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    out.push_str(&format!("thread:  {thread}\n"));
    out.push_str(&format!("panic:   {message}\n"));
    out.push_str(&format!("at:      {location}\n\n"));
    out.push_str(&format!("last log lines ({}):\n", lines.len()));
    for line in lines {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("\nbacktrace:\n{backtrace}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_keeps_the_last_lines_of_what_was_logged() {
        let tail = LogTail::new();
        for i in 0..(TAIL_LINES + 5) {
            let mut w = tail.writer();
            writeln!(w, "line {i}").expect("write");
        }
        let lines = tail.lines();
        assert_eq!(lines.len(), TAIL_LINES);
        assert_eq!(lines[0], "line 5");
        assert_eq!(
            lines.last().map(String::as_str),
            Some(&*format!("line {}", TAIL_LINES + 4))
        );
    }

    #[test]
    fn a_written_report_is_offered_until_marked_seen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let reports = CrashReports::new(dir.path().join("crash-reports"));
        assert!(reports.unseen().expect("no folder yet").is_empty());
        let path = reports.write("program: weft 1\n").expect("write");
        let unseen = reports.unseen().expect("list");
        assert_eq!(unseen.len(), 1);
        assert_eq!(unseen[0].text, "program: weft 1\n");
        assert_eq!(Path::new(&unseen[0].path), path);
        reports.mark_seen(&unseen[0].name).expect("seen");
        assert!(reports.unseen().expect("list").is_empty());
        assert!(path.with_extension("seen.txt").is_file(), "kept, renamed");
    }

    #[test]
    fn only_report_names_can_be_marked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let reports = CrashReports::new(dir.path());
        std::fs::write(dir.path().join("weft.db"), "x").expect("write");
        for name in ["weft.db", "../crash-x.txt", "crash-none.txt"] {
            let err = reports.mark_seen(name).expect_err(name);
            assert_eq!(err.code(), "WEFT-P002");
        }
        assert!(dir.path().join("weft.db").is_file());
    }
}
