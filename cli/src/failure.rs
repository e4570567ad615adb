//! Exit codes, and the one-line errors that go with them.

use std::process::ExitCode;

use shareofmodel::Error;

/// What `som` exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Done = 0,
    /// A request failed; for an upload, the inputs listed failed and the others were created.
    Failed = 1,
    /// Usage, configuration or input error, found before anything was sent.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A command that could not do what was asked, with the one line that says why.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    /// The wrapper's error, whose message already says what to do. Errors found before sending
    /// (inputs, configuration) are usage errors; the rest came from talking to the server.
    pub fn from_error(error: &Error) -> Self {
        Self {
            exit: exit_for(error),
            message: one_line(&error.to_string()),
        }
    }
}

pub fn exit_for(error: &Error) -> Exit {
    match error {
        Error::InvalidInput { .. } | Error::Config { .. } => Exit::Usage,
        _ => Exit::Failed,
    }
}

/// Errors are one line each on stderr, whatever a server put in its message.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
