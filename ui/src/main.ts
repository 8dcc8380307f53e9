// Connects the view to the Rust side (through ./ipc): commands out, state events in.

import type { SessionError, SessionState } from "./bindings";
import { call, onState } from "./ipc";
import { errorText } from "./words";
import { announcement, render, renderSettings, type Actions, type SettingsActions } from "./view";

const root = document.getElementById("app");
if (!root) throw new Error("the page has no #app element");
const app: HTMLElement = root;
const announcer = document.getElementById("announce");

let stop: () => void = () => {};
let current: SessionState = { screen: "restoring", reconnecting: false };
let settingsOpen = false;

function show(state: SessionState, force = false): void {
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

/** A rejected command's reason: the Rust side's error, or whatever Tauri said. */
function isSessionError(error: unknown): error is SessionError {
  return typeof error === "object" && error !== null && "code" in error;
}

function report(error: unknown): void {
  show({
    screen: "failed",
    email: "",
    error: isSessionError(error) ? error : { code: "server", serverCode: null },
    mode: "signUpOrIn",
  });
  if (!isSessionError(error)) console.error("beckon: a command failed", error);
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
        .catch((error: unknown) => {
          const reason: SessionError = isSessionError(error) ? error : { code: "server", serverCode: null };
          renderSettings(app, view, settingsActions, reason, { baseUrl, projectId });
          say(errorText(reason));
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
