use thiserror::Error;

/// Why the generator could not turn the document into a client.
///
/// Every variant names where in the document the problem is and what to change; none of them is
/// ever raised after a file was produced, so a failing run leaves the old client as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The text is not YAML or JSON, or not an OpenAPI object.
    #[error("the spec is not a readable OpenAPI document: {0}")]
    Parse(String),

    /// Only OpenAPI 3.0.x is supported (progenitor and openapiv3 read nothing else).
    #[error(
        "the spec declares `openapi: {found}`, but only OpenAPI 3.0.x documents are supported; \
         write the document as 3.0.3"
    )]
    UnsupportedVersion {
        /// The version the document declares.
        found: String,
    },

    /// A shape the generator relies on is missing or malformed.
    #[error("{location}: {reason}")]
    Invalid {
        /// Where: an operation id, a JSON pointer or a component name.
        location: String,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// A valid OpenAPI construct that this generator cannot emit code for.
    #[error("{location}: unsupported: {reason}")]
    Unsupported {
        /// Where: an operation id, a JSON pointer or a component name.
        location: String,
        /// What is not supported and what to do instead.
        reason: String,
    },

    /// The list of operations that bypass progenitor disagrees with the spec.
    #[error("{0}")]
    BypassMismatch(String),

    /// progenitor itself refused the (pre-validated) document.
    #[error("progenitor could not generate the client: {0}")]
    Progenitor(String),

    /// The generated tokens did not parse as Rust: a bug in this generator.
    #[error("the generated code for {file} is not valid Rust ({reason}); this is a generator bug")]
    InvalidOutput {
        /// The file being produced.
        file: String,
        /// The parser's message.
        reason: String,
    },
}

impl GenerateError {
    pub(crate) fn invalid(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            location: location.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn unsupported(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Unsupported {
            location: location.into(),
            reason: reason.into(),
        }
    }
}
