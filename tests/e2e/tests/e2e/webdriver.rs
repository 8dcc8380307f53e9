//! Just enough of the W3C WebDriver protocol to drive the app through tauri-driver.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// W3C's key for an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a lookup keeps trying while the screen is being rendered anew.
const STALE_FOR: Duration = Duration::from_secs(5);

fn is_stale(error: &Value) -> bool {
    error["error"] == "stale element reference"
}

/// The Enter key, for [`Session::send_keys`].
pub const ENTER: &str = "\u{E007}";

pub struct Session {
    http: reqwest::Client,
    url: String,
}

impl Session {
    /// Opens a session that launches `application` with `args`.
    pub async fn new(driver_url: &str, application: &str, args: &[&str]) -> Self {
        let http = reqwest::Client::new();
        let options = json!({ "application": application, "args": args });
        let capabilities =
            json!({ "capabilities": { "alwaysMatch": { "tauri:options": options } } });
        let response: Value = http
            .post(format!("{driver_url}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("tauri-driver answers")
            .json()
            .await
            .expect("a JSON answer to new session");
        let id = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session was created: {response}"));
        Self {
            url: format!("{driver_url}/session/{id}"),
            http,
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("tauri-driver answers");
        let ok = response.status().is_success();
        let value: Value = response.json().await.expect("a JSON answer");
        if ok {
            Ok(value["value"].clone())
        } else {
            Err(value["value"].clone())
        }
    }

    /// The first element matching `css`, if any. WebKitWebDriver answers "stale element
    /// reference" when the screen is rendered anew while it looks (a countdown ticking, a
    /// state arriving); then it looks again, for up to [`STALE_FOR`].
    pub async fn find(&self, css: &str) -> Option<String> {
        let start = Instant::now();
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            match found {
                Ok(value) => return value[ELEMENT_KEY].as_str().map(str::to_owned),
                Err(error) if error["error"] == "no such element" => return None,
                Err(error) if is_stale(&error) && start.elapsed() < STALE_FOR => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(error) => panic!("finding {css}: {error}"),
            }
        }
    }

    /// The text of the first element matching `css`: found and read again when the screen
    /// changed between the two.
    pub async fn text_at(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            let element = self
                .find(css)
                .await
                .unwrap_or_else(|| panic!("{css} is not on the screen"));
            match self.try_text(&element).await {
                Ok(text) => return text,
                Err(error) if is_stale(&error) && start.elapsed() < STALE_FOR => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(error) => panic!("reading {css}: {error}"),
            }
        }
    }

    /// Waits until an element matching `css` appears.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            if start.elapsed() > timeout {
                let body = self.find("body").await;
                let text = match body {
                    Some(b) => self.text(&b).await,
                    None => String::new(),
                };
                panic!("{css} did not appear within {timeout:?}; the window shows: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, element: &str) -> String {
        self.try_text(element).await.expect("element text")
    }

    /// The element's text, or the error when it cannot be read (it went stale: the screen
    /// was rendered anew since it was found).
    pub async fn try_text(&self, element: &str) -> Result<String, Value> {
        let path = format!("/element/{element}/text");
        let value = self.call(reqwest::Method::GET, &path, None).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    pub async fn attribute(&self, element: &str, name: &str) -> Option<String> {
        let value = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{element}/attribute/{name}"),
                None,
            )
            .await
            .expect("element attribute");
        value.as_str().map(str::to_owned)
    }

    pub async fn property(&self, element: &str, name: &str) -> Option<String> {
        let value = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{element}/property/{name}"),
                None,
            )
            .await
            .expect("element property");
        value.as_str().map(str::to_owned)
    }

    pub async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await
        .expect("click");
    }

    pub async fn send_keys(&self, element: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await
        .expect("send keys");
    }

    /// Empties an input.
    pub async fn clear(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            Some(json!({})),
        )
        .await
        .expect("clear");
    }

    /// The element that has the keyboard focus.
    pub async fn active(&self) -> String {
        let value = self
            .call(reqwest::Method::GET, "/element/active", None)
            .await
            .expect("the focused element");
        value[ELEMENT_KEY]
            .as_str()
            .expect("an element reference")
            .to_owned()
    }

    /// Types `text` (WebDriver key codes allowed, like [`ENTER`]) into whatever has the focus.
    pub async fn type_into_focus(&self, text: &str) {
        let focused = self.active().await;
        self.send_keys(&focused, text).await;
    }

    /// Runs `script` (a function body) in the window, and answers what it returns.
    pub async fn execute(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
        .unwrap_or_else(|error| panic!("running a script: {error}"))
    }

    /// Ends the session, which closes the app.
    pub async fn quit(self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
    }
}
