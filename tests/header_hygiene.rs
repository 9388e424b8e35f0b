//! Checks on the committed `include/bytes.h` that keep it a good citizen in
//! other code bases: every name it declares or defines is prefixed
//! (`bytes_`, `BYTES_`), and every function returning a status is marked
//! `BYTES_MUST_USE` (warn_unused_result), also the ones added later.

use std::path::Path;

fn header() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/bytes.h");
    std::fs::read_to_string(path).expect("include/bytes.h is readable")
}

#[test]
fn every_macro_is_prefixed() {
    let header = header();
    let macros: Vec<&str> = header
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("#define "))
        .map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or(""))
        .collect();
    assert!(macros.contains(&"BYTES_MAX_IOVECS"), "BYTES_MAX_IOVECS is defined");
    assert!(macros.contains(&"BYTES_LIT"), "BYTES_LIT is defined");
    let unprefixed: Vec<_> = macros.iter().filter(|name| !name.starts_with("BYTES_")).collect();
    assert!(unprefixed.is_empty(), "macros without the BYTES_ prefix: {unprefixed:?}");
}

#[test]
fn every_status_returning_function_is_must_use() {
    let header = header();
    let mut checked = 0;
    for line in header.lines() {
        // Declarations and the header's own inline functions.
        let Some(at) = line.find("bytes_status_t bytes_") else { continue };
        let decl = line[at..].trim_end();
        if !decl.contains('(') || line.trim_start().starts_with('*') || line.trim_start().starts_with("/*") {
            continue;
        }
        // A typedef or a parameter is not a function returning a status.
        if line.contains("typedef") || line[..at].contains('(') {
            continue;
        }
        assert!(line.trim_start().starts_with("BYTES_MUST_USE "), "not BYTES_MUST_USE: {line}");
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} status-returning functions found");
}

#[test]
fn every_function_and_type_is_prefixed() {
    let header = header();
    for line in header.lines() {
        let line = line.trim_start();
        if line.starts_with("typedef ") && line.ends_with(';') {
            let name = line.trim_end_matches(';').rsplit(' ').next().unwrap_or("");
            assert!(name.starts_with("bytes_"), "typedef without the bytes_ prefix: {line}");
        }
        for start in ["struct ", "enum "] {
            if let Some(rest) =
                line.strip_prefix(start).or_else(|| line.strip_prefix(&format!("typedef {start}")))
            {
                let name =
                    rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
                assert!(
                    name.is_empty() || name.starts_with("bytes_") || name == "iovec",
                    "unprefixed tag: {line}"
                );
            }
        }
    }
}
