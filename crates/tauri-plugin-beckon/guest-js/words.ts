// What the view says for each error and note the Rust side sends as a code with typed fields
// (crates/beckon-session: `SessionError`, `Notice`), in the person's language (i18n.ts; the
// messages are in the plugin's locales/<lang>/view.ftl). The Rust side never sends a sentence,
// and a server's own description is never shown: an unknown refusal shows its code.

import type { LinkIgnored, Notice, SessionError, UrlProblem } from "./bindings";
import { appName } from "./app-name";
import { tr } from "./i18n";

/** The address an empty Settings form means. */
const LOCAL_SERVER = "http://127.0.0.1:8787";

function urlProblem(problem: UrlProblem): string {
  switch (problem) {
    case "not_a_url":
      return tr("url-not-a-url");
    case "not_http":
      return tr("url-not-http");
    case "no_host":
      return tr("url-no-host");
    case "query_or_fragment":
      return tr("url-query-or-fragment");
  }
}

/** A sentence a person can act on, for `error`. */
export function errorText(error: SessionError): string {
  const app = appName();
  switch (error.code) {
    case "invalid_email":
      return tr("error-invalid-email");
    case "unknown_user":
      return tr("error-unknown-user");
    case "user_exists":
      return tr("error-user-exists");
    case "offline":
      return error.server ? tr("error-offline-server", { server: error.server }) : tr("error-offline");
    case "expired":
      return tr("error-expired");
    case "declined":
      return tr("error-declined");
    case "disabled":
      return tr("error-disabled");
    case "rate_limited": {
      const seconds = error.retryAfterSecs;
      if (seconds === null) return tr("error-rate-limited");
      if (seconds < 90) return tr("error-rate-limited-seconds", { seconds });
      return tr("error-rate-limited-minutes", { minutes: Math.ceil(seconds / 60) });
    }
    case "paused": {
      const seconds = error.retryAfterSecs;
      if (seconds === null) return tr("error-paused");
      if (seconds < 90) return tr("error-paused-seconds", { seconds });
      return tr("error-paused-minutes", { minutes: Math.ceil(seconds / 60) });
    }
    case "wrong_code":
      return tr("error-wrong-code", { tries: error.triesLeft });
    case "not_waiting":
      return tr("error-not-waiting");
    case "unknown_project":
      return tr("error-unknown-project");
    case "no_project":
      return tr("error-no-project", { server: error.server, detail: error.detail });
    case "no_server":
      return tr("error-no-server");
    case "plain_http":
      return tr("error-plain-http", { url: error.url, app });
    case "bad_server_url":
      return tr("error-bad-server-url", { input: error.input, problem: urlProblem(error.problem), example: LOCAL_SERVER });
    case "bad_project_id":
      return tr("error-bad-project-id", { input: error.input });
    case "bad_language":
      return tr("error-bad-language", { input: error.input });
    case "settings_not_saved":
      return tr("error-settings-not-saved", { path: error.path, detail: error.detail });
    case "settings_not_kept":
      return tr("error-settings-not-kept", { app });
    case "settings_from_environment":
      return tr("error-settings-from-environment", { app });
    case "invalid_session":
      return tr("error-invalid-session");
    case "wrong_account":
      return tr("error-wrong-account", { email: error.email });
    case "no_deep_link":
      return tr("error-no-deep-link");
    case "signed_out":
      return tr("error-signed-out");
    case "server":
      return error.serverCode ? tr("error-server-code", { code: error.serverCode }) : tr("error-server");
  }
}

function ignoredBecause(reason: LinkIgnored): string {
  const app = appName();
  switch (reason) {
    case "notWaiting":
      return tr("ignored-not-waiting", { app });
    case "notALink":
      return tr("ignored-not-a-link");
    case "notASignInLink":
      return tr("ignored-not-a-sign-in-link", { app });
    case "tooLong":
      return tr("ignored-too-long");
    case "notOneToken":
      return tr("ignored-not-one-token");
    case "malformedToken":
      return tr("ignored-malformed-token");
  }
}

/** What a screen's note says. */
export function noticeText(notice: Notice): string {
  switch (notice.kind) {
    case "sessionEnded":
      return tr("notice-session-ended");
    case "signedOutElsewhere":
      return tr("notice-signed-out-elsewhere");
    case "disabled":
      return tr("error-disabled");
    case "noKeyring":
      return tr("notice-no-keyring", { detail: notice.detail, app: appName() });
    case "serverNotTold": {
      const why = errorText(notice.error).replace(/[.。]$/, "");
      return notice.everywhere ? tr("notice-server-not-told-everywhere", { why }) : tr("notice-server-not-told", { why });
    }
    case "keyringNotCleared":
      return tr("notice-keyring-not-cleared", { detail: notice.detail });
    case "restoreFailed":
      return errorText(notice.error);
    case "linkIgnored":
      return tr("notice-link-ignored", { why: ignoredBecause(notice.reason) });
    case "emailChanged":
      return tr("notice-email-changed", { email: notice.email });
  }
}
