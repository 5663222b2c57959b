//! Every process a Run command attempt started — also those that left its process group
//! (`setsid`, double forks) — found and killed, on Stop, cancel, timeout and at the end of the
//! attempt; and the leftovers of a crashed engine, for recovery.
//!
//! How they are found (Linux, from `/proc`):
//! - each command's environment carries [`MARKER_VAR`]` = `[`attempt_marker`], which its
//!   descendants inherit whatever they do with their group, session or parent;
//! - the command's descendants by parent links, and its process group, for those that cleared
//!   their environment while still attached;
//! - the engine makes itself a child subreaper ([`become_subreaper`]), so that orphans of a
//!   command are re-parented to it instead of init, and reaps those that die ([`reap_orphans`])
//!   — never a process it spawned itself (tokio waits for those), only ones it found by the rules
//!   above, checked by their start time so that a reused pid is never mistaken for one.
//!
//! Elsewhere these functions do nothing (the process group is still killed by the caller).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// The environment variable marking every process of one Run command attempt.
pub const MARKER_VAR: &str = "WEFT_TASK";

/// The start of every marker of one store: 16 hex digits of a hash of the store's canonical
/// path, and `-`. Two stores on one machine never kill each other's processes, and the marker of
/// a store is the same after a restart of the engine (what recovery needs).
pub fn store_marker(store_path: &Path) -> String {
    let path = std::fs::canonicalize(store_path).unwrap_or_else(|_| store_path.to_path_buf());
    // FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}-")
}

/// The marker of one attempt: `<store marker><run>-<task>-<attempt>`. A prefix ending in `-`
/// (`<store marker>`, `<store marker><run>-`, …) selects the attempts below it.
pub fn attempt_marker(store_path: &Path, run_id: i64, task_id: i64, attempt: u32) -> String {
    format!("{}{run_id}-{task_id}-{attempt}", store_marker(store_path))
}

/// Makes this process a child subreaper (Linux `PR_SET_CHILD_SUBREAPER`): orphans of the
/// commands it runs are re-parented to it rather than to init, so they stay findable, and a
/// thread reaps those that end. Idempotent; called by the Run command activity before its first
/// command, and fine to call at executor start. Returns whether this process is a subreaper.
pub fn become_subreaper() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
                tracing::warn!("cannot become a child subreaper: {e}");
                return false;
            }
            let reaper = std::thread::Builder::new()
                .name("weft-reaper".into())
                .spawn(|| loop {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    reap_orphans();
                });
            if let Err(e) = reaper {
                tracing::warn!("cannot start the orphan reaper: {e}");
            }
            true
        }
        #[cfg(not(target_os = "linux"))]
        {
            false
        }
    })
}

/// Kills (SIGKILL) a command's process `root`, its process group, its descendants, and every
/// process whose [`MARKER_VAR`] is exactly `marker`, scanning again until none is left alive (a
/// process may fork while it is being killed). `root` counts only while it is the command this
/// process spawned (not yet reaped). Returns how many processes were signalled.
pub fn kill_tree(root: Option<u32>, marker: &str) -> usize {
    kill_matching(root, &|value| value == marker)
}

/// Kills (SIGKILL) every process whose [`MARKER_VAR`] begins with `prefix`, e.g. the
/// [`store_marker`] of a store after its engine was killed: what its interrupted attempts left
/// running. Returns how many processes were signalled. An empty prefix kills nothing.
pub fn kill_marked(prefix: &str) -> usize {
    if prefix.is_empty() {
        return 0;
    }
    kill_matching(None, &|value| value.starts_with(prefix))
}

/// Records a command this process spawned (and tokio waits for): never reaped here.
pub(crate) fn spawned(pid: u32) {
    if let Some(start) = proc_fs::stat(pid).map(|p| p.start) {
        lock(&SPAWNED).insert(pid, start);
    }
}

/// Forgets a command recorded by [`spawned`].
pub(crate) fn forget(pid: u32) {
    lock(&SPAWNED).remove(&pid);
}

/// Reaps the orphans re-parented to this process that it found as part of an attempt and that
/// have ended, and notes the marked ones still running, so that they are reaped when they end.
/// Called every second by the thread [`become_subreaper`] starts.
pub fn reap_orphans() {
    #[cfg(target_os = "linux")]
    {
        let me = std::process::id();
        let spawned = lock(&SPAWNED).clone();
        for p in proc_fs::all().into_iter().filter(|p| p.ppid == me) {
            if spawned.contains_key(&p.pid) {
                continue;
            }
            if p.is_zombie() {
                let ours = lock(&FOUND).get(&p.pid) == Some(&p.start);
                if ours {
                    let _ = nix::sys::wait::waitpid(
                        nix::unistd::Pid::from_raw(p.pid as i32),
                        Some(nix::sys::wait::WaitPidFlag::WNOHANG),
                    );
                    lock(&FOUND).remove(&p.pid);
                }
            } else if proc_fs::marker(p.pid).is_some() {
                lock(&FOUND).insert(p.pid, p.start);
            }
        }
        // Forget the ones that are gone (reaped by their own parent, or above).
        lock(&FOUND).retain(|pid, start| proc_fs::stat(*pid).is_some_and(|p| p.start == *start));
    }
}

/// Commands this process spawned: pid → start time.
static SPAWNED: Mutex<BTreeMap<u32, u64>> = Mutex::new(BTreeMap::new());
/// Processes found as part of an attempt (not spawned here): pid → start time.
static FOUND: Mutex<BTreeMap<u32, u64>> = Mutex::new(BTreeMap::new());

fn lock(
    map: &'static Mutex<BTreeMap<u32, u64>>,
) -> std::sync::MutexGuard<'static, BTreeMap<u32, u64>> {
    // The maps stay consistent whatever a panicking holder was doing.
    map.lock().unwrap_or_else(|p| p.into_inner())
}

fn kill_matching(root: Option<u32>, marked: &dyn Fn(&str) -> bool) -> usize {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::signal::{kill, Signal};
        use nix::unistd::Pid;
        let me = std::process::id();
        // Only while it is still the command spawned here: once tokio has reaped it, its pid
        // may already name another process.
        let root = root.filter(|pid| {
            let spawned = lock(&SPAWNED).get(pid).copied();
            spawned.is_some() && proc_fs::stat(*pid).map(|p| p.start) == spawned
        });
        let mut signalled = HashSet::new();
        for round in 0..40u64 {
            let procs = proc_fs::all();
            let mut targets: HashSet<u32> = HashSet::new();
            if let Some(root) = root {
                let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
                for p in &procs {
                    children.entry(p.ppid).or_default().push(p.pid);
                    if p.pgrp == root {
                        targets.insert(p.pid);
                    }
                }
                let (mut stack, mut walked) = (vec![root], HashSet::new());
                while let Some(pid) = stack.pop() {
                    if walked.insert(pid) {
                        targets.insert(pid);
                        stack.extend(children.get(&pid).into_iter().flatten());
                    }
                }
            }
            for p in &procs {
                if !targets.contains(&p.pid) && proc_fs::marker(p.pid).is_some_and(|m| marked(&m)) {
                    targets.insert(p.pid);
                }
            }
            targets.retain(|pid| *pid != me && *pid > 1);
            // Ours to reap once re-parented here, dead already (the caller killed the group
            // first) or about to be; never the command itself, which tokio waits for.
            let spawned = lock(&SPAWNED).clone();
            lock(&FOUND).extend(
                procs
                    .iter()
                    .filter(|p| targets.contains(&p.pid) && Some(p.pid) != root)
                    .filter(|p| !spawned.contains_key(&p.pid))
                    .map(|p| (p.pid, p.start)),
            );
            let alive: Vec<&proc_fs::Proc> = procs
                .iter()
                .filter(|p| targets.contains(&p.pid) && !p.is_zombie())
                .collect();
            if alive.is_empty() {
                break;
            }
            for p in alive {
                let _ = kill(Pid::from_raw(p.pid as i32), Signal::SIGKILL);
                signalled.insert(p.pid);
            }
            // Give the killed ones a moment to die before looking again.
            std::thread::sleep(std::time::Duration::from_millis(round.min(10) + 1));
        }
        reap_orphans();
        signalled.len()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (root, marked);
        0
    }
}

/// Reading processes from `/proc`.
mod proc_fs {
    use super::MARKER_VAR;

    /// What `/proc/PID/stat` says of a process.
    #[derive(Clone, Debug)]
    pub(super) struct Proc {
        pub pid: u32,
        pub ppid: u32,
        pub pgrp: u32,
        /// `R`, `S`, `D`, `Z`…
        pub state: char,
        /// Clock ticks after boot: with the pid, names one process for good.
        pub start: u64,
    }

    impl Proc {
        pub fn is_zombie(&self) -> bool {
            matches!(self.state, 'Z' | 'X')
        }
    }

    /// One process, or `None` when it is gone (or `/proc` is not there).
    pub(super) fn stat(pid: u32) -> Option<Proc> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name is in parentheses and may hold anything: read after the last one.
        let rest = text.get(text.rfind(')')? + 2..)?;
        let fields: Vec<&str> = rest.split(' ').collect();
        Some(Proc {
            pid,
            state: fields.first()?.chars().next()?,
            ppid: fields.get(1)?.parse().ok()?,
            pgrp: fields.get(2)?.parse().ok()?,
            start: fields.get(19)?.parse().ok()?,
        })
    }

    /// Every process.
    pub(super) fn all() -> Vec<Proc> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter_map(stat)
            .collect()
    }

    /// The value of the process's [`MARKER_VAR`], when it has one and may be read.
    pub(super) fn marker(pid: u32) -> Option<String> {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        let key = format!("{MARKER_VAR}=");
        environ
            .split(|b| *b == 0)
            .find_map(|entry| entry.strip_prefix(key.as_bytes()))
            .map(|value| String::from_utf8_lossy(value).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_name_the_store_run_task_and_attempt_and_prefixes_select_them() {
        let dir = std::env::temp_dir();
        let store = store_marker(&dir.join("a.db"));
        assert_eq!(store.len(), 17);
        assert!(store.ends_with('-'));
        assert_ne!(store, store_marker(&dir.join("b.db")));
        let marker = attempt_marker(&dir.join("a.db"), 12, 345, 2);
        assert_eq!(marker, format!("{store}12-345-2"));
        assert!(marker.starts_with(&store));
        assert!(!attempt_marker(&dir.join("a.db"), 1, 23, 1).starts_with(&format!("{store}1-2-")));
    }

    #[test]
    fn this_process_reads_its_own_stat() {
        let me = proc_fs::stat(std::process::id()).expect("/proc");
        assert_eq!(me.pid, std::process::id());
        assert!(!me.is_zombie());
        assert!(me.start > 0);
    }
}
