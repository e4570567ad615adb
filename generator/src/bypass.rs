//! The operations that do not go through progenitor, each with its reason.
//!
//! The list is explicit so that a new multipart operation in the spec is a deliberate decision:
//! the generator refuses a spec whose multipart operations and this list disagree.

use crate::GenerateError;
use crate::multipart::MultipartOperation;

/// One operation that the generator emits itself instead of handing it to progenitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bypass {
    /// The operationId in the spec.
    pub operation_id: &'static str,
    /// Why progenitor cannot take it.
    pub reason: &'static str,
}

/// Every operation emitted by [`crate::multipart`] rather than by progenitor.
pub const BYPASS: &[Bypass] = &[Bypass {
    operation_id: "create_assets",
    reason: "multipart/form-data request body: progenitor 0.15 rejects it (\"unexpected content \
             type\"); the form, its part encodings and limits are emitted from the spec instead",
}];

/// Fails when the spec's multipart operations and [`BYPASS`] are not the same set.
pub(crate) fn check_agrees(found: &[MultipartOperation]) -> Result<(), GenerateError> {
    let mut problems = Vec::new();
    for op in found {
        if !BYPASS.iter().any(|b| b.operation_id == op.operation_id) {
            problems.push(format!(
                "operation `{}` has a multipart/form-data body, which progenitor cannot generate, \
                 and it is not in the generator's bypass list; check that generator/src/multipart.rs \
                 supports its shape, then add it to BYPASS in generator/src/bypass.rs with its reason",
                op.operation_id
            ));
        }
    }
    for entry in BYPASS {
        if !found.iter().any(|op| op.operation_id == entry.operation_id) {
            problems.push(format!(
                "BYPASS in generator/src/bypass.rs lists `{}`, but the spec has no multipart \
                 operation with that operationId; remove the entry or restore the operation",
                entry.operation_id
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(GenerateError::BypassMismatch(problems.join("\n")))
    }
}
