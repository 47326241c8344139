//! Starts the real `zkml-node --dev` and watches it author and finalize blocks over JSON-RPC.
use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Kills the node when the test ends, however it ends.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One JSON-RPC call over plain HTTP/1.1.
fn rpc(port: u16, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    s.read_to_string(&mut response).ok()?;
    let json = response.split("\r\n\r\n").nth(1)?;
    serde_json::from_str::<serde_json::Value>(json).ok()?.get("result").cloned()
}

fn block_number(header: &serde_json::Value) -> u64 {
    u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn dev_node_authors_and_finalizes_blocks() {
    let port = free_port();
    let node = Node(
        Command::new(env!("CARGO_BIN_EXE_zkml-node"))
            .args(["--dev", "--tmp", "--no-telemetry", "--rpc-port", &port.to_string(), "--port", &free_port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start zkml-node"),
    );
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut finalized = 0;
    while Instant::now() < deadline && finalized < 3 {
        std::thread::sleep(Duration::from_secs(2));
        let head = rpc(port, "chain_getFinalizedHead", serde_json::json!([]));
        if let Some(hash) = head {
            if let Some(header) = rpc(port, "chain_getHeader", serde_json::json!([hash])) {
                finalized = block_number(&header);
            }
        }
    }
    drop(node);
    assert!(finalized >= 3, "finalized only up to #{finalized} in 240 s");
}
