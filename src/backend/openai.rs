//! (in progress: replaced by the backend implementation)

use async_trait::async_trait;

use super::*;

/// HTTP backend (in progress).
pub struct OpenAiBackend {
    settings: HttpBackendSettings,
}

impl OpenAiBackend {
    /// Build from resolved settings.
    pub fn new(settings: HttpBackendSettings) -> Result<Self, BackendError> {
        Ok(Self { settings })
    }
}

#[async_trait]
impl ChatBackend for OpenAiBackend {
    fn kind(&self) -> &'static str {
        "openai"
    }
    fn model(&self) -> &str {
        &self.settings.model
    }
    async fn complete(&self, _req: &ChatRequest) -> Result<ChatReply, BackendError> {
        Err(BackendError::Config("not built yet".into()))
    }
    async fn stream(&self, _req: &ChatRequest) -> Result<ChatStream, BackendError> {
        Err(BackendError::Config("not built yet".into()))
    }
    async fn health(&self) -> HealthReport {
        HealthReport {
            kind: "openai".into(),
            endpoint: self.settings.base_url.clone(),
            model: self.settings.model.clone(),
            checks: vec![],
        }
    }
}
