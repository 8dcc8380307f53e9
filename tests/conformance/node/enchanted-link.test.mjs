// Descope's official Node SDK, unchanged, against a real beckon-server (target/debug).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import DescopeClient from "@descope/node-sdk";

import { linkToken, server, serverEnv, signedIn, startServer } from "./server.mjs";

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
  const [link] = messages.find((m) => m.to === to && m.kind === "sign_in").links;
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

test("after a No on the phone a start is the SDK's 429 E130429 with retryAfter", async (t) => {
  const { base, projectId } = await startServer(t);
  const client = DescopeClient({ projectId, baseUrl: base });
  const email = "nora.node@example.com";
  const started = await client.enchantedLink.signUpOrIn(email, "");
  assert.equal(started.ok, true);
  // "No, this wasn't me" on the confirm page: the form the page posts.
  const messages = await (await fetch(`${base}/dev/outbox`)).json();
  const link = messages.find((m) => m.to === email && m.kind === "sign_in").links[0];
  const token = new URL(link.url).searchParams.get("t");
  const no = await fetch(link.url.split("?")[0], {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ t: token, answer: "no" }),
  });
  assert.equal(no.status, 200);
  const paused = await client.enchantedLink.signUpOrIn(email, "");
  assert.equal(paused.ok, false);
  assert.equal(paused.code, 429);
  assert.equal(paused.error.errorCode, "E130429");
  assert.ok(paused.error.retryAfter > 800 && paused.error.retryAfter <= 900, `${paused.error.retryAfter}`);
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

/** A server on a SQLite file of its own, and a management key the CLI made for it. */
async function managedServer(t) {
  const dir = mkdtempSync(join(tmpdir(), "beckon-node-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const database = `sqlite://${join(dir, "beckon.db")}`;
  const made = execFileSync(server, ["--database", database, "management-key", "create", "node", "--json"], {
    env: serverEnv(),
    encoding: "utf8",
  });
  const { key } = JSON.parse(made);
  return { ...(await startServer(t, [], database)), key };
}

test("management: users and the audit trail with a management key", async (t) => {
  const { base, projectId, key } = await managedServer(t);
  const client = DescopeClient({ projectId, baseUrl: base, managementKey: key });
  const users = client.management.user;
  const created = await users.create("mgmt.node@example.com", { displayName: "No De" });
  assert.ok(created.ok, JSON.stringify(created.error));
  assert.deepEqual(created.data.loginIds, ["mgmt.node@example.com"]);
  assert.equal(created.data.name, "No De");
  const userId = created.data.userId;
  assert.equal((await users.load("mgmt.node@example.com")).data.userId, userId);
  assert.equal((await users.loadByUserId(userId)).data.email, "mgmt.node@example.com");
  for (const n of [0, 1, 2]) assert.ok((await users.create(`page${n}.node@example.com`)).ok);
  const first = await users.search({ limit: 2, page: 0 });
  const second = await users.search({ limit: 2, page: 1 });
  assert.equal(first.data.total, 4);
  assert.equal(first.data.users.length, 2);
  assert.equal(second.data.users.length, 2);
  assert.notEqual(first.data.users[0].userId, second.data.users[0].userId);

  const session = await signedIn(client, base, "mgmt.node@example.com");
  assert.equal(session.user.userId, userId);
  const disabled = await users.deactivate("mgmt.node@example.com");
  assert.equal(disabled.data.status, "disabled");
  const refused = await client.refresh(session.refreshJwt);
  assert.equal(refused.ok, false);
  assert.equal(refused.error.errorCode, "E062120");
  const start = await client.enchantedLink.signIn("mgmt.node@example.com", "");
  assert.equal(start.error.errorCode, "E062120");
  assert.equal((await users.activate("mgmt.node@example.com")).data.status, "enabled");

  const again = await signedIn(client, base, "mgmt.node@example.com");
  assert.ok((await users.logoutUser("mgmt.node@example.com")).ok);
  assert.equal((await client.refresh(again.refreshJwt)).error.errorCode, "E064001");
  assert.ok((await users.delete("page0.node@example.com")).ok);
  assert.equal((await users.load("page0.node@example.com")).error.errorCode, "E062108");

  // A tenant filter is refused, never ignored.
  const tenants = await users.search({ tenantIds: ["T1"] });
  assert.equal(tenants.ok, false);
  assert.match(tenants.error.errorDescription, /tenantIds/);

  const audits = await client.management.audit.search({ userIds: [userId] });
  assert.ok(audits.ok, JSON.stringify(audits.error));
  const actions = audits.data.map((a) => a.action);
  for (const action of ["user.created", "link.confirmed", "session.collected", "user.disabled", "user.signed_out"]) {
    assert.ok(actions.includes(action), `${action} in ${actions}`);
  }
  const started = await client.management.audit.search({ actions: ["signin.started"], loginIds: ["mgmt.node@example.com"] });
  assert.ok(started.data.length > 0);
  assert.deepEqual(started.data[0].loginIds, ["mgmt.node@example.com"]);
  assert.ok(started.data[0].occurred > Date.parse("2026-01-01"));
});

test("management calls with a wrong key or a user's JWT are refused", async (t) => {
  const { base, projectId, key } = await managedServer(t);
  const admin = DescopeClient({ projectId, baseUrl: base, managementKey: key });
  assert.ok((await admin.management.user.create("victim.node@example.com")).ok);
  const session = await signedIn(admin, base, "someone.node@example.com");
  for (const wrong of ["Kxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", session.refreshJwt, session.sessionJwt]) {
    const intruder = DescopeClient({ projectId, baseUrl: base, managementKey: wrong });
    for (const attempt of [
      () => intruder.management.user.delete("victim.node@example.com"),
      () => intruder.management.user.load("victim.node@example.com"),
      () => intruder.management.audit.search({}),
    ]) {
      const answer = await attempt();
      assert.equal(answer.ok, false);
      assert.equal(answer.code, 401);
      assert.equal(answer.error.errorCode, "E062130");
    }
  }
  const bare = await fetch(`${base}/v1/mgmt/user?loginId=victim.node%40example.com`, {
    headers: { Authorization: `Bearer ${projectId}` },
  });
  assert.equal(bare.status, 401);
  assert.equal((await bare.json()).errorCode, "E062130");
  assert.ok((await admin.management.user.load("victim.node@example.com")).ok);
});
