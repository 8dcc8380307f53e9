// Descope's official Node SDK, unchanged, against a real beckon-server (target/debug).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import DescopeClient from "@descope/node-sdk";

const server =
  process.env.BECKON_E2E_SERVER ?? fileURLToPath(new URL("../../../target/debug/beckon-server", import.meta.url));

/** Starts beckon-server on a free port: its base URL and project ID. */
async function startServer(t, args = []) {
  assert.ok(existsSync(server), `${server} is missing: build it first (scripts/test.sh does)`);
  // The server refuses BECKON_* variables it does not know; this run's own are not for it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("BECKON_")));
  const child = spawn(server, ["--dev", "--listen", "127.0.0.1:0", "--database", "sqlite::memory:", ...args], {
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

async function linkToken(base, email, number) {
  const messages = await (await fetch(`${base}/dev/outbox`)).json();
  const link = messages.find((m) => m.to === email).links.find((l) => l.number === number);
  return new URL(link.url).searchParams.get("t");
}

test("sign-up-or-in, wait, verify, session, validate", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const email = "ada.node@example.com";

  const started = await client.enchantedLink.signUpOrIn(email, "");
  assert.equal(started.ok, true);
  assert.equal(started.data.maskedEmail, "a***@example.com");
  assert.match(started.data.linkId, /^\d\d$/);

  // Still pending: the SDK's own wait keeps polling until its timeout.
  const pending = await client.enchantedLink.waitForSession(started.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 1500,
  });
  assert.equal(pending.ok, false);
  assert.match(pending.error.errorDescription, /timeout/);

  const verified = await client.enchantedLink.verify(await linkToken(base, email, started.data.linkId));
  assert.equal(verified.ok, true);

  const session = await client.enchantedLink.waitForSession(started.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 10000,
  });
  assert.equal(session.ok, true);
  assert.equal(session.data.user.email, email);

  const auth = await client.validateSession(session.data.sessionJwt);
  assert.equal(auth.token.sub, session.data.user.userId);
  assert.equal(auth.token.drn, "DS");
});

test("sign-in of an unknown user fails with E062108", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const result = await client.enchantedLink.signIn("nobody@example.com", "");
  assert.equal(result.ok, false);
  assert.equal(result.error.errorCode, "E062108");
});

async function signedIn(client, base, email) {
  const started = await client.enchantedLink.signUpOrIn(email, "");
  await client.enchantedLink.verify(await linkToken(base, email, started.data.linkId));
  const session = await client.enchantedLink.waitForSession(started.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 10000,
  });
  assert.equal(session.ok, true);
  return session.data;
}

test("refresh, me, logout", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const session = await signedIn(client, base, "grace.node@example.com");

  const refreshed = await client.refreshSession(session.refreshJwt);
  assert.equal(refreshed.token.drn, "DS");
  const raw = await client.refresh(session.refreshJwt);
  assert.equal(raw.ok, true);
  const rotated = raw.data.refreshJwt;
  assert.notEqual(rotated, session.refreshJwt);

  const me = await client.me(rotated);
  assert.equal(me.ok, true);
  assert.equal(me.data.email, "grace.node@example.com");

  assert.equal((await client.logout(rotated)).ok, true);
  const after = await client.me(rotated);
  assert.equal(after.ok, false);
  assert.equal(after.error.errorCode, "E064001");
});

test("logoutAll ends every session", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const first = await signedIn(client, base, "alan.node@example.com");
  const second = await signedIn(client, base, "alan.node@example.com");
  assert.equal((await client.logoutAll(first.refreshJwt)).ok, true);
  const after = await client.refresh(second.refreshJwt);
  assert.equal(after.ok, false);
  assert.equal(after.error.errorCode, "E064001");
});

async function onlyLinkToken(base, to) {
  const messages = await (await fetch(`${base}/dev/outbox`)).json();
  const [link] = messages.find((m) => m.to === to).links;
  return new URL(link.url).searchParams.get("t");
}

test("magic link by email and sms", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });

  const email = await client.magicLink.signUpOrIn.email("ada.magic.node@example.com", "beckon://auth");
  assert.equal(email.ok, true);
  assert.equal(email.data.maskedEmail, "a***@example.com");
  const byEmail = await client.magicLink.verify(await onlyLinkToken(base, "ada.magic.node@example.com"));
  assert.equal(byEmail.ok, true);
  assert.equal(byEmail.data.user.email, "ada.magic.node@example.com");

  const sms = await client.magicLink.signUp.sms("+15551234590", "beckon://auth", { name: "Grace" });
  assert.equal(sms.ok, true);
  assert.match(sms.data.maskedPhone, /4590$/);
  const bySms = await client.magicLink.verify(await onlyLinkToken(base, "+15551234590"));
  assert.equal(bySms.ok, true);
  assert.equal(bySms.data.user.phone, "+15551234590");
  const auth = await client.validateSession(bySms.data.sessionJwt);
  assert.deepEqual(auth.token.amr, ["sms"]);
});

test("update email and phone, both link kinds", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const session = await signedIn(client, base, "ada.update.node@example.com");
  const refresh = session.refreshJwt;

  // Magic link, Node's shape: URI, token, and both UpdateOptions flags.
  const byEmail = await client.magicLink.update.email(
    "ada.update.node@example.com",
    "ada.new.node@example.com",
    "beckon://auth",
    refresh,
    { addToLoginIDs: true, onMergeUseExisting: true },
  );
  assert.equal(byEmail.ok, true, JSON.stringify(byEmail.error));
  assert.equal(byEmail.data.maskedEmail, "a***@example.com");
  const updated = await client.magicLink.verify(await onlyLinkToken(base, "ada.new.node@example.com"));
  assert.equal(updated.ok, true);
  assert.equal(updated.data.user.email, "ada.new.node@example.com");
  assert.deepEqual(updated.data.user.loginIds, ["ada.update.node@example.com", "ada.new.node@example.com"]);

  // Phone, Node's suffixed path.
  const byPhone = await client.magicLink.update.phone.sms("ada.update.node@example.com", "+14155550100", "", refresh);
  assert.equal(byPhone.ok, true, JSON.stringify(byPhone.error));
  assert.match(byPhone.data.maskedPhone, /0100$/);
  const phoned = await client.magicLink.verify(await onlyLinkToken(base, "+14155550100"));
  assert.equal(phoned.data.user.phone, "+14155550100");

  // Enchanted link: three links, then waitForSession as for a sign-in.
  const started = await client.enchantedLink.update.email(
    "ada.update.node@example.com",
    "ada.work.node@example.com",
    "",
    refresh,
  );
  assert.equal(started.ok, true, JSON.stringify(started.error));
  await client.enchantedLink.verify(await linkToken(base, "ada.work.node@example.com", started.data.linkId));
  const done = await client.enchantedLink.waitForSession(started.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 10000,
  });
  assert.equal(done.ok, true);
  assert.equal(done.data.user.email, "ada.work.node@example.com");

  // Without the refresh JWT the server refuses, in the wire format.
  const refused = await client.magicLink.update.email("ada.update.node@example.com", "x@example.com", "", "");
  assert.equal(refused.ok, false);
  assert.equal(refused.code, 401);
});

test("loginOptions: custom claims and step-up", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const email = "grace.claims.node@example.com";

  const started = await client.magicLink.signUpOrIn.email(email, "beckon://auth", {
    customClaims: { plan: "pro" },
  });
  assert.equal(started.ok, true, JSON.stringify(started.error));
  const session = await client.magicLink.verify(await onlyLinkToken(base, email));
  const auth = await client.validateSession(session.data.sessionJwt);
  assert.deepEqual(auth.token.nsec, { plan: "pro" });
  assert.equal(auth.token.plan, undefined);

  const stepup = await client.enchantedLink.signIn(email, "", { stepup: true }, session.data.refreshJwt);
  assert.equal(stepup.ok, true, JSON.stringify(stepup.error));
  await client.enchantedLink.verify(await linkToken(base, email, stepup.data.linkId));
  const stepped = await client.enchantedLink.waitForSession(stepup.data.pendingRef, {
    pollingIntervalMs: 1000,
    timeoutMs: 10000,
  });
  assert.equal(stepped.ok, true);
  assert.equal(stepped.data.user.userId, session.data.user.userId);
});

test("a rate limit is a 429 with E130429 and the SDK's retryAfter", async (t) => {
  const { base, projectId } = await startServer(t, ["--limit-send-per-login-id", "1/600"]);
  const client = DescopeClient({ projectId, baseUrl: base });
  assert.equal((await client.enchantedLink.signUpOrIn("ada.node@example.com", "")).ok, true);
  const limited = await client.enchantedLink.signUpOrIn("ada.node@example.com", "");
  assert.equal(limited.ok, false);
  assert.equal(limited.code, 429);
  assert.equal(limited.error.errorCode, "E130429");
  assert.ok(limited.error.retryAfter > 0 && limited.error.retryAfter <= 600, `${limited.error.retryAfter}`);
});

test("claims a client asks for grant no roles or permissions", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const email = "mallory.claims.node@example.com";
  const asked = { roles: ["admin"], permissions: ["delete-users"] };
  const started = await client.magicLink.signUpOrIn.email(email, "beckon://auth", { customClaims: asked });
  assert.equal(started.ok, true, JSON.stringify(started.error));
  const session = await client.magicLink.verify(await onlyLinkToken(base, email));
  const auth = await client.validateSession(session.data.sessionJwt);
  assert.deepEqual(auth.token.nsec, asked);
  assert.equal(client.validateRoles(auth, ["admin"]), false);
  assert.equal(client.validatePermissions(auth, ["delete-users"]), false);
});
