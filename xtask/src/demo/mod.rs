//! `cargo xtask demo`: each provider's main documented flow, end to end, against the crate's own
//! mock gateway on loopback (or, with `--live`, the provider's sandbox), with a scrubbed
//! transcript of every request, response and webhook.
//!
//! Every client talks to a recording proxy on loopback that forwards the bytes unchanged to the
//! gateway; the transcript is what the proxy saw, scrubbed of secrets and card data.

mod cardflo;
mod flitt;
mod moment;
mod pivot;
mod portone;
mod proxy;
mod scrub;
mod transcript;

use std::fmt;

use proxy::RecordingProxy;
use scrub::Scrubber;
use transcript::Transcript;

const USAGE: &str = "usage: cargo xtask demo [--provider <name>] [--live]

  --provider <name>   run one provider: cardflo, flitt, moment, portone, pivot
  --live              run against the providers' real sandboxes, with the credentials in
                      the environment variables each crate's example documents
";

/// The providers, in the order the demo runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provider {
    Cardflo,
    Flitt,
    Moment,
    Portone,
    Pivot,
}

impl Provider {
    const ALL: [Provider; 5] = [
        Provider::Cardflo,
        Provider::Flitt,
        Provider::Moment,
        Provider::Portone,
        Provider::Pivot,
    ];

    fn name(self) -> &'static str {
        match self {
            Provider::Cardflo => "cardflo",
            Provider::Flitt => "flitt",
            Provider::Moment => "moment",
            Provider::Portone => "portone",
            Provider::Pivot => "pivot",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Provider::Cardflo => "Cardflo: debit → 3-D Secure redirect → signed callback → status",
            Provider::Flitt => {
                "Flitt: checkout URL → signed callback → recurring charge with the saved card → status"
            }
            Provider::Pivot => {
                "Pivot Payment: API-mode session → card encryption → confirm → PAYMENT.PAID callback → charge with the stored token"
            }
            Provider::Portone => {
                "PortOne: hosted checkout link → verified redirect → pre-authorisation capture"
            }
            Provider::Moment => {
                "Moment: create a session for the SDK → webhook payment_session.completed → resolve the SDK outcome"
            }
        }
    }

    /// Required and optional environment variables of `--live`.
    fn live_env(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Provider::Cardflo => (
                &[
                    "CARDFLO_API_USER",
                    "CARDFLO_API_PASSWORD",
                    "CARDFLO_API_KEY",
                ],
                &["CARDFLO_SHARED_SECRET", "CARDFLO_BASE_URL"],
            ),
            Provider::Flitt => (
                &["FLITT_MERCHANT_ID", "FLITT_SECRET_KEY"],
                &["FLITT_CREDIT_KEY"],
            ),
            Provider::Moment => (&["MOMENT_SECRET_KEY"], &["MOMENT_BASE_URL"]),
            Provider::Pivot => (&["PIVOT_CLIENT_ID", "PIVOT_CLIENT_SECRET"], &[]),
            Provider::Portone => (
                &["PORTONE_KEY", "PORTONE_SECRET_KEY"],
                &["PORTONE_ENVIRONMENT", "PORTONE_REDIRECT_QUERY"],
            ),
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Where a flow failed: the step, and what went wrong (already scrubbed).
#[derive(Debug)]
pub(crate) struct FlowError {
    step: String,
    message: String,
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step \"{}\": {}", self.step, self.message)
    }
}

/// The state a flow works with: the proxy its client goes through, and its transcript.
pub(crate) struct Flow {
    proxy: RecordingProxy,
    transcript: Transcript,
    step: String,
}

impl Flow {
    async fn start(upstream_base_url: &str, scrubber: Scrubber) -> Result<Self, FlowError> {
        let proxy = RecordingProxy::start(&origin(upstream_base_url))
            .await
            .map_err(|message| FlowError {
                step: "start the recording proxy".to_owned(),
                message,
            })?;
        Ok(Flow {
            proxy,
            transcript: Transcript::new(scrubber),
            step: String::new(),
        })
    }

    /// `base_url` with its origin replaced by the proxy's, so the client goes through it.
    fn via_proxy(&self, base_url: &str) -> String {
        let origin = origin(base_url);
        format!("{}{}", self.proxy.origin(), &base_url[origin.len()..])
    }

    /// Starts a step: what the proxy recorded so far belongs to the previous one.
    fn step(&mut self, title: &str) {
        self.flush();
        self.step = title.to_owned();
        self.transcript.step(title);
    }

    fn note(&mut self, line: &str) {
        self.flush();
        self.transcript.note(line);
    }

    fn body(&mut self, label: &str, body: &[u8]) {
        self.flush();
        self.transcript.body(label, body);
    }

    fn flush(&mut self) {
        let exchanges = self.proxy.take();
        self.transcript.exchanges(&exchanges);
    }

    /// An error at the current step, scrubbed.
    fn fail(&mut self, error: impl fmt::Display) -> FlowError {
        self.flush();
        FlowError {
            step: self.step.clone(),
            message: self.scrubbed(&error.to_string()),
        }
    }

    fn scrubbed(&self, text: &str) -> String {
        self.transcript_scrubber().text(text)
    }

    fn transcript_scrubber(&self) -> &Scrubber {
        self.transcript.scrubber()
    }

    fn finish(mut self) -> String {
        self.flush();
        self.transcript.text().to_owned()
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            url[..i + 3 + end].to_owned()
        }
        None => url.to_owned(),
    }
}

/// What one provider's run produced.
pub(crate) struct Report {
    pub(crate) provider: Provider,
    pub(crate) transcript: String,
    pub(crate) result: Result<String, FlowError>,
}

/// Runs the demo with the command-line arguments after `demo`.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let mut live = false;
    let mut only = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--live" => live = true,
            "--provider" | "-p" => {
                let name = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a provider name\n\n{USAGE}"))?;
                only = Some(
                    Provider::parse(name)
                        .ok_or_else(|| format!("unknown provider {name:?}\n\n{USAGE}"))?,
                );
            }
            other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
        }
    }
    let providers: Vec<Provider> = match only {
        Some(p) => vec![p],
        None => Provider::ALL.to_vec(),
    };
    if live {
        let missing: Vec<String> = providers
            .iter()
            .flat_map(|p| {
                p.live_env()
                    .0
                    .iter()
                    .filter(|var| std::env::var(var).map_or(true, |v| v.trim().is_empty()))
                    .map(move |var| format!("{var} (for {})", p.name()))
            })
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "--live needs these environment variables, which are not set:\n  {}",
                missing.join("\n  ")
            ));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let reports = runtime.block_on(run_providers(&providers, live));
    print_reports(&reports, live);
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| match &r.result {
            Ok(_) => None,
            Err(e) => Some(format!("{}: {e}", r.provider.name())),
        })
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("demo failed:\n  {}", failed.join("\n  ")))
    }
}

pub(crate) async fn run_providers(providers: &[Provider], live: bool) -> Vec<Report> {
    let mut reports = Vec::new();
    for &provider in providers {
        let (transcript, result) = match provider {
            Provider::Cardflo => cardflo::run(live).await,
            Provider::Flitt => flitt::run(live).await,
            Provider::Moment => moment::run(live).await,
            Provider::Portone => portone::run(live).await,
            Provider::Pivot => pivot::run(live).await,
        };
        reports.push(Report {
            provider,
            transcript,
            result,
        });
    }
    reports
}

#[allow(clippy::print_stdout)]
fn print_reports(reports: &[Report], live: bool) {
    for report in reports {
        println!(
            "\n=== {} ({})",
            report.provider.title(),
            if live {
                "live sandbox"
            } else {
                "mock gateway on loopback"
            }
        );
        print!("{}", report.transcript);
    }
    println!("\n=== results");
    for report in reports {
        match &report.result {
            Ok(summary) => println!("  {:<8} ok      {summary}", report.provider.name()),
            Err(error) => println!("  {:<8} FAILED  {error}", report.provider.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_split_off_base_urls() {
        assert_eq!(
            origin("http://127.0.0.1:4000/api/v3"),
            "http://127.0.0.1:4000"
        );
        assert_eq!(
            origin("https://api.momentpay.net"),
            "https://api.momentpay.net"
        );
        assert_eq!(origin("http://h?x=1"), "http://h");
    }

    #[test]
    fn every_provider_runs_against_its_mock_and_prints_no_secret() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let reports = runtime.block_on(run_providers(&Provider::ALL, false));
        for report in &reports {
            assert!(
                report.result.is_ok(),
                "{}: {:?}\n{}",
                report.provider.name(),
                report.result.as_ref().err().map(ToString::to_string),
                report.transcript
            );
            assert!(
                report.transcript.contains("→ POST"),
                "{}",
                report.transcript
            );
        }
    }
}
