//! Fault injection for crash tests: named points where a test can make the process abort, as a
//! power cut or `kill -9` would at that exact moment. Compiled in only with the
//! `fault-injection` feature (enabled by the test builds of the CLI); otherwise every point is
//! an empty inline function.
//!
//! A process aborts at point `P` when the environment variable `WEFT_FAULT` names it
//! (`WEFT_FAULT=apply:before-mark`). Points: `apply:before-mark` (a command's effect written,
//! its transaction not committed), `apply:after-commit` (committed, nothing published yet),
//! `task:after-effect` (an activity's attempt returned, its result not recorded).

/// Aborts the process here when `WEFT_FAULT` names this point (fault-injection builds only).
#[cfg(feature = "fault-injection")]
pub fn point(name: &str) {
    if std::env::var("WEFT_FAULT").is_ok_and(|wanted| wanted.split(',').any(|w| w == name)) {
        eprintln!("weft: fault injected at {name}: aborting");
        std::process::abort();
    }
}

/// Does nothing: this build has no fault injection.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn point(_name: &str) {}
