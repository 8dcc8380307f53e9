// The Beckon window: the plugin's ready-made sign-in view (tauri-plugin-beckon-api), with the
// server settings screen.

import "tauri-plugin-beckon-api/sign-in.css";
import "./app.css";
import { mountSignIn, type SessionState } from "tauri-plugin-beckon-api";

// Where the first paint's time goes (scripts/bench.sh, row 6): this script running.
performance.mark("beckon:script-start");

const root = document.getElementById("app");
if (!root) throw new Error("the page has no #app element");
const app: HTMLElement = root;

/** Marks, for the benchmark (scripts/bench.sh), the first state drawn (`beckon:first-state`),
 * the first frame that shows the email field (`beckon:email-painted`: time to first paint) and
 * each frame that shows the signed-in view (`beckon:signed-in-painted`: the tap as a person
 * sees it). */
function markPaints(state: SessionState): void {
  if (performance.getEntriesByName("beckon:first-state").length === 0) performance.mark("beckon:first-state");
  if (state.screen === "signedIn" && state.change === null) {
    requestAnimationFrame(() => performance.mark("beckon:signed-in-painted"));
  }
  if (performance.getEntriesByName("beckon:email-painted").length > 0) return;
  if (!app.querySelector("[data-testid=email-input]")) return;
  requestAnimationFrame(() => {
    if (performance.getEntriesByName("beckon:email-painted").length === 0) performance.mark("beckon:email-painted");
  });
}

mountSignIn(app, {
  appName: "Beckon",
  announcer: document.getElementById("announce"),
  settings: true,
  onRender: markPaints,
  // The window is the view: the whole page speaks its language, in its direction.
  onLanguage: (lang, dir) => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
  },
}).catch((error: unknown) => {
  console.error("beckon: the sign-in view could not start", error);
});
