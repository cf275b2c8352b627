// The store contract (contract.ts) against PostgreSQL: each store opened in a schema of its own on
// the tests' server (test/support/pg.ts).
import { type IncidentStore, openPgStore } from "../../incidents/index.js";
import { dropSchema, freshSchemaName, testDatabaseUrl } from "../support/pg.js";
import { storeContract } from "./contract.js";

storeContract("postgres", async ({ now }) => {
  const url = testDatabaseUrl();
  const schema = freshSchemaName("contract");
  let current: IncidentStore = await openPgStore({ url, schema, now });
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await openPgStore({ url, schema, now });
      return current;
    },
    async cleanup() {
      await current.close();
      await dropSchema(url, schema);
    },
  };
});
