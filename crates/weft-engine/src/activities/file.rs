//! Write file: writes atomically (temporary file then rename) or appends.

use super::{ActivityContext, ActivityError, Outcome};
use crate::expr::{self, Site};
use crate::model::WriteFileConfig;
use serde_json::json;
use tokio::io::AsyncWriteExt;

pub(super) async fn run(
    id: &str,
    config: &WriteFileConfig,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let path = expr::render(
        Site {
            activity: id,
            field: "path",
        },
        &config.path,
        &ctx.data,
    )?;
    let content = expr::render(
        Site {
            activity: id,
            field: "content",
        },
        &config.content,
        &ctx.data,
    )?;
    let target = std::path::PathBuf::from(&path);
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await.map_err(|e| {
            ActivityError::failed(format!("cannot create {}: {e}", parent.display()))
        })?;
    }
    if config.append {
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&target)
            .await
            .map_err(|e| ActivityError::failed(format!("cannot open {path}: {e}")))?;
        file.write_all(content.as_bytes())
            .await
            .map_err(|e| ActivityError::failed(format!("cannot write {path}: {e}")))?;
        file.sync_all()
            .await
            .map_err(|e| ActivityError::failed(format!("cannot sync {path}: {e}")))?;
    } else {
        let temp = target.with_extension(format!("weft-{}.tmp", ctx.task_id));
        tokio::fs::write(&temp, content.as_bytes())
            .await
            .map_err(|e| ActivityError::failed(format!("cannot write {}: {e}", temp.display())))?;
        tokio::fs::rename(&temp, &target)
            .await
            .map_err(|e| ActivityError::failed(format!("cannot move into {path}: {e}")))?;
    }
    ctx.log("info", format!("wrote {} bytes to {path}", content.len()));
    Ok(Outcome::ok(
        json!({"path": path, "bytes": content.len(), "append": config.append}),
    ))
}
