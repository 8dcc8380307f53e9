// The one way the window calls Rust and hears from it: typed by the generated bindings, so a
// command, an argument or an answer that changes in Rust fails `tsc` here.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { STATE_EVENT, type Commands, type SessionState } from "./bindings";

type Args<K extends keyof Commands> = Commands[K]["args"];

/** Calls the command `name`; a command that fails rejects with its `SessionError`. */
export function call<K extends keyof Commands>(
  name: K,
  ...args: keyof Args<K> extends never ? [] : [Args<K>]
): Promise<Commands[K]["returns"]> {
  return invoke<Commands[K]["returns"]>(name, args[0]);
}

/** Every state the flow moves to, as it happens. */
export function onState(handle: (state: SessionState) => void): Promise<UnlistenFn> {
  return listen<SessionState>(STATE_EVENT, (event) => handle(event.payload));
}
