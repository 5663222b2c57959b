//! Approval requests by email: when an approval opens, each operator of its group who has an
//! email address gets a message, written to the outbox folder beside the store (one `.eml` per
//! approval and operator, named after both, so a second notification of the same approval
//! replaces the first instead of sending twice). Without operators nothing is sent.

use super::progress::ApprovalOpened;
use super::Engine;
use lettre::message::Mailbox;
use lettre::Message;

/// Writes the approval request of `opened` for each member of its group with an address.
/// Failures are logged: a notification never stops a run.
pub(super) fn send(engine: &Engine, opened: &ApprovalOpened, title: &str) {
    let members = match engine.group_addresses(&opened.group) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(
                "approval {}: members of {:?} not read: {e}",
                opened.task_id,
                opened.group
            );
            return;
        }
    };
    let outbox = &engine.inner.options.outbox;
    for (operator, address) in members {
        if let Err(e) = write_one(outbox, opened, title, &operator, &address) {
            tracing::warn!(
                "approval {}: mail to {operator} <{address}> not written: {e}",
                opened.task_id
            );
        }
    }
}

fn write_one(
    outbox: &std::path::Path,
    opened: &ApprovalOpened,
    title: &str,
    operator: &str,
    address: &str,
) -> Result<(), String> {
    let to: Mailbox = format!("{operator} <{address}>")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let from: Mailbox = "Weft <weft@localhost>"
        .parse()
        .map_err(|e| format!("{e}"))?;
    let body = format!(
        "{}\n\nAn approval of the group {:?} waits for an answer (task {}).\nAnswer it in Weft (Approvals), or: weft approve {} (weft reject {})\n",
        opened.message, opened.group, opened.task_id, opened.task_id, opened.task_id
    );
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(title)
        .message_id(Some(format!(
            "<approval-{}-{operator}@weft.local>",
            opened.task_id
        )))
        .body(body)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(outbox).map_err(|e| e.to_string())?;
    let name = format!("approval-{}-{operator}.eml", opened.task_id);
    let temp = outbox.join(format!(".{name}.tmp"));
    std::fs::write(&temp, message.formatted()).map_err(|e| e.to_string())?;
    std::fs::rename(&temp, outbox.join(name)).map_err(|e| e.to_string())
}
