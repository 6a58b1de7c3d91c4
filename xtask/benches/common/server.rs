//! A minimal HTTP/1.1 server on loopback for the throughput benchmarks: it answers every
//! request with a canned response chosen by method and path, and counts TCP connections so the
//! benchmark can show that connections are reused.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Canned {
    pub method: &'static str,
    /// Matches when the request path starts with this.
    pub path_prefix: String,
    pub status: u16,
    pub content_type: &'static str,
    pub body: Bytes,
}

pub struct LoopbackServer {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl LoopbackServer {
    pub async fn start(routes: Vec<Canned>) -> LoopbackServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let routes = Arc::new(routes);
        let (conn_count, req_count) = (Arc::clone(&connections), Arc::clone(&requests));
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                conn_count.fetch_add(1, Ordering::Relaxed);
                let routes = Arc::clone(&routes);
                let req_count = Arc::clone(&req_count);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let routes = Arc::clone(&routes);
                        let req_count = Arc::clone(&req_count);
                        async move {
                            req_count.fetch_add(1, Ordering::Relaxed);
                            let (parts, body) = request.into_parts();
                            // Read the whole request body, as a real gateway would.
                            let _ = body.collect().await;
                            let path = parts.uri.path();
                            let answer = routes.iter().find(|r| {
                                r.method == parts.method.as_str()
                                    && path.starts_with(&r.path_prefix)
                            });
                            let response = match answer {
                                Some(r) => Response::builder()
                                    .status(r.status)
                                    .header("content-type", r.content_type)
                                    .body(Full::new(r.body.clone())),
                                None => Response::builder()
                                    .status(404)
                                    .body(Full::new(Bytes::from_static(b"no route"))),
                            };
                            Ok::<_, Infallible>(response.expect("valid response"))
                        }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        LoopbackServer {
            addr,
            connections,
            requests,
            task,
        }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
