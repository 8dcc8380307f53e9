// Connects the view to the Rust side: commands out, `flow-state` events in.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { FlowState } from "./types";
import { announcement, render, type Actions } from "./view";

const root = document.getElementById("app");
if (!root) throw new Error("the page has no #app element");
const app: HTMLElement = root;
const announcer = document.getElementById("announce");

let stop: () => void = () => {};

function show(state: FlowState): void {
  stop();
  stop = render(app, state, actions);
  const words = announcement(state);
  if (announcer && announcer.textContent !== words) announcer.textContent = words;
}

function report(error: unknown): void {
  show({
    screen: "failed",
    email: "",
    error: { code: "server", message: `The app could not do that: ${String(error)}` },
  });
}

const actions: Actions = {
  signIn: (email) => void invoke("start_sign_in", { email }).catch(report),
  cancel: () => void invoke("cancel_sign_in").catch(report),
  signOut: () => void invoke("sign_out").catch(report),
  changeEmail: (email) => void invoke("change_email", { email }).catch(report),
  cancelEmailChange: () => void invoke("cancel_email_change").catch(report),
};

async function start(): Promise<void> {
  await listen<FlowState>("flow-state", (event) => show(event.payload));
  show(await invoke<FlowState>("flow_state"));
}

start().catch(report);
