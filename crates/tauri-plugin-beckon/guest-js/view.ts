// Renders a SessionState into the page. No Tauri calls here: `mount.ts` wires the actions, so
// this file is tested in jsdom (the app's ui/test/view.test.ts).

import { countdown, looksLikeEmail, remaining, retryLabel, since } from "./format";
import type { EmailChange, Mode, SessionError, SessionState, SettingsView, ViewWords } from "./bindings";
import { errorText, noticeText } from "./words";
import { appName } from "./app-name";
import { tr, trNodes } from "./i18n";

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
  /** Speaks `language` (`null`: the system's). */
  setLanguage(language: string | null): void;
}

/** A language's name in itself ("Deutsch", "العربية"), as `Intl` knows it. */
function autonym(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The language chooser: the system's language, or one the view speaks, each named in
 * itself. */
function languagePicker(words: Pick<ViewWords, "chosen" | "system" | "languages">, actions: SettingsActions): Node[] {
  const select = el("select", { id: "language", "data-testid": "language" });
  // `data-name`: the language's own name in the option, which no translation changes.
  const systemName = autonym(words.system);
  const system = el("option", { value: "", "data-name": systemName }, tr("language-system", { language: systemName }));
  select.append(system);
  for (const tag of words.languages) {
    const option = el("option", { value: tag, lang: tag, "data-name": autonym(tag) }, autonym(tag));
    option.selected = words.chosen === tag;
    select.append(option);
  }
  if (!words.chosen) system.selected = true;
  select.addEventListener("change", () => actions.setLanguage(select.value || null));
  return [el("label", { for: "language" }, tr("language-label")), select];
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

const MODES: { mode: Mode; label: () => string }[] = [
  { mode: "signUpOrIn", label: () => tr("mode-sign-up-or-in") },
  { mode: "signIn", label: () => tr("mode-sign-in") },
  { mode: "signUp", label: () => tr("mode-sign-up") },
];

/** The sign-in kind, as a row of radio buttons (arrow keys move between them). */
function modePicker(selected: Mode, disabled: boolean): { node: HTMLElement; value(): Mode } {
  const inputs = MODES.map(({ mode, label }) => {
    const input = el("input", { type: "radio", name: "mode", value: mode, "data-testid": `mode-${mode}` });
    input.checked = mode === selected;
    input.disabled = disabled;
    return { input, node: el("label", { class: "segment" }, input, el("span", {}, label())) };
  });
  const node = el(
    "fieldset",
    { class: "modes", "data-testid": "mode" },
    el("legend", { class: "visually-hidden" }, tr("mode-legend")),
    ...inputs.map((i) => i.node),
  );
  return { node, value: () => (inputs.find((i) => i.input.checked)?.input.value as Mode | undefined) ?? selected };
}

/** Unknown email on sign-in, known one on sign-up: the other mode, offered by one button. */
function offer(code: string): { mode: Mode; label: string } | null {
  if (code === "unknown_user") return { mode: "signUp", label: tr("offer-sign-up") };
  if (code === "user_exists") return { mode: "signIn", label: tr("offer-sign-in") };
  return null;
}

function emailScreen(root: HTMLElement, state: EmailState, actions: Actions, now: () => number): () => void {
  const sending = state.screen === "sending";
  const input = el("input", {
    type: "email",
    id: "email",
    name: "email",
    autocomplete: "email",
    placeholder: tr("email-placeholder"),
    required: "",
    "data-testid": "email-input",
  });
  input.value = state.email;
  const submit = el(
    "button",
    { type: "submit", class: "primary", "data-testid": "email-submit" },
    sending ? tr("sending") : state.screen === "failed" ? retryLabel(state.error.code) : tr("send-link"),
  );
  const hint = el("p", { class: "hint", id: "email-hint" });
  const picker = modePicker(state.mode, sending);
  const form = el(
    "form",
    { class: "stack", novalidate: "" },
    picker.node,
    el("label", { for: "email" }, tr("email-label")),
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
    hint.textContent = tr("email-invalid");
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
    const settings = el("button", { type: "button", class: "link", "data-testid": "open-settings" }, tr("server-settings"));
    settings.addEventListener("click", () => openSettings());
    footer.append(settings);
  }
  const children: Node[] = [
    brand(),
    el("h1", {}, state.mode === "signUp" ? tr("heading-sign-up") : tr("heading-sign-in")),
    el("p", { class: "lead" }, tr("email-lead")),
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
      const wait = left < 60 ? tr("retry-in-seconds", { seconds: left }) : tr("retry-in", { time: countdown(until, now()) });
      submit.textContent = left > 0 ? wait : label;
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
  const show = el("button", { type: "button", class: "link", "data-testid": "show-code" }, tr("code-show"));
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
  const submit = el("button", { type: "submit", class: "secondary", "data-testid": "code-submit" }, tr("code-submit"));
  const problem = el("p", { class: "error", role: "alert", "data-testid": "code-error", hidden: "" });
  const form = el(
    "form",
    { class: "stack", "data-testid": "code-form" },
    el("label", { for: "code-input" }, tr("code-label")),
    input,
    submit,
    problem,
    el("p", { class: "hint" }, tr("code-hint")),
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
    state.reconnecting ? tr("reconnecting") : tr("waiting-for-tap"),
  );
  const cancel = el("button", { type: "button", class: "secondary", "data-testid": "cancel" }, tr("cancel"));
  cancel.addEventListener("click", () => actions.cancel());
  // A new request: new links and a new number; the old ones are abandoned.
  const resend = el("button", { type: "button", class: "link", "data-testid": "resend" }, tr("send-new-links"));
  resend.addEventListener("click", () => actions.signIn(state.email));
  // Back to the email screen, the address kept for editing.
  const other = el("button", { type: "button", class: "link", "data-testid": "different-email" }, tr("different-email"));
  other.addEventListener("click", () => actions.cancel());
  // Same computer: a magic link whose click opens the app (its deep link) instead.
  const here = el("button", { type: "button", class: "link", "data-testid": "send-magic" }, tr("reading-here"));
  here.addEventListener("click", () => actions.sendMagicLink(state.email));
  // After a minute without a tap: where the email comes from, and what else to try.
  const help = el(
    "div",
    { class: "notice help", "data-testid": "help", hidden: "" },
    el("strong", {}, tr("help-heading")),
    el("p", {}, tr("help-text", { app: appName() })),
  );
  const code = codeForm(state, actions);
  root.replaceChildren(
    el(
      "section",
      { class: "stack center", "data-testid": "waiting" },
      brand(),
      el("p", { class: "lead" }, tr("wait-lead")),
      el(
        "div",
        { class: "dial" },
        dial.svg,
        el(
          "div",
          { class: "number", dir: "ltr", "data-testid": "link-number", "aria-label": tr("link-number", { number: state.linkId }) },
          state.linkId,
        ),
      ),
      el("p", {}, ...trNodes("sent-to", { email: el("strong", { dir: "ltr", "data-testid": "masked-email" }, state.maskedEmail) })),
      el("p", { class: "hint" }, ...trNodes("expires-in", { time: timer })),
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
  const signOut = el("button", { type: "button", class: "secondary", "data-testid": "sign-out" }, tr("sign-out"));
  signOut.addEventListener("click", () => actions.signOut());
  // While a new address waits for its tap, its number takes the room of the check mark.
  const changing = state.change?.step === "waiting";
  const children: Node[] = [brand()];
  if (!changing) children.push(el("div", { class: "check", "aria-hidden": "true" }, "✓"));
  children.push(
    el("h1", {}, state.name ? tr("welcome", { name: state.name }) : tr("signed-in")),
    el("p", {}, ...trNodes("signed-in-as", { email: el("strong", { dir: "ltr", "data-testid": "user-email" }, state.email) })),
    el("p", { class: "hint", "data-testid": "since" }, since(state.sinceMs, now())),
  );
  if (state.notice) children.push(el("div", { class: "notice", "data-testid": "notice" }, noticeText(state.notice)));
  if (!state.remembered) {
    children.push(
      el(
        "div",
        { class: "notice", "data-testid": "not-remembered" },
        tr("not-remembered", { app: appName() }),
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
    const cancel = el("button", { type: "button", class: "secondary", "data-testid": "change-cancel" }, tr("change-cancel"));
    cancel.addEventListener("click", () => actions.cancelEmailChange());
    panel.replaceChildren(
      el("h2", {}, tr("change-heading")),
      el("p", {}, tr("change-tap")),
      el(
        "div",
        { class: "number small", dir: "ltr", "data-testid": "change-number", "aria-label": tr("link-number", { number: change.linkId }) },
        change.linkId,
      ),
      el("p", {}, ...trNodes("change-sent-to", { email: el("strong", { dir: "ltr", "data-testid": "change-masked" }, change.maskedEmail) })),
      el("p", { class: "hint" }, ...trNodes("expires-in", { time: timer })),
      el("p", { class: change.reconnecting ? "status bad" : "status" }, change.reconnecting ? tr("reconnecting") : tr("waiting-for-tap")),
      cancel,
    );
    const tick = window.setInterval(() => {
      timer.textContent = countdown(change.expiresAtMs, now());
    }, 1000);
    return () => window.clearInterval(tick);
  }
  if (!open) {
    const start = el("button", { type: "button", class: "link", "data-testid": "change-email" }, tr("change-email"));
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
    placeholder: tr("change-placeholder"),
    "data-testid": "change-input",
  });
  input.value = change?.newEmail ?? "";
  const hint = el("p", { class: "hint", id: "new-email-hint" });
  const send = el("button", { type: "submit", class: "primary", "data-testid": "change-submit" }, sending ? tr("sending") : tr("change-send"));
  const keep = el("button", { type: "button", class: "link", "data-testid": "change-keep" }, tr("change-keep"));
  keep.addEventListener("click", () => (change ? actions.cancelEmailChange() : toggle(false)));
  if (sending) {
    input.disabled = true;
    send.disabled = true;
    send.setAttribute("aria-busy", "true");
  }
  const form = el(
    "form",
    { class: "stack change", novalidate: "" },
    el("label", { for: "new-email" }, tr("change-label")),
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
      ? tr("email-invalid")
      : value.toLowerCase() === current.toLowerCase()
        ? tr("change-same")
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
  const cancel = el("button", { type: "button", class: "secondary", "data-testid": "cancel" }, tr("cancel"));
  cancel.addEventListener("click", () => actions.cancel());
  const phone = el("button", { type: "button", class: "link", "data-testid": "use-phone" }, tr("use-phone"));
  phone.addEventListener("click", () => actions.signIn(state.email));
  root.replaceChildren(
    el(
      "section",
      { class: "stack center", "data-testid": "magic-sent" },
      brand(),
      el("div", { class: "check mail", "aria-hidden": "true" }, "✉"),
      el("h1", {}, tr("magic-heading")),
      el("p", {}, ...trNodes("magic-sent-to", { address: el("strong", { dir: "ltr", "data-testid": "magic-masked" }, state.maskedAddress) })),
      el("p", { class: "lead" }, tr("magic-lead", { app: appName() })),
      el("p", { class: "hint" }, ...trNodes("expires-in", { time: timer })),
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
  const other = el("button", { type: "button", class: "secondary", "data-testid": "use-another" }, tr("use-another"));
  other.addEventListener("click", () => actions.signOut());
  const children: Node[] = [
    brand(),
    el("div", { class: "spinner", "aria-hidden": "true" }),
    el(
      "p",
      { class: state.reconnecting ? "status bad" : "status", "data-testid": "restoring" },
      state.reconnecting ? tr("reconnecting") : tr("restoring"),
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
      return state.reconnecting ? tr("announce-reconnecting") : tr("restoring");
    case "enterEmail":
      return state.notice ? noticeText(state.notice) : "";
    case "sending":
      return tr("announce-sending");
    case "waiting":
      return state.reconnecting
        ? tr("announce-waiting-reconnecting", { number: state.linkId })
        : tr("announce-waiting", { email: state.maskedEmail, number: state.linkId });
    case "magicSent":
      return tr("announce-magic", { address: state.maskedAddress });
    case "signedIn":
      return signedInAnnouncement(state);
    case "failed":
      return errorText(state.error);
  }
}

function signedInAnnouncement(state: Extract<SessionState, { screen: "signedIn" }>): string {
  switch (state.change?.step) {
    case "sending":
      return tr("announce-change-sending", { email: state.change.newEmail });
    case "waiting":
      return tr("announce-change-waiting", { email: state.change.maskedEmail, number: state.change.linkId });
    case "failed":
      return errorText(state.change.error);
    default:
      return state.notice ? noticeText(state.notice) : tr("announce-signed-in", { email: state.email });
  }
}

/**
 * Settings: which server to sign in with. A beckon-server's address, or a Descope project ID
 * for Descope's cloud (or both, for a custom Descope address).
 */
export function renderSettings(
  root: HTMLElement,
  view: SettingsView,
  words: Pick<ViewWords, "chosen" | "system" | "languages">,
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
    tr("base-url-label"),
    typed?.baseUrl ?? view.baseUrl,
    view.defaultBaseUrl,
    tr("base-url-help", { example: view.defaultBaseUrl }),
  );
  const project = field(
    "project-id",
    tr("project-id-label"),
    typed?.projectId ?? view.projectId,
    "P2…",
    tr("project-id-help"),
  );
  const save = el("button", { type: "submit", class: "primary", "data-testid": "settings-save" }, tr("settings-save"));
  const back = el("button", { type: "button", class: "secondary", "data-testid": "settings-back" }, tr("settings-back"));
  back.addEventListener("click", () => actions.close());
  save.disabled = view.fromEnvironment;
  const form = el("form", { class: "stack", novalidate: "" }, ...base.nodes, ...project.nodes, save, back);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.save(base.input.value.trim(), project.input.value.trim());
  });
  const children: Node[] = [brand(), el("h1", {}, tr("server-settings"))];
  if (view.fromEnvironment) {
    children.push(
      el(
        "div",
        { class: "notice", "data-testid": "settings-env" },
        tr("settings-from-environment", { app: appName() }),
      ),
    );
  }
  if (error) children.push(el("div", { class: "error", "data-testid": "settings-error" }, errorText(error)));
  children.push(form, el("div", { class: "stack language" }, ...languagePicker(words, actions)));
  root.replaceChildren(el("section", { "data-testid": "settings" }, ...children));
  (view.fromEnvironment ? back : base.input).focus();
}
