//! A recording reverse proxy on loopback: the demo points each client at it, it forwards every
//! request unchanged to the real upstream (the crate's mock gateway, or a live sandbox) and keeps
//! the exchange for the transcript.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// One request and the response it got.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) request_headers: Vec<(String, String)>,
    pub(crate) request_body: Bytes,
    pub(crate) status: u16,
    pub(crate) response_headers: Vec<(String, String)>,
    pub(crate) response_body: Bytes,
}

/// The proxy: its address, and what it has seen.
pub(crate) struct RecordingProxy {
    addr: SocketAddr,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    task: tokio::task::JoinHandle<()>,
}

/// Headers that belong to one connection and are not forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "host",
];

impl RecordingProxy {
    /// Starts a proxy on an ephemeral loopback port that forwards to `upstream_origin`
    /// (`scheme://host[:port]`, no path: the path of each request is forwarded as it is).
    pub(crate) async fn start(upstream_origin: &str) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot bind the recording proxy: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("recording proxy address: {e}"))?;
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let upstream = Arc::new(upstream_origin.trim_end_matches('/').to_owned());
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("recording proxy client: {e}"))?;
        let recorded = Arc::clone(&exchanges);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (http, upstream, recorded) =
                    (http.clone(), Arc::clone(&upstream), Arc::clone(&recorded));
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        forward(
                            request,
                            http.clone(),
                            Arc::clone(&upstream),
                            Arc::clone(&recorded),
                        )
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(RecordingProxy {
            addr,
            exchanges,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`: replace the upstream origin of a base URL with this.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything recorded since the last call.
    pub(crate) fn take(&self) -> Vec<Exchange> {
        match self.exchanges.lock() {
            Ok(mut guard) => std::mem::take(&mut *guard),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(
    request: Request<Incoming>,
    http: reqwest::Client,
    upstream: Arc<String>,
    recorded: Arc<Mutex<Vec<Exchange>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let request_body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let request_headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| !HOP_BY_HOP.contains(&name.as_str()))
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();

    let mut outbound = http.request(parts.method.clone(), format!("{upstream}{path}"));
    for (name, value) in parts.headers.iter() {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            outbound = outbound.header(name, value);
        }
    }
    let result = outbound.body(request_body.clone()).send().await;
    let (status, response_headers, response_body) = match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .filter(|(name, _)| !HOP_BY_HOP.contains(&name.as_str()))
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response.bytes().await.unwrap_or_default();
            (status, headers, body)
        }
        Err(error) => (
            502,
            vec![("content-type".to_owned(), "text/plain".to_owned())],
            Bytes::from(format!("recording proxy: upstream unreachable: {error}")),
        ),
    };
    if let Ok(mut guard) = recorded.lock() {
        guard.push(Exchange {
            method: parts.method.as_str().to_owned(),
            path,
            request_headers,
            request_body,
            status,
            response_headers: response_headers.clone(),
            response_body: response_body.clone(),
        });
    }
    let mut builder = Response::builder().status(status);
    for (name, value) in &response_headers {
        if name != "content-length" {
            builder = builder.header(name, value);
        }
    }
    Ok(builder
        .body(Full::new(response_body))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn forwards_unchanged_and_records_both_directions() {
        let upstream = httpmock::MockServer::start_async().await;
        let mock = upstream
            .mock_async(|when, then| {
                when.method("POST")
                    .path("/api/v3/transaction/key/debit")
                    .query_param("x", "1")
                    .header("x-signature", "sig")
                    .body("{\"a\":1}");
                then.status(201)
                    .header("content-type", "application/json")
                    .body("{\"ok\":true}");
            })
            .await;
        let proxy = RecordingProxy::start(&upstream.base_url())
            .await
            .expect("proxy starts");
        let response = reqwest::Client::new()
            .post(format!(
                "{}/api/v3/transaction/key/debit?x=1",
                proxy.origin()
            ))
            .header("x-signature", "sig")
            .body("{\"a\":1}")
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 201);
        assert_eq!(response.text().await.expect("body"), "{\"ok\":true}");
        mock.assert_async().await;
        let exchanges = proxy.take();
        assert_eq!(exchanges.len(), 1);
        let exchange = &exchanges[0];
        assert_eq!(exchange.method, "POST");
        assert_eq!(exchange.path, "/api/v3/transaction/key/debit?x=1");
        assert_eq!(&exchange.request_body[..], b"{\"a\":1}");
        assert_eq!(exchange.status, 201);
        assert_eq!(&exchange.response_body[..], b"{\"ok\":true}");
        assert!(proxy.take().is_empty());
    }
}
