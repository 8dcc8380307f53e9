// Connects the view to the Rust side (through ./ipc): commands out, state events in.

import type { FlowState, UiError } from "./bindings";
import { call, onState } from "./ipc";
import { announcement, render, renderSettings, type Actions, type SettingsActions } from "./view";

const root = document.getElementById("app");
if (!root) throw new Error("the page has no #app element");
const app: HTMLElement = root;
const announcer = document.getElementById("announce");

let stop: () => void = () => {};
let current: FlowState = { screen: "restoring", reconnecting: false };
let settingsOpen = false;

function show(state: FlowState, force = false): void {
  // The same state again (a restart of the flow that ends where it was) leaves the screen,
  // and whatever is being typed into it, alone.
  const same = JSON.stringify(state) === JSON.stringify(current);
  current = state;
  // Settings stay on screen until saved or closed; the flow's news waits.
  if (settingsOpen || (same && !force)) return;
  stop();
  stop = render(app, state, actions);
  markFirstPaint();
  const words = announcement(state);
  if (announcer && announcer.textContent !== words) announcer.textContent = words;
}

/** The first frame that shows the email field, as a `performance` mark (`beckon:email-painted`)
 * that the benchmark reads (scripts/bench.sh: time to first paint). */
function markFirstPaint(): void {
  if (performance.getEntriesByName("beckon:email-painted").length > 0) return;
  if (!app.querySelector("[data-testid=email-input]")) return;
  requestAnimationFrame(() => {
    if (performance.getEntriesByName("beckon:email-painted").length === 0) performance.mark("beckon:email-painted");
  });
}

/** A rejected command's reason: the Rust side's UiError, or whatever Tauri said. */
function describe(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}

function report(error: unknown): void {
  show({
    screen: "failed",
    email: "",
    error: { code: "server", message: `The app could not do that: ${describe(error)}` },
    mode: "signUpOrIn",
  });
}

const actions: Actions = {
  signIn: (email, mode) => void call("start_sign_in", { email, mode: mode ?? null }).catch(report),
  cancel: () => void call("cancel_sign_in").catch(report),
  signOut: () => void call("sign_out").catch(report),
  sendMagicLink: (email) => void call("send_magic_link", { email }).catch(report),
  changeEmail: (email) => void call("change_email", { email }).catch(report),
  cancelEmailChange: () => void call("cancel_email_change").catch(report),
  openSettings: () => void openSettings().catch(report),
};

function say(words: string): void {
  if (announcer) announcer.textContent = words;
}

async function openSettings(): Promise<void> {
  const view = await call("get_settings");
  stop();
  stop = () => {};
  settingsOpen = true;
  const settingsActions: SettingsActions = {
    save: (baseUrl, projectId) => {
      call("save_settings", { baseUrl, projectId })
        .then(() => {
          settingsOpen = false;
          say("Settings saved.");
          show(current, true);
        })
        .catch((error: UiError) => {
          renderSettings(app, view, settingsActions, error, { baseUrl, projectId });
          say(error.message);
        });
    },
    close: () => {
      settingsOpen = false;
      show(current, true);
    },
  };
  renderSettings(app, view, settingsActions);
  say("Server settings");
}

async function start(): Promise<void> {
  await onState((state) => show(state));
  show(await call("flow_state"), true);
}

start().catch(report);
