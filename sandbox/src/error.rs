//! The sandbox's one error type.

use std::net::SocketAddr;

/// Why the sandbox could not start, or could not take a fault script.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The OpenAPI text is not YAML (or JSON) at all.
    #[error(
        "the OpenAPI document is not valid YAML: {source}; fix the syntax or pass another spec"
    )]
    SpecSyntax {
        /// The parser's complaint.
        #[source]
        source: serde_yaml::Error,
    },

    /// Something the sandbox needs is absent from the OpenAPI document.
    #[error(
        "the OpenAPI document lacks {what} (looked at {location}); the sandbox reads it from the spec and cannot start without it"
    )]
    SpecMissing {
        /// What was looked for, e.g. "operation `create_assets`".
        what: String,
        /// Where it was looked for, as a readable path into the document.
        location: String,
    },

    /// Something is in the OpenAPI document but in a shape the sandbox cannot serve.
    #[error(
        "the OpenAPI document's {what} (at {location}) cannot be served by the sandbox: {reason}"
    )]
    SpecUnsupported {
        /// The element concerned.
        what: String,
        /// Where it is, as a readable path into the document.
        location: String,
        /// Why it cannot be served, and what shape would work.
        reason: String,
    },

    /// The configured bind address is not a loopback address.
    #[error(
        "refusing to bind {addr}: the sandbox serves on loopback addresses (127.0.0.0/8, ::1) only"
    )]
    NotLoopback {
        /// The address that was asked for.
        addr: SocketAddr,
    },

    /// The listening socket could not be opened.
    #[error("could not listen on {addr}: {source}; pick another port (0 lets the system choose)")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The temporary directory for uploaded files could not be created.
    #[error("could not create the sandbox's temporary directory for uploads: {source}")]
    TempDir {
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// [`crate::Sandbox::push_faults`] was given an operationId the sandbox does not serve.
    #[error("the sandbox serves no operation `{operation}`; faults can be queued for {known}")]
    UnknownOperation {
        /// The operationId given.
        operation: String,
        /// The operationIds the sandbox serves, comma-separated.
        known: String,
    },

    /// A queued fault cannot be carried out as given.
    #[error("the fault {fault} cannot be served: {reason}")]
    InvalidFault {
        /// The fault, as its `Display` text.
        fault: String,
        /// What is wrong with it.
        reason: String,
    },
}
