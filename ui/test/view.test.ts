import { announcement, helpAfterMs, render, renderSettings, type Actions } from "../../crates/tauri-plugin-beckon/guest-js/view";
import type { SessionError, SessionState } from "../../crates/tauri-plugin-beckon/guest-js/bindings";
import { speak } from "./setup";

function setup(state: SessionState, now = () => 0, codeAnswer: SessionError | null = null) {
  const root = document.createElement("main");
  document.body.replaceChildren(root);
  const calls: string[] = [];
  const actions: Actions = {
    signIn: (email, mode) => calls.push(mode ? `signIn:${email}:${mode}` : `signIn:${email}`),
    cancel: () => calls.push("cancel"),
    signOut: () => calls.push("signOut"),
    sendMagicLink: (email) => calls.push(`sendMagicLink:${email}`),
    changeEmail: (email) => calls.push(`changeEmail:${email}`),
    cancelEmailChange: () => calls.push("cancelEmailChange"),
    enterCode: (code) => {
      calls.push(`enterCode:${code}`);
      return Promise.resolve(codeAnswer);
    },
    openSettings: () => calls.push("openSettings"),
  };
  const stop = render(root, state, actions, now);
  const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { root, calls, stop, q };
}

describe("email screen", () => {
  it("refuses a malformed email without calling Rust, keeping what was typed", () => {
    const { q, calls } = setup({ screen: "enterEmail", email: "", notice: null, mode: "signUpOrIn" });
    const input = q("email-input") as HTMLInputElement;
    input.value = "not-an-email";
    q("email-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual([]);
    expect(input.value).toBe("not-an-email");
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("sends a good email", () => {
    const { q, calls } = setup({ screen: "enterEmail", email: "", notice: null, mode: "signUpOrIn" });
    (q("email-input") as HTMLInputElement).value = " ada@example.com ";
    q("email-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual(["signIn:ada@example.com:signUpOrIn"]);
  });

  it("shows a failure with the email kept and a button that fits it", () => {
    const { q } = setup({
      screen: "failed",
      email: "ada@example.com",
      error: { code: "expired" },
      mode: "signUpOrIn",
    });
    expect(q("error")!.textContent).toBe("The link expired before it was confirmed. Send a new one.");
    expect(q("error")!.dataset["code"]).toBe("expired");
    expect((q("email-input") as HTMLInputElement).value).toBe("ada@example.com");
    expect(q("email-submit")!.textContent).toBe("Send a new link");
  });

  it("shows a decline on the phone with one button to start again", () => {
    const { q, calls } = setup({
      screen: "failed",
      email: "ada@example.com",
      error: { code: "declined" },
      mode: "signUpOrIn",
    });
    expect(q("error")!.dataset["code"]).toBe("declined");
    expect(q("offer-other")).toBeNull();
    expect(q("email-submit")!.textContent).toBe("Start again");
    q("email-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual(["signIn:ada@example.com:signUpOrIn"]);
  });

  it("holds the button back until a rate limit has passed", () => {
    vi.useFakeTimers();
    let now = 0;
    const { q, stop } = setup(
      {
        screen: "failed",
        email: "ada@example.com",
        error: { code: "rate_limited", retryAfterSecs: 3 },
        mode: "signUpOrIn",
      },
      () => now,
    );
    const button = q("email-submit") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe("Try again in 3s");
    now = 3_000;
    vi.advanceTimersByTime(1000);
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe("Send link");
    stop();
    vi.useRealTimers();
  });

  it("counts a long rate-limit wait down in minutes", () => {
    const { q, stop } = setup(
      {
        screen: "failed",
        email: "ada@example.com",
        error: { code: "rate_limited", retryAfterSecs: 545 },
        mode: "signUpOrIn",
      },
      () => 0,
    );
    expect(q("email-submit")!.textContent).toBe("Try again in 9:05");
    stop();
  });

  it("says a pause after a No with the time left, counting down, and keeps the button", () => {
    vi.useFakeTimers();
    let now = 0;
    const { q, stop } = setup(
      {
        screen: "failed",
        email: "ada@example.com",
        error: { code: "paused", retryAfterSecs: 91 },
        mode: "signUpOrIn",
      },
      () => now,
    );
    expect(q("error")!.getAttribute("data-code")).toBe("paused");
    expect(q("error")!.textContent).toContain("paused for 2 more minutes");
    expect(q("error")!.textContent).toContain("allow sign-ins again");
    expect((q("email-submit") as HTMLButtonElement).disabled).toBe(false);
    now = 31_000;
    vi.advanceTimersByTime(1000);
    expect(q("error")!.textContent).toContain("paused for 60 more seconds");
    stop();
    vi.useRealTimers();
  });

  it("disables the form while sending", () => {
    const { q } = setup({ screen: "sending", email: "ada@example.com", mode: "signUpOrIn" });
    expect((q("email-submit") as HTMLButtonElement).disabled).toBe(true);
    expect(q("email-submit")!.textContent).toBe("Sending…");
  });
});

it("keeps the last email when coming back to the email screen", () => {
  const { q } = setup({ screen: "enterEmail", email: "ada@example.com", notice: null, mode: "signUpOrIn" });
  expect((q("email-input") as HTMLInputElement).value).toBe("ada@example.com");
  expect(q("notice")).toBeNull();
});

it("says why the email screen is back when the session ended", () => {
  const { q } = setup({ screen: "enterEmail", email: "ada@example.com", notice: { kind: "sessionEnded" }, mode: "signUpOrIn" });
  expect(q("notice")!.textContent).toBe("Your session has ended (it expired or was signed out). Sign in again.");
});

describe("restoring screen", () => {
  it("says it is signing back in, and offers another account only while reconnecting", () => {
    const { q, calls, root } = setup({ screen: "restoring", reconnecting: false });
    expect(q("restoring")!.textContent).toBe("Signing you back in…");
    expect(q("use-another")).toBeNull();
    root.remove();
    const offline = setup({ screen: "restoring", reconnecting: true });
    expect(offline.q("restoring")!.textContent).toContain("reconnecting");
    offline.q("use-another")!.click();
    expect(offline.calls).toEqual(["signOut"]);
    expect(calls).toEqual([]);
  });
});

/** The waiting screen's state: number 42, sent at 0, five minutes to go. */
const waiting: SessionState = {
  screen: "waiting",
  email: "ada@example.com",
  linkId: "42",
  maskedEmail: "a***@example.com",
  sentAtMs: 0,
  expiresAtMs: 300_000,
  reconnecting: false,
};

describe("waiting screen", () => {

  it("shows the number, the masked email and the countdown, and cancels", () => {
    const { q, calls, stop } = setup(waiting);
    expect(q("link-number")!.textContent).toBe("42");
    expect(q("masked-email")!.textContent).toBe("a***@example.com");
    expect(q("countdown")!.textContent).toBe("5:00");
    q("cancel")!.click();
    expect(calls).toEqual(["cancel"]);
    stop();
  });

  it("sends new links or goes back for a different email", () => {
    const { q, calls, stop } = setup(waiting);
    q("resend")!.click();
    q("different-email")!.click();
    expect(calls).toEqual(["signIn:ada@example.com", "cancel"]);
    expect(document.activeElement).toBe(q("cancel"));
    stop();
  });

  it("ticks the countdown and says when it is reconnecting", () => {
    vi.useFakeTimers();
    let now = 0;
    const { q, root, stop } = setup({ ...waiting, reconnecting: true }, () => now);
    expect(q("ring")!.dataset["left"]).toBe("1.000");
    now = 61_000;
    vi.advanceTimersByTime(1000);
    expect(q("countdown")!.textContent).toBe("3:59");
    expect(q("ring")!.dataset["left"]).toBe("0.797");
    expect(q("ring")!.classList.contains("low")).toBe(false);
    now = 290_000;
    vi.advanceTimersByTime(1000);
    expect(q("ring")!.classList.contains("low")).toBe(true);
    expect(root.textContent).toContain("reconnecting");
    stop();
    vi.useRealTimers();
  });

  it("offers help after a minute, or half the links' lifetime when shorter", () => {
    vi.useFakeTimers();
    let now = 0;
    const { q, stop } = setup(waiting, () => now);
    expect(q("help")!.hidden).toBe(true);
    now = 59_000;
    vi.advanceTimersByTime(1000);
    expect(q("help")!.hidden).toBe(true);
    now = 60_000;
    vi.advanceTimersByTime(1000);
    expect(q("help")!.hidden).toBe(false);
    expect(q("help")!.textContent).toContain("spam");
    expect(helpAfterMs(0, 10_000)).toBe(5_000);
    stop();
    vi.useRealTimers();
  });

  it("takes the code from the email, secondary to the tap, and says a wrong one", async () => {
    const { q, calls, stop } = setup(waiting, () => 0, { code: "wrong_code", triesLeft: 4 });
    expect(q("code-form")).toBeNull();
    expect(document.activeElement).toBe(q("cancel"));
    q("show-code")!.click();
    const input = q("code-input") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute("autocomplete")).toBe("one-time-code");
    input.value = " 7k2m-9qxz ";
    input.dispatchEvent(new Event("input"));
    q("code-form")!.closest("form")!.requestSubmit();
    expect(calls).toEqual(["enterCode:7k2m-9qxz"]);
    await Promise.resolve();
    await Promise.resolve();
    expect(q("code-error")!.hidden).toBe(false);
    expect(q("code-error")!.dataset["code"]).toBe("wrong_code");
    expect(q("code-error")!.textContent).toBe("That's not the code in the email. 4 more tries before this sign-in ends.");
    stop();
    // Drawn again for the same number (the connection came back): the form and the draft stay.
    const again = setup({ ...waiting, reconnecting: true });
    expect((again.q("code-input") as HTMLInputElement).value).toBe(" 7k2m-9qxz ");
    again.stop();
  });
});

describe("signed-in screen", () => {
  it("shows who and signs out", () => {
    const sinceMs = new Date(2026, 10, 21, 9, 5).getTime();
    const { q, calls, root } = setup(
      { screen: "signedIn", email: "ada@example.com", name: "Ada", userId: "U1", sinceMs, remembered: true, change: null, notice: null },
      () => sinceMs + 60_000,
    );
    expect(q("signed-in")).not.toBeNull();
    expect(q("user-email")!.textContent).toBe("ada@example.com");
    expect(root.textContent).toContain("Welcome, Ada");
    expect(q("since")!.textContent).toMatch(/^Signed in on this computer since \d/);
    expect(q("not-remembered")).toBeNull();
    q("sign-out")!.click();
    expect(calls).toEqual(["signOut"]);
  });

  it("says plainly when the session cannot be remembered", () => {
    const { q } = setup({
      screen: "signedIn",
      email: "ada@example.com",
      name: null,
      userId: "U1",
      sinceMs: 0,
      remembered: false,
      change: null,
      notice: null,
    });
    expect(q("not-remembered")!.textContent).toContain("sign in again next time");
  });
});

describe("sign in, or create an account", () => {
  it("sends the kind chosen, shown again with its heading", () => {
    const { q, calls, stop } = setup({ screen: "enterEmail", email: "ada@example.com", notice: null, mode: "signUp" });
    expect(document.querySelector("h1")!.textContent).toBe("Create an account");
    expect((q("mode-signUp") as HTMLInputElement).checked).toBe(true);
    (q("mode-signIn") as HTMLInputElement).click();
    q("email-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual(["signIn:ada@example.com:signIn"]);
    stop();
  });

  it("cannot be changed while sending", () => {
    const { q, stop } = setup({ screen: "sending", email: "ada@example.com", mode: "signIn" });
    expect((q("mode-signIn") as HTMLInputElement).checked).toBe(true);
    expect((q("mode-signUp") as HTMLInputElement).disabled).toBe(true);
    stop();
  });

  it("offers to create the account an unknown email lacks, and sign-in to a known one", () => {
    const unknown = setup({
      screen: "failed",
      email: "new@example.com",
      error: { code: "unknown_user" },
      mode: "signIn",
    });
    expect(document.activeElement).toBe(unknown.q("offer-other"));
    expect(unknown.q("offer-other")!.textContent).toBe("Create an account");
    unknown.q("offer-other")!.click();
    expect(unknown.calls).toEqual(["signIn:new@example.com:signUp"]);
    unknown.stop();

    const known = setup({
      screen: "failed",
      email: "ada@example.com",
      error: { code: "user_exists" },
      mode: "signUp",
    });
    (known.q("email-input") as HTMLInputElement).value = "not an email";
    known.q("offer-other")!.click();
    expect(known.calls).toEqual([]);
    expect(known.q("email-input")!.getAttribute("aria-invalid")).toBe("true");
    (known.q("email-input") as HTMLInputElement).value = "ada@example.com";
    known.q("offer-other")!.click();
    expect(known.calls).toEqual(["signIn:ada@example.com:signIn"]);
    known.stop();
  });

  it("offers nothing for other errors", () => {
    const { q, stop } = setup({
      screen: "failed",
      email: "ada@example.com",
      error: { code: "offline", server: null },
      mode: "signIn",
    });
    expect(q("offer-other")).toBeNull();
    stop();
  });
});

describe("magic link on this computer", () => {
  it("is offered while waiting, and says where the link went", () => {
    const asked = setup(waiting);
    asked.q("send-magic")!.click();
    expect(asked.calls).toEqual(["sendMagicLink:ada@example.com"]);
    asked.stop();

    const sent = setup({ screen: "magicSent", email: "ada@example.com", maskedAddress: "a***@example.com", expiresAtMs: 300_000 });
    expect(sent.q("magic-masked")!.textContent).toBe("a***@example.com");
    expect(sent.q("magic-countdown")!.textContent).toBe("5:00");
    expect(document.activeElement).toBe(sent.q("cancel"));
    sent.q("use-phone")!.click();
    sent.q("cancel")!.click();
    expect(sent.calls).toEqual(["signIn:ada@example.com", "cancel"]);
    sent.stop();
  });
});

describe("change email", () => {
  const signedIn: SessionState = {
    screen: "signedIn",
    email: "ada@example.com",
    name: null,
    userId: "U1",
    sinceMs: 0,
    remembered: true,
    change: null,
    notice: null,
  };

  it("opens a form, refuses the same or a malformed address, and sends a new one", () => {
    const { q, calls } = setup(signedIn);
    expect(q("change-input")).toBeNull();
    q("change-email")!.click();
    const input = q("change-input") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    input.value = "ADA@example.com";
    q("change-submit")!.closest("form")!.requestSubmit();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    input.value = "nope";
    q("change-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual([]);
    input.value = "ada@work.example";
    q("change-submit")!.closest("form")!.requestSubmit();
    expect(calls).toEqual(["changeEmail:ada@work.example"]);
  });

  it("closes the form again without calling Rust when nothing was sent", () => {
    const { q, calls } = setup(signedIn);
    q("change-email")!.click();
    q("change-keep")!.click();
    expect(q("change-input")).toBeNull();
    expect(q("change-email")).not.toBeNull();
    expect(calls).toEqual([]);
  });

  it("shows the number for the new address and cancels the change", () => {
    const { q, calls, stop } = setup({
      ...signedIn,
      change: {
        step: "waiting",
        newEmail: "ada@work.example",
        linkId: "17",
        maskedEmail: "a***@work.example",
        sentAtMs: 0,
        expiresAtMs: 300_000,
        reconnecting: false,
      },
    });
    expect(q("change-number")!.textContent).toBe("17");
    expect(q("change-masked")!.textContent).toBe("a***@work.example");
    expect(q("user-email")!.textContent).toBe("ada@example.com");
    expect(document.activeElement).toBe(q("change-cancel"));
    q("change-cancel")!.click();
    expect(calls).toEqual(["cancelEmailChange"]);
    stop();
  });

  it("keeps what was typed with the error, and says when it is done", () => {
    const failed = setup({
      ...signedIn,
      change: { step: "failed", newEmail: "ada@work", error: { code: "invalid_email" } },
    });
    expect((failed.q("change-input") as HTMLInputElement).value).toBe("ada@work");
    expect(failed.q("change-error")!.textContent).toBe("This email address was refused. Check it and try again.");
    const done = setup({ ...signedIn, email: "ada@work.example", notice: { kind: "emailChanged", email: "ada@work.example" } });
    expect(done.q("notice")!.textContent).toBe("Your email is now ada@work.example.");
    expect(announcement({ ...signedIn, notice: { kind: "emailChanged", email: "ada@work.example" } })).toBe(
      "Your email is now ada@work.example.",
    );
  });
});

describe("screen-reader announcements", () => {
  it("say the number and where the links went, once, without the ticking countdown", () => {
    expect(announcement(waiting)).toBe("Links sent to a***@example.com. Tap link number 42.");
    expect(announcement({ ...waiting, reconnecting: true })).toContain("still 42");
  });

  it("say errors, notices and the signed-in person", () => {
    expect(
      announcement({ screen: "failed", email: "", error: { code: "offline", server: null }, mode: "signUpOrIn" }),
    ).toBe("Can't reach the sign-in server. Check your connection and try again.");
    expect(announcement({ screen: "enterEmail", email: "", notice: { kind: "sessionEnded" }, mode: "signUpOrIn" })).toBe(
      "Your session has ended (it expired or was signed out). Sign in again.",
    );
    expect(announcement({ screen: "enterEmail", email: "", notice: null, mode: "signUpOrIn" })).toBe("");
    expect(
      announcement({ screen: "signedIn", email: "ada@example.com", name: null, userId: "U", sinceMs: 0, remembered: true, change: null, notice: null }),
    ).toBe("Signed in as ada@example.com.");
  });

  it("leave the live region out of the re-rendered screen", () => {
    const { root } = setup({ screen: "enterEmail", email: "", notice: { kind: "sessionEnded" }, mode: "signUpOrIn" });
    expect(root.querySelector("[aria-live], [role=status], [role=alert]")).toBeNull();
  });
});

describe("settings", () => {
  const view = { baseUrl: "http://127.0.0.1:8787", projectId: "", fromEnvironment: false, defaultBaseUrl: "http://127.0.0.1:8787" };
  const languages = { chosen: null, system: "es-MX", languages: ["en", "de", "es", "ar"] };

  it("opens from the email screen", () => {
    const { q, calls } = setup({ screen: "enterEmail", email: "", notice: null, mode: "signUpOrIn" });
    q("open-settings")!.click();
    expect(calls).toEqual(["openSettings"]);
  });

  it("shows the server in use and saves what was typed, trimmed", () => {
    const root = document.createElement("main");
    document.body.replaceChildren(root);
    const saved: string[][] = [];
    renderSettings(root, view, languages, {
      save: (b, p) => saved.push([b, p]),
      close: () => saved.push(["close"]),
      setLanguage: (l) => saved.push(["language", String(l)]),
    });
    const base = root.querySelector<HTMLInputElement>("[data-testid=base-url]")!;
    expect(base.value).toBe("http://127.0.0.1:8787");
    expect(document.activeElement).toBe(base);
    base.value = " http://10.0.0.5:8787 ";
    root.querySelector("form")!.requestSubmit();
    root.querySelector<HTMLElement>("[data-testid=settings-back]")!.click();
    expect(saved).toEqual([["http://10.0.0.5:8787", ""], ["close"]]);
  });

  it("keeps what was typed next to a refusal", () => {
    const root = document.createElement("main");
    renderSettings(
      root,
      view,
      languages,
      { save: () => {}, close: () => {}, setLanguage: () => {} },
      { code: "bad_server_url", input: "10.0.0.5", problem: "not_http" },
      { baseUrl: "10.0.0.5", projectId: "" },
    );
    expect(root.querySelector("[data-testid=settings-error]")!.textContent).toBe(
      "“10.0.0.5” is not a server address (it must start with http:// or https://); for example http://127.0.0.1:8787.",
    );
    expect(root.querySelector<HTMLInputElement>("[data-testid=base-url]")!.value).toBe("10.0.0.5");
  });

  it("is read-only when the environment decides", () => {
    const root = document.createElement("main");
    renderSettings(root, { ...view, fromEnvironment: true }, languages, { save: () => {}, close: () => {}, setLanguage: () => {} });
    expect(root.querySelector("[data-testid=settings-env]")).not.toBeNull();
    expect(root.querySelector<HTMLInputElement>("[data-testid=base-url]")!.disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>("[data-testid=settings-save]")!.disabled).toBe(true);
  });
});

describe("in another language", () => {
  it("speaks Spanish, the error from its code, never the server's words", () => {
    speak("es");
    const { root, q } = setup({
      screen: "failed",
      email: "ada@example.com",
      error: { code: "server", serverCode: "E999999" },
      mode: "signUpOrIn",
    });
    expect(root.querySelector("h1")!.textContent).toBe("Entrar");
    expect(q("error")!.textContent).toBe("El servidor de acceso lo rechazó (E999999). Inténtalo de nuevo.");
    expect(q("email-submit")!.textContent).toBe("Enviar enlace");
  });

  it("keeps the number and the masked address left to right in Arabic", () => {
    speak("ar", true);
    const { q } = setup({
      screen: "waiting",
      email: "ada@example.com",
      linkId: "47",
      maskedEmail: "a***@example.com",
      sentAtMs: 0,
      expiresAtMs: 300_000,
      reconnecting: false,
    });
    expect(q("link-number")!.getAttribute("dir")).toBe("ltr");
    expect(q("link-number")!.textContent).toBe("47");
    expect(q("masked-email")!.getAttribute("dir")).toBe("ltr");
    expect(q("link-number")!.getAttribute("aria-label")).toBe("الرابط رقم \u206847\u2069");
    expect(q("cancel")!.textContent).toBe("إلغاء");
  });

  it("uses each language's plural forms", () => {
    speak("ar", true);
    const wrong = (triesLeft: number) =>
      setup({ screen: "failed", email: "", error: { code: "wrong_code", triesLeft }, mode: "signUpOrIn" }).q("error")!
        .textContent;
    expect(wrong(1)).toContain("محاولة واحدة");
    expect(wrong(2)).toContain("محاولتان");
    expect(wrong(4)).toContain("محاولات");
    speak("de");
    expect(
      setup({ screen: "failed", email: "", error: { code: "wrong_code", triesLeft: 1 }, mode: "signUpOrIn" }).q("error")!
        .textContent,
    ).toContain("Noch 1 Versuch");
  });

  it("accents every word under the pseudo-locale", () => {
    speak("en-XA");
    const { root } = setup({ screen: "enterEmail", email: "", notice: null, mode: "signUpOrIn" });
    const words = (root.textContent ?? "").split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w));
    expect(words).toEqual([]);
  });
});
