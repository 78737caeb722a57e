//! Shared helpers for golden tests.
//!
//! Expected files are written by hand and hold only the facts a test asserts: every key in
//! the expected JSON must be present in the actual output with an equal value. Objects match
//! as subsets; arrays must have the same length and match element by element (so a dropped
//! or extra item fails). Two keys are special in an expected document (at the top level, or in
//! each element when an input holds several prescriptions): `"findings_include": [rule ids]`
//! (each must occur in the `findings[].rule` beside it) and `"findings_exclude": [rule ids]`
//! (none may occur); `"findings_count": {rule id: n}` asserts the exact number of a rule's findings.
#![allow(dead_code)]

use serde_json::Value;

/// The characters of `s` without whitespace: extracted text is scored on characters, since
/// producers differ in how they space cells.
pub fn squeeze(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Length of the longest common subsequence (characters in order): how much of a known text an
/// extraction kept, wherever its spacing and line breaks went.
pub fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for ca in a {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Checks `actual` against the hand-written `expected`; returns every mismatch found.
pub fn subset_match(expected: &Value, actual: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    walk("", expected, actual, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Keys that assert on the `findings` beside them rather than naming an output key.
const FINDINGS_KEYS: &[&str] = &["findings_include", "findings_exclude", "findings_count"];

/// `findings_include` / `findings_exclude` of an expected document (at the top level, or in
/// each element of a top-level array when an input holds several prescriptions).
fn check_findings(
    path: &str,
    e: &serde_json::Map<String, Value>,
    a: &serde_json::Map<String, Value>,
    errors: &mut Vec<String>,
) {
    let rules: Vec<&str> = a
        .get("findings")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f.get("rule").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    // Distinct ids in order, with counts: a document of 1,000 items must not print 1,000 ids.
    let mut distinct: Vec<(&str, usize)> = Vec::new();
    for r in &rules {
        match distinct.iter_mut().find(|(id, _)| id == r) {
            Some((_, n)) => *n += 1,
            None => distinct.push((r, 1)),
        }
    }
    let got: Vec<String> = distinct
        .iter()
        .map(|(id, n)| {
            if *n == 1 {
                id.to_string()
            } else {
                format!("{id}×{n}")
            }
        })
        .collect();
    let listed = |k: &str| {
        e.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    };
    for r in listed("findings_include") {
        if !rules.contains(&r) {
            errors.push(format!(
                "{path}: finding {r:?} expected but not reported (got {got:?})"
            ));
        }
    }
    for r in listed("findings_exclude") {
        if rules.contains(&r) {
            errors.push(format!(
                "{path}: finding {r:?} must not be reported (got {got:?})"
            ));
        }
    }
    for (r, n) in e
        .get("findings_count")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let got = rules.iter().filter(|x| **x == r.as_str()).count();
        if n.as_u64() != Some(got as u64) {
            errors.push(format!("{path}: expected {n} findings {r:?}, got {got}"));
        }
    }
}

fn walk(path: &str, expected: &Value, actual: &Value, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            check_findings(path, e, a, errors);
            for (k, ev) in e {
                if FINDINGS_KEYS.contains(&k.as_str()) {
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
    let several = json!([{"findings": [{"rule": "expired"}]}, {"findings": []}]);
    assert!(
        subset_match(
            &json!([{"findings_include": ["expired"]}, {"findings_exclude": ["expired"]}]),
            &several
        )
        .is_ok()
    );
    assert!(subset_match(&json!([{}, {"findings_include": ["expired"]}]), &several).is_err());
    assert!(
        subset_match(
            &json!([{"findings_count": {"expired": 1}}, {"findings_count": {"expired": 0}}]),
            &several
        )
        .is_ok()
    );
    assert!(subset_match(&json!([{"findings_count": {"expired": 2}}, {}]), &several).is_err());
    assert_eq!(lcs(&squeeze("処方 A錠"), &squeeze("処方\tA 錠x")), 4);
}
