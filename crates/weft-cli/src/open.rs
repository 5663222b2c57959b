//! `weft open KIND ID`: hands a `weft://` link to the desktop app, which shows that screen.
//!
//! The app is started with the link as its one argument: when it already runs, the new process
//! passes the link to it (single instance) and leaves; otherwise it becomes the app and opens on
//! that screen. Without the app binary the link goes to `xdg-open`, which asks the desktop for
//! the `weft://` handler the package registered.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use weft_engine::links::Link;

/// Name of the desktop app's binary (`src-tauri`'s `[[bin]]`).
const APP: &str = "weft-desktop";
/// How long a launch that hands its link over may take before we call it the new app.
const HANDOVER: Duration = Duration::from_secs(3);

/// How the link reached the app.
pub enum Delivered {
    /// The running app took it (the process we started handed it over and left).
    HandedOver,
    /// No app was running: the one we started shows the link.
    Started,
    /// `xdg-open` took it (no app binary found).
    Desktop,
}

/// Builds the link and delivers it.
pub fn open(kind: &str, id: &str) -> Result<(Link, Delivered)> {
    let link = Link::from_parts(kind, id)?;
    let url = link.to_url();
    let delivered = match app_binary() {
        Some(app) => launch(&app, &url)?,
        None => {
            let status = Command::new("xdg-open")
                .arg(&url)
                .stdin(Stdio::null())
                .status()
                .context(
                    "no desktop app found (weft-desktop beside weft, on PATH or in $WEFT_DESKTOP) \
                     and xdg-open could not be run",
                )?;
            if !status.success() {
                bail!("xdg-open {url} failed ({status}): is the Weft desktop app installed?");
            }
            Delivered::Desktop
        }
    };
    Ok((link, delivered))
}

/// `$WEFT_DESKTOP`, else `weft-desktop` beside this program, else on `PATH`.
fn app_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("WEFT_DESKTOP").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(APP)))
        .filter(|p| p.is_file());
    beside.or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(APP))
                .find(|p| p.is_file())
        })
    })
}

fn launch(app: &PathBuf, url: &str) -> Result<Delivered> {
    let mut child = Command::new(app)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", app.display()))?;
    let started = Instant::now();
    while started.elapsed() < HANDOVER {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(Delivered::HandedOver),
            Some(status) => bail!("{} {url} failed ({status})", app.display()),
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    // Still running: it is the app now. It outlives us; its exit status is nobody's business.
    Ok(Delivered::Started)
}
