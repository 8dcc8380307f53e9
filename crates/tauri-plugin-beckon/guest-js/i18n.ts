// The view's words, in the person's language: Fluent messages (the plugin's
// locales/<lang>/view.ftl, which the Rust side picks and sends as `ViewWords`), with English
// behind them for any message a language lacks. Every message ID appears as a literal in a
// lookup call (`tr`, `trNodes`), so the messages check (beckon-testkit's tests/messages.rs) can find them.

import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import type { ViewWords } from "./bindings";

/** A message's variables. */
export type Args = Record<string, FluentVariable>;

interface Loaded {
  locale: string;
  rtl: boolean;
  bundles: FluentBundle[];
}

let loaded: Loaded | null = null;

/** `en-XA`: every letter accented and each piece of text half as long again (see the
 * server's languages.rs, which makes its pseudo-locale the same way). */
const ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ACCENTED = [..."áƀçďéƒĝĥíĵķľɱñóƥʠŕšţúṽŵẋýžÅƁÇĎÉƑĜĤÎĴĶĽṀÑÖƤǪŔŠŢÜṼŴẊÝŽ"];

function accented(text: string): string {
  let out = "";
  let letters = 0;
  for (const c of text) {
    const index = ASCII_LETTERS.indexOf(c);
    if (index < 0) {
      out += c;
      continue;
    }
    letters += 1;
    const mapped = ACCENTED[index] ?? c;
    out += "aeiouAEIOU".includes(c) ? mapped + mapped : mapped;
  }
  const target = Math.ceil(([...text].length * 3) / 2);
  const grown = [...out].length;
  return letters > 0 && grown < target ? out + "·".repeat(target - grown) : out;
}

/** `ar-XB`: English written right to left, so a view that does not mirror shows it. */
function mirrored(text: string): string {
  return text.trim() === "" ? text : `\u202e${text}\u202c`;
}

function bundle(locale: string, source: string, rtl: boolean, transform?: (text: string) => string): FluentBundle {
  // Left-to-right text gets no isolation marks; right-to-left text does, so an address or a
  // number in it keeps its own direction.
  const made = new FluentBundle(locale, transform ? { useIsolating: rtl, transform } : { useIsolating: rtl });
  const errors = made.addResource(new FluentResource(source));
  for (const error of errors) console.error(`tauri-plugin-beckon: the ${locale} messages: ${error.message}`);
  return made;
}

/** Speaks `words` from now on. */
export function setWords(words: ViewWords): void {
  const transform = words.locale === "en-XA" ? accented : words.locale === "ar-XB" ? mirrored : undefined;
  loaded = {
    locale: words.locale,
    rtl: words.rtl,
    bundles: [bundle(words.locale, words.messages, words.rtl, transform), bundle("en", words.english, false)],
  };
}

/** The message `id` with `args`, in the current language (English when it lacks it). */
export function tr(id: string, args?: Args): string {
  for (const speaking of loaded?.bundles ?? []) {
    const message = speaking.getMessage(id);
    if (!message?.value) continue;
    const errors: Error[] = [];
    const text = speaking.formatPattern(message.value, args ?? null, errors);
    for (const error of errors) console.error(`tauri-plugin-beckon: message ${id}: ${error.message}`);
    return text;
  }
  console.error(`tauri-plugin-beckon: no message ${id}`);
  return id;
}

/** The current language's tag (for `lang`), `en` before any words are set. */
export function locale(): string {
  return loaded?.locale ?? "en";
}

/** `rtl` or `ltr`, for `dir`. */
export function direction(): "rtl" | "ltr" {
  return loaded?.rtl ? "rtl" : "ltr";
}

/** The language's tag for `Intl` formatting: its own words, with ASCII digits in every
 * language (a pseudo-locale formats as British English: a 24-hour clock, no "AM" that the
 * pseudo-locale test would take for an untranslated word). */
export function intlLocale(): string {
  const tag = locale() === "en-XA" || locale() === "ar-XB" ? "en-GB" : locale();
  return `${tag}-u-nu-latn`;
}

const MARK_OPEN = "\ue000";
const MARK_CLOSE = "\ue001";

/** The message `id` as nodes: each of `nodes` (a bold address, a ticking timer) stands
 * where its variable does in the sentence, so each language places it where it belongs. */
export function trNodes(id: string, nodes: Record<string, Node>, args: Args = {}): (Node | string)[] {
  const marked: Args = { ...args };
  for (const name of Object.keys(nodes)) marked[name] = `${MARK_OPEN}${name}${MARK_CLOSE}`;
  const parts: (Node | string)[] = [];
  const text = tr(id, marked);
  let rest = text;
  for (;;) {
    const open = rest.indexOf(MARK_OPEN);
    const close = rest.indexOf(MARK_CLOSE, open);
    if (open < 0 || close < 0) break;
    if (open > 0) parts.push(rest.slice(0, open));
    const node = nodes[rest.slice(open + 1, close)];
    if (node) parts.push(node);
    rest = rest.slice(close + 1);
  }
  if (rest) parts.push(rest);
  return parts;
}
