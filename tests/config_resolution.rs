//! Config resolution: file, environment and flags, and error messages.

use std::path::{Path, PathBuf};

use mockround::backend::BackendSpec;
use mockround::config::{Config, ConfigError, ConfigSource, Env, Overrides};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write config");
    p
}

fn settings(spec: &BackendSpec) -> &mockround::backend::HttpBackendSettings {
    match spec {
        BackendSpec::OpenAi(s) | BackendSpec::Ollama(s) => s,
        BackendSpec::Offline => panic!("expected an HTTP backend, got offline"),
    }
}

#[test]
fn no_config_anywhere_defaults_to_offline() {
    let cfg = Config::resolve_with(&Overrides::default(), &Env::default(), None).expect("resolve");
    assert_eq!(cfg.backend, BackendSpec::Offline);
    assert_eq!(cfg.source, ConfigSource::BuiltIn);
    assert_eq!(cfg.profile, "offline");
}

#[test]
fn example_config_parses_and_every_profile_resolves() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    for profile in ["offline", "openai", "local", "llamacpp"] {
        let over = Overrides {
            config_path: Some(path.clone()),
            backend: Some(profile.into()),
            ..Overrides::default()
        };
        let cfg = Config::resolve_with(&over, &Env::default(), None)
            .unwrap_or_else(|e| panic!("profile {profile}: {e}"));
        assert_eq!(cfg.profile, profile);
    }
}

#[test]
fn flag_overrides_env_overrides_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "c.toml",
        "default = \"a\"\n[backends.a]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"file-model\"\n\
         [backends.b]\nkind = \"ollama\"\nmodel = \"b-model\"\n",
    );
    let env = Env::from_pairs([("MOCKROUND_MODEL", "env-model")]);
    let base = Overrides {
        config_path: Some(path.clone()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&base, &env, None).expect("resolve");
    assert_eq!(settings(&cfg.backend).model, "env-model", "env beats file");

    let flagged = Overrides {
        model: Some("flag-model".into()),
        ..base.clone()
    };
    let cfg = Config::resolve_with(&flagged, &env, None).expect("resolve");
    assert_eq!(settings(&cfg.backend).model, "flag-model", "flag beats env");

    let env_backend = Env::from_pairs([("MOCKROUND_BACKEND", "b")]);
    let cfg = Config::resolve_with(&base, &env_backend, None).expect("resolve");
    assert!(
        matches!(cfg.backend, BackendSpec::Ollama(_)),
        "env picks profile b"
    );
    let cfg = Config::resolve_with(
        &Overrides {
            backend: Some("a".into()),
            ..base
        },
        &env_backend,
        None,
    )
    .expect("resolve");
    assert!(
        matches!(cfg.backend, BackendSpec::OpenAi(_)),
        "flag beats env"
    );
}

#[test]
fn config_path_lookup_order_flag_then_env_then_xdg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let flag = write(dir.path(), "flag.toml", "default = \"openai\"\n");
    let envp = write(dir.path(), "env.toml", "default = \"ollama\"\n");
    let xdg = write(dir.path(), "xdg.toml", "default = \"offline\"\n");
    let env = Env::from_pairs([("MOCKROUND_CONFIG", envp.to_string_lossy().to_string())]);

    let cfg = Config::resolve_with(
        &Overrides {
            config_path: Some(flag.clone()),
            ..Overrides::default()
        },
        &env,
        Some(xdg.clone()),
    )
    .expect("resolve");
    assert_eq!(cfg.source, ConfigSource::File(flag));

    let cfg =
        Config::resolve_with(&Overrides::default(), &env, Some(xdg.clone())).expect("resolve");
    assert_eq!(cfg.source, ConfigSource::File(envp));

    let cfg = Config::resolve_with(&Overrides::default(), &Env::default(), Some(xdg.clone()))
        .expect("resolve");
    assert_eq!(cfg.source, ConfigSource::File(xdg));

    let missing = dir.path().join("absent.toml");
    let cfg = Config::resolve_with(&Overrides::default(), &Env::default(), Some(missing))
        .expect("resolve");
    assert_eq!(cfg.source, ConfigSource::BuiltIn);
}

#[test]
fn builtin_openai_without_config_uses_openai_env_vars() {
    let env = Env::from_pairs([
        ("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1/"),
        ("OPENAI_API_KEY", "sk-test-not-real"),
    ]);
    let over = Overrides {
        backend: Some("openai".into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&over, &env, None).expect("resolve");
    let s = settings(&cfg.backend);
    assert_eq!(s.base_url, "http://127.0.0.1:8080/v1");
    assert_eq!(s.api_key_env.as_deref(), Some("OPENAI_API_KEY"));
    assert_eq!(s.api_key.as_deref(), Some("sk-test-not-real"));
}

#[test]
fn builtin_ollama_honours_ollama_host_without_scheme() {
    let env = Env::from_pairs([("OLLAMA_HOST", "127.0.0.1:11500")]);
    let over = Overrides {
        backend: Some("ollama".into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&over, &env, None).expect("resolve");
    assert_eq!(settings(&cfg.backend).base_url, "http://127.0.0.1:11500");
    assert_eq!(cfg.jobs, 2, "ollama defaults to low concurrency");
}

#[test]
fn api_key_env_naming_an_unset_variable_gives_no_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "c.toml",
        "[backends.x]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:1/v1\"\napi_key_env = \"MY_UNSET_KEY\"\n",
    );
    let over = Overrides {
        config_path: Some(path),
        backend: Some("x".into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&over, &Env::default(), None).expect("resolve");
    let s = settings(&cfg.backend);
    assert_eq!(s.api_key_env.as_deref(), Some("MY_UNSET_KEY"));
    assert_eq!(s.api_key, None);
}

#[test]
fn malformed_file_reports_path_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.toml",
        "default = \"offline\"\n[backends.x]\nkind = \"openai\"\nmodel = = \"oops\"\n",
    );
    let over = Overrides {
        config_path: Some(path.clone()),
        ..Overrides::default()
    };
    let err = Config::resolve_with(&over, &Env::default(), None).expect_err("must fail");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("{}:4:", path.display())),
        "message names path and line 4: {msg}"
    );
    assert!(matches!(err, ConfigError::Parse { line: 4, .. }));
}

#[test]
fn unknown_key_is_an_error_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "typo.toml",
        "[backends.x]\nkind = \"openai\"\nbase_ulr = \"http://127.0.0.1:1\"\n",
    );
    let over = Overrides {
        config_path: Some(path),
        ..Overrides::default()
    };
    let msg = Config::resolve_with(&over, &Env::default(), None)
        .expect_err("must fail")
        .to_string();
    assert!(msg.contains(":3:"), "line 3 named: {msg}");
    assert!(msg.contains("base_ulr"), "the bad key named: {msg}");
}

#[test]
fn unknown_backend_lists_known_profiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "c.toml",
        "[backends.mine]\nkind = \"offline\"\n",
    );
    let over = Overrides {
        config_path: Some(path),
        backend: Some("nope".into()),
        ..Overrides::default()
    };
    let msg = Config::resolve_with(&over, &Env::default(), None)
        .expect_err("must fail")
        .to_string();
    assert!(msg.contains("nope") && msg.contains("mine"), "{msg}");
}

#[test]
fn invalid_values_are_rejected_with_the_setting_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (body, needle) in [
        ("kind = \"openai\"\ntemperature = 9.0\n", "temperature"),
        (
            "kind = \"openai\"\n[backends.x.retry]\nmax_attempts = 0\n",
            "max_attempts",
        ),
        (
            "kind = \"openai\"\n[backends.x.timeouts]\nidle_secs = -1\n",
            "idle_secs",
        ),
        ("kind = \"openai\"\nbase_url = \"ftp://x\"\n", "base_url"),
        ("kind = \"gemini\"\n", "gemini"),
    ] {
        let path = write(dir.path(), "v.toml", &format!("[backends.x]\n{body}"));
        let over = Overrides {
            config_path: Some(path),
            backend: Some("x".into()),
            ..Overrides::default()
        };
        let msg = Config::resolve_with(&over, &Env::default(), None)
            .expect_err("must fail")
            .to_string();
        assert!(msg.contains(needle), "{needle} named in: {msg}");
    }
}

#[test]
fn settings_debug_never_shows_the_key() {
    let env = Env::from_pairs([("OPENAI_API_KEY", "sk-secret-canary-123")]);
    let over = Overrides {
        backend: Some("openai".into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&over, &env, None).expect("resolve");
    let dbg = format!("{cfg:?}");
    assert!(!dbg.contains("sk-secret-canary-123"), "key leaked: {dbg}");
}

#[test]
fn gemma_on_an_openai_server_folds_system_messages_unless_told_otherwise() {
    use mockround::backend::SystemRole;
    let gemma = Overrides {
        backend: Some("openai".into()),
        model: Some("gemma3-270m".into()),
        base_url: Some("http://127.0.0.1:8080/v1".into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&gemma, &Env::default(), None).expect("resolve");
    assert_eq!(settings(&cfg.backend).system_role, SystemRole::Fold);

    let gpt = Overrides {
        model: Some("gpt-4o-mini".into()),
        ..gemma
    };
    let cfg = Config::resolve_with(&gpt, &Env::default(), None).expect("resolve");
    assert_eq!(settings(&cfg.backend).system_role, SystemRole::Native);

    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "c.toml",
        "[backends.g]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:8080/v1\"\nmodel = \"gemma3\"\nsystem_role = \"native\"\n\
         [backends.o]\nkind = \"ollama\"\nmodel = \"gemma3:270m\"\n\
         [backends.bad]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:8080/v1\"\nsystem_role = \"inline\"\n",
    );
    let pick = |name: &str| Overrides {
        config_path: Some(path.clone()),
        backend: Some(name.into()),
        ..Overrides::default()
    };
    let cfg = Config::resolve_with(&pick("g"), &Env::default(), None).expect("resolve");
    assert_eq!(settings(&cfg.backend).system_role, SystemRole::Native);
    // Ollama applies the model's own template, which knows Gemma's turns.
    let cfg = Config::resolve_with(&pick("o"), &Env::default(), None).expect("resolve");
    assert_eq!(settings(&cfg.backend).system_role, SystemRole::Native);
    let err = Config::resolve_with(&pick("bad"), &Env::default(), None)
        .expect_err("an unknown system_role is an error")
        .to_string();
    assert!(err.contains("system_role `inline`"), "{err}");
}
