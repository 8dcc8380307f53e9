// What the conformance tests share: a real beckon-server (target/debug) on a free port, and a
// whole sign-in through Descope's official Node SDK.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The beckon-server binary the tests run. */
export const server =
  process.env.BECKON_E2E_SERVER ?? fileURLToPath(new URL("../../../target/debug/beckon-server", import.meta.url));

/** Starts beckon-server on a free port: its base URL and project ID. */
// The server refuses BECKON_* variables it does not know; this run's own are not for it.
export const serverEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("BECKON_")));

export async function startServer(t, args = [], database = "sqlite::memory:") {
  assert.ok(existsSync(server), `${server} is missing: build it first (scripts/test.sh does)`);
  const env = serverEnv();
  const child = spawn(server, ["--dev", "--listen", "127.0.0.1:0", "--database", database, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  t.after(() => child.kill());
  const said = [];
  for await (const line of createInterface({ input: child.stdout })) {
    said.push(line.split(" ").at(-1));
    if (said.length === 2) break;
  }
  const [base, projectId] = said;
  assert.match(base, /^http:\/\//);
  return { base, projectId };
}

export async function linkToken(base, email, number) {
  const messages = await (await fetch(`${base}/dev/outbox`)).json();
  const link = messages
    .find((m) => m.to === email && m.kind === "sign_in")
    .links.find((l) => l.number === number);
  return new URL(link.url).searchParams.get("t");
}

/** Signs `email` up or in with `client` (the Node SDK), confirming the right link: the session. */
export async function signedIn(client, base, email) {
  const started = await client.enchantedLink.signUpOrIn(email, "");
  await client.enchantedLink.verify(await linkToken(base, email, started.data.linkId));
  const session = await client.enchantedLink.waitForSession(started.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 10000,
  });
  assert.equal(session.ok, true);
  return session.data;
}
