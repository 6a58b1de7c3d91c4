//! Capturing what the crates show: `Debug` and `Display` of values and errors, and `tracing`
//! output at every level.

use std::fmt::Debug;
use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::filter::{LevelFilter, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Layer as _, SubscriberExt as _};

use super::detect::Observed;

/// A shared in-memory sink for the formatted `tracing` output.
#[derive(Clone, Default)]
pub(crate) struct TraceBuffer(Arc<Mutex<Vec<u8>>>);

impl TraceBuffer {
    /// Everything written so far, as text.
    pub(crate) fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for TraceBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for TraceBuffer {
    type Writer = TraceBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The targets left out of the capture: the mock gateways' HTTP server, which logs every
/// request it receives in full. It stands in for the provider: what it logs is what the
/// provider receives, not something the client crates show.
const NOT_CAPTURED: &[&str] = &["httpmock"];

/// Installs, as the process's global default, a `fmt` subscriber that writes every event at
/// every level from TRACE up, and every span's creation and close (with its fields), into the
/// returned buffer — from every target but [`NOT_CAPTURED`].
///
/// Call it once, before anything emits: the global default can only be set once per process.
pub(crate) fn install_trace_capture() -> TraceBuffer {
    let buffer = TraceBuffer::default();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(buffer.clone())
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_target(true)
        .without_time()
        .with_filter(LevelFilter::TRACE)
        .with_filter(filter_fn(|metadata| {
            !NOT_CAPTURED
                .iter()
                .any(|t| metadata.target().split("::").next() == Some(t))
        }));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("no other global tracing subscriber is installed in this test binary");
    buffer
}

/// What one provider's run showed, labelled by provider.
pub(crate) struct Capture {
    provider: &'static str,
    observed: Observed,
}

impl Capture {
    pub(crate) fn new(provider: &'static str) -> Self {
        Self {
            provider,
            observed: Observed::default(),
        }
    }

    /// `Debug` of `value`, both compact and pretty.
    pub(crate) fn debug(&mut self, what: &str, value: &dyn Debug) {
        self.observed.push(
            format!("{}: Debug of {what}", self.provider),
            format!("{value:?}"),
        );
        self.observed.push(
            format!("{}: pretty Debug of {what}", self.provider),
            format!("{value:#?}"),
        );
    }

    /// `Display` of `value`.
    pub(crate) fn display(&mut self, what: &str, value: &dyn std::fmt::Display) {
        self.observed.push(
            format!("{}: Display of {what}", self.provider),
            value.to_string(),
        );
    }

    /// `Debug` and `Display` of an error and of every error in its `source()` chain.
    pub(crate) fn error(&mut self, what: &str, error: &(dyn std::error::Error + 'static)) {
        self.debug(what, &error);
        self.observed.push(
            format!("{}: Display of {what}", self.provider),
            error.to_string(),
        );
        let mut source = error.source();
        let mut depth = 1;
        while let Some(inner) = source {
            self.debug(&format!("{what}, source #{depth}"), &inner);
            self.observed.push(
                format!("{}: Display of {what}, source #{depth}", self.provider),
                inner.to_string(),
            );
            source = inner.source();
            depth += 1;
        }
    }

    /// The value or the error of `result` (see [`Capture::debug`], [`Capture::error`]).
    pub(crate) fn outcome<T: Debug, E: std::error::Error + 'static>(
        &mut self,
        what: &str,
        result: &Result<T, E>,
    ) {
        match result {
            Ok(value) => self.debug(what, value),
            Err(error) => self.error(what, error),
        }
    }

    pub(crate) fn into_observed(self) -> Observed {
        self.observed
    }
}

/// A loopback base URL nothing listens on: the port was bound and released.
pub(crate) fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let port = listener
        .local_addr()
        .expect("the listener's address")
        .port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// `request` with `body`, everything else kept (to tamper with a signed request).
pub(crate) fn with_body<B>(request: &http::Request<Vec<u8>>, body: B) -> http::Request<B> {
    let mut builder = http::Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone())
        .version(request.version());
    for (name, value) in request.headers() {
        builder = builder.header(name, value);
    }
    builder
        .body(body)
        .expect("the parts of a valid request make a valid request")
}

/// `bytes` with the first occurrence of `from` replaced by `to` (same length or not).
pub(crate) fn tamper(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        text.contains(from),
        "the signed body contains {from:?} to tamper with"
    );
    text.replacen(from, to, 1).into_bytes()
}
