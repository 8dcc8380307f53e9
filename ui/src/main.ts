// The Beckon window: the plugin's ready-made sign-in view (tauri-plugin-beckon-api), with the
// server settings screen.

import "tauri-plugin-beckon-api/sign-in.css";
import "./app.css";
import { mountSignIn } from "tauri-plugin-beckon-api";

const root = document.getElementById("app");
if (!root) throw new Error("the page has no #app element");
const app: HTMLElement = root;

/** The first frame that shows the email field, as a `performance` mark (`beckon:email-painted`)
 * that the benchmark reads (scripts/bench.sh: time to first paint). */
function markFirstPaint(): void {
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
  onRender: markFirstPaint,
}).catch((error: unknown) => {
  console.error("beckon: the sign-in view could not start", error);
});
