//! A loopback HTTP proxy in front of DynamoDB Local that injects the faults a real
//! DynamoDB connection sees: throttling, 500s, connection resets, batches answered
//! in part (`UnprocessedItems` / `UnprocessedKeys`), and writes that land but are
//! answered with a 500. Faults are drawn from a seeded generator, so a run is
//! repeatable for a given request order.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How often each fault is injected, in requests per thousand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// `ThrottlingException` (400) without forwarding.
    pub throttle: u32,
    /// `InternalServerError` (500) without forwarding.
    pub error_500: u32,
    /// The connection closed without an answer, without forwarding.
    pub reset: u32,
    /// A batch forwarded in part, the rest answered as unprocessed.
    pub partial_batch: u32,
    /// A write forwarded (so it lands), then answered with a 500.
    pub write_then_500: u32,
    /// The first this many write requests are forwarded, then answered with a 500
    /// (besides `write_then_500`).
    pub write_then_500_first: u64,
    /// Batch writes of keys whose partition key ends with this text are never
    /// processed: always answered as unprocessed.
    pub never_write_suffix: Option<&'static str>,
    /// `DescribeTable` answers report the table and its indexes `CREATING` forever
    /// (a table stuck in creation, which no local server produces).
    pub never_active: bool,
    /// A per-partition write throughput limit, as DynamoDB has one per partition
    /// (about 1,000 writes/s, of the table or of a GSI: a hot GSI partition
    /// throttles the table's writes).
    pub partition_limit: Option<PartitionLimit>,
}

/// At most `writes_per_second` writes of items with one value of `attribute` (a
/// token bucket per value, holding one second's worth). Past it, a `PutItem` is
/// answered `ProvisionedThroughputExceededException` and a `BatchWriteItem`'s items
/// of that partition come back unprocessed, without being forwarded.
#[derive(Debug, Clone, Copy)]
pub struct PartitionLimit {
    /// The key attribute whose value is the partition, e.g. `gsi1pk`.
    pub attribute: &'static str,
    /// Writes per second per partition value.
    pub writes_per_second: u32,
}

/// How many of each fault were injected.
#[derive(Debug, Default)]
pub struct Injected {
    pub throttle: AtomicU64,
    pub error_500: AtomicU64,
    pub reset: AtomicU64,
    pub partial_batch: AtomicU64,
    pub write_then_500: AtomicU64,
    pub forwarded: AtomicU64,
    /// Writes refused by [`Faults::partition_limit`] (a throttled `PutItem`, or one
    /// item of a batch sent back unprocessed).
    pub partition_throttle: AtomicU64,
}

/// A running proxy; it stops when dropped.
pub struct FaultProxy {
    endpoint: String,
    pub injected: Arc<Injected>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct State {
    upstream: String,
    faults: Faults,
    rng: Mutex<u64>,
    injected: Arc<Injected>,
    first_writes: AtomicU64,
    /// Per partition value: tokens left and when they were counted.
    buckets: Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>,
}

impl State {
    /// Whether a write to `partition` fits its partition's throughput now (and
    /// takes a token if so).
    fn admit(&self, limit: PartitionLimit, partition: &str) -> bool {
        let rate = f64::from(limit.writes_per_second);
        let now = std::time::Instant::now();
        let mut buckets = self.buckets.lock().unwrap();
        let (tokens, at) = buckets.entry(partition.to_owned()).or_insert((rate, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(rate);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            self.injected
                .partition_throttle
                .fetch_add(1, Ordering::Relaxed);
            false
        }
    }

    /// A number in `0..1000` from a xorshift generator.
    fn roll(&self) -> u32 {
        let mut x = self.rng.lock().unwrap();
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        (*x % 1000) as u32
    }
}

impl FaultProxy {
    /// Starts a proxy on loopback in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str, faults: Faults, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let injected = Arc::new(Injected::default());
        let state = Arc::new(State {
            upstream: upstream.trim_start_matches("http://").to_owned(),
            faults,
            rng: Mutex::new(seed | 1),
            injected: injected.clone(),
            first_writes: AtomicU64::new(0),
            buckets: Mutex::new(std::collections::HashMap::new()),
        });
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, state).await;
                });
            }
        });
        Self {
            endpoint,
            injected,
            task,
        }
    }

    /// The proxy's endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A client going through the proxy (the SDK's standard retries, set explicitly).
    pub fn client(&self) -> dynaschema::aws_sdk_dynamodb::Client {
        dynaschema::local::client(&self.endpoint)
    }
}

/// An HTTP/1.1 message: head lines and body.
struct Message {
    head: Vec<String>,
    body: Vec<u8>,
}

impl Message {
    /// The headers passed on, without the framing ones (the body may have changed).
    fn passed_headers(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.head
            .iter()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .filter(|(k, _)| {
                let k = k.trim().to_ascii_lowercase();
                k != "content-length" && k != "connection" && k != "transfer-encoding"
            })
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.iter().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
) -> std::io::Result<Option<Message>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            if head.is_empty() {
                continue;
            }
            break;
        }
        head.push(line);
    }
    let mut message = Message {
        head,
        body: Vec::new(),
    };
    if let Some(length) = message.header("content-length") {
        let mut body = vec![0; length.parse().unwrap_or(0)];
        reader.read_exact(&mut body).await?;
        message.body = body;
    } else if message
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).await?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            message.body.extend_from_slice(&chunk[..size]);
        }
    }
    Ok(Some(message))
}

fn encode(first_line: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{first_line}\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn error_response(status: &str, kind: &str) -> Vec<u8> {
    let body = format!(
        "{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{kind}\",\"message\":\"injected by the fault proxy\"}}"
    );
    encode(
        &format!("HTTP/1.1 {status}"),
        &[("content-type".into(), "application/x-amz-json-1.0".into())],
        body.as_bytes(),
    )
}

/// Forwards a request upstream and returns the response.
async fn forward(state: &State, request: &Message, body: &[u8]) -> std::io::Result<Message> {
    let mut upstream = TcpStream::connect(&state.upstream).await?;
    let headers: Vec<(String, String)> = request
        .passed_headers()
        .chain(std::iter::once((
            "connection".to_owned(),
            "close".to_owned(),
        )))
        .collect();
    upstream
        .write_all(&encode(&request.head[0], &headers, body))
        .await?;
    let mut reader = BufReader::new(upstream);
    read_message(&mut reader)
        .await?
        .ok_or_else(|| std::io::Error::other("upstream closed"))
}

fn respond(response: &Message, body: &[u8]) -> Vec<u8> {
    let headers: Vec<(String, String)> = response.passed_headers().collect();
    encode(&response.head[0], &headers, body)
}

/// Splits a batch request in two: the part forwarded, and the part answered as
/// unprocessed (`UnprocessedItems` or `UnprocessedKeys`).
fn split_batch(
    operation: &str,
    body: &Value,
    half: bool,
    never: Option<&str>,
    throttled: &dyn Fn(&Value) -> bool,
) -> Option<(Value, Value)> {
    let items = body.get("RequestItems")?.as_object()?;
    let mut forwarded = serde_json::Map::new();
    let mut held = serde_json::Map::new();
    for (table, requests) in items {
        if operation == "BatchWriteItem" {
            let requests = requests.as_array()?;
            let (mut keep, mut hold): (Vec<Value>, Vec<Value>) = (Vec::new(), Vec::new());
            for (i, r) in requests.iter().enumerate() {
                let pk = r
                    .pointer("/PutRequest/Item/pk/S")
                    .or_else(|| r.pointer("/DeleteRequest/Key/pk/S"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let stubborn = never.is_some_and(|suffix| pk.ends_with(suffix));
                if stubborn || (half && i % 2 == 1) || throttled(r) {
                    hold.push(r.clone());
                } else {
                    keep.push(r.clone());
                }
            }
            if !keep.is_empty() {
                forwarded.insert(table.clone(), Value::Array(keep));
            }
            if !hold.is_empty() {
                held.insert(table.clone(), Value::Array(hold));
            }
        } else {
            let keys = requests.get("Keys")?.as_array()?;
            let mut keep = Vec::new();
            let mut hold = Vec::new();
            for (i, key) in keys.iter().enumerate() {
                if half && i % 2 == 1 {
                    hold.push(key.clone());
                } else {
                    keep.push(key.clone());
                }
            }
            let with_keys = |keys: Vec<Value>| {
                let mut r = requests.clone();
                r["Keys"] = Value::Array(keys);
                r
            };
            if !keep.is_empty() {
                forwarded.insert(table.clone(), with_keys(keep));
            }
            if !hold.is_empty() {
                held.insert(table.clone(), with_keys(hold));
            }
        }
    }
    Some((Value::Object(forwarded), Value::Object(held)))
}

async fn serve(socket: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut reader = BufReader::new(read);
    while let Some(request) = read_message(&mut reader).await? {
        let operation = request
            .header("x-amz-target")
            .and_then(|t| t.split('.').nth(1))
            .unwrap_or_default()
            .to_owned();
        let is_batch = operation == "BatchWriteItem" || operation == "BatchGetItem";
        let is_write = matches!(
            operation.as_str(),
            "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems"
        );
        // Table management is never faulted: only the data path is under test.
        let faultable = is_batch || is_write || matches!(operation.as_str(), "GetItem" | "Query");
        let f = state.faults;
        let roll = if faultable { state.roll() } else { 1000 };
        let injected = &state.injected;
        if roll < f.throttle {
            injected.throttle.fetch_add(1, Ordering::Relaxed);
            write
                .write_all(&error_response("400 Bad Request", "ThrottlingException"))
                .await?;
            continue;
        }
        let roll = roll - f.throttle.min(roll);
        if roll < f.error_500 {
            injected.error_500.fetch_add(1, Ordering::Relaxed);
            write
                .write_all(&error_response(
                    "500 Internal Server Error",
                    "InternalServerError",
                ))
                .await?;
            continue;
        }
        let roll = roll - f.error_500.min(roll);
        if roll < f.reset {
            injected.reset.fetch_add(1, Ordering::Relaxed);
            // Close without answering.
            return Ok(());
        }
        let roll = roll - f.reset.min(roll);
        let half = is_batch && roll < f.partial_batch;
        let roll = roll - f.partial_batch.min(roll);
        let first = is_write
            && f.write_then_500_first > 0
            && state.first_writes.fetch_add(1, Ordering::Relaxed) < f.write_then_500_first;
        let write_then_500 = is_write && (first || roll < f.write_then_500);

        let never = if operation == "BatchWriteItem" {
            f.never_write_suffix
        } else {
            None
        };
        let limit = f.partition_limit;
        if let (Some(limit), "PutItem") = (limit, operation.as_str()) {
            let parsed: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let partition = parsed
                .pointer(&format!("/Item/{}/S", limit.attribute))
                .and_then(Value::as_str);
            if let Some(partition) = partition
                && !state.admit(limit, partition)
            {
                write
                    .write_all(&error_response(
                        "400 Bad Request",
                        "ProvisionedThroughputExceededException",
                    ))
                    .await?;
                continue;
            }
        }
        let limited = operation == "BatchWriteItem" && limit.is_some();
        let throttled = |request: &Value| match limit {
            Some(limit) => request
                .pointer(&format!("/PutRequest/Item/{}/S", limit.attribute))
                .and_then(Value::as_str)
                .is_some_and(|partition| !state.admit(limit, partition)),
            None => false,
        };
        let (body, held) = if is_batch && (half || never.is_some() || limited) {
            let parsed: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            match split_batch(&operation, &parsed, half, never, &throttled) {
                Some((forwarded, held)) => {
                    let mut forwarded_body = parsed.clone();
                    forwarded_body["RequestItems"] = forwarded;
                    (serde_json::to_vec(&forwarded_body).unwrap(), Some(held))
                }
                None => (request.body.clone(), None),
            }
        } else {
            (request.body.clone(), None)
        };
        if half {
            injected.partial_batch.fetch_add(1, Ordering::Relaxed);
        }
        let nothing_forwarded = held.is_some()
            && serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|b| {
                    b.get("RequestItems")
                        .and_then(Value::as_object)
                        .map(|m| m.is_empty())
                })
                .unwrap_or(false);
        let mut response = if nothing_forwarded {
            Message {
                head: vec![
                    "HTTP/1.1 200 OK".into(),
                    "content-type: application/x-amz-json-1.0".into(),
                ],
                body: if operation == "BatchWriteItem" {
                    b"{\"UnprocessedItems\":{}}".to_vec()
                } else {
                    b"{\"Responses\":{},\"UnprocessedKeys\":{}}".to_vec()
                },
            }
        } else {
            injected.forwarded.fetch_add(1, Ordering::Relaxed);
            forward(&state, &request, &body).await?
        };
        if write_then_500 {
            injected.write_then_500.fetch_add(1, Ordering::Relaxed);
            write
                .write_all(&error_response(
                    "500 Internal Server Error",
                    "InternalServerError",
                ))
                .await?;
            continue;
        }
        if let Some(held) = held.filter(|h| h.as_object().is_some_and(|m| !m.is_empty())) {
            let mut parsed: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
            if parsed.is_object() {
                let field = if operation == "BatchWriteItem" {
                    "UnprocessedItems"
                } else {
                    "UnprocessedKeys"
                };
                let merged = parsed
                    .get_mut(field)
                    .and_then(Value::as_object_mut)
                    .map(|existing| {
                        for (table, requests) in held.as_object().unwrap() {
                            existing.insert(table.clone(), requests.clone());
                        }
                    })
                    .is_some();
                if !merged {
                    parsed[field] = held;
                }
                response.body = serde_json::to_vec(&parsed).unwrap();
            }
        }
        if f.never_active && operation == "DescribeTable" {
            let text = String::from_utf8_lossy(&response.body)
                .replace("\"TableStatus\":\"ACTIVE\"", "\"TableStatus\":\"CREATING\"")
                .replace("\"IndexStatus\":\"ACTIVE\"", "\"IndexStatus\":\"CREATING\"");
            response.body = text.into_bytes();
        }
        write.write_all(&respond(&response, &response.body)).await?;
    }
    Ok(())
}
