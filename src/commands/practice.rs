//! `mockround practice` (in progress).

use crate::cli::PracticeArgs;
use crate::error::AppError;

use super::Context;

/// Not built yet: says so and exits non-zero.
pub async fn run(_ctx: &Context, _args: &PracticeArgs) -> Result<u8, AppError> {
    Err(AppError::NotBuilt("mockround practice"))
}
