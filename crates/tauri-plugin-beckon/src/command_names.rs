// The plugin's commands, named once. `build.rs` makes a permission of each (and the `default`
// set of the first list); `lib.rs` registers each with Tauri; `tests/bindings.rs` checks that
// `commands.rs` defines each and generates the guest-js types from them.
with_commands!(
    // In `default`: what a sign-in view needs.
    default: [
        state,
        sign_in,
        send_magic_link,
        cancel,
        enter_code,
        sign_out,
        sign_out_everywhere,
        change_email,
        cancel_email_change,
        words,
        set_language,
    ],
    // Granted only by name: the session JWT, and the choice of server (a script that could
    // change it could send the person's sign-in to a server of its choosing).
    privileged: [session_token, get_settings, save_settings],
)
