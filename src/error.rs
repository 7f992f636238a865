//! One error type for everything a user can get wrong: files, data, settings.

use thiserror::Error;

/// What went wrong, in words a user can act on.
#[derive(Debug, Error)]
pub enum Error {
    /// A dataset file that is not the MNIST IDX data we expect.
    #[error("bad MNIST data: {0}")]
    Data(String),
    /// Own training images (a folder, an IDX file, drawings) that cannot be trained on.
    #[error("bad training images: {0}")]
    Images(String),
    /// A weights file that cannot be loaded into this model.
    #[error("bad weights file: {0}")]
    Weights(String),
    /// A setting out of range (batch size 0, a negative learning rate, ...).
    #[error("invalid setting: {0}")]
    Config(String),
    /// Training produced a non-finite loss.
    #[error("training diverged at step {step}: {what} is not finite")]
    Diverged { step: u64, what: String },
    /// A tensor could not be read back from the device (for example a lost GPU).
    #[error("device error: {0}")]
    Device(String),
    /// A call that needs something not given yet (training data, the judge, a good state).
    #[error("{0}")]
    State(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// What kind of error this is, in one lowercase word ("data", "weights", "config",
    /// "diverged", "device", "state", "io"): the page switches on it, never on the words.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Data(_) | Error::Images(_) => "data",
            Error::Weights(_) => "weights",
            Error::Config(_) => "config",
            Error::Diverged { .. } => "diverged",
            Error::Device(_) => "device",
            Error::State(_) => "state",
            Error::Io(_) => "io",
        }
    }
}

/// Result with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
