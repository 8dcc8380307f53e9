// Descope's official browser SDK (@descope/web-js-sdk), unchanged, against a real beckon-server
// whose limit on session calls is reached: the person stays signed in. On any 4xx from refresh,
// try-refresh or me the SDK deletes the tokens it keeps (its isInvalidSessionResponse), so the
// server answers those limits with 500 E130429 and Retry-After (docs/wire.md §8.3).
import assert from "node:assert/strict";
import { test } from "node:test";

import DescopeClient from "@descope/node-sdk";

import { signedIn, startServer } from "./server.mjs";

// A browser's storage and cookies, as much as the SDK touches: it keeps tokens only when it
// finds a `window` as it loads, so these are in place before the import below.
const stored = new Map();
globalThis.window = {
  localStorage: {
    getItem: (key) => (stored.has(key) ? stored.get(key) : null),
    setItem: (key, value) => stored.set(key, String(value)),
    removeItem: (key) => stored.delete(key),
  },
  location: { href: "http://127.0.0.1/", hostname: "127.0.0.1", protocol: "http:" },
};
globalThis.localStorage = window.localStorage;
globalThis.document = { cookie: "", addEventListener() {} };
const { default: createWebSdk } = await import("@descope/web-js-sdk");

test("a limited refresh keeps the web SDK's stored refresh token", async (t) => {
  const { base, projectId } = await startServer(t, ["--limit-session-per-session", "2/60"]);
  const client = DescopeClient({ projectId, baseUrl: base });
  const session = await signedIn(client, base, "ada.web@example.com");
  const sdk = createWebSdk({ projectId, baseUrl: base, persistTokens: true, autoRefresh: false });
  window.localStorage.setItem("DSR", session.refreshJwt);

  for (let i = 0; i < 2; i++) {
    const refreshed = await sdk.refresh();
    assert.equal(refreshed.ok, true, JSON.stringify(refreshed.error));
  }
  const kept = sdk.getRefreshToken();
  assert.ok(kept, "the SDK stored the rotated refresh token");

  const limited = await sdk.refresh();
  assert.equal(limited.ok, false);
  assert.equal(limited.code, 500);
  assert.equal(limited.error.errorCode, "E130429");
  assert.equal(limited.response.headers.get("retry-after") !== null, true);
  assert.equal(sdk.getRefreshToken(), kept, "the refresh token survives the limit");

  const me = await sdk.me();
  assert.equal(me.ok, false);
  assert.equal(me.error.errorCode, "E130429");
  assert.equal(sdk.getRefreshToken(), kept, "and survives me's limit too");
});
