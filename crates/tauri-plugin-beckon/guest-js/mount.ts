// The ready-made sign-in view, wired to the plugin: every screen of the sign-in (the email,
// the number in its ring, waiting, signed in, errors), keyboard and screen-reader friendly,
// themed by the CSS custom properties in sign-in.css.

import type { SessionError, SessionState, ViewWords } from "./bindings";
import { setAppName } from "./app-name";
import { direction, locale, setWords, tr } from "./i18n";
import { announcement, render, renderSettings, type Actions, type SettingsActions } from "./view";
import { errorText } from "./words";
import * as beckon from "./index";

/** How `mountSignIn` shows the sign-in. */
export interface SignInOptions {
  /** The app's name, as the view says it ("open Acme"). Default: "this app". */
  appName?: string;
  /** A live region (`role="status"`) that says each change to screen-reader users. */
  announcer?: HTMLElement | null;
  /** Offers a "Server settings" screen (needs the `allow-get-settings` and
   * `allow-save-settings` permissions). Default: no. */
  settings?: boolean;
  /** Called after each screen is drawn. */
  onRender?: (state: SessionState) => void;
  /** Called with the language's tag and direction when the view starts and whenever the
   * person changes it: an app whose window is the view sets them on its whole page. */
  onLanguage?: (lang: string, dir: "ltr" | "rtl") => void;
}

/** The User Timing mark set on the frame that first shows the view (`performance.getEntriesByName`):
 * how long the sign-in took to appear, from the page's start. */
export const VIEW_PAINTED = "beckon:view-painted";

function isSessionError(error: unknown): error is SessionError {
  return typeof error === "object" && error !== null && "code" in error;
}

/** Shows the sign-in in `root` (styled by sign-in.css, scoped to the `beckon-sign-in` class it
 * adds) and keeps it in step with the session; the returned function takes it down. */
export async function mountSignIn(root: HTMLElement, options: SignInOptions = {}): Promise<() => void> {
  if (options.appName) setAppName(options.appName);
  root.classList.add("beckon-sign-in");
  let words: ViewWords = await beckon.words();
  const speak = (next: ViewWords): void => {
    words = next;
    setWords(next);
    root.lang = locale();
    root.dir = direction();
    options.onLanguage?.(locale(), direction());
  };
  speak(words);
  const announcer = options.announcer ?? null;
  let stop: () => void = () => {};
  let current: SessionState = { screen: "restoring", reconnecting: false };
  let settingsOpen = false;
  // Whether any state has been drawn: the first one always is, even if it equals `current`.
  let drawn = false;

  const say = (words: string): void => {
    if (announcer && announcer.textContent !== words) announcer.textContent = words;
  };

  const show = (state: SessionState, force = false): void => {
    // The same state again (a restart of the session that ends where it was) leaves the
    // screen, and whatever is being typed into it, alone.
    const same = JSON.stringify(state) === JSON.stringify(current);
    current = state;
    // Settings stay on screen until saved or closed; the session's news waits.
    if (settingsOpen || (same && !force)) return;
    stop();
    stop = render(root, state, actions);
    // The view's first frame, as a User Timing mark an app can read to time its start.
    if (!drawn) requestAnimationFrame(() => performance.mark(VIEW_PAINTED));
    drawn = true;
    options.onRender?.(state);
    say(announcement(state));
  };

  const report = (error: unknown): void => {
    if (!isSessionError(error)) console.error("tauri-plugin-beckon: a command failed", error);
    show({
      screen: "failed",
      email: "",
      error: isSessionError(error) ? error : { code: "server", serverCode: null },
      mode: "signUpOrIn",
    });
  };

  const openSettings = async (): Promise<void> => {
    const view = await beckon.getSettings();
    stop();
    stop = () => {};
    settingsOpen = true;
    const settingsActions: SettingsActions = {
      save: (baseUrl, projectId) => {
        beckon
          .saveSettings(baseUrl, projectId)
          .then(() => {
            settingsOpen = false;
            say(tr("settings-saved"));
            show(current, true);
          })
          .catch((error: unknown) => {
            const reason: SessionError = isSessionError(error) ? error : { code: "server", serverCode: null };
            renderSettings(root, view, words, settingsActions, reason, { baseUrl, projectId });
            say(errorText(reason));
          });
      },
      close: () => {
        settingsOpen = false;
        show(current, true);
      },
      setLanguage: (language) => {
        beckon
          .setLanguage(language)
          .then((next) => {
            speak(next);
            renderSettings(root, view, words, settingsActions);
            root.querySelector<HTMLElement>("[data-testid=language]")?.focus();
          })
          .catch((error: unknown) => {
            const reason: SessionError = isSessionError(error) ? error : { code: "server", serverCode: null };
            renderSettings(root, view, words, settingsActions, reason);
            say(errorText(reason));
          });
      },
    };
    renderSettings(root, view, words, settingsActions);
    say(tr("server-settings"));
  };

  const actions: Actions = {
    signIn: (email, mode) => void beckon.signIn(email, mode).catch(report),
    cancel: () => void beckon.cancel().catch(report),
    signOut: () => void beckon.signOut().catch(report),
    sendMagicLink: (email) => void beckon.sendMagicLink(email).catch(report),
    changeEmail: (email) => void beckon.changeEmail(email).catch(report),
    cancelEmailChange: () => void beckon.cancelEmailChange().catch(report),
    enterCode: (code) =>
      beckon.enterCode(code).then(
        () => null,
        (error: unknown) => (isSessionError(error) ? error : { code: "server", serverCode: null }),
      ),
    openSettings: options.settings ? () => void openSettings().catch(report) : null,
  };

  const unlisten = await beckon.onState((state) => show(state));
  // An event may have drawn the same state already, and the person may be typing into it:
  // it is drawn again only if nothing has been drawn yet.
  show(await beckon.state(), !drawn);
  return () => {
    unlisten();
    stop();
    root.replaceChildren();
  };
}
