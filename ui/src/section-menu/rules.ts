//! Which activities the section menu offers at a given step. Pure, tested in `rules.test.ts`.
import type { CatalogEntry, Role } from "../bridge/types";

export type Step = {
  /** Role of the activity whose output the new one follows. */
  fromRole: Role;
  /** True when inserting in the middle of an existing transition. */
  onTransition: boolean;
};

const FLOW_ROLES: Role[] = ["action", "condition", "wait", "parallel", "approval"];

/** Roles allowed after `step`: never Start; triggers only right after Start; Finish only at a branch's end. */
export function allowedRoles(step: Step): Role[] {
  if (step.fromRole === "finish") return [];
  const roles: Role[] = [];
  if (step.fromRole === "start") roles.push("trigger");
  roles.push(...FLOW_ROLES);
  if (!step.onTransition) roles.push("finish");
  return roles;
}

/** The catalogue entries allowed at `step` whose label, kind or description matches `query`. */
export function sectionMenuItems(catalog: CatalogEntry[], step: Step, query = ""): CatalogEntry[] {
  const roles = allowedRoles(step);
  const q = query.trim().toLowerCase();
  return catalog
    .filter((c) => roles.includes(c.role))
    .filter(
      (c) =>
        !q ||
        c.label.toLowerCase().includes(q) ||
        c.kind.toLowerCase().includes(q) ||
        c.description.toLowerCase().includes(q) ||
        c.role.includes(q),
    )
    .sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role));
}
