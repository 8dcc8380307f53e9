// The example's page without the sign-in: it asks the backend once, as the example does when
// it starts. The mark is the one the plugin's view sets on its first frame, set here on this
// page's: the benchmark (row 8) reads it from both apps.
requestAnimationFrame(() => performance.mark("beckon:view-painted"));
const said = document.querySelector("output");
window.__TAURI__.core.invoke("whoami").then(
  (answer) => { said.textContent = answer; },
  (error) => { said.textContent = String(error); },
);
