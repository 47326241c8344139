//! A client for the IPFS HTTP RPC (the kubo API: `/api/v0/add`, `/api/v0/cat`, `/api/v0/pin/add`), so any
//! kubo-compatible daemon works: a user's own kubo, or the project's helia daemon (`ipfs/`).
//!
//! Content is added with kubo's defaults (CIDv0, 256 KiB chunks, balanced DAG), so a CID printed here is
//! the CID the same bytes have on the public IPFS network. Nothing fetched is trusted: callers check what
//! they download against on-chain hashes.
use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The kubo default RPC address.
pub const DEFAULT_API: &str = "http://127.0.0.1:5001";

pub struct Ipfs {
    api: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct AddResponse {
    #[serde(rename = "Hash")]
    hash: String,
}

#[derive(Deserialize)]
struct ErrorResponse {
    #[serde(rename = "Message")]
    message: String,
}

impl Ipfs {
    pub fn new(api: &str) -> Self {
        let api = api.trim_end_matches('/');
        let api = if api.contains("://") { api.to_string() } else { format!("http://{api}") };
        // Connecting and every read wait at most the request timeout (`crate::net`): a daemon that accepts the
        // connection and never answers is an error, while a large download that keeps flowing is not cut off.
        let t = crate::net::timeout();
        let http = reqwest::Client::builder().connect_timeout(t).read_timeout(t).build().expect("a plain HTTP client builds");
        Self { api, http }
    }

    fn url(&self, endpoint: &str) -> String {
        format!("{}/api/v0/{endpoint}", self.api)
    }

    async fn post(&self, request: reqwest::RequestBuilder, what: &str) -> Result<reqwest::Response> {
        let response = request.send().await.map_err(|e| self.explain(e, what))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<ErrorResponse>(&body).map(|e| e.message).unwrap_or(body);
        bail!("IPFS {what} failed ({status}): {}", message.trim())
    }

    fn explain(&self, e: reqwest::Error, what: &str) -> anyhow::Error {
        let why = if e.is_timeout() {
            format!(
                "no answer within {:.0} s; is the daemon stuck, or is this not an IPFS API? (raise the limit with --timeout SECONDS)",
                crate::net::timeout().as_secs_f64()
            )
        } else if e.is_connect() {
            "is an IPFS daemon running there? (see --ipfs-api)".to_string()
        } else {
            e.to_string()
        };
        anyhow::anyhow!("cannot reach the IPFS API at {} to {what}: {why}", self.api)
    }

    /// Adds (and pins) one file; returns its CID.
    pub async fn add(&self, name: &str, bytes: Vec<u8>) -> Result<String> {
        // The daemon answers only once it has chunked, hashed and stored the whole upload, so the wait for its
        // answer grows with the size: the request timeout plus a second per MiB.
        let t = crate::net::timeout() + std::time::Duration::from_secs(bytes.len() as u64 >> 20);
        let http = reqwest::Client::builder().connect_timeout(crate::net::timeout()).read_timeout(t).build()?;
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let request = http.post(self.url("add")).query(&[("pin", "true"), ("cid-version", "0")]).multipart(form);
        let what = format!("add {name}");
        let body = self.post(request, &what).await?.text().await.map_err(|e| self.explain(e, &what))?;
        // One JSON object per line; with a single file the last one is the file itself.
        let last = body.lines().rev().find(|l| !l.trim().is_empty()).context("empty response from IPFS add")?;
        let added: AddResponse =
            serde_json::from_str(last).with_context(|| format!("unexpected IPFS add response {last:?}"))?;
        Ok(added.hash)
    }

    /// The bytes of a file.
    pub async fn cat(&self, cid: &str) -> Result<Vec<u8>> {
        let request = self.http.post(self.url("cat")).query(&[("arg", cid)]);
        let what = format!("fetch {cid}");
        let response = self.post(request, &what).await?;
        Ok(response.bytes().await.map_err(|e| self.explain(e, &what))?.to_vec())
    }

    /// The daemon's version string (a reachability check).
    pub async fn version(&self) -> Result<String> {
        #[derive(Deserialize)]
        struct Version {
            #[serde(rename = "Version")]
            version: String,
        }
        let response = self.post(self.http.post(self.url("version")), "ask its version").await?;
        Ok(response.json::<Version>().await.context("unexpected IPFS version response")?.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listening socket that accepts connections and never answers: every request fails within the
    /// timeout, naming the endpoint.
    #[tokio::test]
    async fn a_daemon_that_never_answers_times_out() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let _hold = std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in listener.incoming() {
                held.push(s); // accepted, never read or written
            }
        });
        crate::net::set_timeout(std::time::Duration::from_millis(800));
        let ipfs = Ipfs::new(&format!("127.0.0.1:{}", addr.port()));
        let started = std::time::Instant::now();
        let err = format!("{:#}", ipfs.cat("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn").await.unwrap_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
        assert!(err.contains("no answer within") && err.contains(&addr.port().to_string()), "{err}");
        let err = format!("{:#}", ipfs.add("x", vec![1, 2, 3]).await.unwrap_err());
        assert!(err.contains("no answer within"), "{err}");
    }
}
