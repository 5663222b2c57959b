//! The app shell: top bar, the current screen, dialogs and toasts.
import { CalendarClock, History, LayoutGrid, Monitor, Moon, Server, Sun, UserCheck, Users } from "lucide-react";
import { lazy, Suspense, useEffect, useState } from "react";
import { backend, inTauri } from "../bridge";
import { DialogHost, Toasts } from "../components/Dialogs";
import { TooltipHost } from "../components/Tooltip";
import { useApprovals, watchApprovals } from "../operate/approvalsStore";
import { useRunNow } from "../runs/runNow";
import { WorkflowsScreen } from "../workflows/WorkflowsScreen";
import { useWorkflows } from "../workflows/workflowsStore";
import { useCatalog } from "./catalogStore";
import { useSession } from "./sessionStore";
import { CrashOffer } from "./CrashOffer";
import { TeamServerDialog } from "./TeamServerDialog";
import { startScreens } from "./screens";
import { useNav } from "./navStore";
import { useTheme } from "./themeStore";

// The workflows list opens first and is in the first bundle; every other screen (the editor with
// its canvas and form library, the runs history, contacts…) is loaded when first shown, so that
// the app is interactive sooner (README, footprint of the release build).
const EditorScreen = lazy(() => import("../editor/EditorScreen").then((m) => ({ default: m.EditorScreen })));
const RunsScreen = lazy(() => import("../runs/RunsScreen").then((m) => ({ default: m.RunsScreen })));
const RunDetailScreen = lazy(() => import("../runs/RunDetailScreen").then((m) => ({ default: m.RunDetailScreen })));
const ApprovalsScreen = lazy(() => import("../operate/ApprovalsScreen").then((m) => ({ default: m.ApprovalsScreen })));
const ContactsScreen = lazy(() => import("../contacts/ContactsScreen").then((m) => ({ default: m.ContactsScreen })));
const SchedulersScreen = lazy(() => import("../schedulers/SchedulersScreen").then((m) => ({ default: m.SchedulersScreen })));
const WorkflowPage = lazy(() => import("../schedulers/WorkflowPage").then((m) => ({ default: m.WorkflowPage })));
const RunNowDialog = lazy(() => import("../runs/RunNowDialog").then((m) => ({ default: m.RunNowDialog })));

/** The Run now dialog's code (forms) is loaded when a run is first asked for. */
function RunNowWhenAsked() {
  const asked = useRunNow((s) => s.pending !== null);
  return asked ? (
    <Suspense fallback={null}>
      <RunNowDialog />
    </Suspense>
  ) : null;
}

function ThemeToggle() {
  const { pref, cycle } = useTheme();
  const Icon = pref === "system" ? Monitor : pref === "light" ? Sun : Moon;
  const label = `Theme: ${pref === "system" ? "follow system" : pref}`;
  return (
    <button type="button" className="btn ghost icon" aria-label={label} data-tip={label} onClick={cycle}>
      <Icon size={17} />
    </button>
  );
}

function TeamServerButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn ghost icon" aria-label="Team server" data-tip="Open a team server's store (weft serve --http)" onClick={() => setOpen(true)}>
        <Server size={17} />
      </button>
      {open && <TeamServerDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function TopBar() {
  const view = useNav((s) => s.view);
  const go = useNav((s) => s.go);
  const waiting = useApprovals((s) => s.items.length);
  return (
    <header className="topbar">
      <div className="brand">
        <div className="brand-mark">
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" aria-hidden="true">
            <path d="M3 6c4 0 4 12 9 12s5-12 9-12" />
            <path d="M3 12h18" opacity=".55" />
          </svg>
        </div>
        Weft
      </div>
      <nav className="nav">
        <button type="button" aria-current={view.name === "list" || view.name === "editor" ? "page" : undefined} onClick={() => go({ name: "list" })}>
          <LayoutGrid size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          Workflows
        </button>
        <button type="button" aria-current={view.name === "runs" || view.name === "run" ? "page" : undefined} onClick={() => go({ name: "runs", workflowId: null })}>
          <History size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          Runs
        </button>
        <button type="button" aria-current={view.name === "schedulers" || view.name === "workflow" ? "page" : undefined} onClick={() => go({ name: "schedulers" })}>
          <CalendarClock size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          Schedulers
        </button>
        <button type="button" aria-current={view.name === "contacts" ? "page" : undefined} onClick={() => go({ name: "contacts" })}>
          <Users size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          Contacts
        </button>
        <button type="button" aria-current={view.name === "approvals" ? "page" : undefined} onClick={() => go({ name: "approvals" })}>
          <UserCheck size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          Approvals
          {waiting > 0 && (
            <span className="count-badge" data-testid="approvals-badge" data-tip={`${waiting} approval${waiting === 1 ? "" : "s"} waiting`}>
              {waiting}
            </span>
          )}
        </button>
      </nav>
      <div className="spacer" />
      <SessionBadge />
      {inTauri && <TeamServerButton />}
      <ThemeToggle />
    </header>
  );
}

/** On a team server: the operator this window acts as, and what they may do. */
function SessionBadge() {
  const session = useSession((s) => s.session);
  if (!session.operator && !session.readOnly) return null;
  const who = session.operator ? `Operator ${session.operator}` : "Read-only token";
  const can = session.capabilities.join(", ") || "nothing";
  const groups = session.groups.length ? ` · groups: ${session.groups.join(", ")}` : "";
  return (
    <span className="badge session-badge" data-testid="session-badge" data-tip={`May: ${can}${groups}${session.readOnly ? " · read-only token" : ""}`}>
      {who}
    </span>
  );
}

export function App() {
  const view = useNav((s) => s.view);
  useEffect(() => {
    void useCatalog.getState().load();
    void useSession.getState().load();
    // A window opened on one workflow (`#/workflow/…`) keeps it; the main window follows links.
    void startScreens(!location.hash.startsWith("#/workflow/"));
    watchApprovals();
    const off = backend.onEvent((e) => {
      if (e.kind === "workflow_changed" || e.kind === "workflow_state" || e.kind === "run_status" || e.kind === "run_created") {
        void useWorkflows.getState().refresh();
      }
    });
    return () => {
      void off.then((f) => f());
    };
  }, []);
  return (
    <div className="app">
      <TopBar />
      <main className="main">
        {view.name === "list" && <WorkflowsScreen />}
        <Suspense fallback={<div className="screen-loading" aria-busy="true" />}>
          {view.name === "editor" && (
            <EditorScreen
              key={`${view.id}:${view.runId ?? ""}:${view.replay ? "replay" : ""}:${view.compare?.join("-") ?? ""}`}
              id={view.id}
              runId={view.runId ?? null}
              replay={view.replay ?? false}
              compareRuns={view.compare ?? null}
            />
          )}
          {view.name === "runs" && <RunsScreen workflowId={view.workflowId} />}
          {view.name === "run" && <RunDetailScreen key={view.id} id={view.id} />}
          {view.name === "approvals" && <ApprovalsScreen runId={view.runId ?? null} />}
          {view.name === "contacts" && <ContactsScreen />}
          {view.name === "schedulers" && <SchedulersScreen />}
          {view.name === "workflow" && <WorkflowPage key={view.id} id={view.id} />}
        </Suspense>
      </main>
      <RunNowWhenAsked />
      <DialogHost />
      <TooltipHost />
      <CrashOffer />
      <Toasts />
    </div>
  );
}
