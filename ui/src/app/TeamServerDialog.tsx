//! Attach to a team server (desktop app): its address, as `weft serve --http` printed it, opens
//! in a window of its own where the server's UI asks for a token once and works over HTTP —
//! within what the token's operator may do — beside this computer's store. Recent addresses are
//! remembered on this computer (never tokens).
import { Server } from "lucide-react";
import { useState } from "react";
import { backend } from "../bridge";
import { errorMessage } from "../bridge/types";
import { FormDialog } from "../components/FormDialog";

const RECENT_KEY = "weft.teamServers";

export function recentServers(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string").slice(0, 5) : [];
  } catch {
    return [];
  }
}

function remember(url: string) {
  const next = [url, ...recentServers().filter((u) => u !== url)].slice(0, 5);
  localStorage.setItem(RECENT_KEY, JSON.stringify(next));
}

export function TeamServerDialog({ onClose }: { onClose: () => void }) {
  const recent = recentServers();
  const [url, setUrl] = useState(recent[0] ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (address: string) => {
    setBusy(true);
    setError(null);
    try {
      await backend.openTeamServer(address.trim());
      remember(address.trim());
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog
      title="Team server"
      subtitle="Open a store that a team's weft serve executes, in a window of its own. It asks for a token (weft tokens create) once."
      icon={<Server size={18} />}
      submitLabel="Open"
      submitDisabled={busy || url.trim() === ""}
      onSubmit={() => void open(url)}
      onClose={onClose}
    >
      <label className="field">
        <span>Address</span>
        <input className="input" aria-label="Team server address" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://server:8080/" />
      </label>
      {recent.length > 0 && (
        <div className="recent-servers">
          <span className="muted">Recent:</span>
          {recent.map((r) => (
            <button key={r} type="button" className="btn ghost sm" onClick={() => setUrl(r)}>
              {r}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p className="sev-error" role="alert">
          {error}
        </p>
      )}
    </FormDialog>
  );
}
