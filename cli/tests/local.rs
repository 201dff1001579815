//! `dynaschema local --embedded` prints an endpoint that answers the DynamoDB API.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};

#[test]
fn local_embedded_prints_an_endpoint_that_answers() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynaschema"))
        .args(["local", "--embedded"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run dynaschema local");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let endpoint = line.trim().trim_start_matches("http://").to_owned();
    assert!(endpoint.starts_with("127.0.0.1:"), "{line:?}");
    let body = b"{}";
    let mut stream = std::net::TcpStream::connect(&endpoint).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Amz-Date: 20260101T000000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("TableNames"), "{response}");
}
