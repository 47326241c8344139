//! `zkml`: the competitor's and organizer's command line for zero-knowledge ML bounties. Offline: keys,
//! dataset hashing, simulation, Groth16 setup, proving, verification, decryption, benchmarks. On a chain and
//! IPFS (`onchain`): datasets, verifying keys, bounties, claims (reserve with a proof, then deliver the model)
//! and model retrieval.
use anyhow::{bail, ensure, Context, Result};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use ark_serialize::CanonicalSerialize;
use clap::{Args, Parser, Subcommand};
use rand::rngs::OsRng;
use serde_json::json;
use std::{
    io::BufWriter,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};
use zkml::{
    circuit::{
        models::{kind_spec, parse_kind},
        ClaimCircuit,
    },
    files::{self, ClaimFile, PublicKeyFile},
    io,
    prover::{self, ClaimRequest},
    quant::{self, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{dataset::Shape, groth16, model::ModelKind};

mod bench;
mod bench_ceremony;
mod ceremony_chain;
mod competition_chain;
mod onchain;
mod outputs;
mod progress;

use onchain::{Endpoints, SignerArgs};
use outputs::refuse_existing;
pub(crate) use progress::Progress;

#[derive(Parser)]
#[command(name = "zkml", version, about = "Zero-knowledge ML bounties: prove a quantized model reaches a metric on a dataset without revealing it")]
struct Cli {
    /// Print machine-readable JSON instead of text (errors too: `{"error": …}` on stdout, non-zero exit).
    #[arg(long, global = true)]
    json: bool,
    /// Seconds to wait for any one answer from the node or the IPFS daemon before giving up with an error.
    #[arg(long, global = true, env = "ZKML_TIMEOUT", default_value_t = 30.0, value_parser = parse_timeout)]
    timeout: f64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum CeremonyCommand {
    /// Coordinator: open a ceremony for the claim circuit of one shape, with a contribution window per phase.
    Init {
        /// Shape as MxPxN (e.g. 442x10x1).
        #[arg(long)]
        shape: String,
        /// Model kind: linear (regression), linear:classes=K, mlp:H1,H2 (regression), mlp:H1,H2:classes=K.
        #[arg(long, default_value = "linear", value_parser = parse_kind_arg)]
        kind: ModelKind,
        /// Blocks phase 1 (powers of tau) takes contributions for.
        #[arg(long, default_value_t = 600)]
        phase1_blocks: u32,
        /// Blocks phase 2 (the circuit's δ) takes contributions for, from the end of phase 1.
        #[arg(long, default_value_t = 600)]
        phase2_blocks: u32,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Anyone: add your randomness to the open phase (download, check, contribute, publish, record).
    Contribute {
        #[arg(long)]
        ceremony: u32,
        /// A name stored in the file's record (default: your account).
        #[arg(long)]
        name: Option<String>,
        /// Extra entropy mixed with 64 bytes from the OS.
        #[arg(long, default_value = "")]
        entropy: String,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Coordinator, after phase 1's window: apply the chain's beacon, prepare phase 2, open it.
    Beacon {
        #[arg(long)]
        ceremony: u32,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Coordinator, after phase 2's window: apply the chain's beacon and register the final key.
    Finalize {
        #[arg(long)]
        ceremony: u32,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Anyone: download a finished ceremony's transcript and check it against the chain's record.
    Verify {
        #[arg(long)]
        ceremony: u32,
        #[command(flatten)]
        endpoints: Endpoints,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Generate a BabyJubJub key pair: PREFIX_public.json and PREFIX_secret.json. Never replaces an existing
    /// key: the secret key is what decrypts every model delivered to its public key.
    Keygen {
        /// A file prefix such as keys/org (not a directory).
        #[arg(long)]
        out: PathBuf,
    },
    /// Quantize a dataset (X, Y) and print its hash and scales.
    #[command(alias = "dataset_hash")]
    DatasetHash(DatasetArgs),
    /// Compare a model's float MSE with the quantized MSE the circuit will prove.
    Simulate {
        #[command(flatten)]
        dataset: DatasetArgs,
        /// A zkml-model/1 JSON file (examples/export_model.py writes one from scikit-learn, XGBoost or LightGBM),
        /// an ONNX file of dense layers (PyTorch's nn.Sequential of Linear/ReLU, skl2onnx's MLPs), or a directory
        /// with W.npy and b.npy (a linear regression).
        #[arg(long)]
        model: PathBuf,
        /// For a tree ensemble: the key's kind (e.g. trees:100:depth=6), when larger than the model's own; fewer or
        /// shallower trees are padded.
        #[arg(long, value_parser = parse_kind_arg)]
        kind: Option<ModelKind>,
    },
    /// SINGLE-PARTY setup, for offline experiments: a Groth16 proving and verifying key for one shape (m rows,
    /// p features, n outputs) whose secrets only this process saw — which nobody else can check, so
    /// `claim-bounty` refuses such keys by default. For a bounty, run `zkml ceremony`. With --hash, for a
    /// registered dataset: the verifying key is registered on chain and the proving key published on IPFS.
    Setup {
        /// Shape as MxPxN (e.g. 20x4x1), or take it from --dataset.
        #[arg(long, conflicts_with_all = ["dataset", "hash"])]
        shape: Option<String>,
        #[arg(long, conflicts_with = "hash")]
        dataset: Option<PathBuf>,
        /// A registered dataset's hash: keys for its shape, registered and published.
        #[arg(long)]
        hash: Option<String>,
        /// Model kind: linear (regression), linear:classes=K, mlp:H1,H2 (regression), mlp:H1,H2:classes=K.
        #[arg(long, default_value = "linear", value_parser = parse_kind_arg)]
        kind: ModelKind,
        /// Writes PREFIX.pk (proving key) and PREFIX.vk (verifying key, compressed, as the chain stores it).
        /// Default with --hash: zkml-keys/MxPxN.
        #[arg(long, required_unless_present = "hash")]
        out: Option<PathBuf>,
        /// Replace existing key files.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Prove a claim: the model reaches the cap on the dataset, encrypted to the organizer, paid to the payee.
    Prove {
        #[command(flatten)]
        dataset: DatasetArgs,
        #[arg(long)]
        model: PathBuf,
        /// For a tree ensemble: the proving key's kind (e.g. trees:100:depth=6), when larger than the model's own.
        #[arg(long, value_parser = parse_kind_arg)]
        kind: Option<ModelKind>,
        /// Proving key file from `setup`.
        #[arg(long)]
        proving_key: PathBuf,
        /// The organizer's public key file.
        #[arg(long, alias = "publickey")]
        organizer_key: PathBuf,
        /// Account to pay: SS58 or 0x-hex (32 bytes).
        #[arg(long, alias = "payment")]
        payee: String,
        #[arg(long, alias = "bounty")]
        bounty_id: u64,
        /// MSE cap (float); converted with the dataset's scales. Use --sse-cap for the exact on-chain value.
        #[arg(long, alias = "mse", conflicts_with_all = ["sse_cap", "max_errors"])]
        mse_cap: Option<f64>,
        #[arg(long, conflicts_with = "max_errors")]
        sse_cap: Option<u128>,
        /// Classifiers: the most misclassified samples the claim allows.
        #[arg(long)]
        max_errors: Option<u64>,
        /// Claim file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing claim file.
        #[arg(long)]
        force: bool,
    },
    /// Verify a claim file: its proof against a verifying key, for the statement recomputed from the file's
    /// fields (dataset hash, SSE cap, payee, bounty id, organizer key, and the envelope hash recomputed from the
    /// competitor key, nonce and ciphertext). With --dataset, also the shape and scales the file states.
    Verify {
        #[arg(long)]
        verifying_key: PathBuf,
        #[arg(long)]
        claim: PathBuf,
        /// The dataset the claim is about: checks that its hash with the claim's shape and scales is the
        /// claim's dataset hash (the proof binds them only through that hash).
        #[arg(long)]
        dataset: Option<PathBuf>,
    },
    /// Organizer: check a claim (as `verify --dataset` does) and decrypt its model; writes W.npy and b.npy.
    /// A claim file whose ciphertext, scales or any proven field was altered is refused and nothing is written.
    Decrypt {
        #[arg(long, alias = "secret")]
        secret_key: PathBuf,
        #[arg(long)]
        claim: PathBuf,
        /// The bounty's verifying key (PREFIX.vk): the proof must verify for the file's ciphertext.
        #[arg(long)]
        verifying_key: PathBuf,
        /// The bounty's dataset (X, Y): fixes the shape and the scales used to turn integers back into floats.
        #[arg(long)]
        dataset: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Replace existing W.npy / b.npy in --out.
        #[arg(long)]
        force: bool,
    },
    /// Organizer: upload X.npy and Y.npy to IPFS and register the dataset's hash, CID, shape and scales.
    #[command(alias = "add_dataset")]
    AddDataset {
        #[command(flatten)]
        dataset: DatasetArgs,
        /// Other splits of the same data (directories, repeatable) the scales must also fit: a competition's
        /// validation and test sets are quantized with the training set's scales.
        #[arg(long)]
        cover: Vec<PathBuf>,
        /// Quantize with the scales of a dataset you registered (a competition's validation split uses the
        /// training set's).
        #[arg(long, conflicts_with = "cover")]
        scales_like: Option<String>,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: escrow a bounty for a model reaching an MSE cap on a registered dataset.
    #[command(alias = "add_bounty")]
    AddBounty {
        /// The dataset hash (from add-dataset or list-datasets).
        #[arg(long, alias = "hash")]
        dataset: String,
        /// Amount in tokens (e.g. 5 or 0.5).
        #[arg(long)]
        amount: String,
        /// Regressors: the MSE cap (float, in the dataset's units).
        #[arg(long, alias = "mse-cap", conflicts_with = "max_errors")]
        mse: Option<f64>,
        /// Classifiers: the most misclassified samples a claim may have (accuracy ≥ 1 − max_errors / m).
        #[arg(long)]
        max_errors: Option<u64>,
        /// The organizer's public key file (from keygen): claims are encrypted to it.
        #[arg(long, alias = "organizer-key")]
        publickey: PathBuf,
        /// Blocks until the bounty expires (6 s each); after that the issuer may remove it.
        #[arg(long, default_value_t = 14_400)]
        expires_in: u32,
        /// The verifying key hash; default: the only key registered for the dataset's shape (preferring yours).
        #[arg(long)]
        verifying_key: Option<String>,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// List the registered datasets.
    #[command(alias = "list_datasets")]
    ListDatasets {
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// List bounties (issuer, amount, cap, expiry, CID, state), optionally for one dataset.
    #[command(alias = "list_bounties")]
    ListBounties {
        /// Only bounties on this dataset hash.
        #[arg(long, alias = "dataset")]
        hash: Option<String>,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Competitor: fetch a registered dataset from IPFS; refused unless it hashes to the registered hash.
    #[command(alias = "download_dataset")]
    DownloadDataset {
        #[arg(long, alias = "dataset")]
        hash: String,
        /// Directory to write X.npy and Y.npy to.
        #[arg(long, alias = "out")]
        path: PathBuf,
        /// Replace existing X.npy / Y.npy in --path.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Competitor: simulate, prove, reserve the bounty with the proof, then deliver the encrypted model;
    /// prints the payout. A claim that loses the race sends no ciphertext.
    #[command(alias = "claim_bounty")]
    ClaimBounty {
        #[arg(long, alias = "bounty-id")]
        bounty: u64,
        /// Account to pay: SS58 or 0x-hex (32 bytes).
        #[arg(long, alias = "payee")]
        payment: String,
        /// Directory with W.npy and b.npy.
        #[arg(long)]
        model: PathBuf,
        /// Directory with the bounty's dataset (from download-dataset).
        #[arg(long)]
        dataset: PathBuf,
        /// A local proving key instead of the one published with the verifying key (checked against it).
        #[arg(long)]
        proving_key: Option<PathBuf>,
        /// Claim even if the bounty's key has no verified ceremony transcript (its maker may be able to forge
        /// claims and take the bounty back). By default such keys are refused before any proving.
        #[arg(long)]
        accept_unverified_key: bool,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: post a competition on your registered training set with a hidden test set (committed by its
    /// hash now, revealed on chain after submissions close), an optional public validation split, a prize
    /// split over the top ranks and a reveal bond (paid to the committers if you never reveal).
    PostCompetition {
        /// The training set's dataset hash (yours, registered with add-dataset).
        #[arg(long)]
        train: String,
        /// The public validation split's dataset hash (yours, registered with `add-dataset --scales-like TRAIN`).
        #[arg(long)]
        validation: Option<String>,
        /// Directory with the hidden test set (X, Y): only its hash is sent now. Keep it for reveal-test-set.
        #[arg(long)]
        test: PathBuf,
        /// Your public key file (from keygen): submissions are encrypted to it.
        #[arg(long, alias = "organizer-key")]
        publickey: PathBuf,
        /// The prize in tokens, held until paid to the winners.
        #[arg(long)]
        prize: String,
        /// The reveal bond in tokens, held until you reveal the test set.
        #[arg(long)]
        bond: String,
        /// Relative prize shares by rank, comma-separated (e.g. 60,30,10 for the top three).
        #[arg(long, default_value = "1")]
        shares: String,
        /// Blocks submissions stay open for.
        #[arg(long, default_value_t = 14_400)]
        submit_blocks: u32,
        /// Blocks, after submissions close, within which the test set must be revealed.
        #[arg(long, default_value_t = 1_200)]
        reveal_blocks: u32,
        /// Blocks, after the reveal, competitors have to score.
        #[arg(long, default_value_t = 1_200)]
        score_blocks: u32,
        /// Your verifying key for the test set's shape (default: your only one for it).
        #[arg(long)]
        scoring_key: Option<String>,
        /// Your verifying key for the validation split's shape (default: your only one for it).
        #[arg(long)]
        validation_key: Option<String>,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Competitor: commit to a model (the hash of its encryption to the organizer) before the deadline; with
    /// --validation, also prove its score on the public validation split (the public leaderboard).
    Submit {
        #[arg(long)]
        competition: u64,
        /// The model: a directory with W.npy and b.npy (linear regression), or a model file of the scoring key's
        /// kind (zkml-model/1 JSON from examples/export_model.py, or ONNX).
        #[arg(long)]
        model: PathBuf,
        /// Directory with the validation split (from download-dataset): adds a proven public score.
        #[arg(long)]
        validation: Option<PathBuf>,
        /// Directory with the training set (from download-dataset): the rows an MLP's activations (and trees'
        /// thresholds) are calibrated on. Needed for MLPs.
        #[arg(long)]
        train: Option<PathBuf>,
        /// Submit even if the scoring key has no verified ceremony transcript (its maker could forge scores).
        #[arg(long)]
        accept_unverified_key: bool,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer (or anyone holding the data): reveal the committed test set on chain after submissions close.
    RevealTestSet {
        #[arg(long)]
        competition: u64,
        /// Directory with the test set (X, Y): refused unless it hashes to the commitment.
        #[arg(long)]
        test: PathBuf,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: package a hidden test set for the web board (or another signer): its hash and row count, which
    /// post a competition, and its packed words, which reveal it. Written readable by you only.
    TestSet {
        /// The training set's dataset hash: the test set is quantized at its registered scales.
        #[arg(long)]
        train: String,
        /// The training set's organizer (SS58 or 0x-hex), if several accounts registered that hash.
        #[arg(long)]
        organizer: Option<String>,
        /// Directory with the test set (X, Y).
        #[arg(long)]
        test: PathBuf,
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Competitor: prove your committed models' scores on the revealed test set (read from the chain).
    Score {
        #[arg(long)]
        competition: u64,
        /// Account a prize is paid to: SS58 or 0x-hex (default: the signer).
        #[arg(long)]
        payee: Option<String>,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// A competition's state with its public (validation) and private (test) leaderboards.
    Leaderboard {
        #[arg(long)]
        competition: u64,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Anyone: settle what is due — pay committers if nobody revealed, rank after scoring, pass a prize slot
    /// whose winner did not deliver to the next in rank.
    Finalize {
        #[arg(long)]
        competition: u64,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Winner: deliver your model (the envelope matching your commitment) and be paid your prize share.
    DeliverModel {
        #[arg(long)]
        competition: u64,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: decrypt every delivered winning model; writes OUT/rank-R-entry-I/W.npy and b.npy.
    RetrieveModels {
        #[arg(long)]
        competition: u64,
        #[arg(long, alias = "secret")]
        secret_key: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Replace existing model files.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Multi-party Groth16 setup on chain: keys nobody can forge with if one contributor per phase was honest.
    #[command(subcommand)]
    Ceremony(CeremonyCommand),
    /// Organizer: decrypt a paid bounty's model from the chain; writes W.npy and b.npy.
    #[command(alias = "retrieve_model")]
    RetrieveModel {
        #[arg(long, alias = "bounty-id")]
        bounty: u64,
        #[arg(long, alias = "secret")]
        secret_key: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Replace existing W.npy / b.npy in --out.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Competitor: deliver the model of a reserved claim (finishes a claim-bounty that stopped after
    /// reserving). Sends nothing unless the bounty is reserved for exactly this claim's envelope.
    Deliver {
        #[arg(long, alias = "bounty-id")]
        bounty: u64,
        /// A claim file (as `zkml prove` writes); default: the claim claim-bounty kept for this bounty.
        #[arg(long)]
        claim: Option<PathBuf>,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Issuer: refund an expired, unclaimed bounty and remove its record (the storage deposit comes back).
    #[command(alias = "remove_bounty")]
    RemoveBounty {
        #[arg(long, alias = "bounty-id")]
        bounty: u64,
        /// Also remove a paid bounty, with its stored model envelope (run retrieve-model first).
        #[arg(long)]
        delete_model: bool,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: remove one of your datasets that no bounty uses (the storage deposit comes back).
    #[command(alias = "remove_dataset")]
    RemoveDataset {
        #[arg(long)]
        hash: String,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Organizer: remove one of your verifying keys that no bounty uses (the storage deposit comes back).
    #[command(alias = "remove_key")]
    RemoveKey {
        /// The key's blake2_256 hash (as setup --hash printed).
        #[arg(long)]
        hash: String,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Sudo: upgrade the runtime to a new Wasm (System.set_code through Sudo); state is kept.
    #[command(alias = "runtime_upgrade")]
    RuntimeUpgrade {
        /// The new runtime (e.g. zkml_runtime.compact.compressed.wasm) with a higher spec_version.
        #[arg(long)]
        wasm: PathBuf,
        #[command(flatten)]
        endpoints: Endpoints,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// An account's free balance.
    Balance {
        /// SS58 or 0x-hex.
        account: String,
        #[command(flatten)]
        endpoints: Endpoints,
    },
    /// Measure constraints, setup and proving time and peak memory per shape; writes a JSON results file.
    Bench {
        /// Shapes as MxP or MxPxN, comma-separated.
        #[arg(long, default_value = "20x4,442x10,6955x67")]
        shapes: String,
        /// Model kind (linear, linear:classes=K, mlp:H1,…[:classes=K]); random models and data of each shape.
        #[arg(long, default_value = "linear", value_parser = parse_kind_arg)]
        kind: ModelKind,
        #[arg(long, default_value = "bench-results.json")]
        out: PathBuf,
    },
    /// Measure a ceremony's costs: phase-1 contribute/verify per power of tau, and phase 2 per claim shape.
    BenchCeremony {
        /// Powers of tau for the phase-1 figures, comma-separated.
        #[arg(long, default_value = "16,18,20")]
        powers: String,
        /// Claim shapes for the phase-2 figures (MxP or MxPxN, comma-separated; empty for none).
        #[arg(long, default_value = "442x10")]
        shapes: String,
        #[arg(long, default_value = "ceremony-results.json")]
        out: PathBuf,
    },
    /// One measured step of `bench`, run in its own process.
    #[command(hide = true)]
    BenchStep {
        step: String,
        #[arg(long)]
        shape: String,
        #[arg(long, default_value = "linear", value_parser = parse_kind_arg)]
        kind: ModelKind,
        #[arg(long)]
        proving_key: PathBuf,
    },
}

#[derive(Args)]
pub(crate) struct DatasetArgs {
    /// Directory with X.npy and Y.npy (or .csv).
    #[arg(long)]
    dataset: PathBuf,
    /// Y is one column of class labels 0..k-1 (for classifiers): stored as integers, scale 2^0. Implied when
    /// the model is a classifier.
    #[arg(long)]
    labels: bool,
    /// Settings JSON overriding calibration (alpha_X/beta_X, alpha_Y/beta_Y, x_frac_bits, y_frac_bits, m, p, n,
    /// mse_target).
    #[arg(long)]
    settings: Option<PathBuf>,
}

impl DatasetArgs {
    pub(crate) fn load(&self) -> Result<(quant::FloatDataset, QuantDataset, Settings)> {
        let settings = match &self.settings {
            Some(p) => Settings::load(p)?,
            None => Settings::default(),
        };
        let ignored = settings.ignored_fields();
        if !ignored.is_empty() {
            eprintln!(
                "note: settings {} have no effect here: W and b scales follow from X and Y so residuals are exact",
                ignored.join(", ")
            );
        }
        let mut settings = settings;
        let ds = io::load_dataset(&self.dataset)?;
        if self.labels {
            ensure!(settings.y_frac_bits.unwrap_or(0) == 0, "labels are stored at scale 2^0; the settings say y_frac_bits = {:?}", settings.y_frac_bits);
            settings.y_frac_bits = Some(0);
            ensure!(ds.y.ncols() == 1, "labels are one Y column; {} has {}", self.dataset.display(), ds.y.ncols());
            if let Some((i, v)) = ds.y.column(0).iter().enumerate().find(|(_, v)| !(v.fract() == 0.0 && **v >= 0.0)) {
                bail!("Y row {} is {v}: class labels are integers 0..k-1", i + 1);
            }
        }
        let scales = quant::calibrate(&ds, &settings)?;
        for w in quant::precision_warnings(&ds, &scales) {
            eprintln!("warning: {w}");
        }
        let qds = QuantDataset::new(&ds, scales)?;
        Ok((ds, qds, settings))
    }
}

/// Progress for a step that can take more than a second (see [`progress`]).
pub(crate) fn spinner(json: bool, msg: &str) -> Progress {
    Progress::start(json, msg)
}

/// `prove`: encrypts the model, proves the claim with the key in `proving_key`, checks the proof against the
/// key's own verifying key before handing it out, and writes the claim file; returns the proving seconds.
fn prove_to_file(req: &ClaimRequest, proving_key: &Path, out: &Path, json: bool) -> Result<f64> {
    let claim = prover::prepare_claim(req, &mut OsRng)?;
    let pb = spinner(json, "loading proving key");
    let pk = read_proving_key(proving_key)?;
    pb.set_message("proving");
    let started = Instant::now();
    let kind = req.model.kind();
    let circuit = ClaimCircuit { kind: kind.clone(), shape: req.dataset.shape, assignment: Some(claim.assignment.clone()) };
    let proof = prover::prove_with(&pk, &circuit, &mut OsRng)?;
    let seconds = started.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let proof_bytes = groth16::encode_proof(&proof);
    groth16::verify_inputs(&groth16::prepare(&pk.pk.vk), &proof, &claim.assignment.statement.public_inputs())
        .map_err(|e| anyhow::anyhow!("the fresh proof does not verify (is the proving key for {}?): {e}", kind_spec(&kind)))?;
    let ds = req.dataset;
    let file = ClaimFile::new(&kind, &ds.shape, &ds.scales, &claim.assignment.statement, &claim.envelope, &proof_bytes);
    files::write_json(out, &file)?;
    Ok(seconds)
}

fn parse_kind_arg(s: &str) -> std::result::Result<ModelKind, String> {
    parse_kind(s).map_err(|e| e.to_string())
}

fn parse_timeout(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 86_400.0 => Ok(t),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 86400")),
    }
}

fn parse_shape(s: &str) -> Result<Shape> {
    let dims: Vec<u32> = s
        .split(['x', 'X', ','])
        .map(|d| d.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow::anyhow!("shape {s:?} is not MxP or MxPxN (positive whole numbers, e.g. 442x10x1)"))?;
    let shape = match dims[..] {
        [m, p] => Shape { m, p, n: 1 },
        [m, p, n] => Shape { m, p, n },
        _ => bail!("shape {s:?} is not MxP or MxPxN"),
    };
    shape.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(shape)
}

pub(crate) fn with_ext(prefix: &Path, ext: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// Writes PREFIX.pk (proving key) and PREFIX.vk (the verifying key's canonical bytes, as the chain stores
/// them); returns both paths and the verifying key's bytes.
pub(crate) fn write_keys(
    prefix: &Path,
    pk: &ProvingKey<Bn254>,
    vk: &ark_groth16::VerifyingKey<Bn254>,
) -> Result<(PathBuf, PathBuf, Vec<u8>)> {
    let (pk_path, vk_path) = (with_ext(prefix, ".pk"), with_ext(prefix, ".vk"));
    if let Some(dir) = pk_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_proving_key(&pk_path, pk)?;
    let vk_bytes = groth16::encode_verifying_key(vk);
    std::fs::write(&vk_path, &vk_bytes).with_context(|| format!("cannot write {}", vk_path.display()))?;
    Ok((pk_path, vk_path, vk_bytes))
}

pub(crate) fn write_proving_key(path: &Path, pk: &ProvingKey<Bn254>) -> Result<()> {
    let f = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    pk.serialize_uncompressed(BufWriter::new(f)).context("writing proving key")
}

/// Proving keys: a ceremony's `.zkey` or a single-party key (stored uncompressed and read without subgroup
/// checks, fast for large keys): a bad key can only make the prover's own proofs fail, never make a false
/// claim pass.
pub(crate) fn read_proving_key(path: &Path) -> Result<prover::ClaimKey> {
    prover::ClaimKey::load(path)
}

/// What a claim check established, in words.
struct ClaimCheck {
    checked: Vec<String>,
    not_checked: Vec<String>,
}

/// Checks everything a claim file states against what its proof binds: the proof verifies under the key for
/// the statement recomputed from the file (the envelope hash recomputed from competitor key, nonce and
/// ciphertext), the file's list of public inputs is that statement's, and — with the dataset — the file's
/// shape and scales give the dataset hash the proof is about.
fn check_claim(file: &ClaimFile, verifying_key: &Path, dataset: Option<&Path>) -> Result<ClaimCheck> {
    let vk_bytes = std::fs::read(verifying_key).with_context(|| format!("cannot read verifying key {}", verifying_key.display()))?;
    let statement = file.statement()?;
    let listed: Vec<String> = statement.public_inputs().iter().map(files::fr_hex).collect();
    ensure!(
        listed == file.public_inputs,
        "the claim file's public_inputs list differs from the statement its fields give: the file was altered"
    );
    groth16::verify_claim(&vk_bytes, &file.proof_bytes()?, &statement).map_err(|e| {
        anyhow::anyhow!("claim rejected: the proof does not verify for the file's fields under {} ({e})", verifying_key.display())
    })?;
    let mut checked = vec![
        format!("dataset hash {}", file.dataset_hash),
        format!("SSE cap {}", file.sse_cap),
        format!("payee {}", file.payee),
        format!("bounty id {}", file.bounty_id),
        format!("organizer key {}", file.organizer_public_key),
        format!("envelope hash {} (competitor key, nonce and {} ciphertext elements)", file.envelope_hash, file.ciphertext.len()),
    ];
    let mut not_checked = Vec::new();
    let shape = file.shape();
    let what = format!("shape {}x{}x{} and scales (X 2^{:?}, Y 2^{})", shape.m, shape.p, shape.n, file.x_frac_bits, file.y_frac_bits);
    match dataset {
        Some(dir) => {
            let ds = io::load_dataset(dir)?;
            ensure!(
                ds.shape() == shape,
                "the claim states shape {}x{}x{}, but the dataset in {} is {}x{}x{}",
                shape.m, shape.p, shape.n, dir.display(), ds.shape().m, ds.shape().p, ds.shape().n
            );
            let qds = QuantDataset::new(&ds, file.scales()).context("the claim's scales do not fit the dataset")?;
            ensure!(
                files::fr_hex(&qds.hash()) == file.dataset_hash,
                "the dataset in {} with the claim's {what} hashes to {}, not to the claim's dataset hash: the claim's shape or scales were altered, or it is about other data",
                dir.display(),
                files::fr_hex(&qds.hash())
            );
            checked.push(format!("{what}, against the dataset in {}", dir.display()));
        }
        None => not_checked.push(format!("the {what}: the proof binds them only through the dataset hash (pass --dataset)")),
    }
    Ok(ClaimCheck { checked, not_checked })
}

pub(crate) fn print(json: bool, value: serde_json::Value, text: impl FnOnce() -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(&value).expect("serializable"));
    } else {
        println!("{}", text());
    }
}

/// Runs one async (chain / IPFS) command to completion.
fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?.block_on(f)
}

fn main() {
    // Under --json every outcome is JSON on stdout, argument errors included.
    let wants_json = std::env::args().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if wants_json && e.use_stderr() => {
            println!("{}", json!({"error": e.kind().to_string(), "message": e.to_string().trim()}));
            std::process::exit(2);
        }
        Err(e) => e.exit(),
    };
    let json = cli.json;
    zkml::net::set_timeout(Duration::from_secs_f64(cli.timeout));
    if let Err(e) = run(cli) {
        if json {
            println!("{}", json!({"error": format!("{e:#}")}));
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Keygen { out } => {
            let (pub_path, sec_path) = outputs::key_pair_paths(&out)?;
            let sk = zkml_primitives::keys::random_secret(&mut OsRng);
            let pk = zkml_primitives::keys::PublicKey::from_secret(&sk);
            // The secret file is created new (never over another file) and private from its first byte.
            files::write_json_new_private(&sec_path, &files::secret_key_file(&sk))?;
            files::write_json(&pub_path, &PublicKeyFile::new(&pk))?;
            let pk_hex = files::to_hex(&pk.to_bytes());
            print(json, json!({"public_key": pk_hex, "public_file": pub_path, "secret_file": sec_path}), || {
                format!("public key {pk_hex}\nwrote {} and {} (keep the secret file private, and keep it: it alone decrypts models delivered to this key)", pub_path.display(), sec_path.display())
            });
        }
        Command::DatasetHash(args) => {
            let (_, qds, _) = args.load()?;
            let hash = files::fr_hex(&qds.hash());
            let s = &qds.scales;
            print(
                json,
                json!({"dataset_hash": hash, "m": qds.shape.m, "p": qds.shape.p, "n": qds.shape.n,
                       "x_frac_bits": s.x_frac_bits, "y_frac_bits": s.y_frac_bits}),
                || format!("dataset hash {hash}\nshape {}x{}x{}, X scales 2^{:?}, Y scale 2^{}", qds.shape.m, qds.shape.p, qds.shape.n, s.x_frac_bits, s.y_frac_bits),
            );
        }
        Command::Simulate { mut dataset, model, kind } if io::is_network_file(&model) => {
            let net = io::load_trained_model(&model)?;
            dataset.labels |= matches!(net.task(), zkml_primitives::model::Task::Classification { .. });
            let (ds, qds, _) = dataset.load()?;
            let (_, report) = zkml::circuit::models::simulate_model(&net, &ds, &qds, &ds.x, kind.as_ref())?;
            print(json, serde_json::to_value(&report)?, || report.summary());
        }
        Command::Simulate { dataset, model, kind } => {
            ensure!(kind.is_none(), "--kind is for tree ensembles; {} is a linear regression's W/b", model.display());
            let (ds, qds, settings) = dataset.load()?;
            let fm = io::load_model(&model)?;
            let (_, report) = quant::simulate(&ds, &fm, &qds)?;
            let verdict = settings.mse_target.map(|t| report.quantized_mse <= t);
            let mut value = serde_json::to_value(&report)?;
            if let (Some(t), Some(ok)) = (settings.mse_target, verdict) {
                value["mse_target"] = json!(t);
                value["meets_target"] = json!(ok);
            }
            print(json, value, || {
                let mut s = format!(
                    "float MSE      {:.9}\nquantized MSE  {:.9}\nrelative error {:.3e}\nX scales 2^{:?}, Y scale 2^{}, residual scale 2^{}",
                    report.float_mse, report.quantized_mse, report.relative_error, report.x_frac_bits, report.y_frac_bits, report.residual_frac_bits
                );
                if let (Some(t), Some(ok)) = (settings.mse_target, verdict) {
                    s += &format!("\nmse_target {t}: {}", if ok { "met" } else { "NOT met" });
                }
                s
            });
        }
        Command::Setup { hash: Some(hash), kind, out, force, endpoints, signer, .. } => {
            block_on(onchain::setup_registered(&hash, &kind, out, force, &endpoints, &signer, json))?;
        }
        Command::Setup { shape, dataset, kind, out, force, .. } => {
            let out = out.context("give --out PREFIX")?;
            outputs::key_files(&out, force)?;
            let shape = match (shape, dataset) {
                (Some(s), _) => parse_shape(&s)?,
                (None, Some(d)) => io::load_dataset(&d)?.shape(),
                (None, None) => bail!("give --shape MxPxN or --dataset DIR"),
            };
            kind.validate_shape(&shape).map_err(|e| anyhow::anyhow!("model kind {}: {e}", kind_spec(&kind)))?;
            let pb = spinner(json, &format!("generating Groth16 keys for {} on {}x{}x{}", kind_spec(&kind), shape.m, shape.p, shape.n));
            let (pk, vk) = prover::setup_for(&kind, shape, &mut OsRng)?;
            pb.set_message("writing keys");
            let (pk_path, vk_path, _) = write_keys(&out, &pk, &vk)?;
            pb.finish_and_clear();
            print(json, json!({"proving_key": pk_path, "verifying_key": vk_path, "kind": kind_spec(&kind), "m": shape.m, "p": shape.p, "n": shape.n}), || {
                format!("wrote {} and {}\nthis setup's randomness was discarded here, but competitors cannot check that: whoever knows it can forge claims against bounties using this key", pk_path.display(), vk_path.display())
            });
        }
        Command::Prove { mut dataset, model, kind, proving_key, organizer_key, payee, bounty_id, mse_cap, sse_cap, max_errors, out, force }
            if io::is_network_file(&model) =>
        {
            refuse_existing(std::slice::from_ref(&out), force)?;
            let net = io::load_trained_model(&model)?;
            if let Some(k) = &kind {
                ensure!(net.fits_kind(k), "{} is a {} model; it does not fit {}", model.display(), kind_spec(&net.kind()), kind_spec(k));
            }
            let classifier = matches!(net.task(), zkml_primitives::model::Task::Classification { .. });
            dataset.labels |= classifier;
            let (ds, qds, _) = dataset.load()?;
            let organizer_pk = files::load_public_key(&organizer_key)?;
            let payee = files::parse_account(&payee)?;
            let cap = match (classifier, max_errors, sse_cap, mse_cap) {
                (true, Some(e), _, _) => e as u128,
                (true, None, _, _) => bail!("a classifier's claim is capped by --max-errors N (misclassified samples)"),
                (false, Some(_), _, _) => bail!("--max-errors is for classifiers; a regressor's claim takes --mse-cap or --sse-cap"),
                (false, None, Some(c), _) => c,
                (false, None, None, Some(m)) => qds.sse_cap(m)?,
                (false, None, None, None) => bail!("give --mse-cap or --sse-cap"),
            };
            let (qm, report) = zkml::circuit::models::simulate_model(&net, &ds, &qds, &ds.x, kind.as_ref())?;
            eprintln!("{}", report.summary());
            let req = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee, bounty_id, sse_cap: cap };
            let seconds = prove_to_file(&req, &proving_key, &out, json)?;
            let mut value = serde_json::to_value(&report)?;
            value["claim"] = json!(out);
            value["proving_seconds"] = json!(seconds);
            print(json, value, || format!("proved in {seconds:.2} s; wrote {}", out.display()));
        }
        Command::Prove { dataset, model, kind, proving_key, organizer_key, payee, bounty_id, mse_cap, sse_cap, max_errors, out, force } => {
            ensure!(max_errors.is_none(), "--max-errors is for classifiers; this model is a linear regression");
            ensure!(kind.is_none(), "--kind is for tree ensembles; {} is a linear regression's W/b", model.display());
            refuse_existing(std::slice::from_ref(&out), force)?;
            let (ds, qds, _) = dataset.load()?;
            let fm = io::load_model(&model)?;
            let organizer_pk = files::load_public_key(&organizer_key)?;
            let payee = files::parse_account(&payee)?;
            let sse_cap = match (sse_cap, mse_cap) {
                (Some(c), _) => c,
                (None, Some(m)) => qds.sse_cap(m)?,
                (None, None) => bail!("give --mse-cap or --sse-cap"),
            };
            let (qm, report) = quant::simulate(&ds, &fm, &qds)?;
            eprintln!("float MSE {:.9}, quantized MSE {:.9}", report.float_mse, report.quantized_mse);
            let req = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee, bounty_id, sse_cap };
            let seconds = prove_to_file(&req, &proving_key, &out, json)?;
            print(json, json!({"claim": out, "proving_seconds": seconds, "float_mse": report.float_mse, "quantized_mse": report.quantized_mse}), || {
                format!("proved in {seconds:.2} s; wrote {}", out.display())
            });
        }
        Command::Verify { verifying_key, claim, dataset } => {
            let file = ClaimFile::load(&claim)?;
            let checked = check_claim(&file, &verifying_key, dataset.as_deref())?;
            print(json, json!({"valid": true, "checked": checked.checked, "not_checked": checked.not_checked}), || {
                let mut s = format!("claim is valid: the proof verifies for {}", checked.checked.join("; "));
                if !checked.not_checked.is_empty() {
                    s += &format!("\nnot checked: {}", checked.not_checked.join("; "));
                }
                s
            });
        }
        Command::Decrypt { secret_key, claim, verifying_key, dataset, out, force } => {
            outputs::model_files(&out, force)?;
            let (sk, pk) = files::load_secret_key(&secret_key)?;
            let file = ClaimFile::load(&claim)?;
            ensure!(
                file.organizer_public_key == files::to_hex(&pk.to_bytes()),
                "this claim was encrypted to organizer key {}, not to the key in {}",
                file.organizer_public_key,
                secret_key.display()
            );
            let checked = check_claim(&file, &verifying_key, Some(&dataset)).context("refusing to decrypt; nothing was written")?;
            let envelope = file.envelope()?;
            let shared = zkml_primitives::keys::shared_point(&sk, &envelope.competitor_pk);
            let params = zkml_primitives::keys::decrypt(&envelope.ciphertext, &shared, envelope.nonce);
            let shape = file.shape();
            let kind = file.kind()?;
            if kind != ModelKind::LINEAR_REGRESSION {
                let qm = zkml::circuit::models::QuantizedModel::from_field_params(&kind, &shape, &params)?;
                let path = io::save_quantized_model(&out, &qm, &file.scales())?;
                print(json, json!({"out": path, "kind": file.kind, "params": qm.params, "checked": checked.checked}), || {
                    format!("checked the claim ({})\nwrote {} (the {} model's integer parameters, as proven)", checked.checked.join("; "), path.display(), file.kind)
                });
                return Ok(());
            }
            let qm = QuantModel::from_field_params(&params, &shape)?;
            let model = qm.dequantize(&shape, &file.scales());
            io::save_model(&out, &model)?;
            print(json, json!({"out": out, "w_q": qm.w_q, "b_q": qm.b_q, "checked": checked.checked}), || {
                format!("checked the claim ({})\nwrote {}/W.npy ({}x{}) and {}/b.npy", checked.checked.join("; "), out.display(), shape.p, shape.n, out.display())
            });
        }
        Command::AddDataset { dataset, cover, scales_like, endpoints, signer } => {
            block_on(onchain::add_dataset(&dataset, &cover, scales_like.as_deref(), &endpoints, &signer, json))?;
        }
        Command::AddBounty { dataset, amount, mse, max_errors, publickey, expires_in, verifying_key, endpoints, signer } => {
            let args = onchain::BountyArgs { dataset, amount, mse, max_errors, publickey, expires_in, verifying_key };
            block_on(onchain::add_bounty(args, &endpoints, &signer, json))?;
        }
        Command::ListDatasets { endpoints } => block_on(onchain::list_datasets(&endpoints, json))?,
        Command::ListBounties { hash, endpoints } => block_on(onchain::list_bounties(hash.as_deref(), &endpoints, json))?,
        Command::DownloadDataset { hash, path, force, endpoints } => {
            outputs::dataset_files(&path, force)?;
            block_on(onchain::download_dataset(&hash, &path, &endpoints, json))?;
        }
        Command::ClaimBounty { bounty, payment, model, dataset, proving_key, accept_unverified_key, endpoints, signer } => {
            let args = onchain::ClaimArgs { bounty, payment, model, dataset, proving_key, accept_unverified_key };
            block_on(onchain::claim_bounty(args, &endpoints, &signer, json))?;
        }
        Command::BenchCeremony { powers, shapes, out } => {
            let powers = powers.split(',').filter(|s| !s.is_empty()).map(|s| s.trim().parse::<u32>()).collect::<Result<Vec<_>, _>>()?;
            let shapes = shapes.split(',').filter(|s| !s.is_empty()).map(parse_shape).collect::<Result<Vec<_>>>()?;
            bench_ceremony::run(&powers, &shapes, &out)?;
        }
        Command::Ceremony(c) => match c {
            CeremonyCommand::Init { shape, kind, phase1_blocks, phase2_blocks, endpoints, signer } => {
                block_on(ceremony_chain::init(kind, parse_shape(&shape)?, phase1_blocks, phase2_blocks, &endpoints, &signer, json))?
            }
            CeremonyCommand::Contribute { ceremony, name, entropy, endpoints, signer } => {
                block_on(ceremony_chain::contribute(ceremony, name, entropy, &endpoints, &signer, json))?
            }
            CeremonyCommand::Beacon { ceremony, endpoints, signer } => block_on(ceremony_chain::beacon(ceremony, &endpoints, &signer, json))?,
            CeremonyCommand::Finalize { ceremony, endpoints, signer } => {
                block_on(ceremony_chain::finalize(ceremony, &endpoints, &signer, json))?
            }
            CeremonyCommand::Verify { ceremony, endpoints } => block_on(ceremony_chain::verify(ceremony, &endpoints, json))?,
        },
        Command::PostCompetition {
            train, validation, test, publickey, prize, bond, shares, submit_blocks, reveal_blocks, score_blocks, scoring_key,
            validation_key, endpoints, signer,
        } => {
            let args = competition_chain::PostArgs {
                train, validation, test, publickey, prize, bond, shares, submit_blocks, reveal_blocks, score_blocks, scoring_key, validation_key,
            };
            block_on(competition_chain::post_competition(args, &endpoints, &signer, json))?;
        }
        Command::Submit { competition, model, validation, train, accept_unverified_key, endpoints, signer } => {
            let args = competition_chain::SubmitArgs { competition, model, validation, train, accept_unverified_key };
            block_on(competition_chain::submit(args, &endpoints, &signer, json))?;
        }
        Command::RevealTestSet { competition, test, endpoints, signer } => {
            block_on(competition_chain::reveal_test_set(competition, &test, &endpoints, &signer, json))?;
        }
        Command::TestSet { train, organizer, test, out, endpoints } => {
            block_on(competition_chain::package_test_set(&train, organizer.as_deref(), &test, &out, &endpoints, json))?;
        }
        Command::Score { competition, payee, endpoints, signer } => {
            block_on(competition_chain::score(competition, payee.as_deref(), &endpoints, &signer, json))?;
        }
        Command::Leaderboard { competition, endpoints } => block_on(competition_chain::leaderboard(competition, &endpoints, json))?,
        Command::Finalize { competition, endpoints, signer } => block_on(competition_chain::finalize(competition, &endpoints, &signer, json))?,
        Command::DeliverModel { competition, endpoints, signer } => {
            block_on(competition_chain::deliver_model(competition, &endpoints, &signer, json))?;
        }
        Command::RetrieveModels { competition, secret_key, out, force, endpoints } => {
            block_on(competition_chain::retrieve_models(competition, &secret_key, &out, force, &endpoints, json))?;
        }
        Command::RetrieveModel { bounty, secret_key, out, force, endpoints } => {
            outputs::model_files(&out, force)?;
            block_on(onchain::retrieve_model(bounty, &secret_key, &out, &endpoints, json))?;
        }
        Command::Deliver { bounty, claim, endpoints, signer } => {
            block_on(onchain::deliver(bounty, claim.as_deref(), &endpoints, &signer, json))?;
        }
        Command::RemoveBounty { bounty, delete_model, endpoints, signer } => {
            block_on(onchain::remove_bounty(bounty, delete_model, &endpoints, &signer, json))?;
        }
        Command::RemoveDataset { hash, endpoints, signer } => {
            block_on(onchain::remove_record(&hash, false, &endpoints, &signer, json))?;
        }
        Command::RemoveKey { hash, endpoints, signer } => {
            block_on(onchain::remove_record(&hash, true, &endpoints, &signer, json))?;
        }
        Command::RuntimeUpgrade { wasm, endpoints, signer } => {
            block_on(onchain::runtime_upgrade(&wasm, &endpoints, &signer, json))?;
        }
        Command::Balance { account, endpoints } => block_on(onchain::balance(&account, &endpoints, json))?,
        Command::Bench { shapes, kind, out } => {
            let shapes = shapes.split(',').map(parse_shape).collect::<Result<Vec<_>>>()?;
            let results = bench::run(&kind, &shapes, json)?;
            files::write_json(&out, &results)?;
            print(json, serde_json::to_value(&results)?, || format!("wrote {}", out.display()));
        }
        Command::BenchStep { step, shape, kind, proving_key } => {
            let shape = parse_shape(&shape)?;
            match step.as_str() {
                "setup" => bench::setup_step(&kind, shape, &proving_key)?,
                "prove" => bench::prove_step(&kind, shape, &proving_key)?,
                other => bail!("unknown bench step {other}"),
            }
        }
    }
    Ok(())
}
