// What the view says for each error and note the Rust side sends as a code with typed fields
// (crates/beckon-session: `SessionError`, `Notice`). The words live here, in one place, so a
// translation has one file to follow; the Rust side never sends a sentence.

import type { LinkIgnored, Notice, SessionError, UrlProblem } from "./bindings";
import { appName } from "./app-name";

/** The address an empty Settings form means. */
const LOCAL_SERVER = "http://127.0.0.1:8787";

const DISABLED = "This account is disabled. Ask whoever runs your sign-in server to enable it.";

function urlProblem(problem: UrlProblem): string {
  switch (problem) {
    case "not_a_url":
      return "it does not parse as a URL";
    case "not_http":
      return "it must start with http:// or https://";
    case "no_host":
      return "it names no host";
    case "query_or_fragment":
      return "it must not have ? or # parts";
  }
}

/** A sentence a person can act on, for `error`. */
export function errorText(error: SessionError): string {
  switch (error.code) {
    case "invalid_email":
      return "This email address was refused. Check it and try again.";
    case "unknown_user":
      return "No account uses this email yet. Create one, or check the address.";
    case "user_exists":
      return "An account already uses this email. Sign in instead.";
    case "offline":
      return error.server
        ? `Can't reach the sign-in server at ${error.server}. Is beckon-server running?`
        : "Can't reach the sign-in server. Check your connection and try again.";
    case "expired":
      return "The link expired before it was confirmed. Send a new one.";
    case "declined":
      return "Declined on your phone. Nobody was signed in; the links no longer work.";
    case "disabled":
      return DISABLED;
    case "rate_limited": {
      const secs = error.retryAfterSecs;
      if (secs === null) return "Too many attempts. Try again in a minute.";
      if (secs < 90) return `Too many attempts. Try again in ${secs} seconds.`;
      return `Too many attempts. Try again in ${Math.ceil(secs / 60)} minutes.`;
    }
    case "paused": {
      const secs = error.retryAfterSecs;
      const left =
        secs === null ? "for a while" : secs < 90 ? `for ${secs} more seconds` : `for ${Math.ceil(secs / 60)} more minutes`;
      return (
        `Someone answered “No, this wasn't me” to a sign-in request for this address, so sign-in ` +
        `emails to it are paused ${left}. If that was you by mistake, the email about it has a ` +
        "button to allow sign-ins again."
      );
    }
    case "wrong_code": {
      const n = error.triesLeft;
      return `That's not the code in the email. ${n} more ${n === 1 ? "try" : "tries"} before this sign-in ends.`;
    }
    case "not_waiting":
      return "No sign-in is waiting for a code. Start again.";
    case "unknown_project":
      return "The server does not know this app's project ID. Check BECKON_PROJECT_ID.";
    case "no_project":
      return `${error.server} did not say which project it serves (${error.detail}). Set BECKON_PROJECT_ID.`;
    case "no_server":
      return "No server configured: set BECKON_BASE_URL or BECKON_PROJECT_ID.";
    case "plain_http":
      return (
        `${error.url} is plain http:// on another machine: your sign-in would cross the network ` +
        "unencrypted, where anyone on the way could take it. Use its https:// address, or a server " +
        `on this computer. On a network you trust, start ${appName()} with BECKON_BASE_URL=${error.url} ` +
        "and BECKON_UNSAFE_PLAIN_HTTP=1 to use it anyway."
      );
    case "bad_server_url":
      return `${JSON.stringify(error.input)} is not a server address (${urlProblem(error.problem)}); for example ${LOCAL_SERVER}.`;
    case "bad_project_id":
      return (
        `${JSON.stringify(error.input)} is not a Descope project ID: those start with P and are 28 ` +
        "letters and digits (32 with a region). Find yours under Project settings in the Descope console."
      );
    case "settings_not_saved":
      return `The settings could not be saved in ${error.path}: ${error.detail}`;
    case "settings_not_kept":
      return `${appName()} keeps no server settings: its server is set in the app.`;
    case "settings_from_environment":
      return (
        "BECKON_BASE_URL or BECKON_PROJECT_ID is set for this run, so the server can't be changed " +
        `here. Start ${appName()} without them to use Settings.`
      );
    case "invalid_session":
      return "The server's answer could not be verified, so you were not signed in. Try again.";
    case "wrong_account":
      return (
        `That link signs in to another account, not ${error.email}, so it was not used. ` +
        `Open the link from the email sent to ${error.email}.`
      );
    case "no_deep_link":
      return "This app can't open sign-in links from email. Sign in with the number instead.";
    case "signed_out":
      return "You're not signed in.";
    case "server":
      return error.serverCode
        ? `The sign-in server refused (${error.serverCode}). Try again.`
        : "Something went wrong talking to the sign-in server. Try again.";
  }
}

function ignoredBecause(reason: LinkIgnored): string {
  switch (reason) {
    case "notWaiting":
      return `${appName()} was not waiting for a sign-in link from this computer's email`;
    case "notALink":
      return "it is not a link";
    case "notASignInLink":
      return `it is not a sign-in link for ${appName()}`;
    case "tooLong":
      return "the link is too long";
    case "notOneToken":
      return "it does not carry exactly one sign-in token";
    case "malformedToken":
      return "its sign-in token is malformed";
  }
}

/** What a screen's note says. */
export function noticeText(notice: Notice): string {
  switch (notice.kind) {
    case "sessionEnded":
      return "Your session has ended (it expired or was signed out). Sign in again.";
    case "signedOutElsewhere":
      return "You were signed out: the session ended on the server (signed out elsewhere, or expired). Sign in again.";
    case "disabled":
      return DISABLED;
    case "noKeyring":
      return `This computer can't keep you signed in (${notice.detail}); you'll sign in each time you open ${appName()}.`;
    case "serverNotTold": {
      const why = errorText(notice.error).replace(/\.$/, "");
      return notice.everywhere
        ? `Signed out on this computer. The server could not be told to end your other sessions (${why}); they end when they expire.`
        : `Signed out on this computer. The server could not be told (${why}); the session ends there when it expires.`;
    }
    case "keyringNotCleared":
      return `Signed out, but the keyring entry could not be removed (${notice.detail}).`;
    case "restoreFailed":
      return errorText(notice.error);
    case "linkIgnored":
      return `A sign-in link was opened, but it was ignored: ${ignoredBecause(notice.reason)}.`;
    case "emailChanged":
      return `Your email is now ${notice.email}.`;
  }
}
