//! `mockround grade` (in progress).

use crate::cli::GradeArgs;
use crate::error::AppError;

use super::Context;

/// Not built yet: says so and exits non-zero.
pub async fn run(_ctx: &Context, _args: &GradeArgs) -> Result<u8, AppError> {
    Err(AppError::NotBuilt("mockround grade"))
}
