//! The activity catalogue written by the engine (`docs/schema/catalog.json`), bundled for the
//! mock backend and for tests. The running app asks the backend (`activity_catalog`).
import catalogJson from "../../../docs/schema/catalog.json";
import type { CatalogEntry } from "./types";

export const bundledCatalog = catalogJson as unknown as CatalogEntry[];
