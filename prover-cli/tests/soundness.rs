//! The claim circuit against an honest and a malicious prover. Each rejection is shown twice where it
//! matters: the witness checker names the failing part of the circuit, and a Groth16 proof forced out of the
//! bad assignment does not verify against the public statement.
mod common;

use ark_bn254::{Bn254, Fr};
use ark_ff::{AdditiveGroup, Field, One};
use ark_groth16::ProvingKey;
use rand::{rngs::StdRng, SeedableRng};
use std::sync::OnceLock;
use zkml::{
    circuit::{r1cs::R1cs, ClaimCircuit, WitnessOverrides},
    prover::{self, ClaimRequest, PreparedClaim},
    quant::{self, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{
    claim::{ClaimStatement, Envelope, NUM_PUBLIC_INPUTS},
    dataset::{Shape, SSE_CAP_BITS},
    groth16::{self, Groth16Error},
    keys::{encrypt, shared_point, PublicKey, SecretScalar},
};

const SHAPE: Shape = Shape { m: 20, p: 4, n: 1 };

fn rng() -> StdRng {
    StdRng::seed_from_u64(42)
}

fn keys() -> &'static ProvingKey<Bn254> {
    static KEYS: OnceLock<ProvingKey<Bn254>> = OnceLock::new();
    KEYS.get_or_init(|| prover::setup(SHAPE, &mut rng()).unwrap().0)
}

struct Fixture {
    qds: QuantDataset,
    qm: QuantModel,
    organizer_sk: SecretScalar,
    claim: PreparedClaim,
}

fn fixture() -> Fixture {
    let (ds, model) = common::synthetic(20, 4, 1, 1);
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
    let qm = QuantModel::new(&model, &qds.shape, &qds.scales).unwrap();
    let (organizer_sk, organizer_pk) = common::organizer(1);
    let sse = quant::field_to_f64(&quant::sse(&qds, &qm));
    let req = ClaimRequest {
        dataset: &qds,
        model: &qm,
        organizer_pk,
        payee: [7u8; 32],
        bounty_id: 3,
        sse_cap: (sse * 1.5) as u128,
    };
    let claim = prover::prepare_claim(&req, &mut rng()).unwrap();
    Fixture { qds, qm, organizer_sk, claim }
}

fn circuit(claim: &PreparedClaim) -> ClaimCircuit {
    ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: SHAPE, assignment: Some(claim.assignment.clone()) }
}

/// Plays a malicious prover: proves whatever the assignment is, satisfied or not.
fn forced_proof_verifies(c: &ClaimCircuit, statement: &ClaimStatement) -> bool {
    let s = prover::synthesize(c).unwrap();
    let proof = prover::prove_synthesized(keys(), &s, &mut rng()).unwrap();
    let pvk = groth16::prepare(&keys().vk);
    groth16::verify_inputs(&pvk, &proof, &statement.public_inputs()).is_ok()
}

/// The parts of the circuit holding the violated constraints.
fn failing_parts(c: &ClaimCircuit) -> Vec<&'static str> {
    let s = prover::synthesize(c).unwrap();
    let mut parts: Vec<_> = s.unsatisfied().iter().map(|i| s.sections.section_of(*i).unwrap_or("inputs")).collect();
    parts.dedup();
    parts
}

#[test]
fn honest_proof_verifies_and_organizer_decrypts_exact_parameters() {
    let f = fixture();
    let c = circuit(&f.claim);
    let proof = prover::prove(keys(), &c, &mut rng()).unwrap();
    let vk_bytes = groth16::encode_verifying_key(&keys().vk);
    let proof_bytes = groth16::encode_proof(&proof);
    assert_eq!(proof_bytes.len(), groth16::PROOF_BYTES);
    groth16::verify_claim(&vk_bytes, &proof_bytes, &f.claim.assignment.statement).unwrap();

    // The circuit's SSE is the simulator's SSE: one implementation of the arithmetic.
    let s = prover::synthesize(&c).unwrap();
    assert_eq!(s.sections.loss, Some(quant::sse(&f.qds, &f.qm)));

    // The organizer recovers exactly the quantized parameters from public data and their secret key.
    let env = &f.claim.envelope;
    let shared = shared_point(&f.organizer_sk, &env.competitor_pk);
    let params = zkml_primitives::keys::decrypt(&env.ciphertext, &shared, env.nonce);
    assert_eq!(QuantModel::from_field_params(&params, &SHAPE).unwrap(), f.qm);
}

#[test]
fn changed_dataset_value_is_rejected() {
    let f = fixture();
    let mut c = circuit(&f.claim);
    c.assignment.as_mut().unwrap().x_q[5] += 1;
    assert_eq!(failing_parts(&c), ["dataset"]);
    assert!(prover::prove(keys(), &c, &mut rng()).is_err());
    assert!(!forced_proof_verifies(&c, &f.claim.assignment.statement));
}

#[test]
fn parameters_that_differ_from_the_ciphertext_are_rejected() {
    let f = fixture();
    let mut c = circuit(&f.claim);
    // Prove with a slightly different W than the one encrypted in the public envelope.
    c.assignment.as_mut().unwrap().params[1] += Fr::ONE;
    assert_eq!(failing_parts(&c), ["delivery"]);
    assert!(!forced_proof_verifies(&c, &f.claim.assignment.statement));
}

#[test]
fn mse_above_cap_is_rejected() {
    let f = fixture();
    let sse = quant::sse(&f.qds, &f.qm);
    let sse_u128 = quant::field_to_u128(&sse).unwrap();
    // Through the API: refused before proving, with the numbers.
    let (_, organizer_pk) = common::organizer(1);
    let req = ClaimRequest { dataset: &f.qds, model: &f.qm, organizer_pk, payee: [7; 32], bounty_id: 3, sse_cap: sse_u128 - 1 };
    let err = prover::prepare_claim(&req, &mut rng()).err().unwrap().to_string();
    assert!(err.contains("above the cap"), "{err}");
    // Hand-built: same witness, cap one below the SSE.
    let mut c = circuit(&f.claim);
    c.assignment.as_mut().unwrap().statement.sse_cap = sse_u128 - 1;
    assert_eq!(failing_parts(&c), ["metric"]);
    assert!(!forced_proof_verifies(&c, &c.assignment.as_ref().unwrap().statement.clone()));
    // Exactly at the cap passes.
    c.assignment.as_mut().unwrap().statement.sse_cap = sse_u128;
    assert!(prover::synthesize_checked(&c).is_ok());
}

#[test]
fn proof_is_bound_to_payee_bounty_and_every_public_input() {
    let f = fixture();
    let proof = prover::prove(keys(), &circuit(&f.claim), &mut rng()).unwrap();
    let pvk = groth16::prepare(&keys().vk);
    let statement = &f.claim.assignment.statement;
    assert!(groth16::verify_inputs(&pvk, &proof, &statement.public_inputs()).is_ok());

    let mut other_payee = statement.clone();
    other_payee.payee[31] ^= 1;
    assert_eq!(groth16::verify_inputs(&pvk, &proof, &other_payee.public_inputs()), Err(Groth16Error::InvalidProof));
    let mut other_bounty = statement.clone();
    other_bounty.bounty_id += 1;
    assert_eq!(groth16::verify_inputs(&pvk, &proof, &other_bounty.public_inputs()), Err(Groth16Error::InvalidProof));
    let mut other_organizer = statement.clone();
    other_organizer.organizer_pk = common::organizer(2).1;
    assert_eq!(groth16::verify_inputs(&pvk, &proof, &other_organizer.public_inputs()), Err(Groth16Error::InvalidProof));

    for i in 0..NUM_PUBLIC_INPUTS {
        let mut inputs = statement.public_inputs();
        inputs[i] += Fr::ONE;
        assert_eq!(groth16::verify_inputs(&pvk, &proof, &inputs), Err(Groth16Error::InvalidProof), "input {i}");
    }
}

#[test]
fn corrupted_proof_bytes_are_rejected_without_panicking() {
    let f = fixture();
    let proof = prover::prove(keys(), &circuit(&f.claim), &mut rng()).unwrap();
    let bytes = groth16::encode_proof(&proof);
    let vk = groth16::encode_verifying_key(&keys().vk);
    let statement = &f.claim.assignment.statement;
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= flip;
            let r = groth16::verify_claim(&vk, &bad, statement);
            assert!(matches!(r, Err(Groth16Error::MalformedProof | Groth16Error::InvalidProof)), "byte {i}: {r:?}");
        }
    }
    assert_eq!(groth16::verify_claim(&vk, &bytes[..100], statement), Err(Groth16Error::MalformedProof));
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(groth16::verify_claim(&vk, &long, statement), Err(Groth16Error::MalformedProof));
    assert_eq!(groth16::verify_claim(&vk[..vk.len() - 1], &bytes, statement), Err(Groth16Error::MalformedVerifyingKey));
    assert_eq!(groth16::verify_claim(&[], &bytes, statement), Err(Groth16Error::MalformedVerifyingKey));
}

#[test]
fn parameter_outside_its_range_is_rejected() {
    let f = fixture();
    // Through the API: a weight too large for 48 bits is refused with its index.
    let mut model = f.qm.dequantize(&SHAPE, &f.qds.scales);
    model.w[[2, 0]] = 1e30;
    let err = QuantModel::new(&model, &SHAPE, &f.qds.scales).unwrap_err().to_string();
    assert!(err.contains("W[2, 0]") && err.contains("48-bit"), "{err}");
    // Hand-built: W[0] = 2^47, one past the range, encrypted consistently so only the range check can object.
    let mut claim = f.claim;
    let a = &mut claim.assignment;
    a.params[0] = Fr::from(1u64 << 47);
    let (_, organizer_pk) = common::organizer(1);
    let env = Envelope {
        competitor_pk: PublicKey::from_secret(&a.competitor_sk),
        nonce: a.nonce,
        ciphertext: encrypt(&a.params, &shared_point(&a.competitor_sk, &organizer_pk), a.nonce),
    };
    a.statement.envelope_hash = env.hash();
    a.statement.sse_cap = u128::MAX;
    let c = circuit(&claim);
    assert_eq!(failing_parts(&c), ["model"]);
    assert!(!forced_proof_verifies(&c, &c.assignment.as_ref().unwrap().statement.clone()));
}

#[test]
fn wrong_organizer_key_cannot_decrypt_and_does_not_verify() {
    let f = fixture();
    let env = &f.claim.envelope;
    let (wrong_sk, _) = common::organizer(2);
    let params = zkml_primitives::keys::decrypt(&env.ciphertext, &shared_point(&wrong_sk, &env.competitor_pk), env.nonce);
    assert!(QuantModel::from_field_params(&params, &SHAPE).is_err());
}

#[test]
fn competitor_key_must_be_the_ecdh_secret_times_g() {
    // The prototype's hole: publish a competitor key the organizer cannot use, keep the bounty.
    let f = fixture();
    let mut claim = f.claim;
    let a = &mut claim.assignment;
    let decoy = PublicKey::from_secret(&SecretScalar::from(123456789u64));
    let env = Envelope { competitor_pk: decoy, nonce: a.nonce, ciphertext: claim.envelope.ciphertext.clone() };
    a.statement.envelope_hash = env.hash();
    a.overrides = WitnessOverrides { competitor_pk: Some(decoy.coordinates()), ..Default::default() };
    let c = circuit(&claim);
    assert_eq!(failing_parts(&c), ["delivery"]);
    assert!(!forced_proof_verifies(&c, &c.assignment.as_ref().unwrap().statement.clone()));
}

/// Solves `a · x = b` over the field (Gauss–Jordan); `a` is square and invertible.
fn solve_mod_r(mut a: Vec<Vec<Fr>>, mut b: Vec<Fr>) -> Vec<Fr> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n).find(|&r| a[r][col] != Fr::ZERO).expect("invertible");
        a.swap(col, piv);
        b.swap(col, piv);
        let inv = a[col][col].inverse().unwrap();
        a[col].iter_mut().for_each(|v| *v *= inv);
        b[col] *= inv;
        for r in 0..n {
            if r != col && a[r][col] != Fr::ZERO {
                let factor = a[r][col];
                let pivot_row = a[col].clone();
                a[r].iter_mut().zip(&pivot_row).for_each(|(v, p)| *v -= factor * p);
                let bc = b[col];
                b[r] -= factor * bc;
            }
        }
    }
    b
}

#[test]
fn field_wrapping_parameters_cannot_fake_zero_residuals() {
    // The prototype's attack: choose parameters that are huge field elements so that every residual is 0
    // modulo r. With m = p + 1 rows the system Y·2^16 = X·W + b is square and solvable over the field.
    let shape = Shape { m: 5, p: 4, n: 1 };
    let (ds, _) = common::synthetic(5, 4, 1, 9);
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
    let rows: Vec<Vec<Fr>> = (0..5)
        .map(|i| {
            let mut row: Vec<Fr> = (0..4).map(|j| Fr::from(qds.x_q[i * 4 + j])).collect();
            row.push(Fr::ONE);
            row
        })
        .collect();
    let rhs: Vec<Fr> = (0..5).map(|i| Fr::from(qds.y_q[i]) * Fr::from(1u64 << 16)).collect();
    let params = solve_mod_r(rows, rhs);
    assert!(params.iter().any(|v| zkml_primitives::encoding::fr_to_i128(v).is_none()), "the fit wraps the field");

    let (_, organizer_pk) = common::organizer(1);
    let competitor_sk = SecretScalar::from(99u64);
    let nonce = Fr::from(5u64);
    let env = Envelope {
        competitor_pk: PublicKey::from_secret(&competitor_sk),
        nonce,
        ciphertext: encrypt(&params, &shared_point(&competitor_sk, &organizer_pk), nonce),
    };
    let statement = ClaimStatement {
        dataset_hash: qds.hash(),
        sse_cap: 0,
        payee: [1; 32],
        bounty_id: 1,
        organizer_pk,
        envelope_hash: env.hash(),
    };
    let c = ClaimCircuit {
        kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION,
        shape,
        assignment: Some(zkml::circuit::ClaimAssignment {
            statement: statement.clone(),
            scales: qds.scales.clone(),
            x_q: qds.x_q.clone(),
            y_q: qds.y_q.clone(),
            params,
            competitor_sk,
            nonce,
            overrides: WitnessOverrides::default(),
        }),
    };
    let s = prover::synthesize(&c).unwrap();
    assert_eq!(s.sections.loss, Some(Fr::ZERO), "without range checks the attack would reach SSE = 0");
    // Only the parameter range checks object: they are what stops it.
    assert_eq!(failing_parts(&c), ["model"]);
    let (pk, _) = prover::setup(shape, &mut rng()).unwrap();
    let proof = prover::prove_synthesized(&pk, &s, &mut rng()).unwrap();
    assert!(groth16::verify_inputs(&groth16::prepare(&pk.vk), &proof, &statement.public_inputs()).is_err());
}

#[test]
fn zeroed_residuals_and_non_boolean_gap_bits_are_rejected() {
    let f = fixture();
    // Claim SSE = 0 by assigning every r² variable 0, against a cap of 0.
    let mut claim = f.claim.clone();
    claim.assignment.statement.sse_cap = 0;
    claim.assignment.overrides = WitnessOverrides { squared_residuals: Some(vec![Fr::ZERO; 20]), ..Default::default() };
    let c = circuit(&claim);
    assert_eq!(failing_parts(&c), ["metric"]);
    assert!(!forced_proof_verifies(&c, &claim.assignment.statement));

    // SSE above the cap, and the "bits" of cap − SSE chosen to sum to the wrapped field value.
    let sse = quant::sse(&f.qds, &f.qm);
    let mut claim = f.claim;
    claim.assignment.statement.sse_cap = 1;
    let mut bits = vec![Fr::ZERO; SSE_CAP_BITS as usize];
    bits[0] = Fr::one() - sse; // cap − SSE as a field element
    claim.assignment.overrides = WitnessOverrides { sse_gap_bits: Some(bits), ..Default::default() };
    let c = circuit(&claim);
    assert_eq!(failing_parts(&c), ["metric"]);
    assert!(!forced_proof_verifies(&c, &claim.assignment.statement));
}

fn section_counts(shape: Shape) -> (Vec<(&'static str, usize)>, usize) {
    let mut cs = R1cs::new(false);
    let sections = ClaimCircuit::new_for_setup(zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape).synthesize(&mut cs).unwrap();
    let counts =
        ["dataset", "model", "inference", "metric", "delivery", "binding"].iter().map(|n| (*n, sections.count(n))).collect();
    (counts, cs.num_constraints())
}

/// The cost model, term by term (Poseidon: 507 constraints per 12-input block, 300 per 4-input hash).
fn expected_counts(s: Shape) -> [usize; 6] {
    use zkml_primitives::{dataset::*, poseidon::chain_blocks};
    let (m, p, n) = (s.m as usize, s.p as usize, s.n as usize);
    let words = words_for(m * p, X_BITS) + words_for(m * n, Y_BITS);
    let dataset = m * p * X_BITS as usize + m * n * Y_BITS as usize + words + 507 * chain_blocks(4 + p + words) + 1;
    let model = p * n * (W_BITS as usize + 1) + n * (B_BITS as usize + 1);
    let inference = m * p * n;
    let metric = m * n + SSE_CAP_BITS as usize + 1;
    // 252 key bits, sk·G (126 windows of 7, the first without an addition), sk·pk_org (13 per bit, the first
    // bit a bare select), pk ≠ 0, pk copy, keystream, envelope hash.
    let params = p * n + n;
    let delivery = 252 + (126 * 7 - 6) + (2 + 251 * 13) + 1 + 2 + 300 * params + 507 * chain_blocks(3 + params) + 1;
    [dataset, model, inference, metric, delivery, 3]
}

#[test]
fn constraint_count_for_20x4() {
    let (counts, total) = section_counts(SHAPE);
    assert_eq!(
        counts,
        [("dataset", 2702), ("model", 261), ("inference", 80), ("metric", 149), ("delivery", 6404), ("binding", 3)]
    );
    assert_eq!(total, 9599);
    for shape in [SHAPE, Shape { m: 7, p: 3, n: 2 }, Shape { m: 40, p: 17, n: 1 }] {
        let (counts, _) = section_counts(shape);
        let got: Vec<usize> = counts.iter().map(|(_, c)| *c).collect();
        assert_eq!(got, expected_counts(shape), "{shape:?}");
    }
}
