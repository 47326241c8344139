//! The JSON files the CLI reads and writes: key pairs and claims. Binary values are `0x`-prefixed hex; field
//! elements are their canonical 32-byte little-endian encoding (as on chain).
use zkml_circuits::models::{kind_spec, parse_kind};
use zkml_primitives::model::ModelKind;
use anyhow::{bail, ensure, Context, Result};
use ark_bn254::Fr;
use ark_ff::PrimeField;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zkml_primitives::{
    claim::{ClaimStatement, Envelope},
    dataset::{Scales, Shape},
    encoding::{fr_from_bytes, fr_to_bytes},
    keys::{secret_from_bytes, PublicKey, SecretScalar},
};

pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

pub fn from_hex(s: &str, what: &str) -> Result<Vec<u8>> {
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).with_context(|| format!("{what} is not hex"))
}

fn hex32(s: &str, what: &str) -> Result<[u8; 32]> {
    let v = from_hex(s, what)?;
    v.try_into().map_err(|v: Vec<u8>| anyhow::anyhow!("{what} must be 32 bytes, got {}", v.len()))
}

pub fn fr_hex(f: &Fr) -> String {
    to_hex(&fr_to_bytes(f))
}

pub fn parse_fr(s: &str, what: &str) -> Result<Fr> {
    fr_from_bytes(&hex32(s, what)?).map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, what: &str) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {what} {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a valid {what}", path.display()))
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, serde_json::to_string_pretty(value)? + "\n").with_context(|| format!("cannot write {}", path.display()))
}

/// Writes a JSON file that must not exist yet, readable by its owner only (on Unix) from its creation.
pub fn write_json_new_private<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    f.write_all((serde_json::to_string_pretty(value)? + "\n").as_bytes()).with_context(|| format!("cannot write {}", path.display()))
}

pub const PUBLIC_KEY_KIND: &str = "zkml-babyjubjub-public-key";
pub const SECRET_KEY_KIND: &str = "zkml-babyjubjub-secret-key";

#[derive(Serialize, Deserialize)]
pub struct PublicKeyFile {
    pub kind: String,
    /// 32-byte arkworks compressed point.
    pub public_key: String,
    /// Affine coordinates, for reference.
    pub x: String,
    pub y: String,
}

#[derive(Serialize, Deserialize)]
pub struct SecretKeyFile {
    pub kind: String,
    /// 32-byte little-endian scalar.
    pub secret_key: String,
    pub public_key: String,
}

impl PublicKeyFile {
    pub fn new(pk: &PublicKey) -> Self {
        let [x, y] = pk.coordinates();
        Self { kind: PUBLIC_KEY_KIND.into(), public_key: to_hex(&pk.to_bytes()), x: fr_hex(&x), y: fr_hex(&y) }
    }
}

pub fn parse_public_key(hex: &str) -> Result<PublicKey> {
    PublicKey::from_bytes(&hex32(hex, "public key")?).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Reads a key file, refusing one of the other kind (public for secret or back) with a message saying so.
fn read_key_file<T: for<'de> Deserialize<'de>>(path: &Path, want: &str, other: &str, hint: &str) -> Result<T> {
    let v: serde_json::Value = read_json(path, "key file")?;
    match v.get("kind").and_then(|k| k.as_str()) {
        Some(k) if k == want => Ok(serde_json::from_value(v).with_context(|| format!("{} is malformed", path.display()))?),
        Some(k) if k == other => bail!("{} is the wrong kind of key file: {hint}", path.display()),
        _ => bail!("{} is not a zkml key file", path.display()),
    }
}

pub fn load_public_key(path: &Path) -> Result<PublicKey> {
    let f: PublicKeyFile =
        read_key_file(path, PUBLIC_KEY_KIND, SECRET_KEY_KIND, "it is a secret key file; pass the public key file (…_public.json)")?;
    parse_public_key(&f.public_key).with_context(|| format!("in {}", path.display()))
}

pub fn load_secret_key(path: &Path) -> Result<(SecretScalar, PublicKey)> {
    let f: SecretKeyFile = read_key_file(
        path,
        SECRET_KEY_KIND,
        PUBLIC_KEY_KIND,
        "it is a public key file; decrypting needs the secret key file (…_secret.json)",
    )?;
    let sk = secret_from_bytes(&hex32(&f.secret_key, "secret key")?).context("secret key is zero")?;
    let pk = PublicKey::from_secret(&sk);
    ensure!(to_hex(&pk.to_bytes()) == f.public_key, "{}: the public key does not match the secret key", path.display());
    Ok((sk, pk))
}

pub fn secret_key_file(sk: &SecretScalar) -> SecretKeyFile {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&ark_ff::BigInteger::to_bytes_le(&sk.into_bigint()));
    SecretKeyFile {
        kind: SECRET_KEY_KIND.into(),
        secret_key: to_hex(&bytes),
        public_key: to_hex(&PublicKey::from_secret(sk).to_bytes()),
    }
}

/// A payee: `0x` + 64 hex digits, or an SS58 address (any network prefix).
pub fn parse_account(s: &str) -> Result<[u8; 32]> {
    if s.starts_with("0x") {
        return hex32(s, "payee account");
    }
    let raw = bs58::decode(s).into_vec().with_context(|| format!("payee {s:?} is neither 0x-hex nor SS58"))?;
    let prefix_len = match raw.first() {
        Some(0..=63) => 1,
        Some(64..=127) => 2,
        _ => bail!("payee {s:?}: unknown SS58 prefix"),
    };
    ensure!(raw.len() == prefix_len + 32 + 2, "payee {s:?} is not a 32-byte SS58 account");
    use blake2::{Blake2b512, Digest};
    let mut h = Blake2b512::new();
    h.update(b"SS58PRE");
    h.update(&raw[..prefix_len + 32]);
    ensure!(h.finalize()[..2] == raw[prefix_len + 32..], "payee {s:?}: SS58 checksum mismatch");
    Ok(raw[prefix_len..prefix_len + 32].try_into().expect("32 bytes"))
}

/// Everything about one claim: the statement, the envelope, the proof, and the dataset scales the organizer
/// needs to turn decrypted integers back into floats.
#[derive(Clone, Serialize, Deserialize)]
pub struct ClaimFile {
    /// The model kind (`linear`, `linear:classes=2`, `mlp:64,32:classes=10`, …); files from before kinds
    /// existed are linear regressions.
    #[serde(default = "linear_kind_spec")]
    pub kind: String,
    pub m: u32,
    pub p: u32,
    pub n: u32,
    pub x_frac_bits: Vec<i32>,
    pub y_frac_bits: i32,
    pub dataset_hash: String,
    /// Decimal: it can exceed 64 bits.
    pub sse_cap: String,
    pub payee: String,
    pub bounty_id: u64,
    pub organizer_public_key: String,
    pub competitor_public_key: String,
    pub nonce: String,
    pub ciphertext: Vec<String>,
    pub envelope_hash: String,
    /// 128-byte compressed Groth16 proof.
    pub proof: String,
    /// The public inputs in layout order, for reference (verification recomputes them).
    pub public_inputs: Vec<String>,
}

fn linear_kind_spec() -> String {
    "linear".into()
}

impl ClaimFile {
    pub fn new(kind: &ModelKind, shape: &Shape, scales: &Scales, statement: &ClaimStatement, envelope: &Envelope, proof: &[u8]) -> Self {
        Self {
            kind: kind_spec(kind),
            m: shape.m,
            p: shape.p,
            n: shape.n,
            x_frac_bits: scales.x_frac_bits.clone(),
            y_frac_bits: scales.y_frac_bits,
            dataset_hash: fr_hex(&statement.dataset_hash),
            sse_cap: statement.sse_cap.to_string(),
            payee: to_hex(&statement.payee),
            bounty_id: statement.bounty_id,
            organizer_public_key: to_hex(&statement.organizer_pk.to_bytes()),
            competitor_public_key: to_hex(&envelope.competitor_pk.to_bytes()),
            nonce: fr_hex(&envelope.nonce),
            ciphertext: envelope.ciphertext.iter().map(fr_hex).collect(),
            envelope_hash: fr_hex(&statement.envelope_hash),
            proof: to_hex(proof),
            public_inputs: statement.public_inputs().iter().map(fr_hex).collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Self> {
        read_json(path, "claim file")
    }

    pub fn shape(&self) -> Shape {
        Shape { m: self.m, p: self.p, n: self.n }
    }

    pub fn kind(&self) -> Result<ModelKind> {
        parse_kind(&self.kind)
    }

    pub fn scales(&self) -> Scales {
        Scales { x_frac_bits: self.x_frac_bits.clone(), y_frac_bits: self.y_frac_bits }
    }

    pub fn envelope(&self) -> Result<Envelope> {
        let kind = self.kind()?;
        let needed = kind.params_count(&self.shape()).unwrap_or(u64::MAX);
        ensure!(
            self.ciphertext.len() as u64 == needed,
            "claim has {} ciphertext elements, a {} model on its shape has {needed}",
            self.ciphertext.len(),
            self.kind
        );
        Ok(Envelope {
            competitor_pk: parse_public_key(&self.competitor_public_key).context("competitor public key")?,
            nonce: parse_fr(&self.nonce, "nonce")?,
            ciphertext: self
                .ciphertext
                .iter()
                .enumerate()
                .map(|(i, c)| parse_fr(c, &format!("ciphertext[{i}]")))
                .collect::<Result<_>>()?,
        })
    }

    /// The statement, with the envelope hash recomputed from the envelope (a claim whose stored hash differs
    /// is refused).
    pub fn statement(&self) -> Result<ClaimStatement> {
        let envelope_hash = self.envelope()?.hash();
        ensure!(
            fr_hex(&envelope_hash) == self.envelope_hash,
            "the claim's envelope hash does not match its public key, nonce and ciphertext"
        );
        let sse_cap = self.sse_cap.parse::<u128>().context("sse_cap is not a u128")?;
        Ok(ClaimStatement {
            dataset_hash: parse_fr(&self.dataset_hash, "dataset hash")?,
            sse_cap,
            payee: hex32(&self.payee, "payee")?,
            bounty_id: self.bounty_id,
            organizer_pk: parse_public_key(&self.organizer_public_key).context("organizer public key")?,
            envelope_hash,
        })
    }

    pub fn proof_bytes(&self) -> Result<Vec<u8>> {
        from_hex(&self.proof, "proof")
    }
}


/// What `zkml submit` keeps for a competition entry: the quantized model and the envelope secrets behind its
/// commitment. Scoring and delivery need it; it holds the model in the clear, so it is written readable by its
/// owner only, and never replaced.
#[derive(Clone, Serialize, Deserialize)]
pub struct EntryFile {
    pub kind: String,
    pub competition: u64,
    /// The envelope hash committed on chain.
    pub commitment: String,
    pub submitter: String,
    pub organizer_public_key: String,
    pub competitor_secret_key: String,
    pub nonce: String,
    pub p: u32,
    pub n: u32,
    /// A linear regression's weights and biases (empty for other kinds).
    pub w_q: Vec<i64>,
    pub b_q: Vec<i64>,
    /// Any other kind (`zkml_circuits::models::kind_spec`) and its integer values in layout order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_values: Option<Vec<i64>>,
}

pub const ENTRY_KIND: &str = "zkml-competition-entry/v1";

impl EntryFile {
    /// An entry for a model of `kind` with its integer `values` in layout order (a linear regression's `W` then `b`).
    pub fn new(competition: u64, submitter: &[u8; 32], organizer_pk: &PublicKey, sk: &SecretScalar, nonce: &Fr, shape: &Shape, kind: &ModelKind, values: &[i64]) -> Result<Self> {
        let linear = *kind == ModelKind::LINEAR_REGRESSION;
        let (w_q, b_q) = if linear { values.split_at(shape.p as usize * shape.n as usize) } else { (&[][..], &[][..]) };
        let mut entry = Self {
            kind: ENTRY_KIND.into(),
            competition,
            commitment: String::new(),
            submitter: to_hex(submitter),
            organizer_public_key: to_hex(&organizer_pk.to_bytes()),
            competitor_secret_key: secret_key_file(sk).secret_key,
            nonce: fr_hex(nonce),
            p: shape.p,
            n: shape.n,
            w_q: w_q.to_vec(),
            b_q: b_q.to_vec(),
            model_kind: (!linear).then(|| zkml_circuits::models::kind_spec(kind)),
            model_values: (!linear).then(|| values.to_vec()),
        };
        entry.commitment = fr_hex(&entry.envelope()?.hash());
        Ok(entry)
    }

    /// The committed model, of any kind.
    pub fn model(&self) -> Result<Box<dyn zkml_circuits::models::ProvableModel>> {
        match (&self.model_kind, &self.model_values) {
            (None, None) => Ok(Box::new(crate::quant::QuantModel { w_q: self.w_q.clone(), b_q: self.b_q.clone() })),
            (Some(kind), Some(values)) => {
                let kind = zkml_circuits::models::parse_kind(kind)?;
                let shape = Shape { m: 1, p: self.p, n: self.n };
                Ok(Box::new(zkml_circuits::models::QuantizedModel::from_values(&kind, &shape, values)?))
            }
            _ => bail!("a competition entry names a model kind without its values, or values without a kind"),
        }
    }

    pub fn load(path: &Path) -> Result<Self> {
        let e: Self = read_json(path, "competition entry")?;
        ensure!(e.kind == ENTRY_KIND, "{} is not a zkml competition entry", path.display());
        if e.model_kind.is_none() {
            ensure!(e.w_q.len() == e.p as usize * e.n as usize && e.b_q.len() == e.n as usize, "{}: the model does not match its shape", path.display());
        }
        e.model().with_context(|| format!("{}: the model does not match its kind", path.display()))?;
        Ok(e)
    }

    pub fn secrets(&self) -> Result<(SecretScalar, Fr)> {
        let sk = secret_from_bytes(&hex32(&self.competitor_secret_key, "competitor secret key")?).context("competitor secret key is zero")?;
        Ok((sk, parse_fr(&self.nonce, "nonce")?))
    }

    pub fn organizer_pk(&self) -> Result<PublicKey> {
        parse_public_key(&self.organizer_public_key)
    }

    /// The envelope the commitment is the hash of.
    pub fn envelope(&self) -> Result<Envelope> {
        let (sk, nonce) = self.secrets()?;
        let params: Vec<Fr> = self.model()?.field_params();
        let shared = zkml_primitives::keys::shared_point(&sk, &self.organizer_pk()?);
        let ciphertext = zkml_primitives::keys::encrypt(&params, &shared, nonce);
        Ok(Envelope { competitor_pk: PublicKey::from_secret(&sk), nonce, ciphertext })
    }

    pub fn commitment_bytes(&self) -> Result<[u8; 32]> {
        hex32(&self.commitment, "commitment")
    }
}
