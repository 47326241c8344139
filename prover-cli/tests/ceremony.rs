//! The multi-party setup, played for real on a small claim circuit: two contributors and a beacon in each
//! phase, then the tampered transcripts a dishonest coordinator could publish, each refused. snarkjs (npm,
//! `tools/snarkjs`, installed by `scripts/setup.sh`) is the independent implementation the files, the
//! circuit export and the proofs are held against.
mod common;

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ff::PrimeField;
use rand::{rngs::StdRng, SeedableRng};
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};
use zkml::{
    ceremony::{r1cs_file, steps, transcript::{self, verify_transcript}, ExpectedTranscript},
    circuit::ClaimCircuit,
    prover::{self, ClaimKey, ClaimRequest, PreparedClaim, QapLayout},
    quant::{self, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{dataset::Shape, groth16, model::ModelKind};

const SHAPE: Shape = Shape { m: 4, p: 2, n: 1 };

/// A finished ceremony: the files each step left behind, and what the chain would have recorded.
struct Ceremony {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    /// The prepared phase-1 file and the final key.
    ptau: PathBuf,
    zkey: PathBuf,
    expected: ExpectedTranscript,
}

impl Ceremony {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

fn ceremony() -> &'static Ceremony {
    static C: OnceLock<Ceremony> = OnceLock::new();
    C.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().to_path_buf();
        let power = steps::circuit_power(&ModelKind::LINEAR_REGRESSION, SHAPE).unwrap();
        steps::phase1_new(power, &d.join("p1_0.ptau")).unwrap();
        let alice1 = steps::phase1_contribute(&d.join("p1_0.ptau"), &d.join("p1_1.ptau"), "alice", "alice's entropy").unwrap();
        let bob1 = steps::phase1_contribute(&d.join("p1_1.ptau"), &d.join("p1_2.ptau"), "bob", "bob's entropy").unwrap();
        let beacon1 = [0x11u8; 32].to_vec();
        let b1 = steps::phase1_beacon_and_prepare(&d.join("p1_2.ptau"), &d.join("p1_3.ptau"), &d.join("p1.ptau"), &beacon1).unwrap();
        steps::phase2_init(&ModelKind::LINEAR_REGRESSION, SHAPE, &d.join("p1.ptau"), &d.join("z_0.zkey")).unwrap();
        let alice2 = steps::phase2_contribute(&d.join("z_0.zkey"), &d.join("z_1.zkey"), "alice", "more entropy").unwrap();
        let bob2 = steps::phase2_contribute(&d.join("z_1.zkey"), &d.join("z_2.zkey"), "bob", "bob again").unwrap();
        let beacon2 = [0x22u8; 32].to_vec();
        let b2 = steps::phase2_beacon(&d.join("z_2.zkey"), &d.join("z.zkey"), &beacon2).unwrap();
        let vk = zkml::ceremony::zkey::verifying_key_of(&d.join("z.zkey")).unwrap();
        Ceremony {
            ptau: d.join("p1.ptau"),
            zkey: d.join("z.zkey"),
            expected: ExpectedTranscript {
                shape: SHAPE,
                kind: ModelKind::LINEAR_REGRESSION,
                phase1: vec![alice1, bob1, b1],
                phase1_beacon: beacon1,
                phase2: vec![alice2, bob2, b2],
                phase2_beacon: beacon2,
                verifying_key: groth16::encode_verifying_key(&vk),
            },
            dir: d,
            _dir: tmp,
        }
    })
}

fn check(ptau: &Path, zkey: &Path, expected: &ExpectedTranscript) -> Result<(), String> {
    verify_transcript(ptau, zkey, expected, &|_| {}).map(|_| ()).map_err(|e| format!("{e:#}"))
}

fn refused(result: Result<(), String>, because: &str) {
    match result {
        Ok(()) => panic!("a tampered transcript was accepted (expected: {because})"),
        Err(e) => assert!(e.contains(because), "refused, but not for the expected reason `{because}`: {e}"),
    }
}

fn claim() -> PreparedClaim {
    let (ds, model) = common::synthetic(SHAPE.m as usize, SHAPE.p as usize, 1, 5);
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
    let qm = QuantModel::new(&model, &qds.shape, &qds.scales).unwrap();
    let (_, organizer_pk) = common::organizer(2);
    let sse = quant::field_to_f64(&quant::sse(&qds, &qm));
    let req = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee: [9u8; 32], bounty_id: 4, sse_cap: (sse * 2.0) as u128 + 1 };
    prover::prepare_claim(&req, &mut StdRng::seed_from_u64(3)).unwrap()
}

/// Copies `from` to `name` in the ceremony's directory, applying `edit` to the bytes.
fn tampered(c: &Ceremony, from: &Path, name: &str, edit: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let mut bytes = std::fs::read(from).unwrap();
    edit(&mut bytes);
    let out = c.path(name);
    std::fs::write(&out, bytes).unwrap();
    out
}

/// Offset and length of the body of binfile section `id` (iden3 container: magic, version, count, then
/// `type: u32, size: u64, body` records).
fn section(bytes: &[u8], id: u32) -> (usize, usize) {
    let count = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    let mut at = 12;
    for _ in 0..count {
        let ty = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let len = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize;
        if ty == id {
            return (at + 12, len);
        }
        at += 12 + len;
    }
    panic!("no section {id}");
}

fn swap(bytes: &mut [u8], a: usize, b: usize, len: usize) {
    let first = bytes[a..a + len].to_vec();
    bytes.copy_within(b..b + len, a);
    bytes[b..b + len].copy_from_slice(&first);
}

#[test]
fn honest_transcript_verifies_and_its_key_proves_real_claims() {
    let c = ceremony();
    let report = verify_transcript(&c.ptau, &c.zkey, &c.expected, &|_| {}).unwrap();
    assert_eq!((report.phase1_contributions, report.phase2_contributions), (2, 2));

    let key = ClaimKey::load(&c.zkey).unwrap();
    assert_eq!(key.layout, QapLayout::Snarkjs);
    let claim = claim();
    let proof = prover::prove_with(&key, &ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: SHAPE, assignment: Some(claim.assignment.clone()) }, &mut StdRng::seed_from_u64(4))
        .unwrap();
    let proof_bytes = groth16::encode_proof(&proof);
    let statement = &claim.assignment.statement;
    // The runtime's own verification, with the ceremony's verifying key as the chain stores it.
    groth16::verify_claim(&c.expected.verifying_key, &proof_bytes, statement).unwrap();
    let mut other = statement.clone();
    other.payee[0] ^= 1;
    assert!(groth16::verify_claim(&c.expected.verifying_key, &proof_bytes, &other).is_err());

    // The same witness proven with the other QAP layout does not verify: the reduction is load-bearing.
    let wrong = ClaimKey { pk: key.pk.clone(), layout: QapLayout::Arkworks };
    let bad = prover::prove_with(&wrong, &ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: SHAPE, assignment: Some(claim.assignment.clone()) }, &mut StdRng::seed_from_u64(4))
        .unwrap();
    assert!(groth16::verify_claim(&c.expected.verifying_key, &groth16::encode_proof(&bad), statement).is_err());
}

#[test]
fn a_key_nobody_contributed_to_is_refused() {
    let c = ceremony();
    // The phase-2 key straight out of setup: δ = γ = g₂, with which anyone can forge.
    let err = ClaimKey::load(&c.path("z_0.zkey")).err().unwrap();
    assert!(format!("{err:#}").contains("not a usable"), "{err:#}");
    let mut e = c.expected.clone();
    e.phase2 = vec![];
    refused(check(&c.ptau, &c.path("z_0.zkey"), &e), "no contributions");
}

#[test]
fn a_contribution_with_a_wrong_proof_of_knowledge_is_refused() {
    let c = ceremony();
    // Alice's and Bob's phase-2 records with their G2 proof-of-knowledge points (g2_spx) exchanged: each is
    // a valid point, and each record is internally consistent, but neither proves knowledge of its δ.
    let z = tampered(c, &c.zkey, "pok.zkey", |b| {
        let (at, _) = section(b, 10);
        let alice = at + 64 + 4; // after csHash and the count
        let alice_len = 64 * 3 + 128 + 64 + 4 + 4 + 7; // points, transcript, type, params ("alice")
        swap(b, alice + 3 * 64, alice + alice_len + 3 * 64, 128);
    });
    // Recorded on chain as published (a contributor may record whatever hash their file has).
    let mut e = c.expected.clone();
    e.phase2 = transcript::contribution_hashes(&z).unwrap();
    assert_ne!(e.phase2, c.expected.phase2);
    refused(check(&c.ptau, &z, &e), "phase 2 does not verify");
    // The same in phase 1: in alice's record (section 7), the τ key's and the α key's G2 points exchanged.
    let p = tampered(c, &c.ptau, "pok.ptau", |b| {
        let (at, _) = section(b, 7);
        let keys = at + 4 + 64 + 128 + 64 + 64 + 128; // count, then the record's tauG1, tauG2, alphaG1, betaG1, betaG2
        let g2 = keys + 6 * 64; // six G1 points (g1_s, g1_sx for τ, α, β), then the three g2_spx
        swap(b, g2, g2 + 128, 128);
    });
    let mut e = c.expected.clone();
    e.phase1 = transcript::phase1_contribution_hashes(&p).unwrap();
    refused(check(&p, &c.zkey, &e), "phase 1 does not verify");
}

#[test]
fn skipped_reordered_or_added_contributions_are_refused() {
    let c = ceremony();
    let mut skipped = c.expected.clone();
    skipped.phase2.remove(0);
    refused(check(&c.ptau, &c.zkey, &skipped), "the file has 3 contributions, the chain records 2");
    let mut reordered = c.expected.clone();
    reordered.phase1.swap(0, 1);
    refused(check(&c.ptau, &c.zkey, &reordered), "phase 1: contribution #1 in the file");
    // A real skip: bob builds on the initial key instead of alice's, and the final key is his — while the
    // chain records alice before him.
    let d = &c.dir;
    let bob = steps::phase2_contribute(&d.join("z_0.zkey"), &d.join("skip_1.zkey"), "bob", "x").unwrap();
    let beacon = steps::phase2_beacon(&d.join("skip_1.zkey"), &d.join("skip.zkey"), &c.expected.phase2_beacon).unwrap();
    let mut chain = c.expected.clone();
    chain.phase2 = vec![c.expected.phase2[0], bob, beacon];
    chain.verifying_key = groth16::encode_verifying_key(&zkml::ceremony::zkey::verifying_key_of(&d.join("skip.zkey")).unwrap());
    refused(check(&c.ptau, &d.join("skip.zkey"), &chain), "phase 2: the file has 2 contributions, the chain records 3");
    // And the file on its own terms is fine, so it was the record that refused it.
    chain.phase2 = vec![bob, beacon];
    check(&c.ptau, &d.join("skip.zkey"), &chain).unwrap();
}

#[test]
fn an_altered_point_in_the_middle_is_refused() {
    let c = ceremony();
    // Two L-query points swapped in the final key (section 8).
    let z = tampered(c, &c.zkey, "l.zkey", |b| {
        let (at, len) = section(b, 8);
        assert!(len >= 4 * 64);
        swap(b, at + 64, at + 2 * 64, 64);
    });
    refused(check(&c.ptau, &z, &c.expected), "phase 2 does not verify");
    // Two powers of τ swapped in phase 1 (section 2, τ^5 and τ^6).
    let p = tampered(c, &c.ptau, "tau.ptau", |b| {
        let (at, _) = section(b, 2);
        swap(b, at + 5 * 64, at + 6 * 64, 64);
    });
    refused(check(&p, &c.zkey, &c.expected), "phase 1 does not verify");
}

#[test]
fn a_phase2_key_from_another_phase1_or_circuit_is_refused() {
    let c = ceremony();
    let d = &c.dir;
    let power = steps::circuit_power(&ModelKind::LINEAR_REGRESSION, SHAPE).unwrap();
    // A phase 1 the coordinator ran alone (so knows τ, α, β), and a phase 2 on top of it.
    steps::phase1_new(power, &d.join("own_0.ptau")).unwrap();
    steps::phase1_contribute(&d.join("own_0.ptau"), &d.join("own_1.ptau"), "coordinator", "").unwrap();
    steps::phase1_beacon_and_prepare(&d.join("own_1.ptau"), &d.join("own_2.ptau"), &d.join("own.ptau"), &c.expected.phase1_beacon).unwrap();
    steps::phase2_init(&ModelKind::LINEAR_REGRESSION, SHAPE, &d.join("own.ptau"), &d.join("own_z0.zkey")).unwrap();
    steps::phase2_contribute(&d.join("own_z0.zkey"), &d.join("own_z1.zkey"), "alice", "").unwrap();
    steps::phase2_beacon(&d.join("own_z1.zkey"), &d.join("own_z.zkey"), &c.expected.phase2_beacon).unwrap();
    // Shown with the honest phase-1 file, and the phase-2 record and key as the coordinator published
    // them: the key was not derived from this phase 1.
    let mut e = c.expected.clone();
    e.phase2 = transcript::contribution_hashes(&d.join("own_z.zkey")).unwrap();
    e.verifying_key = groth16::encode_verifying_key(&zkml::ceremony::zkey::verifying_key_of(&d.join("own_z.zkey")).unwrap());
    refused(check(&c.ptau, &d.join("own_z.zkey"), &e), "phase 2 does not verify");

    // A key for a different circuit (another shape) checked as this shape's key.
    let mut other = c.expected.clone();
    other.shape = Shape { m: 5, p: 2, n: 1 };
    refused(check(&c.ptau, &c.zkey, &other), "phase 2 does not verify");
}

#[test]
fn a_verifying_key_or_beacon_that_does_not_match_the_transcript_is_refused() {
    let c = ceremony();
    // The review's attack: a key made by one party who kept the randomness, registered as the bounty's key.
    let (_, own_vk) = prover::setup(SHAPE, &mut StdRng::seed_from_u64(1)).unwrap();
    let mut e = c.expected.clone();
    e.verifying_key = groth16::encode_verifying_key(&own_vk);
    refused(check(&c.ptau, &c.zkey, &e), "not the ceremony's final key");
    // A beacon other than the chain's (a coordinator picking the last contribution after all).
    let mut e = c.expected.clone();
    e.phase2_beacon[0] ^= 1;
    refused(check(&c.ptau, &c.zkey, &e), "phase 2: the beacon is not the chain's beacon value");
    let mut e = c.expected.clone();
    e.phase1_beacon[0] ^= 1;
    refused(check(&c.ptau, &c.zkey, &e), "phase 1: the beacon is not the chain's beacon value");
}

// ---- snarkjs, the independent implementation ----

fn snarkjs() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/snarkjs/node_modules/.bin/snarkjs");
    assert!(bin.exists(), "snarkjs is not installed: run scripts/setup.sh (npm ci --prefix tools/snarkjs)");
    bin
}

fn run_snarkjs(args: &[&str]) -> String {
    let out = Command::new(snarkjs()).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "snarkjs {args:?} failed:\n{text}");
    text
}

fn dec<F: PrimeField>(f: &F) -> String {
    f.into_bigint().to_string()
}

fn g1_json(p: &G1Affine) -> serde_json::Value {
    serde_json::json!([dec(&p.x), dec(&p.y), "1"])
}

fn g2_json(p: &G2Affine) -> serde_json::Value {
    serde_json::json!([[dec(&p.x.c0), dec(&p.x.c1)], [dec(&p.y.c0), dec(&p.y.c1)], ["1", "0"]])
}

#[test]
fn snarkjs_accepts_the_transcript_the_circuit_export_and_the_proofs() {
    let c = ceremony();
    let d = &c.dir;
    let p = |x: &Path| x.to_str().unwrap().to_owned();
    // Phase 1 and phase 2, checked by snarkjs from the circuit file zkml exports.
    let out = run_snarkjs(&["powersoftau", "verify", &p(&c.ptau)]);
    assert!(out.contains("Powers of Tau Ok!"), "{out}");
    std::fs::write(d.join("claim.r1cs"), r1cs_file::claim_r1cs(&ModelKind::LINEAR_REGRESSION, SHAPE).unwrap()).unwrap();
    let out = run_snarkjs(&["zkey", "verify", &p(&d.join("claim.r1cs")), &p(&c.ptau), &p(&c.zkey)]);
    assert!(out.contains("ZKey Ok!"), "{out}");

    // snarkjs derives the same initial key from the exported circuit, byte for byte.
    run_snarkjs(&["groth16", "setup", &p(&d.join("claim.r1cs")), &p(&c.ptau), &p(&d.join("snarkjs_0.zkey"))]);
    assert!(std::fs::read(d.join("snarkjs_0.zkey")).unwrap() == std::fs::read(d.join("z_0.zkey")).unwrap());

    // A contribution made by snarkjs, finished by zkml's beacon: zkml verifies it and proves with it.
    run_snarkjs(&["zkey", "contribute", &p(&d.join("z_0.zkey")), &p(&d.join("snarkjs_1.zkey")), "--name=carol", "-e=carol's entropy"]);
    let carol = transcript::read_mpc(&d.join("snarkjs_1.zkey")).unwrap();
    assert_eq!(carol.contributions.len(), 1);
    let beacon = steps::phase2_beacon(&d.join("snarkjs_1.zkey"), &d.join("snarkjs.zkey"), &c.expected.phase2_beacon).unwrap();
    let vk = zkml::ceremony::zkey::verifying_key_of(&d.join("snarkjs.zkey")).unwrap();
    let mut e = c.expected.clone();
    let report = verify_transcript(&c.ptau, &d.join("snarkjs.zkey"), &{
        // carol's hash as zkml computes it from her record
        let hashes = transcript::contribution_hashes(&d.join("snarkjs.zkey")).unwrap();
        e.phase2 = hashes;
        e.verifying_key = groth16::encode_verifying_key(&vk);
        assert_eq!(e.phase2[1], beacon);
        e.clone()
    }, &|_| {});
    report.unwrap();

    // Proofs made here verify in snarkjs, with the verifying key snarkjs exports from the final key.
    let key = ClaimKey::load(&d.join("snarkjs.zkey")).unwrap();
    let claim = claim();
    let proof = prover::prove_with(&key, &ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: SHAPE, assignment: Some(claim.assignment.clone()) }, &mut StdRng::seed_from_u64(8))
        .unwrap();
    run_snarkjs(&["zkey", "export", "verificationkey", &p(&d.join("snarkjs.zkey")), &p(&d.join("vk.json"))]);
    let proof_json = serde_json::json!({
        "pi_a": g1_json(&proof.a), "pi_b": g2_json(&proof.b), "pi_c": g1_json(&proof.c),
        "protocol": "groth16", "curve": "bn128",
    });
    let public: Vec<String> = claim.assignment.statement.public_inputs().iter().map(|f: &Fr| dec(f)).collect();
    std::fs::write(d.join("proof.json"), proof_json.to_string()).unwrap();
    std::fs::write(d.join("public.json"), serde_json::to_string(&public).unwrap()).unwrap();
    let out = run_snarkjs(&["groth16", "verify", &p(&d.join("vk.json")), &p(&d.join("public.json")), &p(&d.join("proof.json"))]);
    assert!(out.contains("OK!"), "{out}");
    // And a public input changed is refused by snarkjs too.
    let mut changed = public.clone();
    changed[0] = "1".into();
    std::fs::write(d.join("public_changed.json"), serde_json::to_string(&changed).unwrap()).unwrap();
    let out = Command::new(snarkjs())
        .args(["groth16", "verify", &p(&d.join("vk.json")), &p(&d.join("public_changed.json")), &p(&d.join("proof.json"))])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Invalid proof"), "{:?}", out);
}
