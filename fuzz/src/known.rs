//! Library defects this fuzzer found that are not fixed yet: none at the
//! moment (`static-null-zero` in `fuzz/regressions/` was the first, fixed
//! in 4de0d36).
//!
//! Each open one fails the run by default (the fuzzer is the proof that
//! they are gone) and is reproduced by a file in `fuzz/regressions/c_api/`
//! (see the README there). To let runs look for further defects while one
//! is being fixed, add a variant here and, where the harness checks the
//! behaviour in question, accept the defective behaviour when
//! `known::allowed(Known::ThatVariant)` holds: that is, when the run has
//! `LIBBYTES_FUZZ_ALLOW_KNOWN=1`. When the defect is fixed, delete both.

use std::sync::OnceLock;

/// The known, unfixed defects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {}

/// Whether the run steps over `defect` (see the module comment).
pub fn allowed(defect: Known) -> bool {
    static ALLOW: OnceLock<bool> = OnceLock::new();
    let allow = ALLOW.get_or_init(|| std::env::var_os("LIBBYTES_FUZZ_ALLOW_KNOWN").is_some_and(|v| v == "1"));
    // With no open defect there is nothing to allow (the enum is empty).
    *allow && match defect {}
}
