//! `mockround rubrics` (in progress).

use crate::cli::RubricsArgs;
use crate::error::AppError;

use super::Context;

/// Not built yet: says so and exits non-zero.
pub fn run(_ctx: &Context, _args: &RubricsArgs) -> Result<u8, AppError> {
    Err(AppError::NotBuilt("mockround rubrics"))
}
