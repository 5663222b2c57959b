//! The Contacts view's state: the total, the search, the filter being built (kept as the
//! structured `Filter` in localStorage) and the rows loaded so far by keyset paging.
import { create } from "zustand";
import { backend } from "../bridge";
import { type Contact, errorMessage, type Filter, type Match } from "../bridge/types";
import { customFields, fromFilter, newDraft, pageOfUnion, queryPlan, type RuleDraft, toFilter } from "./filter";

export const PAGE = 200;
const FILTER_KEY = "weft.contacts.filter";

function savedFilter(): Filter {
  try {
    const raw = typeof localStorage !== "undefined" ? localStorage.getItem(FILTER_KEY) : null;
    const f = raw ? (JSON.parse(raw) as Filter) : null;
    if (f && (f.match === "all" || f.match === "any") && Array.isArray(f.rules)) return f;
  } catch {
    // A broken saved filter is dropped.
  }
  return { match: "all", rules: [] };
}

type State = {
  /** Contacts in the database; null until counted. */
  total: number | null;
  search: string;
  match: Match;
  drafts: RuleDraft[];
  /** The filter applied (complete rules only). */
  filter: Filter;
  rows: Contact[];
  /** Changes one contact\'s status (saved at once). */
  setStatus: (id: number, status: string) => Promise<void>;
  /** Every matching row is loaded. */
  done: boolean;
  loading: boolean;
  error: string | null;
  /** Custom field names seen so far (for the field picker). */
  customs: string[];
  init: () => Promise<void>;
  refresh: () => Promise<void>;
  loadMore: () => Promise<void>;
  setSearch: (search: string) => void;
  setMatch: (match: Match) => void;
  addRule: () => void;
  updateRule: (id: number, draft: RuleDraft) => void;
  removeRule: (id: number) => void;
  clearFilters: () => void;
};

/** Bumped on every new query so that late pages of an old one are dropped. */
let generation = 0;

const initial = savedFilter();

export const useContacts = create<State>((set, get) => {
  // The drafts show at once; the filter applies after a short pause in typing.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const applyDrafts = (match: Match, drafts: RuleDraft[], now = false) => {
    set({ match, drafts });
    clearTimeout(pending);
    if (now) apply();
    else pending = setTimeout(apply, 180);
  };
  const apply = () => {
    const { match, drafts } = get();
    const filter = toFilter(match, drafts);
    const changed = JSON.stringify(filter) !== JSON.stringify(get().filter);
    set({ filter });
    if (changed) {
      try {
        localStorage.setItem(FILTER_KEY, JSON.stringify(filter));
      } catch {
        // Not saved; the filter still applies.
      }
      void get().refresh();
    }
  };
  return {
    total: null,
    search: "",
    match: initial.match,
    drafts: fromFilter(initial),
    filter: initial,
    rows: [],
    done: false,
    loading: false,
    error: null,
    customs: [],
    init: async () => {
      try {
        set({ total: await backend.countContacts() });
      } catch (e) {
        set({ error: errorMessage(e) });
      }
      await get().refresh();
    },
    refresh: async () => {
      generation++;
      set({ rows: [], done: false, loading: false, error: null });
      backend.countContacts().then((total) => set({ total }), () => {});
      await get().loadMore();
    },
    loadMore: async () => {
      const { loading, done, rows, filter, search } = get();
      if (loading || done) return;
      const gen = generation;
      set({ loading: true });
      try {
        const after = rows.length ? rows[rows.length - 1].id : null;
        const page = await pageOfUnion((f, a, l) => backend.listContacts(f, a, l), queryPlan(filter, search), after, PAGE);
        if (gen !== generation) return;
        const customs = [...new Set([...get().customs, ...customFields(page.rows)])].sort();
        set({ rows: [...get().rows, ...page.rows], done: page.done, loading: false, customs });
      } catch (e) {
        if (gen !== generation) return;
        set({ loading: false, done: true, error: errorMessage(e) });
      }
    },
    setSearch: (search) => {
      if (search === get().search) return;
      set({ search });
      void get().refresh();
    },
    setMatch: (match) => applyDrafts(match, get().drafts, true),
    addRule: () => set({ drafts: [...get().drafts, newDraft()] }),
    setStatus: async (id: number, status: string) => {
      try {
        const updated = await backend.updateContact(id, { status });
        set({ rows: get().rows.map((r) => (r.id === id ? updated : r)), error: null });
      } catch (e) {
        set({ error: errorMessage(e) });
      }
    },
    updateRule: (id, draft) => applyDrafts(get().match, get().drafts.map((d) => (d.id === id ? draft : d))),
    removeRule: (id) => applyDrafts(get().match, get().drafts.filter((d) => d.id !== id), true),
    clearFilters: () => {
      set({ search: "" });
      applyDrafts("all", [], true);
      void get().refresh();
    },
  };
});
