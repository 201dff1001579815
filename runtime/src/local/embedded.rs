//! An in-process DynamoDB-API server (the `dynoxide` emulator on SQLite in memory),
//! for demos and fast tests that need nothing but cargo.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::LocalServerError;

/// A DynamoDB-API server running in this process on a loopback port, with an
/// in-memory database. It starts in milliseconds and stops when dropped.
///
/// DynamoDB Local remains the reference: the embedded server is an emulator whose
/// behaviour can differ in corners.
///
/// ```
/// let server = dynaschema::local::Embedded::start()?;
/// assert!(server.endpoint().starts_with("http://127.0.0.1:"));
/// # Ok::<(), dynaschema::local::LocalServerError>(())
/// ```
#[derive(Debug)]
pub struct Embedded {
    endpoint: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Embedded {
    /// Starts the server on its own thread (with its own Tokio runtime, so it works
    /// from synchronous code and outlives any caller's runtime).
    pub fn start() -> Result<Self, LocalServerError> {
        Self::start_on_port(0)
    }

    /// Like [`start`](Self::start), on the loopback port given (`0`: any free one),
    /// as `dynaschema local --embedded --port 8000` does.
    pub fn start_on_port(port: u16) -> Result<Self, LocalServerError> {
        let (ready_tx, ready_rx) = mpsc::channel::<Result<SocketAddr, String>>();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("dynaschema-embedded".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(format!("cannot build a Tokio runtime: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let setup = async {
                        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
                            .await
                            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
                        let address = listener.local_addr().map_err(|e| e.to_string())?;
                        let database = dynoxide::Database::memory()
                            .map_err(|e| format!("cannot open the in-memory database: {e}"))?;
                        Ok::<_, String>((listener, address, database))
                    };
                    match setup.await {
                        Ok((listener, address, database)) => {
                            let _ = ready_tx.send(Ok(address));
                            let signal = async {
                                let _ = shutdown_rx.await;
                            };
                            if let Err(e) =
                                dynoxide::server::serve_with_shutdown(listener, database, signal)
                                    .await
                            {
                                tracing::error!("embedded DynamoDB server failed: {e}");
                            }
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })
            .map_err(|e| {
                LocalServerError::new(format!("cannot spawn the embedded server's thread: {e}"))
            })?;
        let address = ready_rx
            .recv()
            .map_err(|_| {
                LocalServerError::new("the embedded server's thread ended before it was ready")
            })?
            .map_err(|e| LocalServerError::new(format!("embedded DynamoDB server: {e}")))?;
        Ok(Self {
            endpoint: format!("http://{address}"),
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// The endpoint URL, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A client for this server (see [`client`](super::client)).
    pub fn client(&self) -> aws_sdk_dynamodb::Client {
        super::client(&self.endpoint)
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The server a demo or a local tool should use: the one the `DYNAMODB_ENDPOINT`
/// environment variable names, or else an [`Embedded`] server started for it.
///
/// ```no_run
/// // In a demo's `main`: `DYNAMODB_ENDPOINT=http://127.0.0.1:8000` to use that server.
/// let server = dynaschema::local::EndpointOrEmbedded::from_env()?;
/// if server.is_embedded() {
///     println!("embedded DynamoDB-API server at {}", server.endpoint());
/// }
/// let client = server.client();
/// # let _ = client;
/// # Ok::<(), dynaschema::local::LocalServerError>(())
/// ```
#[derive(Debug)]
pub struct EndpointOrEmbedded {
    endpoint: String,
    embedded: Option<Embedded>,
}

impl EndpointOrEmbedded {
    /// Reads `DYNAMODB_ENDPOINT`; starts an embedded server if it is not set.
    pub fn from_env() -> Result<Self, LocalServerError> {
        match std::env::var("DYNAMODB_ENDPOINT") {
            Ok(endpoint) => Ok(Self {
                endpoint,
                embedded: None,
            }),
            Err(_) => {
                let server = Embedded::start()?;
                Ok(Self {
                    endpoint: server.endpoint().to_owned(),
                    embedded: Some(server),
                })
            }
        }
    }

    /// The endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether the server is the embedded one (it stops when this value is dropped).
    pub fn is_embedded(&self) -> bool {
        self.embedded.is_some()
    }

    /// A client for the server (see [`client`](super::client)).
    pub fn client(&self) -> aws_sdk_dynamodb::Client {
        super::client(&self.endpoint)
    }
}
