//! `/openapi.json` is kept true: every route the server has is in it and every path in it is a
//! route; each operation, called with its own examples, answers with a status the document
//! lists, and a success carries the fields its schema requires.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::TestServer;

/// `/v2/keys/{project_id}` → `/v2/keys/{}`: parameter names differ between axum and OpenAPI.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The routes in the server's source: `(method, path)`, the `auth` router's under /v1/auth.
fn source_routes() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut routes = BTreeSet::new();
    for (file, nested) in [
        ("http/mod.rs", true),
        ("http/pages.rs", false),
        ("http/management.rs", false),
    ] {
        let whole = std::fs::read_to_string(dir.join(file)).unwrap();
        // The file's own unit tests build routers of their own.
        let text = whole.split("#[cfg(test)]").next().unwrap();
        // In http/mod.rs, routes before `.route_layer(` belong to the `auth` router.
        let auth_end = if nested {
            text.find(".route_layer(").unwrap()
        } else {
            0
        };
        let mut at = 0;
        while let Some(found) = text[at..].find(".route(") {
            let start = at + found + ".route(".len();
            let quoted = text[start..].trim_start();
            let path: String = quoted[1..].chars().take_while(|c| *c != '"').collect();
            // The handlers: up to the route's closing parenthesis.
            let mut depth = 1;
            let mut end = start;
            for (i, c) in text[start..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            let handlers = &text[start..end];
            let prefix = if start < auth_end { "/v1/auth" } else { "" };
            for method in ["get", "post"] {
                if handlers.contains(&format!("{method}(")) {
                    routes.insert((method.to_uppercase(), shape(&format!("{prefix}{path}"))));
                }
            }
            at = end;
        }
    }
    routes
}

fn document() -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.to_uppercase(), shape(path)));
        }
    }
    routes
}

#[test]
fn every_route_is_documented_and_every_documented_path_is_a_route() {
    let source = source_routes();
    assert!(source.len() > 20, "the routes were found: {source:?}");
    let documented = documented_routes(&document());
    let undocumented: Vec<_> = source.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&source).collect();
    assert!(
        undocumented.is_empty(),
        "routes not in openapi.json: {undocumented:?}"
    );
    assert!(
        missing.is_empty(),
        "openapi.json paths the server lacks: {missing:?}"
    );
}

/// The schema `schema` names, one `$ref` deep.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap()],
        None => schema,
    }
}

#[tokio::test]
async fn each_operation_answers_its_examples_as_documented() {
    let s = TestServer::with_config(crate::harness::config_with(
        beckon_server::config::Settings {
            metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
            ..Default::default()
        },
    ))
    .await;
    let (_, key) = beckon_server::admin::create_key(
        &s.server.state.store,
        &beckon_server::admin::Operator::cli(),
        s.clock_now(),
        "openapi",
    )
    .await
    .unwrap();
    let metrics_base = format!("http://{}", s.server.metrics_addr.unwrap());
    let doc = document();
    // The served document is this file.
    assert_eq!(s.get_json("/openapi.json").await, doc);
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut url = path.clone();
            let mut query = Vec::new();
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                let example = match (name, param["example"].as_str()) {
                    ("projectId", _) => s.project_id.clone(),
                    (_, Some(e)) => e.to_owned(),
                    _ => panic!("{method} {path}: parameter {name} has no example"),
                };
                match param["in"].as_str() {
                    Some("path") => url = url.replace(&format!("{{{name}}}"), &example),
                    _ => query.push((name.to_owned(), example)),
                }
            }
            // An operation with servers of its own (metrics) is served there.
            let base = if op.get("servers").is_some() {
                &metrics_base
            } else {
                &s.base
            };
            let mut request = match method.as_str() {
                "get" => s.http.get(format!("{base}{url}")),
                "post" => s.http.post(format!("{base}{url}")),
                other => panic!("{other}"),
            }
            .query(&query);
            let bearer = match op.get("security").map(|s| s.to_string()) {
                None => Some(s.project_id.clone()),
                Some(security) if security.contains("managementKey") => {
                    Some(format!("{}:{}", s.project_id, key.expose()))
                }
                Some(_) => None,
            };
            if let Some(bearer) = bearer {
                request = request.header("Authorization", format!("Bearer {bearer}"));
            }
            let content = &op["requestBody"]["content"];
            if let Some(example) = content["application/json"].get("example") {
                request = request.json(example);
            } else if let Some(form) =
                content["application/x-www-form-urlencoded"]["example"].as_str()
            {
                request = request
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form.to_owned());
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16().to_string();
            let documented = &op["responses"][&status];
            let body = response.text().await.unwrap();
            assert!(
                documented.is_object(),
                "{method} {path} answered {status}, which openapi.json does not list: {body}"
            );
            let schema = &documented["content"]["application/json"]["schema"];
            if status.starts_with('2') && !schema.is_null() {
                let value: Value = serde_json::from_str(&body).unwrap();
                let schema = resolve(&doc, schema);
                for field in schema["required"].as_array().into_iter().flatten() {
                    let field = field.as_str().unwrap();
                    assert!(
                        value.get(field).is_some(),
                        "{method} {path}: no {field} in {body}"
                    );
                }
            }
            if !status.starts_with('2') && !schema.is_null() {
                let value: Value = serde_json::from_str(&body).unwrap();
                assert!(value["errorCode"].is_string(), "{method} {path}: {body}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, documented_routes(&doc).len());
}
