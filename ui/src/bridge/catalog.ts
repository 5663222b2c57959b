//! The activity catalogue written by the engine (`docs/schema/catalog.json`), bundled for the
//! component tests and for the first paint; the running app then asks the backend
//! (`activity_catalog`).
import catalogJson from "../../../docs/schema/catalog.json";
import type { CatalogEntry } from "./types";

export const bundledCatalog = catalogJson as unknown as CatalogEntry[];
