export {
  type TieredStore,
  type TieredStoreOptions,
  type TieredStoreStats,
  tieredStore,
} from "./tiered-store.js";
