//! Non-streamed reply parsers of both HTTP backends: any body gives a reply
//! or a `BackendError`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mockround::backend::openai::parse_reply(data, "m");
    let _ = mockround::backend::ollama::parse_reply(data, "m");
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mockround::backend::normalize_ollama_host(text);
        let _ = mockround::backend::parse_retry_after(text, std::time::SystemTime::UNIX_EPOCH);
    }
});
