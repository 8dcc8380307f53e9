// Renders a FlowState into the page. No Tauri calls here: `main.ts` wires the actions, so
// this file is tested in jsdom (test/view.test.ts).

import { countdown, looksLikeEmail, remaining, retryLabel, since } from "./format";
import type { FlowState } from "./types";

export interface Actions {
  signIn(email: string): void;
  cancel(): void;
  signOut(): void;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

/** The countdown ring around the number: a circle that empties as the link nears expiry. */
function ring(): { svg: SVGSVGElement; update(fraction: number): void } {
  const radius = 104;
  const length = 2 * Math.PI * radius;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 232 232");
  svg.setAttribute("class", "ring");
  svg.setAttribute("aria-hidden", "true");
  const circle = (cls: string) => {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", "116");
    c.setAttribute("cy", "116");
    c.setAttribute("r", String(radius));
    c.setAttribute("class", cls);
    svg.append(c);
    return c;
  };
  circle("ring-track");
  const left = circle("ring-left");
  left.setAttribute("stroke-dasharray", length.toFixed(2));
  left.setAttribute("data-testid", "ring");
  return {
    svg,
    update(fraction) {
      left.setAttribute("stroke-dashoffset", (length * (1 - fraction)).toFixed(2));
      left.setAttribute("data-left", fraction.toFixed(3));
      left.classList.toggle("low", fraction < 0.1);
    },
  };
}

function brand(): HTMLElement {
  return el("header", { class: "brand" }, el("span", { class: "logo", "aria-hidden": "true" }, "B"), "Beckon");
}

type EmailState = Extract<FlowState, { screen: "enterEmail" | "sending" | "failed" }>;

function emailScreen(root: HTMLElement, state: EmailState, actions: Actions, now: () => number): () => void {
  const sending = state.screen === "sending";
  const input = el("input", {
    type: "email",
    id: "email",
    name: "email",
    autocomplete: "email",
    placeholder: "you@example.com",
    required: "",
    "data-testid": "email-input",
  });
  input.value = state.email;
  const submit = el(
    "button",
    { type: "submit", class: "primary", "data-testid": "email-submit" },
    sending ? "Sending…" : state.screen === "failed" ? retryLabel(state.error.code) : "Send link",
  );
  const hint = el("p", { class: "hint", id: "email-hint" });
  const form = el(
    "form",
    { class: "stack", novalidate: "" },
    el("label", { for: "email" }, "Email"),
    input,
    hint,
    submit,
  );
  if (sending) {
    input.disabled = true;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!looksLikeEmail(value)) {
      hint.textContent = "Enter an email address like you@example.com.";
      hint.classList.add("bad");
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    actions.signIn(value);
  });

  const children: Node[] = [
    brand(),
    el("h1", {}, "Sign in"),
    el("p", { class: "lead" }, "We'll email you three numbered links. Tap the one whose number this window shows."),
  ];
  if (state.screen === "failed") {
    children.push(el("div", { class: "error", "data-testid": "error", "data-code": state.error.code }, state.error.message));
  } else if (state.screen === "enterEmail" && state.notice) {
    children.push(el("div", { class: "notice", "data-testid": "notice" }, state.notice));
  }
  children.push(form);
  root.replaceChildren(...children);
  if (!sending) input.focus();

  // Rate-limited: the button waits out the server's Retry-After, counting down.
  if (state.screen === "failed" && state.error.code === "rate_limited") {
    const until = now() + (state.error.retryAfterSecs ?? 60) * 1000;
    const label = submit.textContent ?? "";
    const tick = (): boolean => {
      const left = Math.ceil((until - now()) / 1000);
      submit.disabled = left > 0;
      submit.textContent = left > 0 ? `Try again in ${left}s` : label;
      return left > 0;
    };
    if (tick()) {
      const timer = window.setInterval(() => {
        if (!tick()) window.clearInterval(timer);
      }, 1000);
      return () => window.clearInterval(timer);
    }
  }
  return () => {};
}

function waitingScreen(
  root: HTMLElement,
  state: Extract<FlowState, { screen: "waiting" }>,
  actions: Actions,
  now: () => number,
): () => void {
  const timer = el("span", { class: "timer", "data-testid": "countdown" }, countdown(state.expiresAtMs, now()));
  const dial = ring();
  dial.update(remaining(state.sentAtMs, state.expiresAtMs, now()));
  const status = el(
    "p",
    { class: state.reconnecting ? "status bad" : "status", "data-testid": "wait-status" },
    state.reconnecting ? "Can't reach the server — reconnecting…" : "Waiting for your tap…",
  );
  const cancel = el("button", { type: "button", class: "secondary", "data-testid": "cancel" }, "Cancel");
  cancel.addEventListener("click", () => actions.cancel());
  // A new request: new links and a new number; the old ones are abandoned.
  const resend = el("button", { type: "button", class: "link", "data-testid": "resend" }, "Send new links");
  resend.addEventListener("click", () => actions.signIn(state.email));
  // Back to the email screen, the address kept for editing.
  const other = el("button", { type: "button", class: "link", "data-testid": "different-email" }, "Use a different email");
  other.addEventListener("click", () => actions.cancel());
  root.replaceChildren(
    el(
      "section",
      { class: "stack center", "data-testid": "waiting" },
      brand(),
      el("p", { class: "lead" }, "Open the email on your phone and tap the link numbered"),
      el(
        "div",
        { class: "dial" },
        dial.svg,
        el("div", { class: "number", "data-testid": "link-number", "aria-label": `Link number ${state.linkId}` }, state.linkId),
      ),
      el("p", {}, "Sent to ", el("strong", { "data-testid": "masked-email" }, state.maskedEmail)),
      el("p", { class: "hint" }, "The link expires in ", timer),
      status,
      cancel,
      el("div", { class: "row" }, resend, other),
    ),
  );
  cancel.focus();
  const tick = window.setInterval(() => {
    timer.textContent = countdown(state.expiresAtMs, now());
    dial.update(remaining(state.sentAtMs, state.expiresAtMs, now()));
  }, 1000);
  return () => window.clearInterval(tick);
}

function signedInScreen(
  root: HTMLElement,
  state: Extract<FlowState, { screen: "signedIn" }>,
  actions: Actions,
  now: () => number,
): void {
  const signOut = el("button", { type: "button", class: "secondary", "data-testid": "sign-out" }, "Sign out");
  signOut.addEventListener("click", () => actions.signOut());
  const children: Node[] = [
    brand(),
    el("div", { class: "check", "aria-hidden": "true" }, "✓"),
    el("h1", {}, state.name ? `Welcome, ${state.name}` : "You're signed in"),
    el("p", {}, "Signed in as ", el("strong", { "data-testid": "user-email" }, state.email)),
    el("p", { class: "hint", "data-testid": "since" }, `Signed in on this computer ${since(state.sinceMs, now())}`),
  ];
  if (!state.remembered) {
    children.push(
      el(
        "div",
        { class: "notice", "data-testid": "not-remembered" },
        "This computer has no keyring Beckon can use, so you'll be asked to sign in again next time.",
      ),
    );
  }
  children.push(signOut);
  root.replaceChildren(el("section", { class: "stack center", "data-testid": "signed-in" }, ...children));
  signOut.focus();
}

function restoringScreen(root: HTMLElement, state: Extract<FlowState, { screen: "restoring" }>, actions: Actions): void {
  const other = el("button", { type: "button", class: "secondary", "data-testid": "use-another" }, "Sign in with another email");
  other.addEventListener("click", () => actions.signOut());
  const children: Node[] = [
    brand(),
    el("div", { class: "spinner", "aria-hidden": "true" }),
    el(
      "p",
      { class: state.reconnecting ? "status bad" : "status", "data-testid": "restoring" },
      state.reconnecting ? "Can't reach the server — reconnecting…" : "Signing you back in…",
    ),
  ];
  if (state.reconnecting) children.push(other);
  root.replaceChildren(el("section", { class: "stack center", "aria-busy": "true" }, ...children));
}

/** Shows `state`; returns a function that stops any timers the screen started. */
export function render(root: HTMLElement, state: FlowState, actions: Actions, now: () => number = Date.now): () => void {
  switch (state.screen) {
    case "waiting":
      return waitingScreen(root, state, actions, now);
    case "signedIn":
      signedInScreen(root, state, actions, now);
      return () => {};
    case "restoring":
      restoringScreen(root, state, actions);
      return () => {};
    case "enterEmail":
    case "sending":
    case "failed":
      return emailScreen(root, state, actions, now);
  }
}

/**
 * What a screen reader should say about `state`: the page's one live region (`#announce`,
 * outside the re-rendered screen) carries it, so the ticking countdown is never read out and
 * each change is said once.
 */
export function announcement(state: FlowState): string {
  switch (state.screen) {
    case "restoring":
      return state.reconnecting ? "Can't reach the server. Reconnecting…" : "Signing you back in…";
    case "enterEmail":
      return state.notice ?? "";
    case "sending":
      return "Sending the links…";
    case "waiting":
      return state.reconnecting
        ? `Can't reach the server. Reconnecting… Your number is still ${state.linkId}.`
        : `Links sent to ${state.maskedEmail}. Tap link number ${state.linkId}.`;
    case "signedIn":
      return `Signed in as ${state.email}.`;
    case "failed":
      return state.error.message;
  }
}
