//! `cargo xtask demo`: its transcript, and the secrets and card data the demo itself uses.
//!
//! The demo's own constants are read from its sources, so that this check follows them when
//! they change (and fails, naming the constant, if one disappears).

use std::process::Command;

use super::detect::Forbidden;

const FLITT: &str = include_str!("../../src/demo/flitt.rs");
const PORTONE: &str = include_str!("../../src/demo/portone.rs");
const PIVOT: &str = include_str!("../../src/demo/pivot.rs");

/// The value of `const NAME: &str = "…";` in a demo source.
fn string_const(source: &str, file: &str, name: &str) -> String {
    let declaration = format!("const {name}: &str = \"");
    let start = source
        .find(&declaration)
        .unwrap_or_else(|| panic!("xtask/src/demo/{file} no longer declares {name}"))
        + declaration.len();
    let end = source[start..]
        .find('"')
        .unwrap_or_else(|| panic!("xtask/src/demo/{file}: {name} is not a plain string"));
    source[start..start + end].to_owned()
}

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret(
            "demo/cardflo",
            "API password",
            cardflo_client::testing::API_PASSWORD,
        ),
        Forbidden::secret(
            "demo/cardflo",
            "shared secret",
            cardflo_client::testing::SHARED_SECRET,
        ),
        Forbidden::secret(
            "demo/flitt",
            "payment key",
            &string_const(FLITT, "flitt.rs", "SECRET_KEY"),
        ),
        Forbidden::secret(
            "demo/flitt",
            "credit key",
            &string_const(FLITT, "flitt.rs", "CREDIT_KEY"),
        ),
        Forbidden::secret(
            "demo/moment",
            "secret key",
            moment_client::testing::MOCK_SECRET_KEY,
        ),
        Forbidden::secret(
            "demo/moment",
            "webhook secret",
            moment_client::testing::MOCK_WEBHOOK_SECRET,
        ),
        Forbidden::secret(
            "demo/portone",
            "secret key",
            &string_const(PORTONE, "portone.rs", "SECRET_KEY"),
        ),
        Forbidden::secret(
            "demo/pivot",
            "client secret",
            session_tokenize_client::testing::MockGateway::CLIENT_SECRET,
        ),
        Forbidden::secret(
            "demo/pivot",
            "callback API key",
            session_tokenize_client::testing::MockGateway::CALLBACK_API_KEY,
        ),
        Forbidden::pan(
            "demo/pivot",
            "card number",
            &string_const(PIVOT, "pivot.rs", "CARD_NUMBER"),
        ),
        Forbidden::cvv("demo/pivot", "CVC", &string_const(PIVOT, "pivot.rs", "CVC")),
    ]
}

/// `cargo xtask demo`, run as the built binary: its stdout and stderr. Panics if it fails.
pub(crate) fn transcript() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("demo")
        .env_remove("RUST_LOG")
        .output()
        .expect("the xtask binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "`cargo xtask demo` failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    for provider in ["cardflo", "flitt", "moment", "portone", "pivot"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(provider) && l.contains(" ok ")),
            "the demo reports no successful {provider} flow:\n{stdout}"
        );
    }
    format!("{stdout}\n--- stderr ---\n{stderr}")
}
