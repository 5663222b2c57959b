//! Workflow templates: the `*.weft.json` files shipped in `workflows-templates/` and the ones the
//! user saved into the app data folder. Template ids are `shipped:<path>` or `user:<path>`, the
//! path relative to its root without `.weft.json`, so an id names one file for as long as it
//! exists.

use crate::WorkflowFile;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Why a template could not be listed, read or saved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-T001: no template has this id.
    #[error("WEFT-T001 template {0} not found")]
    NotFound(String),
    /// WEFT-T002: a folder name that is not one plain name.
    #[error("WEFT-T002 {0:?} is not a folder name: use one name without slashes")]
    BadFolder(String),
    /// WEFT-T003: the templates folder could not be written.
    #[error("WEFT-T003 cannot {action} {path}: {message}")]
    Io {
        /// What was being done (`create`, `write`).
        action: &'static str,
        /// Where.
        path: String,
        /// The system's message.
        message: String,
    },
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "WEFT-T001",
            Self::BadFolder(_) => "WEFT-T002",
            Self::Io { .. } => "WEFT-T003",
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

/// Result alias of template operations.
pub type Result<T> = std::result::Result<T, Error>;

const SUFFIX: &str = ".weft.json";

/// Where the Linux packages put their resources, relative to the install prefix (`/usr`): Tauri's
/// bundler installs them in `lib/<productName>` (`productName` of `src-tauri/tauri.conf.json`).
pub const INSTALLED_RESOURCES: &str = "lib/Weft";
const SHIPPED_FOLDER: &str = "Built-in";
const USER_FOLDER: &str = "My templates";

/// Whether `name` is one folder name valid on every platform: not empty, not hidden, no path
/// separator or drive prefix, none of the characters or device names Windows refuses, no
/// trailing dot or space. (The UI's `folderProblem` says the same.)
fn is_folder_name(name: &str) -> bool {
    const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_uppercase();
    let device = RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with(['.', ' '])
        && !name.contains(['/', '\\', ':', '<', '>', '"', '|', '?', '*'])
        && !name.chars().any(char::is_control)
        && !device
}

/// One template as offered by the New workflow dialog.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    /// `shipped:<path>` or `user:<path>`.
    pub id: String,
    /// The workflow's name.
    pub name: String,
    /// Folder it is listed under.
    pub folder: String,
    /// The workflow's description.
    pub description: String,
    /// Whether it ships with Weft (read-only) rather than saved by the user.
    pub shipped: bool,
    /// The workflow itself.
    pub body: WorkflowFile,
}

/// Where templates are read from and saved to.
#[derive(Clone, Debug)]
pub struct TemplateDirs {
    /// The shipped templates, when found.
    pub shipped: Option<PathBuf>,
    /// The user's templates (created on first save).
    pub user: PathBuf,
}

impl TemplateDirs {
    /// Shipped templates: `$WEFT_TEMPLATES`, else the bundle's resources (`resource_dir`, or for
    /// a program installed by the package — the CLI has no resource folder of its own —
    /// [`INSTALLED_RESOURCES`] beside its `bin/`), else the first `workflows-templates/` found
    /// walking up from the executable (a development build in `target/debug/`) or from the
    /// working directory.
    pub fn locate(resource_dir: Option<PathBuf>, user: PathBuf) -> Self {
        let from_env = std::env::var_os("WEFT_TEMPLATES").map(PathBuf::from);
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let installed = exe_dir
            .as_ref()
            .and_then(|d| d.parent())
            .map(|prefix| prefix.join(INSTALLED_RESOURCES));
        let from_resources = resource_dir
            .into_iter()
            .chain(installed)
            .map(|d| d.join("workflows-templates"))
            .find(|d| d.is_dir());
        let walk_up = |start: Option<PathBuf>| {
            start.and_then(|s| {
                s.ancestors()
                    .map(|a| a.join("workflows-templates"))
                    .find(|d| d.is_dir())
            })
        };
        let shipped = from_env
            .or(from_resources)
            .or_else(|| walk_up(exe_dir))
            .or_else(|| walk_up(std::env::current_dir().ok()));
        Self { shipped, user }
    }

    /// Every readable template, shipped first, each group sorted by folder then name. A file
    /// that does not load is skipped with a warning rather than hiding all the others.
    pub fn list(&self) -> Vec<TemplateInfo> {
        let mut out = Vec::new();
        if let Some(root) = &self.shipped {
            out.extend(read_tree(root, "shipped", SHIPPED_FOLDER));
        }
        out.extend(read_tree(&self.user, "user", USER_FOLDER));
        out
    }

    /// The template with this id.
    pub fn get(&self, id: &str) -> Result<TemplateInfo> {
        self.list()
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// Saves a workflow as a user template in `folder` (one level, created when missing),
    /// never overwriting an existing file.
    pub fn save(&self, body: &WorkflowFile, folder: &str) -> Result<TemplateInfo> {
        let folder = folder.trim();
        let dir = self.user.join(folder);
        // The second test is belt and braces: the joined path must be a child of the user folder.
        if !is_folder_name(folder) || dir.parent() != Some(self.user.as_path()) {
            return Err(Error::BadFolder(folder.to_string()));
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, &e))?;
        let stem = slug(&body.name);
        let path = (1..)
            .map(|n| {
                if n == 1 {
                    dir.join(format!("{stem}{SUFFIX}"))
                } else {
                    dir.join(format!("{stem}-{n}{SUFFIX}"))
                }
            })
            .find(|p| !p.exists())
            .unwrap_or_else(|| dir.join(format!("{stem}{SUFFIX}")));
        std::fs::write(&path, body.to_pretty_json()).map_err(|e| Error::io("write", &path, &e))?;
        let relative = path.strip_prefix(&self.user).unwrap_or(&path);
        Ok(TemplateInfo {
            id: format!("user:{}", id_path(relative)),
            name: body.name.clone(),
            folder: folder.to_string(),
            description: body.description.clone(),
            shipped: false,
            body: body.clone(),
        })
    }
}

fn id_path(relative: &Path) -> String {
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_suffix(SUFFIX).unwrap_or(&text).to_string()
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "template".into()
    } else {
        s
    }
}

/// Templates in `root` and its direct subfolders (a subfolder's name is the template's folder).
fn read_tree(root: &Path, source: &str, root_folder: &str) -> Vec<TemplateInfo> {
    let mut out = Vec::new();
    let mut dirs = vec![(root.to_path_buf(), root_folder.to_string())];
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut subs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        subs.sort();
        dirs.extend(subs.into_iter().map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (p, name)
        }));
    }
    for (dir, folder) in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.to_string_lossy().ends_with(SUFFIX))
            .collect();
        files.sort();
        let mut group = Vec::new();
        for path in files {
            match crate::load::from_path(&path) {
                Ok(body) => {
                    let relative = path.strip_prefix(root).unwrap_or(&path);
                    group.push(TemplateInfo {
                        id: format!("{source}:{}", id_path(relative)),
                        name: body.name.clone(),
                        folder: folder.clone(),
                        description: body.description.clone(),
                        shipped: source == "shipped",
                        body,
                    });
                }
                Err(e) => tracing::warn!("template {} skipped: {e}", path.display()),
            }
        }
        group.sort_by_cached_key(|t| t.name.to_lowercase());
        out.extend(group);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn dirs() -> (TemplateDirs, PathBuf) {
        let root = std::env::temp_dir().join(format!(
            "weft-templates-test-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let shipped = root.join("shipped");
        std::fs::create_dir_all(&shipped).expect("temp dir");
        std::fs::write(
            shipped.join("blank.weft.json"),
            WorkflowFile::new_blank("Blank one").to_pretty_json(),
        )
        .expect("write");
        std::fs::write(shipped.join("broken.weft.json"), "{ not json").expect("write");
        (
            TemplateDirs {
                shipped: Some(shipped),
                user: root.join("user"),
            },
            root,
        )
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    }

    #[test]
    fn broken_files_are_skipped_and_saved_templates_are_listed_under_their_folder() {
        let (dirs, root) = dirs();
        let listed = dirs.list();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, "shipped:blank");
        assert_eq!(listed[0].folder, SHIPPED_FOLDER);

        let saved = dirs
            .save(&WorkflowFile::new_blank("Nightly sync!"), "Ops")
            .expect("save");
        assert_eq!(saved.id, "user:Ops/nightly-sync");
        let again = dirs
            .save(&WorkflowFile::new_blank("Nightly sync!"), "Ops")
            .expect("save twice");
        assert_eq!(again.id, "user:Ops/nightly-sync-2");
        assert_eq!(
            dirs.get("user:Ops/nightly-sync").expect("get").folder,
            "Ops"
        );
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn folder_names_cannot_escape_the_templates_folder() {
        let (dirs, root) = dirs();
        for bad in [
            "", "../x", "a/b", ".hidden", "C:x", "a|b", "nul", "com1", "x.",
        ] {
            let e = dirs
                .save(&WorkflowFile::new_blank("x"), bad)
                .expect_err(bad);
            assert_eq!(e.code(), "WEFT-T002");
        }
        let _ = std::fs::remove_dir_all(root);
    }
}
