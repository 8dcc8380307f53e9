// The name the view calls the app by ("open Beckon", the header), set by `mountSignIn`.

let name = "this app";

/** The app's name, as the view says it. */
export function appName(): string {
  return name;
}

/** Calls the app `value` from now on. */
export function setAppName(value: string): void {
  name = value;
}
