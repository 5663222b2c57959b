//! Where Weft keeps a person's data when nobody says otherwise: one data folder shared by the
//! desktop app and the `weft` CLI, so that both open the same store and a link handed from one
//! to the other (`weft open run 42`) names the same run.

use std::path::PathBuf;

/// The data folder: `$XDG_DATA_HOME/weft`, else `~/.local/share/weft` (`./weft` with no home).
pub fn data_dir() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("weft")
}

/// The store: `$WEFT_DB`, else `weft.db` in [`data_dir`].
pub fn default_store() -> PathBuf {
    std::env::var_os("WEFT_DB")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("weft.db"))
}

/// Crash reports ([`crate::crash`]) of every front door, in [`data_dir`].
pub fn crash_dir() -> PathBuf {
    data_dir().join("crash-reports")
}
