//! The app shell: top bar, the current screen, dialogs and toasts.
import { CalendarClock, History, LayoutGrid, Monitor, Moon, Sun, UserCheck, Users } from "lucide-react";
import { useEffect } from "react";
import { backend } from "../bridge";
import { DialogHost, Toasts } from "../components/Dialogs";
import { ContactsScreen } from "../contacts/ContactsScreen";
import { EditorScreen } from "../editor/EditorScreen";
import { RunNowDialog } from "../runs/RunNowDialog";
import { ApprovalsScreen } from "../operate/ApprovalsScreen";
import { useApprovals, watchApprovals } from "../operate/approvalsStore";
import { RunDetailScreen } from "../runs/RunDetailScreen";
import { RunsScreen } from "../runs/RunsScreen";
import { SchedulersScreen } from "../schedulers/SchedulersScreen";
import { WorkflowPage } from "../schedulers/WorkflowPage";
import { WorkflowsScreen } from "../workflows/WorkflowsScreen";
import { useWorkflows } from "../workflows/workflowsStore";
import { useCatalog } from "./catalogStore";
import { CrashOffer } from "./CrashOffer";
import { startScreens } from "./screens";
import { useNav } from "./navStore";
import { useTheme } from "./themeStore";

function ThemeToggle() {
  const { pref, cycle } = useTheme();
  const Icon = pref === "system" ? Monitor : pref === "light" ? Sun : Moon;
  const label = `Theme: ${pref === "system" ? "follow system" : pref}`;
  return (
    <button type="button" className="btn ghost icon" aria-label={label} title={label} onClick={cycle}>
      <Icon size={17} />
    </button>
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
            <span className="count-badge" data-testid="approvals-badge" title={`${waiting} approval${waiting === 1 ? "" : "s"} waiting`}>
              {waiting}
            </span>
          )}
        </button>
      </nav>
      <div className="spacer" />
      <ThemeToggle />
    </header>
  );
}

export function App() {
  const view = useNav((s) => s.view);
  useEffect(() => {
    void useCatalog.getState().load();
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
        {view.name === "editor" && <EditorScreen key={`${view.id}:${view.runId ?? ""}`} id={view.id} runId={view.runId ?? null} />}
        {view.name === "runs" && <RunsScreen workflowId={view.workflowId} />}
        {view.name === "run" && <RunDetailScreen key={view.id} id={view.id} />}
        {view.name === "approvals" && <ApprovalsScreen runId={view.runId ?? null} />}
        {view.name === "contacts" && <ContactsScreen />}
        {view.name === "schedulers" && <SchedulersScreen />}
        {view.name === "workflow" && <WorkflowPage key={view.id} id={view.id} />}
      </main>
      <RunNowDialog />
      <DialogHost />
      <CrashOffer />
      <Toasts />
    </div>
  );
}
