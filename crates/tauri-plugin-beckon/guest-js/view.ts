// Renders a SessionState into the page. No Tauri calls here: `mount.ts` wires the actions, so
// this file is tested in jsdom (the app's ui/test/view.test.ts).

import { countdown, looksLikeEmail, remaining, retryLabel, since } from "./format";
import type { EmailChange, Mode, SessionError, SessionState, SettingsView } from "./bindings";
import { errorText, noticeText } from "./words";
import { appName } from "./app-name";

export interface Actions {
  /** Starts a sign-in; without `mode`, of the kind last asked for. */
  signIn(email: string, mode?: Mode): void;
  cancel(): void;
  signOut(): void;
  sendMagicLink(email: string): void;
  changeEmail(email: string): void;
  cancelEmailChange(): void;
  /** Sends the code typed from the email: `null` when taken (the sign-in follows as after a
   * tap), else why not. */
  enterCode(code: string): Promise<SessionError | null>;
  /** Opens the server settings; `null`: the view offers none. */
  openSettings: (() => void) | null;
}

export interface SettingsActions {
  save(baseUrl: string, projectId: string): void;
  close(): void;
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
  const name = appName();
  return el("header", { class: "brand" }, el("span", { class: "logo", "aria-hidden": "true" }, name.slice(0, 1).toUpperCase()), name);
}

type EmailState = Extract<SessionState, { screen: "enterEmail" | "sending" | "failed" }>;

const MODES: { mode: Mode; label: string }[] = [
  { mode: "signUpOrIn", label: "Sign in or up" },
  { mode: "signIn", label: "Sign in" },
  { mode: "signUp", label: "Sign up" },
];

/** The sign-in kind, as a row of radio buttons (arrow keys move between them). */
function modePicker(selected: Mode, disabled: boolean): { node: HTMLElement; value(): Mode } {
  const inputs = MODES.map(({ mode, label }) => {
    const input = el("input", { type: "radio", name: "mode", value: mode, "data-testid": `mode-${mode}` });
    input.checked = mode === selected;
    input.disabled = disabled;
    return { input, node: el("label", { class: "segment" }, input, el("span", {}, label)) };
  });
  const node = el(
    "fieldset",
    { class: "modes", "data-testid": "mode" },
    el("legend", { class: "visually-hidden" }, "Account"),
    ...inputs.map((i) => i.node),
  );
  return { node, value: () => (inputs.find((i) => i.input.checked)?.input.value as Mode | undefined) ?? selected };
}

/** Unknown email on sign-in, known one on sign-up: the other mode, offered by one button. */
function offer(code: string): { mode: Mode; label: string } | null {
  if (code === "unknown_user") return { mode: "signUp", label: "Create an account" };
  if (code === "user_exists") return { mode: "signIn", label: "Sign in instead" };
  return null;
}

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
  const picker = modePicker(state.mode, sending);
  const form = el(
    "form",
    { class: "stack", novalidate: "" },
    picker.node,
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
  // The typed address, or null (with a hint, the field focused) when it is not one.
  const typed = (): string | null => {
    const value = input.value.trim();
    if (looksLikeEmail(value)) return value;
    hint.textContent = "Enter an email address like you@example.com.";
    hint.classList.add("bad");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return null;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = typed();
    if (value) actions.signIn(value, picker.value());
  });

  const openSettings = actions.openSettings;
  const footer = el("div", { class: "row footer" });
  if (openSettings) {
    const settings = el("button", { type: "button", class: "link", "data-testid": "open-settings" }, "Server settings");
    settings.addEventListener("click", () => openSettings());
    footer.append(settings);
  }
  const children: Node[] = [
    brand(),
    el("h1", {}, state.mode === "signUp" ? "Create an account" : "Sign in"),
    el("p", { class: "lead" }, "We'll email you three numbered links. Tap the one whose number this window shows."),
  ];
  const other = state.screen === "failed" ? offer(state.error.code) : null;
  if (state.screen === "failed") {
    const error = el("div", { class: "error", "data-testid": "error", "data-code": state.error.code }, errorText(state.error));
    if (other) {
      const button = el("button", { type: "button", class: "secondary", "data-testid": "offer-other" }, other.label);
      button.addEventListener("click", () => {
        const value = typed();
        if (value) actions.signIn(value, other.mode);
      });
      error.append(el("div", { class: "offer" }, button));
    }
    children.push(error);
  } else if (state.screen === "enterEmail" && state.notice) {
    children.push(el("div", { class: "notice", "data-testid": "notice" }, noticeText(state.notice)));
  }
  children.push(form, footer);
  root.replaceChildren(...children);
  if (!sending) (other ? root.querySelector<HTMLElement>("[data-testid=offer-other]") ?? input : input).focus();

  // Rate-limited: the button waits out the server's Retry-After, counting down.
  if (state.screen === "failed" && state.error.code === "rate_limited") {
    const until = now() + (state.error.retryAfterSecs ?? 60) * 1000;
    const label = submit.textContent ?? "";
    const tick = (): boolean => {
      const left = Math.ceil((until - now()) / 1000);
      submit.disabled = left > 0;
      submit.textContent = left > 0 ? `Try again in ${left < 60 ? `${left}s` : countdown(until, now())}` : label;
      return left > 0;
    };
    if (tick()) {
      const timer = window.setInterval(() => {
        if (!tick()) window.clearInterval(timer);
      }, 1000);
      return () => window.clearInterval(timer);
    }
  }
  // Paused after a "No": the message counts the pause down; the button stays, as the owner may
  // lift the pause from the email at any moment.
  if (state.screen === "failed" && state.error.code === "paused" && state.error.retryAfterSecs !== null) {
    const until = now() + state.error.retryAfterSecs * 1000;
    const message = root.querySelector<HTMLElement>("[data-testid=error]");
    const tick = (): boolean => {
      const left = Math.max(0, Math.ceil((until - now()) / 1000));
      if (message?.firstChild) message.firstChild.textContent = errorText({ code: "paused", retryAfterSecs: left });
      return left > 0;
    };
    const timer = window.setInterval(() => {
      if (!tick()) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }
  return () => {};
}

/** How long the waiting screen waits before it offers help: a minute, or half the links'
 * lifetime when that is shorter. */
export function helpAfterMs(sentAtMs: number, expiresAtMs: number): number {
  return Math.min(60_000, Math.max(0, (expiresAtMs - sentAtMs) / 2));
}

/** The code form's draft, kept while the same number waits (the screen is drawn again when
 * the connection comes and goes). */
let codeDraft: { linkId: string; open: boolean; value: string } = { linkId: "", open: false, value: "" };

/** "Enter the code instead": a form for the code in the email, secondary to the tap. */
function codeForm(state: Extract<SessionState, { screen: "waiting" }>, actions: Actions): HTMLElement {
  if (codeDraft.linkId !== state.linkId) codeDraft = { linkId: state.linkId, open: false, value: "" };
  const box = el("div", { class: "stack code", "data-testid": "code-box" });
  const show = el("button", { type: "button", class: "link", "data-testid": "show-code" }, "Enter the code instead");
  const input = el("input", {
    type: "text",
    id: "code-input",
    "data-testid": "code-input",
    autocomplete: "one-time-code",
    autocapitalize: "characters",
    spellcheck: "false",
    maxlength: "16",
    placeholder: "ABCD-EFGH",
  });
  input.value = codeDraft.value;
  input.addEventListener("input", () => (codeDraft.value = input.value));
  const submit = el("button", { type: "submit", class: "secondary", "data-testid": "code-submit" }, "Confirm code");
  const problem = el("p", { class: "error", role: "alert", "data-testid": "code-error", hidden: "" });
  const form = el(
    "form",
    { class: "stack", "data-testid": "code-form" },
    el("label", { for: "code-input" }, "The code in the email, under the links"),
    input,
    submit,
    problem,
    el("p", { class: "hint" }, "Type it only here, where you started signing in. Never tell it to anyone."),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) return input.focus();
    submit.disabled = true;
    void actions.enterCode(code).then((error) => {
      submit.disabled = false;
      if (error === null) return;
      problem.hidden = false;
      problem.dataset["code"] = error.code;
      problem.textContent = errorText(error);
      input.select();
    });
  });
  const open = () => {
    codeDraft.open = true;
    show.replaceWith(form);
    input.focus();
  };
  show.addEventListener("click", open);
  box.append(codeDraft.open ? form : show);
  return box;
}

function waitingScreen(
  root: HTMLElement,
  state: Extract<SessionState, { screen: "waiting" }>,
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
  // Same computer: a magic link whose click opens the app (its deep link) instead.
  const here = el("button", { type: "button", class: "link", "data-testid": "send-magic" }, "Reading email on this computer?");
  here.addEventListener("click", () => actions.sendMagicLink(state.email));
  // After a minute without a tap: where the email comes from, and what else to try.
  const help = el(
    "div",
    { class: "notice help", "data-testid": "help", hidden: "" },
    el("strong", {}, "No email yet?"),
    el(
      "p",
      {},
      `It comes from ${appName()}'s sign-in server, with the subject “Your ${appName()} sign-in link”. ` +
        "Look in your spam or junk folder too; some mail takes a few minutes. " +
        "You can send new links, or type the code from the email below.",
    ),
  );
  const code = codeForm(state, actions);
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
      el("div", { class: "row" }, here),
      help,
      code,
    ),
  );
  if (codeDraft.open) code.querySelector<HTMLElement>("input")?.focus();
  else cancel.focus();
  const helpAt = state.sentAtMs + helpAfterMs(state.sentAtMs, state.expiresAtMs);
  const tick = (): void => {
    timer.textContent = countdown(state.expiresAtMs, now());
    dial.update(remaining(state.sentAtMs, state.expiresAtMs, now()));
    help.hidden = now() < helpAt;
  };
  tick();
  const timerId = window.setInterval(tick, 1000);
  return () => window.clearInterval(timerId);
}

function signedInScreen(
  root: HTMLElement,
  state: Extract<SessionState, { screen: "signedIn" }>,
  actions: Actions,
  now: () => number,
): () => void {
  const signOut = el("button", { type: "button", class: "secondary", "data-testid": "sign-out" }, "Sign out");
  signOut.addEventListener("click", () => actions.signOut());
  // While a new address waits for its tap, its number takes the room of the check mark.
  const changing = state.change?.step === "waiting";
  const children: Node[] = [brand()];
  if (!changing) children.push(el("div", { class: "check", "aria-hidden": "true" }, "✓"));
  children.push(
    el("h1", {}, state.name ? `Welcome, ${state.name}` : "You're signed in"),
    el("p", {}, "Signed in as ", el("strong", { "data-testid": "user-email" }, state.email)),
    el("p", { class: "hint", "data-testid": "since" }, `Signed in on this computer ${since(state.sinceMs, now())}`),
  );
  if (state.notice) children.push(el("div", { class: "notice", "data-testid": "notice" }, noticeText(state.notice)));
  if (!state.remembered) {
    children.push(
      el(
        "div",
        { class: "notice", "data-testid": "not-remembered" },
        `This computer has no keyring ${appName()} can use, so you'll be asked to sign in again next time.`,
      ),
    );
  }
  const panel = el("div", { class: changing ? "stack card" : "stack" });
  let stop = () => {};
  const showChange = (change: EmailChange | null, open: boolean) => {
    stop();
    stop = changePanel(panel, state.email, change, open, actions, now, (o) => showChange(null, o));
  };
  showChange(state.change, state.change !== null);
  children.push(panel, signOut);
  root.replaceChildren(el("section", { class: "stack center", "data-testid": "signed-in" }, ...children));
  if (state.change === null) signOut.focus();
  else panel.querySelector<HTMLElement>("input:not([disabled]), button")?.focus();
  return () => stop();
}

/**
 * The "Change email" part of the signed-in view: a button, the form it opens, and then the
 * number to tap in the email sent to the new address.
 */
function changePanel(
  panel: HTMLElement,
  current: string,
  change: EmailChange | null,
  open: boolean,
  actions: Actions,
  now: () => number,
  toggle: (open: boolean) => void,
): () => void {
  if (change?.step === "waiting") {
    const timer = el("span", { class: "timer", "data-testid": "change-countdown" }, countdown(change.expiresAtMs, now()));
    const cancel = el("button", { type: "button", class: "secondary", "data-testid": "change-cancel" }, "Cancel change");
    cancel.addEventListener("click", () => actions.cancelEmailChange());
    panel.replaceChildren(
      el("h2", {}, "Confirm your new address"),
      el("p", {}, "Tap the link numbered"),
      el("div", { class: "number small", "data-testid": "change-number", "aria-label": `Link number ${change.linkId}` }, change.linkId),
      el("p", {}, "in the email sent to ", el("strong", { "data-testid": "change-masked" }, change.maskedEmail)),
      el("p", { class: "hint" }, "The link expires in ", timer),
      el(
        "p",
        { class: change.reconnecting ? "status bad" : "status" },
        change.reconnecting ? "Can't reach the server — reconnecting…" : "Waiting for your tap…",
      ),
      cancel,
    );
    const tick = window.setInterval(() => {
      timer.textContent = countdown(change.expiresAtMs, now());
    }, 1000);
    return () => window.clearInterval(tick);
  }
  if (!open) {
    const start = el("button", { type: "button", class: "link", "data-testid": "change-email" }, "Change email");
    start.addEventListener("click", () => {
      toggle(true);
      panel.querySelector<HTMLElement>("input")?.focus();
    });
    panel.replaceChildren(start);
    return () => {};
  }
  const sending = change?.step === "sending";
  const input = el("input", {
    type: "email",
    id: "new-email",
    autocomplete: "email",
    placeholder: "new@example.com",
    "data-testid": "change-input",
  });
  input.value = change?.newEmail ?? "";
  const hint = el("p", { class: "hint", id: "new-email-hint" });
  const send = el("button", { type: "submit", class: "primary", "data-testid": "change-submit" }, sending ? "Sending…" : "Send links");
  const keep = el("button", { type: "button", class: "link", "data-testid": "change-keep" }, "Keep my email");
  keep.addEventListener("click", () => (change ? actions.cancelEmailChange() : toggle(false)));
  if (sending) {
    input.disabled = true;
    send.disabled = true;
    send.setAttribute("aria-busy", "true");
  }
  const form = el(
    "form",
    { class: "stack change", novalidate: "" },
    el("label", { for: "new-email" }, "New email"),
    input,
    hint,
    send,
    keep,
  );
  if (change?.step === "failed") {
    form.prepend(el("div", { class: "error", "data-testid": "change-error", "data-code": change.error.code }, errorText(change.error)));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    const bad = !looksLikeEmail(value)
      ? "Enter an email address like you@example.com."
      : value.toLowerCase() === current.toLowerCase()
        ? "That's already your email."
        : null;
    if (bad) {
      hint.textContent = bad;
      hint.classList.add("bad");
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    actions.changeEmail(value);
  });
  panel.replaceChildren(form);
  return () => {};
}

function magicSentScreen(
  root: HTMLElement,
  state: Extract<SessionState, { screen: "magicSent" }>,
  actions: Actions,
  now: () => number,
): () => void {
  const timer = el("span", { class: "timer", "data-testid": "magic-countdown" }, countdown(state.expiresAtMs, now()));
  const cancel = el("button", { type: "button", class: "secondary", "data-testid": "cancel" }, "Cancel");
  cancel.addEventListener("click", () => actions.cancel());
  const phone = el("button", { type: "button", class: "link", "data-testid": "use-phone" }, "Use my phone instead");
  phone.addEventListener("click", () => actions.signIn(state.email));
  root.replaceChildren(
    el(
      "section",
      { class: "stack center", "data-testid": "magic-sent" },
      brand(),
      el("div", { class: "check mail", "aria-hidden": "true" }, "✉"),
      el("h1", {}, "Check your email here"),
      el("p", {}, "We sent a sign-in link to ", el("strong", { "data-testid": "magic-masked" }, state.maskedAddress), "."),
      el("p", { class: "lead" }, `Open it on this computer and click the link: it opens ${appName()} and signs you in.`),
      el("p", { class: "hint" }, "The link expires in ", timer),
      cancel,
      el("div", { class: "row" }, phone),
    ),
  );
  cancel.focus();
  const tick = window.setInterval(() => {
    timer.textContent = countdown(state.expiresAtMs, now());
  }, 1000);
  return () => window.clearInterval(tick);
}

function restoringScreen(root: HTMLElement, state: Extract<SessionState, { screen: "restoring" }>, actions: Actions): void {
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
export function render(root: HTMLElement, state: SessionState, actions: Actions, now: () => number = Date.now): () => void {
  switch (state.screen) {
    case "waiting":
      return waitingScreen(root, state, actions, now);
    case "signedIn":
      return signedInScreen(root, state, actions, now);
    case "magicSent":
      return magicSentScreen(root, state, actions, now);
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
export function announcement(state: SessionState): string {
  switch (state.screen) {
    case "restoring":
      return state.reconnecting ? "Can't reach the server. Reconnecting…" : "Signing you back in…";
    case "enterEmail":
      return state.notice ? noticeText(state.notice) : "";
    case "sending":
      return "Sending the links…";
    case "waiting":
      return state.reconnecting
        ? `Can't reach the server. Reconnecting… Your number is still ${state.linkId}.`
        : `Links sent to ${state.maskedEmail}. Tap link number ${state.linkId}.`;
    case "magicSent":
      return `Sign-in link sent to ${state.maskedAddress}. Open it on this computer.`;
    case "signedIn":
      return signedInAnnouncement(state);
    case "failed":
      return errorText(state.error);
  }
}

function signedInAnnouncement(state: Extract<SessionState, { screen: "signedIn" }>): string {
  switch (state.change?.step) {
    case "sending":
      return `Sending links to ${state.change.newEmail}…`;
    case "waiting":
      return `Links sent to ${state.change.maskedEmail}. Tap link number ${state.change.linkId} to confirm your new address.`;
    case "failed":
      return errorText(state.change.error);
    default:
      return state.notice ? noticeText(state.notice) : `Signed in as ${state.email}.`;
  }
}

/**
 * Settings: which server to sign in with. A beckon-server's address, or a Descope project ID
 * for Descope's cloud (or both, for a custom Descope address).
 */
export function renderSettings(
  root: HTMLElement,
  view: SettingsView,
  actions: SettingsActions,
  error: SessionError | null = null,
  typed: { baseUrl: string; projectId: string } | null = null,
): void {
  const field = (id: string, label: string, value: string, placeholder: string, help: string) => {
    const input = el("input", { type: "text", id, placeholder, spellcheck: "false", "data-testid": id, "aria-describedby": `${id}-help` });
    input.value = value;
    input.disabled = view.fromEnvironment;
    return {
      input,
      nodes: [el("label", { for: id }, label), input, el("p", { class: "hint", id: `${id}-help` }, help)],
    };
  };
  const base = field(
    "base-url",
    "Server address",
    typed?.baseUrl ?? view.baseUrl,
    view.defaultBaseUrl,
    `A beckon-server, like ${view.defaultBaseUrl}. Leave empty for Descope's cloud.`,
  );
  const project = field(
    "project-id",
    "Descope project ID",
    typed?.projectId ?? view.projectId,
    "P2…",
    "For Descope's cloud. Leave empty for a beckon-server, which says its own.",
  );
  const save = el("button", { type: "submit", class: "primary", "data-testid": "settings-save" }, "Save and use");
  const back = el("button", { type: "button", class: "secondary", "data-testid": "settings-back" }, "Back");
  back.addEventListener("click", () => actions.close());
  save.disabled = view.fromEnvironment;
  const form = el("form", { class: "stack", novalidate: "" }, ...base.nodes, ...project.nodes, save, back);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.save(base.input.value.trim(), project.input.value.trim());
  });
  const children: Node[] = [brand(), el("h1", {}, "Server settings")];
  if (view.fromEnvironment) {
    children.push(
      el(
        "div",
        { class: "notice", "data-testid": "settings-env" },
        `Set by BECKON_BASE_URL / BECKON_PROJECT_ID for this run. Start ${appName()} without them to change it here.`,
      ),
    );
  }
  if (error) children.push(el("div", { class: "error", "data-testid": "settings-error" }, errorText(error)));
  children.push(form);
  root.replaceChildren(el("section", { "data-testid": "settings" }, ...children));
  (view.fromEnvironment ? back : base.input).focus();
}
