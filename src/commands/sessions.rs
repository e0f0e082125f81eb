//! `mockround sessions` (in progress).

use crate::cli::SessionsArgs;
use crate::error::AppError;

use super::Context;

/// Not built yet: says so and exits non-zero.
pub fn run(_ctx: &Context, _args: &SessionsArgs) -> Result<u8, AppError> {
    Err(AppError::NotBuilt("mockround sessions"))
}
