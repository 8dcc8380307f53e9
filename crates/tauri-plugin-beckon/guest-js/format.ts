// Small pure helpers, tested in test/format.test.ts.

import { intlLocale, tr } from "./i18n";

/** `m:ss` until `deadlineMs`, never negative. */
export function countdown(deadlineMs: number, nowMs: number): string {
  const total = Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${seconds.toString().padStart(2, "0")}`;
}

/** A quick check before asking the server, which checks again. */
export function looksLikeEmail(value: string): boolean {
  const email = value.trim();
  if (email.length === 0 || email.length > 254 || /\s/.test(email)) return false;
  const at = email.indexOf("@");
  if (at < 1 || at !== email.lastIndexOf("@")) return false;
  const domain = email.slice(at + 1);
  return domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".");
}

/** What the primary button of an error offers. */
export function retryLabel(code: string): string {
  switch (code) {
    case "expired":
      return tr("retry-new-link");
    case "declined":
      return tr("retry-start-again");
    case "offline":
      return tr("retry-try-again");
    default:
      return tr("send-link");
  }
}

/** "Signed in on this computer since 14:05" today, or "… since 21 Nov, 14:05" on another
 * day, the time and the date as the person's language writes them. */
export function since(sinceMs: number, nowMs: number, locale: string = intlLocale()): string {
  const then = new Date(sinceMs);
  const now = new Date(nowMs);
  const time = then.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  if (then.toDateString() === now.toDateString()) return tr("signed-in-since-today", { time });
  const day = then.toLocaleDateString(locale, { day: "numeric", month: "short" });
  return tr("signed-in-since", { day, time });
}

/** How much of the wait is left, from 1 (just sent) to 0 (expired). */
export function remaining(sentAtMs: number, expiresAtMs: number, nowMs: number): number {
  const total = expiresAtMs - sentAtMs;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (expiresAtMs - nowMs) / total));
}
