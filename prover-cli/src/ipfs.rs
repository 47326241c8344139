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
        Self { api, http: reqwest::Client::new() }
    }

    fn url(&self, endpoint: &str) -> String {
        format!("{}/api/v0/{endpoint}", self.api)
    }

    async fn post(&self, request: reqwest::RequestBuilder, what: &str) -> Result<reqwest::Response> {
        let response = request.send().await.map_err(|e| {
            let why = if e.is_connect() { "is an IPFS daemon running there? (see --ipfs-api)".to_string() } else { e.to_string() };
            anyhow::anyhow!("cannot reach the IPFS API at {} to {what}: {why}", self.api)
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<ErrorResponse>(&body).map(|e| e.message).unwrap_or(body);
        bail!("IPFS {what} failed ({status}): {}", message.trim())
    }

    /// Adds (and pins) one file; returns its CID.
    pub async fn add(&self, name: &str, bytes: Vec<u8>) -> Result<String> {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let request = self.http.post(self.url("add")).query(&[("pin", "true"), ("cid-version", "0")]).multipart(form);
        let body = self.post(request, &format!("add {name}")).await?.text().await?;
        // One JSON object per line; with a single file the last one is the file itself.
        let last = body.lines().rev().find(|l| !l.trim().is_empty()).context("empty response from IPFS add")?;
        let added: AddResponse =
            serde_json::from_str(last).with_context(|| format!("unexpected IPFS add response {last:?}"))?;
        Ok(added.hash)
    }

    /// The bytes of a file.
    pub async fn cat(&self, cid: &str) -> Result<Vec<u8>> {
        let request = self.http.post(self.url("cat")).query(&[("arg", cid)]);
        let response = self.post(request, &format!("fetch {cid}")).await?;
        Ok(response.bytes().await.with_context(|| format!("reading {cid} from IPFS"))?.to_vec())
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
