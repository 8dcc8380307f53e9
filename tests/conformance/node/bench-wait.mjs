// The benchmark's peer (scripts/bench.sh): Descope's official Node SDK, unchanged, waiting for
// sessions with its own waitForSession (a poll a second). Reads one pendingRef per line on
// stdin; for each, when its wait ends, prints "PENDINGREF EPOCH_MS" (the moment it held the
// session, in milliseconds since 1970, to the microsecond) or "PENDINGREF -1" if it failed.
import { createInterface } from "node:readline";
import DescopeClient from "@descope/node-sdk";

const [baseUrl, projectId] = process.argv.slice(2);
const client = DescopeClient({ projectId, baseUrl });

createInterface({ input: process.stdin }).on("line", (pendingRef) => {
  client.enchantedLink
    .waitForSession(pendingRef, { pollingIntervalMs: 1000, timeoutMs: 120000 })
    .then((session) => {
      const at = performance.timeOrigin + performance.now();
      process.stdout.write(`${pendingRef} ${session.ok ? at.toFixed(3) : -1}\n`);
    })
    .catch(() => process.stdout.write(`${pendingRef} -1\n`));
});
