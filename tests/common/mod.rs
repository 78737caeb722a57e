//! Shared helpers for golden tests.
//!
//! Expected files are written by hand and hold only the facts a test asserts: every key in
//! the expected JSON must be present in the actual output with an equal value. Objects match
//! as subsets; arrays must have the same length and match element by element (so a dropped
//! or extra item fails). Two keys are special at the top level of an expected document:
//! `"findings_include": [rule ids]` (each must occur in `findings[].rule`) and
//! `"findings_exclude": [rule ids]` (none may occur).
#![allow(dead_code)]

use serde_json::Value;

/// Checks `actual` against the hand-written `expected`; returns every mismatch found.
pub fn subset_match(expected: &Value, actual: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    walk("", expected, actual, &mut errors);
    if let Some(obj) = expected.as_object() {
        let rules: Vec<&str> = actual
            .get("findings")
            .and_then(Value::as_array)
            .map(|fs| {
                fs.iter()
                    .filter_map(|f| f.get("rule").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(inc) = obj.get("findings_include").and_then(Value::as_array) {
            for r in inc.iter().filter_map(Value::as_str) {
                if !rules.contains(&r) {
                    errors.push(format!(
                        "finding {r:?} expected but not reported (got {rules:?})"
                    ));
                }
            }
        }
        if let Some(exc) = obj.get("findings_exclude").and_then(Value::as_array) {
            for r in exc.iter().filter_map(Value::as_str) {
                if rules.contains(&r) {
                    errors.push(format!(
                        "finding {r:?} must not be reported (got {rules:?})"
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn walk(path: &str, expected: &Value, actual: &Value, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if path.is_empty() && (k == "findings_include" || k == "findings_exclude") {
                    continue;
                }
                let p = format!("{path}/{k}");
                match a.get(k) {
                    Some(av) => walk(&p, ev, av, errors),
                    None => errors.push(format!("{p}: missing (expected {ev})")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: expected {} elements, got {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(&format!("{path}/{i}"), ev, av, errors);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if e.as_f64() != a.as_f64() {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
        (e, a) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

#[test]
fn subset_match_reports_differences() {
    use serde_json::json;
    let actual = json!({"a": 1, "b": {"c": "x", "d": 2}, "items": [{"n": 1}, {"n": 2}],
                        "findings": [{"rule": "expired"}]});
    assert!(subset_match(&json!({"b": {"c": "x"}, "items": [{}, {"n": 2}]}), &actual).is_ok());
    assert!(subset_match(&json!({"items": [{"n": 1}]}), &actual).is_err());
    assert!(subset_match(&json!({"b": {"c": "y"}}), &actual).is_err());
    assert!(subset_match(&json!({"z": null}), &actual).is_err());
    assert!(subset_match(&json!({"findings_include": ["expired"]}), &actual).is_ok());
    assert!(subset_match(&json!({"findings_include": ["nosub-unsigned"]}), &actual).is_err());
    assert!(subset_match(&json!({"findings_exclude": ["expired"]}), &actual).is_err());
}
