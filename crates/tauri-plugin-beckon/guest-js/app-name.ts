// The name the view calls the app by ("open Beckon", the header), set by `mountSignIn`.

import { tr } from "./i18n";

let name: string | null = null;

/** The app's name, as the view says it ("this app", in the view's language, when unset). */
export function appName(): string {
  return name ?? tr("this-app");
}

/** Calls the app `value` from now on. */
export function setAppName(value: string): void {
  name = value;
}
