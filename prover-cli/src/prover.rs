//! Key generation, witness construction and proving for the claim circuit.
//!
//! # Who must trust a Groth16 setup
//! `setup` samples secret randomness ("toxic waste") and derives the proving and verifying keys from it.
//! Whoever knows that randomness can forge a proof of *any* statement for that key, i.e. claim every bounty
//! that uses it, with any model. The keys are made per shape, so the party that must trust a key is the
//! organizer who escrows a bounty against it (and the competitors, who need the key to be correct to get
//! paid). Here the randomness is drawn from the OS and dropped as soon as the keys exist; a community that
//! does not want to trust one key maker should run a multi-party ceremony (e.g. snarkjs' powers of tau +
//! phase 2) and register the resulting key instead.
use crate::{
    circuit::{ClaimAssignment, ClaimCircuit, Sections, WitnessOverrides},
    quant::{self, QuantDataset, QuantModel},
};
use anyhow::{bail, Context, Result};
use ark_bn254::{Bn254, Fr};
use ark_ff::{UniformRand, Zero};
use ark_groth16::{r1cs_to_qap::LibsnarkReduction, Groth16, Proof, ProvingKey, VerifyingKey};
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystem, ConstraintSystemRef};
use rand::{CryptoRng, RngCore};
use zkml_primitives::{
    claim::{ClaimStatement, Envelope},
    dataset::Shape,
    keys::{encrypt, shared_point, PublicKey, SecretScalar},
};

/// Generates a proving and verifying key for `shape`.
pub fn setup<R: RngCore + CryptoRng>(shape: Shape, rng: &mut R) -> Result<(ProvingKey<Bn254>, VerifyingKey<Bn254>)> {
    shape.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let pk = Groth16::<Bn254, LibsnarkReduction>::generate_random_parameters_with_reduction(
        ClaimCircuit::new_for_setup(shape),
        rng,
    )
    .context("generating Groth16 parameters")?;
    let vk = pk.vk.clone();
    Ok((pk, vk))
}

/// What a competitor brings to a claim.
pub struct ClaimRequest<'a> {
    pub dataset: &'a QuantDataset,
    pub model: &'a QuantModel,
    pub organizer_pk: PublicKey,
    pub payee: [u8; 32],
    pub bounty_id: u64,
    pub sse_cap: u128,
}

/// A claim ready to prove: the witness, and the public envelope the organizer will decrypt.
#[derive(Clone)]
pub struct PreparedClaim {
    pub assignment: ClaimAssignment,
    pub envelope: Envelope,
}

/// Encrypts the model to the organizer under a fresh ephemeral key and nonce and builds the witness. Refuses
/// (before any proving) a model whose quantized SSE is above the cap.
pub fn prepare_claim<R: RngCore + CryptoRng>(req: &ClaimRequest, rng: &mut R) -> Result<PreparedClaim> {
    let sse = quant::sse(req.dataset, req.model);
    if !quant::within_cap(&sse, req.sse_cap) {
        bail!(
            "the quantized model's MSE {:.6} (SSE {}) is above the cap (SSE cap {}): no proof can exist",
            req.dataset.mse_of_sse(quant::field_to_f64(&sse)),
            quant::field_to_f64(&sse),
            req.sse_cap
        );
    }
    let competitor_sk = loop {
        let s = SecretScalar::rand(rng);
        if !s.is_zero() {
            break s;
        }
    };
    let nonce = Fr::rand(rng);
    let params = req.model.field_params();
    let ciphertext = encrypt(&params, &shared_point(&competitor_sk, &req.organizer_pk), nonce);
    let envelope = Envelope { competitor_pk: PublicKey::from_secret(&competitor_sk), nonce, ciphertext };
    let statement = ClaimStatement {
        dataset_hash: req.dataset.hash(),
        sse_cap: req.sse_cap,
        payee: req.payee,
        bounty_id: req.bounty_id,
        organizer_pk: req.organizer_pk,
        envelope_hash: envelope.hash(),
    };
    let assignment = ClaimAssignment {
        statement,
        scales: req.dataset.scales.clone(),
        x_q: req.dataset.x_q.clone(),
        y_q: req.dataset.y_q.clone(),
        params,
        competitor_sk,
        nonce,
        overrides: WitnessOverrides::default(),
    };
    Ok(PreparedClaim { assignment, envelope })
}

/// A synthesized, assigned constraint system: matrices plus the full assignment `[1, inputs…, witness…]`.
pub struct Synthesized {
    pub matrices: ConstraintMatrices<Fr>,
    pub assignment: Vec<Fr>,
    pub sections: Sections,
}

impl Synthesized {
    /// Indices of the constraints the assignment violates.
    pub fn unsatisfied(&self) -> Vec<usize> {
        let eval = |row: &Vec<(Fr, usize)>| row.iter().map(|(c, i)| *c * self.assignment[*i]).sum::<Fr>();
        (0..self.matrices.num_constraints)
            .filter(|&i| eval(&self.matrices.a[i]) * eval(&self.matrices.b[i]) != eval(&self.matrices.c[i]))
            .collect()
    }
}

/// Synthesizes `circuit` with its assignment (no satisfiability check).
pub fn synthesize(circuit: &ClaimCircuit) -> Result<Synthesized> {
    let cs: ConstraintSystemRef<Fr> = ConstraintSystem::new_ref();
    let sections = circuit.synthesize(&cs).context("building the claim circuit")?;
    cs.finalize();
    let matrices = cs.to_matrices().context("constraint matrices")?;
    let inner = cs.into_inner().context("constraint system still shared")?;
    let mut assignment = inner.instance_assignment;
    assignment.extend(inner.witness_assignment);
    Ok(Synthesized { matrices, assignment, sections })
}

/// Synthesizes and checks every constraint, naming the part of the circuit that fails.
pub fn synthesize_checked(circuit: &ClaimCircuit) -> Result<Synthesized> {
    let s = synthesize(circuit)?;
    if let Some(&first) = s.unsatisfied().first() {
        let part = s.sections.section_of(first).unwrap_or("public inputs");
        bail!("the witness does not satisfy the claim circuit (first failure: constraint {first}, in the {part} part)");
    }
    Ok(s)
}

/// Proves an already synthesized assignment. Proving an assignment that violates a constraint yields a proof
/// that does not verify; [`synthesize_checked`] catches that first.
pub fn prove_synthesized<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    s: &Synthesized,
    rng: &mut R,
) -> Result<Proof<Bn254>> {
    let (r, t) = (Fr::rand(rng), Fr::rand(rng));
    Groth16::<Bn254, LibsnarkReduction>::create_proof_with_reduction_and_matrices(
        pk,
        r,
        t,
        &s.matrices,
        s.matrices.num_instance_variables,
        s.matrices.num_constraints,
        &s.assignment,
    )
    .context("Groth16 proving")
}

/// Checks the witness, then proves.
pub fn prove<R: RngCore + CryptoRng>(pk: &ProvingKey<Bn254>, circuit: &ClaimCircuit, rng: &mut R) -> Result<Proof<Bn254>> {
    let s = synthesize_checked(circuit)?;
    let variables = s.matrices.num_instance_variables + s.matrices.num_witness_variables;
    if pk.a_query.len() != variables {
        bail!("the proving key was made for a different circuit shape ({} variables, this claim has {variables})", pk.a_query.len());
    }
    prove_synthesized(pk, &s, rng)
}
