//! The one error type that crosses the bridge: the engine's `{ code, message, details }`
//! ([`weft_engine::ops::error::ApiError`]). Errors of the shell itself use `WEFT-D…` codes
//! (`docs/errors/desktop.md`).

pub use weft_engine::ops::error::ApiError as BridgeError;

/// Result of a desktop command.
pub type BridgeResult<T> = Result<T, BridgeError>;
