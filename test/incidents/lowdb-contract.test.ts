// The store contract (contract.ts) against the embedded lowdb store, on a real file.
import { join } from "node:path";
import { type IncidentStore, openStore } from "../../incidents/index.js";
import { storeContract } from "./contract.js";
import { tempDir } from "./helpers.js";

storeContract("lowdb", async ({ now }) => {
  const { dir, cleanup } = await tempDir();
  const path = join(dir, "incidents.json");
  let current: IncidentStore = await openStore({ path, now });
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await openStore({ path, now });
      return current;
    },
    async cleanup() {
      await current.close();
      await cleanup();
    },
  };
});
