//! PUT replaces, PATCH merges: JSON Merge Patch (RFC 7396) on `serde_json` values.

use serde_json::{Map, Value};

// ANCHOR: merge_patch
/// Applies a JSON Merge Patch (RFC 7396, section 2) to `target`: an object patch merges member by
/// member, `null` removes a member, anything else (an array, a string, a number) replaces the
/// target whole.
///
/// ```
/// use serde_json::json;
/// use sysdesign::api_design::merge_patch;
/// let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
/// merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
/// assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
/// ```
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let target = target.as_object_mut().expect("made an object above");
    for (name, value) in patch {
        if value.is_null() {
            target.remove(name);
        } else {
            merge_patch(target.entry(name.clone()).or_insert(Value::Null), value);
        }
    }
}
// ANCHOR_END: merge_patch

/// The merge patch that turns `from` into `to`, for a client that edited a copy and wants to send
/// only what changed. Exact when `to` holds no `null` inside an object, which a merge patch cannot
/// express (RFC 7396, section 1): there `null` means "remove".
///
/// ```
/// use serde_json::json;
/// use sysdesign::api_design::{merge_diff, merge_patch};
/// let (from, to) = (json!({"name": "Ada", "age": 36}), json!({"name": "Ada", "city": "London"}));
/// let patch = merge_diff(&from, &to);
/// assert_eq!(patch, json!({"age": null, "city": "London"}));
/// let mut doc = from.clone();
/// merge_patch(&mut doc, &patch);
/// assert_eq!(doc, to);
/// ```
pub fn merge_diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for name in a.keys().filter(|name| !b.contains_key(*name)) {
                patch.insert(name.clone(), Value::Null);
            }
            for (name, new) in b {
                match a.get(name) {
                    Some(old) if old == new => {}
                    Some(old) if old.is_object() && new.is_object() => {
                        patch.insert(name.clone(), merge_diff(old, new));
                    }
                    _ => {
                        patch.insert(name.clone(), new.clone());
                    }
                }
            }
            Value::Object(patch)
        }
        _ => to.clone(),
    }
}

/// `PUT`: the enclosed representation becomes the resource's whole state (RFC 9110, section 9.3.4).
///
/// ```
/// use serde_json::json;
/// use sysdesign::api_design::put_replace;
/// let mut user = json!({"name": "Ada", "age": 36});
/// put_replace(&mut user, &json!({"name": "Ada Lovelace"}));
/// assert_eq!(user, json!({"name": "Ada Lovelace"})); // the age is gone
/// ```
pub fn put_replace(target: &mut Value, body: &Value) {
    *target = body.clone();
}

/// A collection of JSON resources by path, answering `PUT`, `PATCH` and `GET` with status codes as
/// RFC 9110 (section 9.3.4) and RFC 5789 describe them.
///
/// ```
/// use serde_json::json;
/// use sysdesign::api_design::Resources;
/// let mut users = Resources::default();
/// assert_eq!(users.put("/users/123", &json!({"name": "Ada"})), 201); // created at that URI
/// assert_eq!(users.put("/users/123", &json!({"name": "Ada L."})), 200); // replaced
/// assert_eq!(users.patch("/users/9", &json!({"age": 1})), 404); // nothing to patch
/// ```
#[derive(Clone, Debug, Default)]
pub struct Resources {
    by_path: std::collections::BTreeMap<String, Value>,
}

impl Resources {
    /// `PUT path`: the body becomes the resource; 201 Created if there was none, else 200 OK.
    pub fn put(&mut self, path: &str, body: &Value) -> u16 {
        match self.by_path.insert(path.to_string(), body.clone()) {
            None => 201,
            Some(_) => 200,
        }
    }

    /// `PATCH path` with a merge patch: 200 OK, or 404 Not Found if there is no such resource.
    pub fn patch(&mut self, path: &str, patch: &Value) -> u16 {
        match self.by_path.get_mut(path) {
            Some(doc) => {
                merge_patch(doc, patch);
                200
            }
            None => 404,
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.by_path.get(path)
    }
}
