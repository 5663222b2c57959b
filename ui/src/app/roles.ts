//! Presentation of roles and kinds: colour token, icon and name. The colours themselves are
//! design tokens in `styles/tokens.css` (`--role-<role>`).
import {
  Bell,
  FolderInput,
  UserPlus,
  Webhook,
  Blend,
  Combine,
  CopyMinus,
  Database,
  DatabaseZap,
  Diff,
  FileInput,
  FileOutput,
  Mails,
  SquareSplitVertical,
  Braces,
  CalendarClock,
  CheckCheck,
  Flag,
  GitBranch,
  GitFork,
  GitMerge,
  Globe,
  Hourglass,
  type LucideIcon,
  Mail,
  MousePointerClick,
  Play,
  Repeat,
  FileText,
  Split,
  SquareTerminal,
  Timer,
  UserCheck,
  TableProperties,
  Workflow,
  Zap,
} from "lucide-react";
import type { ExecutionMode, Role } from "../bridge/types";

export const ROLES: Role[] = ["start", "trigger", "action", "condition", "wait", "parallel", "approval", "finish"];

export const ROLE_META: Record<Role, { name: string; icon: LucideIcon }> = {
  start: { name: "Start", icon: Play },
  trigger: { name: "Triggers", icon: Zap },
  action: { name: "Actions", icon: Workflow },
  condition: { name: "Conditions", icon: Split },
  wait: { name: "Waits", icon: Hourglass },
  parallel: { name: "Parallel", icon: GitFork },
  approval: { name: "Approval", icon: UserCheck },
  finish: { name: "Finish", icon: Flag },
};

/** The icon of each kind (assets/icons/canvas-icons.json is generated from it for the renderer). */
export const KIND_ICON: Record<string, LucideIcon> = {
  start: Play,
  finish: Flag,
  manual_trigger: MousePointerClick,
  schedule_trigger: CalendarClock,
  webhook_trigger: Webhook,
  file_trigger: FolderInput,
  record_trigger: UserPlus,
  condition: GitBranch,
  loop: Repeat,
  wait: Timer,
  fork: GitFork,
  join: GitMerge,
  approval: UserCheck,
  set_variables: Braces,
  run_command: SquareTerminal,
  http_request: Globe,
  write_file: FileText,
  send_email: Mail,
  notify: Bell,
  query: Database,
  union: Combine,
  intersection: Blend,
  exclusion: Diff,
  split: SquareSplitVertical,
  deduplicate: CopyMinus,
  update_data: DatabaseZap,
  import_csv: FileInput,
  export_csv: FileOutput,
  send_email_each: Mails,
  sub_workflow: Workflow,
  enrichment: TableProperties,
};

export function kindIcon(kind: string, role: Role): LucideIcon {
  return KIND_ICON[kind] ?? ROLE_META[role]?.icon ?? CheckCheck;
}

export const roleColor = (role: Role) => `var(--role-${role})`;

export const MODE_LABEL: Record<ExecutionMode, string> = {
  normal: "Normal execution",
  hold: "Enable but do not execute",
  disabled: "Do not enable",
};

export const STATE_LABEL: Record<string, string> = {
  being_edited: "Being edited",
  started: "Started",
  paused: "Paused",
  stopping: "Stopping",
  finished: "Finished",
};

export const RUN_STATUS_LABEL: Record<string, string> = {
  pending: "Pending",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  waiting_for_approval: "Waiting for approval",
  rejected: "Rejected",
  error: "Error",
};
