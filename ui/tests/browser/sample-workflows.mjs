// Workflows the browser tests import, shared by the specs and the screenshots.

/** Start → a weekday 08:00 Paris schedule → an approval (so a run stays running) → Finish. */
export const parisMornings = {
  format: 1,
  name: "Paris mornings",
  concurrency: "queue",
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
    {
      id: "tick",
      kind: "schedule_trigger",
      label: "Weekday mornings",
      position: { x: -40, y: 112 },
      config: { schedule: { type: "cron", cron: "0 8 * * 1-5", timezone: "Europe/Paris" }, missed: "run_once" },
    },
    { id: "ask", kind: "approval", label: "Go ahead?", position: { x: -40, y: 240 }, config: { group: "ops", message: "Send the morning digest?" } },
    { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 368 } },
  ],
  transitions: [
    { from: "start", to: "tick" },
    { from: "tick", to: "ask" },
    { from: "ask", port: "approved", to: "finish" },
  ],
};
