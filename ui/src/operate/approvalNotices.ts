//! Desktop notifications of approvals in a browser: when an approval this person is asked to
//! answer starts waiting (the server offers each operator only their groups' approvals), the
//! browser shows a notification — once per approval, and only when the person allowed it
//! (Approvals ▸ Notify me). In the desktop app the engine notifies through the system instead.
import type { ApprovalRecord } from "../bridge/types";

/** The approvals of `items` not among `seen` (task ids), oldest first; `seen` is updated. */
export function newApprovals(seen: Set<number>, items: ApprovalRecord[]): ApprovalRecord[] {
  const fresh = items.filter((a) => !seen.has(a.taskId)).sort((a, b) => a.createdAt - b.createdAt);
  for (const a of fresh) seen.add(a.taskId);
  return fresh;
}

/** Whether this page may show notifications now (a browser, permission granted). */
export const canNotify = () => typeof Notification !== "undefined" && Notification.permission === "granted";

/** Shows one notification per approval (tagged by task, so a second tab does not repeat it). */
export function notifyApprovals(items: ApprovalRecord[], workflowName: (id: string) => string) {
  if (!canNotify()) return;
  for (const a of items) {
    new Notification(`${workflowName(a.workflowId)}: approval waiting`, {
      body: a.message || `Run #${a.runId} waits for the ${a.group} group`,
      tag: `weft-approval-${a.taskId}`,
    });
  }
}
