//! Who this window acts for and what they may do, asked once from the engine (`session_info`).
//! The UI offers only what the caller may do; the engine checks every operation again whatever
//! a window offers, so this only spares an operator buttons that would be refused.
import { create } from "zustand";
import { backend } from "../bridge";
import type { Capability, Session } from "../bridge/types";

/** The store's owner (the desktop app on its own store): every capability. Assumed until the
 * engine answers, so that the owner never waits for buttons; an operator's are narrowed then. */
const OWNER: Session = { operator: null, groups: [], capabilities: ["list", "run", "update", "approve"], readOnly: false };

const WHAT: Record<Capability, string> = {
  list: "read workflows and runs",
  run: "start, stop or run workflows",
  update: "edit workflows",
  approve: "answer approvals",
};

/** Why the caller may not use a capability, or `null` when they may. */
export function lacking(session: Session, capability: Capability): string | null {
  if (session.capabilities.includes(capability)) return null;
  if (session.readOnly) return `This access token is read-only: it may not ${WHAT[capability]}.`;
  return `Operator ${session.operator ?? "?"} may not ${WHAT[capability]} (needs the ${capability} capability).`;
}

type SessionState = { session: Session; load: () => Promise<void> };

export const useSession = create<SessionState>((set) => ({
  session: OWNER,
  load: async () => set({ session: await backend.session() }),
}));

/** Why the caller may not use a capability (`null` when they may), following the session. */
export const useLacking = (capability: Capability) => useSession((s) => lacking(s.session, capability));
/** The same, outside React. */
export const lackingNow = (capability: Capability) => lacking(useSession.getState().session, capability);
