//! Harness for end-to-end tests: starts the real `zkml-node --dev` and the project's IPFS daemon on free
//! loopback ports, runs the real `zkml` binary against them, and stops everything when dropped (also when a
//! test panics), so nothing is left running.
use anyhow::{bail, Context, Result};
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

/// The string field `key` of a `zkml --json` answer.
pub fn str_of(v: &serde_json::Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}")).to_string()
}

/// Rows `from..to` of a dataset (the stories split the bundled diabetes data into train, validation and test).
pub fn rows(ds: &zkml::quant::FloatDataset, from: usize, to: usize) -> zkml::quant::FloatDataset {
    zkml::quant::FloatDataset { x: ds.x.slice(ndarray::s![from..to, ..]).to_owned(), y: ds.y.slice(ndarray::s![from..to, ..]).to_owned() }
}

/// An organizer's (//Alice's) competition data on a running network: the bundled diabetes data split into a
/// training set, a validation split and a hidden test set by row ranges; a BabyJubJub key pair; the training set
/// registered with scales covering every split, the validation split with the same scales, and a dev key for
/// the validation split's shape (the test set's too when both have as many rows).
pub struct Splits {
    pub train_dir: String,
    pub val_dir: String,
    pub test_dir: String,
    /// The key pair's file prefix: `{keys}_public.json`, `{keys}_secret.json`.
    pub keys: String,
    pub train_hash: String,
    pub val_hash: String,
    /// `zkml setup --hash VAL`'s answer (the verifying key's hash is `verifying_key_hash`).
    pub split_key: serde_json::Value,
}

impl Splits {
    pub fn register(net: &Network, train: std::ops::Range<usize>, val: std::ops::Range<usize>, test: std::ops::Range<usize>) -> Self {
        let all = zkml::io::load_dataset(&repo_root().join("examples/diabetes")).expect("bundled dataset");
        let (train_dir, val_dir, test_dir) = (net.path("splits/train"), net.path("splits/validation"), net.path("splits/test"));
        for (dir, r) in [(&train_dir, train), (&val_dir, val), (&test_dir, test)] {
            zkml::io::save_dataset(Path::new(dir), &rows(&all, r.start, r.end)).expect("write split");
        }
        let keys = net.path("keys/org");
        net.zkml_json(&["keygen", "--out", &keys]);
        let t = net.zkml_json(&["add-dataset", "--dataset", &train_dir, "--cover", &val_dir, "--cover", &test_dir, "--suri", "//Alice"]);
        let train_hash = str_of(&t, "dataset_hash");
        let v = net.zkml_json(&["add-dataset", "--dataset", &val_dir, "--scales-like", &train_hash, "--suri", "//Alice"]);
        let val_hash = str_of(&v, "dataset_hash");
        let split_key = net.zkml_json(&["setup", "--hash", &val_hash, "--out", &net.path("keys/split"), "--suri", "//Alice"]);
        Self { train_dir, val_dir, test_dir, keys, train_hash, val_hash, split_key }
    }
}

/// `who`'s free balance on the node at `url`.
pub fn balance(rt: &tokio::runtime::Runtime, url: &str, who: &zkml::chain::AccountId32) -> u128 {
    rt.block_on(async { zkml::chain::Chain::connect(url).await?.free_balance(who).await }).expect("balance")
}

/// Waits until the finalized block is at least `n`.
pub fn wait_finalized(rt: &tokio::runtime::Runtime, url: &str, n: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    // One connection for the whole wait: the node limits how many it accepts.
    let chain = rt.block_on(zkml::chain::Chain::connect(url)).expect("connect");
    loop {
        let now = rt.block_on(chain.finalized_number()).expect("finalized number");
        if now >= n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "block {n} not finalized in time (at {now})");
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// The workspace root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Where cargo put the workspace's binaries: the test executable is `<target>/<profile>/deps/<test>-<hash>`.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
    let path = profile_dir.join(name);
    assert!(path.exists(), "{} is missing: build the workspace first (cargo build --workspace)", path.display());
    path
}

/// A child process killed (and reaped) on drop.
pub struct Process {
    child: Child,
    name: &'static str,
}

impl Process {
    pub fn spawn(name: &'static str, cmd: &mut Command, log: &Path) -> Result<Self> {
        let out = std::fs::File::create(log)?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        Ok(Self { child, name })
    }

    fn check_alive(&mut self, log: &Path) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: String = tail.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
            bail!("{} exited early ({status}):\n{tail}", self.name);
        }
        Ok(())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A dev chain and an IPFS daemon, and a `zkml` pointed at both.
pub struct Network {
    pub dir: tempfile::TempDir,
    pub url: String,
    pub ipfs_api: String,
    // Dropped in declaration order: the node first, then IPFS.
    _node: Process,
    _ipfs: Process,
}

impl Network {
    pub fn start() -> Result<Self> {
        // One node boots at a time on this machine, across test threads and test binaries run side by side: a
        // debug node compiles its Wasm runtime at start, and several doing so at once on two cores missed the
        // start deadline. The lock is held until this node has finalized a block; the chains then run together.
        let boot_lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(std::env::temp_dir().join("zkml-e2e-node-boot.lock"))?;
        boot_lock.lock()?;
        let dir = tempfile::tempdir()?;
        let (rpc, p2p, api) = (free_port(), free_port(), free_port());
        let node_log = dir.path().join("node.log");
        let mut node = Process::spawn(
            "zkml-node",
            Command::new(bin("zkml-node")).args([
                "--dev",
                "--no-telemetry",
                "--no-prometheus",
                "--base-path",
                dir.path().join("chain").to_str().expect("utf-8 path"),
                "--rpc-port",
                &rpc.to_string(),
                "--port",
                &p2p.to_string(),
            ]),
            &node_log,
        )?;
        let ipfs_log = dir.path().join("ipfs.log");
        let mut ipfs = Process::spawn(
            "ipfs daemon",
            Command::new("node").arg(repo_root().join("ipfs/daemon.mjs")).args([
                "--repo",
                dir.path().join("ipfs").to_str().expect("utf-8 path"),
                "--api",
                &format!("127.0.0.1:{api}"),
            ]),
            &ipfs_log,
        )?;
        let url = format!("ws://127.0.0.1:{rpc}");
        let ipfs_api = format!("http://127.0.0.1:{api}");
        let rt = tokio::runtime::Runtime::new()?;
        let deadline = Instant::now() + Duration::from_secs(300);
        // The node is ready once it has finalized a block; IPFS once it answers.
        loop {
            node.check_alive(&node_log)?;
            ipfs.check_alive(&ipfs_log)?;
            let ready = rt.block_on(async {
                let chain = zkml::chain::Chain::connect(&url).await.ok()?;
                let finalized = chain.finalized_number().await.ok()?;
                let version = zkml::ipfs::Ipfs::new(&ipfs_api).version().await.ok()?;
                (finalized >= 1).then_some(version)
            });
            if ready.is_some() {
                break;
            }
            if Instant::now() > deadline {
                bail!("node or IPFS not ready after 300 s (logs in {})", dir.path().display());
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        boot_lock.unlock()?;
        Ok(Self { dir, url, ipfs_api, _node: node, _ipfs: ipfs })
    }

    /// Runs `zkml ARGS --url … --ipfs-api …` (endpoint flags only for commands that take them).
    pub fn zkml(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(bin("zkml"));
        cmd.args(args).env("ZKML_URL", &self.url).env("ZKML_IPFS_API", &self.ipfs_api).env_remove("ZKML_SURI");
        // Each network its own cache (downloaded files, verified transcripts, claims): ceremony and bounty
        // ids repeat across the tests' chains.
        cmd.env("XDG_CACHE_HOME", self.dir.path().join("cache"));
        cmd.output().expect("run zkml")
    }

    /// Runs `zkml --json ARGS`, requires success, and parses its output.
    pub fn zkml_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.zkml(&all);
        assert!(
            out.status.success(),
            "zkml {} failed:\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("zkml {} printed no JSON ({e}): {}", args.join(" "), String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs `zkml ARGS`, requires failure, and returns its error output.
    pub fn zkml_fails(&self, args: &[&str]) -> String {
        let out = self.zkml(args);
        assert!(!out.status.success(), "zkml {} unexpectedly succeeded:\n{}", args.join(" "), String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn path(&self, rel: &str) -> String {
        self.dir.path().join(rel).to_str().expect("utf-8 path").to_string()
    }
}

/// The storage key of `System::Events`: `twox128("System") ++ twox128("Events")`.
const SYSTEM_EVENTS_KEY: &str = "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7";

/// Everything a chain has published up to its finalized head, as raw bytes: every extrinsic of every block
/// and every block's events. What an observer (an organizer reading blocks) could see.
pub async fn published_bytes(url: &str) -> Result<Vec<Vec<u8>>> {
    use subxt::{config::RpcConfigFor, rpcs::LegacyRpcMethods, PolkadotConfig};
    let rpc = LegacyRpcMethods::<RpcConfigFor<PolkadotConfig>>::new(subxt::rpcs::RpcClient::from_insecure_url(url).await?);
    let head = rpc.chain_get_finalized_head().await?;
    let number = rpc.chain_get_header(Some(head)).await?.context("finalized header")?.number;
    let events_key: Vec<u8> = (0..SYSTEM_EVENTS_KEY.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&SYSTEM_EVENTS_KEY[i..i + 2], 16).expect("hex"))
        .collect();
    let mut out = Vec::new();
    for n in 0..=number {
        let hash = rpc.chain_get_block_hash(Some(n.into())).await?.context("block hash")?;
        let block = rpc.chain_get_block(Some(hash)).await?.context("block")?;
        out.extend(block.block.extrinsics.into_iter().map(|e| e.0));
        out.extend(rpc.state_get_storage(&events_key, Some(hash)).await?);
    }
    Ok(out)
}

/// Whether any of `needles` (32-byte field elements) occurs in any of `haystack`'s byte strings.
pub fn contains_any(haystack: &[Vec<u8>], needles: &[[u8; 32]]) -> bool {
    haystack.iter().any(|blob| blob.windows(32).any(|w| needles.iter().any(|n| w == n)))
}
