// Every test speaks the view's English messages (the plugin's locales/en/view.ftl), as the
// plugin's Rust side hands them over; a test of another language sets its own.
import { setWords } from "../../crates/tauri-plugin-beckon/guest-js/i18n";
import en from "../../crates/tauri-plugin-beckon/locales/en/view.ftl?raw";
import de from "../../crates/tauri-plugin-beckon/locales/de/view.ftl?raw";
import es from "../../crates/tauri-plugin-beckon/locales/es/view.ftl?raw";
import ar from "../../crates/tauri-plugin-beckon/locales/ar/view.ftl?raw";

const FILES: Record<string, string> = { en, de, es, ar };

/** The view's messages in `lang`, as the plugin ships them. */
export function viewMessages(lang: string): string {
  const text = FILES[lang];
  if (text === undefined) throw new Error(`no messages in ${lang}`);
  return text;
}

/** Speaks `locale` (`rtl` for a right-to-left one) with the shipped messages. */
export function speak(locale: string, rtl = false): void {
  const files = locale === "en-XA" || locale === "ar-XB" ? "en" : locale;
  setWords({
    locale,
    rtl,
    messages: viewMessages(files),
    english: viewMessages("en"),
    chosen: null,
    system: "en",
    languages: ["en", "de", "es", "ar"],
  });
}

beforeEach(() => speak("en"));
