import "tauri-plugin-beckon-api/sign-in.css";
import "./style.css";
import { invoke } from "@tauri-apps/api/core";
import { mountSignIn, onState } from "tauri-plugin-beckon-api";

const said = document.querySelector("[data-testid=backend]")!;
// The Rust side calls the backend with the session JWT; the page never holds the token.
const ask = async () => {
  said.textContent = await invoke<string>("whoami").catch(String);
};

await mountSignIn(document.getElementById("sign-in")!, { appName: "Example" });
await onState((state) => {
  if (state.screen === "signedIn" || state.screen === "enterEmail") void ask();
});
void ask();
