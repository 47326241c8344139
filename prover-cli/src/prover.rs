//! Key generation, witness construction and proving for the claim circuit.
//!
//! # Who must trust a Groth16 setup
//! `setup` samples secret randomness ("toxic waste") and derives the proving and verifying keys from it.
//! Whoever knows that randomness can forge a proof of *any* statement for that key, with no model at all:
//! a claim to any payee, for any envelope hash. The party who *gains* from that is the one who makes the key
//! today, the organizer: with a trapdoor they can take their own bounty back at any time (a forged claim to
//! themselves, which also beats any honest claim in the pool), so a competitor may train and prove for a
//! prize that was never really on offer. Reserve-then-deliver keeps the model safe even then (nothing is
//! delivered unless the competitor's own claim holds the reservation), but the prize is not. So it is the
//! **competitor** who must trust the key. A key from this single-party `setup` cannot be checked by anyone:
//! the randomness is drawn from the OS and dropped as soon as the keys exist, which only the key maker can
//! know. Bounty keys therefore come from a multi-party ceremony ([`crate::ceremony`]), sound if one
//! contributor per phase was honest (a competitor can be one); `claim-bounty` refuses keys without one by
//! default. This `setup` stays for offline experiments and dev chains.
use crate::{
    circuit::{r1cs::R1cs, ClaimAssignment, ClaimCircuit, Sections, WitnessOverrides},
    quant::{self, QuantDataset},
};
use zkml_circuits::models::ProvableModel;
use anyhow::{bail, ensure, Context, Result};
use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::{scalar_mul::BatchMulPreprocessing, CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand, Zero};
use ark_groth16::{
    r1cs_to_qap::{LibsnarkReduction, R1CSToQAP},
    Groth16, Proof, ProvingKey, VerifyingKey,
};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::r1cs::ConstraintMatrices;
use rand::{CryptoRng, RngCore};
use zkml_primitives::{
    claim::{ClaimStatement, Envelope},
    dataset::Shape,
    keys::{encrypt, random_secret, shared_point, PublicKey, SecretScalar},
    model::{Metric, ModelKind},
};

/// Generates a proving and verifying key for linear regression on `shape`.
pub fn setup<R: RngCore + CryptoRng>(shape: Shape, rng: &mut R) -> Result<(ProvingKey<Bn254>, VerifyingKey<Bn254>)> {
    setup_for(&ModelKind::LINEAR_REGRESSION, shape, rng)
}

/// Generates a proving and verifying key for `kind` on `shape`.
pub fn setup_for<R: RngCore + CryptoRng>(kind: &ModelKind, shape: Shape, rng: &mut R) -> Result<(ProvingKey<Bn254>, VerifyingKey<Bn254>)> {
    shape.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut cs = R1cs::new(false);
    ClaimCircuit::new_for_setup(kind.clone(), shape).synthesize(&mut cs)?;
    let matrices = cs.finish().matrices;
    let toxic = ToxicWaste::sample(rng);
    let pk = generate_parameters(&matrices, &toxic, rng)?;
    let vk = pk.vk.clone();
    Ok((pk, vk))
}

/// The setup secrets. They exist only inside [`setup`] (and deterministic tests).
pub struct ToxicWaste {
    pub alpha: Fr,
    pub beta: Fr,
    pub gamma: Fr,
    pub delta: Fr,
}

impl ToxicWaste {
    pub fn sample<R: RngCore>(rng: &mut R) -> Self {
        Self { alpha: Fr::rand(rng), beta: Fr::rand(rng), gamma: Fr::rand(rng), delta: Fr::rand(rng) }
    }
}

/// Groth16 key generation from constraint matrices: ark-groth16's generator (`generate_parameters_with_qap`
/// with the libsnark reduction) without its general constraint system, so large circuits fit in memory.
/// The equivalence with ark-groth16 is asserted in this module's tests.
pub fn generate_parameters<R: RngCore>(
    matrices: &ConstraintMatrices<Fr>,
    toxic: &ToxicWaste,
    rng: &mut R,
) -> Result<ProvingKey<Bn254>> {
    type D = GeneralEvaluationDomain<Fr>;
    let num_instance = matrices.num_instance_variables;
    let num_constraints = matrices.num_constraints;
    let domain = D::new(num_constraints + num_instance).context("circuit too large for the BN254 FFT domain")?;
    let t = domain.sample_element_outside_domain(rng);
    let zt = domain.evaluate_vanishing_polynomial(t);
    let domain_size = domain.size();

    // QAP polynomials of every variable evaluated at t (libsnark reduction: input i also owns row
    // num_constraints + i of A).
    let qap_num_variables = (num_instance - 1) + matrices.num_witness_variables;
    let (mut a, mut b, mut c) =
        (vec![Fr::zero(); qap_num_variables + 1], vec![Fr::zero(); qap_num_variables + 1], vec![Fr::zero(); qap_num_variables + 1]);
    {
        let u = domain.evaluate_all_lagrange_coefficients(t);
        a[..num_instance].copy_from_slice(&u[num_constraints..num_constraints + num_instance]);
        for (i, u_i) in u.iter().enumerate().take(num_constraints) {
            for (coeff, index) in &matrices.a[i] {
                a[*index] += *u_i * coeff;
            }
            for (coeff, index) in &matrices.b[i] {
                b[*index] += *u_i * coeff;
            }
            for (coeff, index) in &matrices.c[i] {
                c[*index] += *u_i * coeff;
            }
        }
    }
    let non_zero_a = a.iter().filter(|v| !v.is_zero()).count();
    let non_zero_b = b.iter().filter(|v| !v.is_zero()).count();
    let ToxicWaste { alpha, beta, gamma, delta } = *toxic;
    let gamma_inverse = gamma.inverse().context("gamma is zero")?;
    let delta_inverse = delta.inverse().context("delta is zero")?;
    let combine = |i: usize, by: Fr| (beta * a[i] + alpha * b[i] + c[i]) * by;
    let gamma_abc: Vec<Fr> = (0..num_instance).map(|i| combine(i, gamma_inverse)).collect();
    let l: Vec<Fr> = (num_instance..=qap_num_variables).map(|i| combine(i, delta_inverse)).collect();
    drop(c);

    let g1 = G1Projective::generator();
    let g2 = G2Projective::generator();
    let b_g2_query = {
        let g2_table = BatchMulPreprocessing::new(g2, non_zero_b);
        g2_table.batch_mul(&b)
    };
    let g1_table = BatchMulPreprocessing::new(g1, non_zero_a + non_zero_b + qap_num_variables + domain_size + 1);
    let a_query = g1_table.batch_mul(&a);
    drop(a);
    let b_g1_query = g1_table.batch_mul(&b);
    drop(b);
    let h_scalars = LibsnarkReduction::h_query_scalars::<Fr, D>(domain_size - 1, t, zt, delta_inverse)?;
    let h_query = g1_table.batch_mul(&h_scalars);
    drop(h_scalars);
    let l_query = g1_table.batch_mul(&l);
    let gamma_abc_g1 = g1_table.batch_mul(&gamma_abc);
    let vk = VerifyingKey::<Bn254> {
        alpha_g1: (g1 * alpha).into_affine(),
        beta_g2: (g2 * beta).into_affine(),
        gamma_g2: (g2 * gamma).into_affine(),
        delta_g2: (g2 * delta).into_affine(),
        gamma_abc_g1,
    };
    Ok(ProvingKey {
        vk,
        beta_g1: (g1 * beta).into_affine(),
        delta_g1: (g1 * delta).into_affine(),
        a_query,
        b_g1_query,
        b_g2_query,
        h_query,
        l_query,
    })
}

/// What a competitor brings to a claim.
pub struct ClaimRequest<'a> {
    pub dataset: &'a QuantDataset,
    pub model: &'a dyn ProvableModel,
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
    let competitor_sk = random_secret(rng);
    let nonce = Fr::rand(rng);
    prepare_claim_with_envelope_secrets(req, competitor_sk, nonce)
}

/// [`prepare_claim`] with a given ephemeral key and nonce: the same model under the same secrets gives the
/// same envelope, which is how a competition's scoring proof is about the envelope committed earlier.
pub fn prepare_claim_with_envelope_secrets(req: &ClaimRequest, competitor_sk: SecretScalar, nonce: Fr) -> Result<PreparedClaim> {
    let kind = req.model.kind();
    kind.validate(&req.dataset.shape, req.dataset.scales.y_frac_bits).map_err(|e| anyhow::anyhow!("{e}"))?;
    let loss = req.model.loss_on(req.dataset)?;
    if !quant::within_cap(&loss, req.sse_cap) {
        match kind.metric() {
            Metric::SumSquaredError => bail!(
                "the quantized model's MSE {:.6} (SSE {}) is above the cap (SSE cap {}): no proof can exist",
                req.dataset.mse_of_sse(quant::field_to_f64(&loss)),
                ark_ff::PrimeField::into_bigint(loss),
                req.sse_cap
            ),
            Metric::Misclassified => bail!(
                "the quantized model misclassifies {} of {} samples, above the cap of {}: no proof can exist",
                ark_ff::PrimeField::into_bigint(loss),
                req.dataset.shape.m,
                req.sse_cap
            ),
        }
    }
    let params = req.model.field_params();
    let envelope = envelope_for(&params, &competitor_sk, &req.organizer_pk, nonce);
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

/// The envelope of `params` encrypted to `organizer_pk` under the ephemeral `competitor_sk` and `nonce`.
pub fn envelope_for(params: &[Fr], competitor_sk: &SecretScalar, organizer_pk: &PublicKey, nonce: Fr) -> Envelope {
    let ciphertext = encrypt(params, &shared_point(competitor_sk, organizer_pk), nonce);
    Envelope { competitor_pk: PublicKey::from_secret(competitor_sk), nonce, ciphertext }
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
        crate::circuit::r1cs::unsatisfied(&self.matrices, &self.assignment)
    }
}

/// Synthesizes `circuit` with its assignment (no satisfiability check).
pub fn synthesize(circuit: &ClaimCircuit) -> Result<Synthesized> {
    ensure!(circuit.assignment.is_some(), "a claim needs an assignment to prove");
    let mut cs = R1cs::new(true);
    let sections = circuit.synthesize(&mut cs).context("building the claim circuit")?;
    let built = cs.finish();
    let assignment = built.assignment.expect("built for proving");
    Ok(Synthesized { matrices: built.matrices, assignment, sections })
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

/// Which R1CS-to-QAP layout a proving key's H query was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QapLayout {
    /// arkworks' (libsnark's): keys from the single-party [`setup`], stored arkworks-serialized.
    Arkworks,
    /// snarkjs': keys from a ceremony, stored as `.zkey` ([`crate::ceremony`]).
    Snarkjs,
}

/// A proving key and the layout it is proven with.
pub struct ClaimKey {
    pub pk: ProvingKey<Bn254>,
    pub layout: QapLayout,
}

/// Walks the length fields of an uncompressed arkworks `ProvingKey<Bn254>` and refuses the bytes unless every
/// vector fits in what is there and they end exactly at the end: arkworks allocates a vector for its length
/// field before reading it, so a corrupted (or hostile: keys come from IPFS, i.e. from the organizer) length
/// would otherwise abort the process on a huge allocation. The layout: the verifying key (α in G1; β, γ, δ in
/// G2; γ_abc as a vector of G1), β and δ in G1, then the a, b (G1), b (G2), h and l queries as vectors.
pub fn check_key_lengths(bytes: &[u8]) -> Result<()> {
    const G1: u64 = 64;
    const G2: u64 = 128;
    let total = bytes.len() as u64;
    let mut at = 0u64;
    let short = || anyhow::anyhow!("not a zkml proving key: its length fields do not match its {total} bytes (truncated or corrupt)");
    let fixed = |n: u64, at: &mut u64| -> Result<()> {
        *at = at.checked_add(n).filter(|&e| e <= total).ok_or_else(short)?;
        Ok(())
    };
    let vector = |elem: u64, at: &mut u64| -> Result<()> {
        let start = usize::try_from(*at).map_err(|_| short())?;
        let len = bytes.get(start..start + 8).ok_or_else(short)?;
        let len = u64::from_le_bytes(len.try_into().expect("8 bytes"));
        let end = len.checked_mul(elem).and_then(|n| n.checked_add(*at + 8)).filter(|&e| e <= total).ok_or_else(|| {
            anyhow::anyhow!("not a zkml proving key: a length field claims {len} elements, more than its {total} bytes can hold (corrupt)")
        })?;
        *at = end;
        Ok(())
    };
    fixed(G1 + 3 * G2, &mut at)?;
    vector(G1, &mut at)?;
    fixed(2 * G1, &mut at)?;
    for elem in [G1, G1, G2, G1, G1] {
        vector(elem, &mut at)?;
    }
    anyhow::ensure!(at == total, "not a zkml proving key: {} bytes follow its last field", total - at);
    Ok(())
}

impl ClaimKey {
    /// A key from a `.zkey` (ceremony) or an arkworks-serialized single-party key, told apart by the
    /// `.zkey` magic. Both parsers bound every length by the bytes actually present.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        if crate::ceremony::zkey::is_zkey(&bytes) {
            return Ok(Self { pk: crate::ceremony::zkey::proving_key_from_zkey(bytes)?, layout: QapLayout::Snarkjs });
        }
        use ark_serialize::{CanonicalDeserialize, Compress, Validate};
        check_key_lengths(&bytes)?;
        let pk = ProvingKey::deserialize_with_mode(bytes.as_slice(), Compress::No, Validate::No)
            .map_err(|_| anyhow::anyhow!("not a zkml proving key (neither a .zkey nor a key from `zkml setup`)"))?;
        Ok(Self { pk, layout: QapLayout::Arkworks })
    }

    pub fn load(path: &std::path::Path) -> Result<Self> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot open proving key {}", path.display()))?;
        Self::from_bytes(bytes).with_context(|| format!("{} is not a usable proving key", path.display()))
    }
}

/// Proves an already synthesized assignment. Proving an assignment that violates a constraint yields a proof
/// that does not verify; [`synthesize_checked`] catches that first.
pub fn prove_synthesized<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    s: &Synthesized,
    rng: &mut R,
) -> Result<Proof<Bn254>> {
    prove_matrices(pk, QapLayout::Arkworks, s, rng)
}

/// [`prove_synthesized`] with a key of either layout.
pub fn prove_synthesized_with<R: RngCore + CryptoRng>(key: &ClaimKey, s: &Synthesized, rng: &mut R) -> Result<Proof<Bn254>> {
    prove_matrices(&key.pk, key.layout, s, rng)
}

fn prove_matrices<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    layout: QapLayout,
    s: &Synthesized,
    rng: &mut R,
) -> Result<Proof<Bn254>> {
    let (r, t) = (Fr::rand(rng), Fr::rand(rng));
    let (m, n_in, n_c) = (&s.matrices, s.matrices.num_instance_variables, s.matrices.num_constraints);
    match layout {
        QapLayout::Arkworks => {
            Groth16::<Bn254, LibsnarkReduction>::create_proof_with_reduction_and_matrices(pk, r, t, m, n_in, n_c, &s.assignment)
        }
        QapLayout::Snarkjs => Groth16::<Bn254, crate::ceremony::reduction::SnarkjsReduction>::create_proof_with_reduction_and_matrices(
            pk,
            r,
            t,
            m,
            n_in,
            n_c,
            &s.assignment,
        ),
    }
    .context("Groth16 proving")
}

/// Checks the witness, then proves (single-party key).
pub fn prove<R: RngCore + CryptoRng>(pk: &ProvingKey<Bn254>, circuit: &ClaimCircuit, rng: &mut R) -> Result<Proof<Bn254>> {
    prove_checked(pk, QapLayout::Arkworks, circuit, rng)
}

/// Checks the witness, then proves with a key of either layout.
pub fn prove_with<R: RngCore + CryptoRng>(key: &ClaimKey, circuit: &ClaimCircuit, rng: &mut R) -> Result<Proof<Bn254>> {
    prove_checked(&key.pk, key.layout, circuit, rng)
}

fn prove_checked<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    layout: QapLayout,
    circuit: &ClaimCircuit,
    rng: &mut R,
) -> Result<Proof<Bn254>> {
    let s = synthesize_checked(circuit)?;
    let variables = s.matrices.num_instance_variables + s.matrices.num_witness_variables;
    if pk.a_query.len() != variables {
        bail!("the proving key was made for a different circuit shape ({} variables, this claim has {variables})", pk.a_query.len());
    }
    prove_matrices(pk, layout, &s, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
    use rand::{rngs::StdRng, SeedableRng};

    /// Replays matrices into an ark-relations constraint system, to run ark-groth16's own generator.
    struct Replay(ConstraintMatrices<Fr>);

    impl ConstraintSynthesizer<Fr> for Replay {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let m = self.0;
            for _ in 1..m.num_instance_variables {
                cs.new_input_variable(|| Ok(Fr::zero()))?;
            }
            for _ in 0..m.num_witness_variables {
                cs.new_witness_variable(|| Ok(Fr::zero()))?;
            }
            let var = |i: usize| match i {
                0 => Variable::One,
                i if i < m.num_instance_variables => Variable::Instance(i),
                i => Variable::Witness(i - m.num_instance_variables),
            };
            let lc = |row: &Vec<(Fr, usize)>| LinearCombination(row.iter().map(|(c, i)| (*c, var(*i))).collect());
            for i in 0..m.num_constraints {
                cs.enforce_constraint(lc(&m.a[i]), lc(&m.b[i]), lc(&m.c[i]))?;
            }
            Ok(())
        }
    }

    #[test]
    fn generator_matches_ark_groth16() {
        let shape = Shape { m: 3, p: 2, n: 1 };
        let mut cs = R1cs::new(false);
        ClaimCircuit::new_for_setup(zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape).synthesize(&mut cs).unwrap();
        let matrices = cs.finish().matrices;
        let toxic = ToxicWaste::sample(&mut StdRng::seed_from_u64(1));
        let ours = generate_parameters(&matrices, &toxic, &mut StdRng::seed_from_u64(2)).unwrap();
        let theirs = Groth16::<Bn254, LibsnarkReduction>::generate_parameters_with_qap(
            Replay(matrices),
            toxic.alpha,
            toxic.beta,
            toxic.gamma,
            toxic.delta,
            G1Projective::generator(),
            G2Projective::generator(),
            &mut StdRng::seed_from_u64(2),
        )
        .unwrap();
        assert!(ours == theirs);
    }

    /// A key whose length field was corrupted (here: the h query claims 2^61 elements) is refused with an
    /// error, not an abort on a huge allocation; so is a truncated one; the intact key passes the walk.
    #[test]
    fn corrupted_key_lengths_are_refused_before_allocation() {
        use ark_serialize::CanonicalSerialize;
        let (pk, _) = setup(Shape { m: 3, p: 2, n: 1 }, &mut StdRng::seed_from_u64(3)).unwrap();
        let mut bytes = Vec::new();
        pk.serialize_uncompressed(&mut bytes).unwrap();
        check_key_lengths(&bytes).unwrap();
        assert!(ClaimKey::from_bytes(bytes.clone()).is_ok());
        // Offset of h_query's length: vk, β, δ, then a, b_g1, b_g2 queries.
        let vk_len = 64 + 3 * 128 + 8 + 64 * pk.vk.gamma_abc_g1.len();
        let h_at = vk_len + 128 + (8 + 64 * pk.a_query.len()) + (8 + 64 * pk.b_g1_query.len()) + (8 + 128 * pk.b_g2_query.len());
        assert_eq!(u64::from_le_bytes(bytes[h_at..h_at + 8].try_into().unwrap()), pk.h_query.len() as u64);
        let mut corrupt = bytes.clone();
        corrupt[h_at..h_at + 8].copy_from_slice(&(1u64 << 61).to_le_bytes());
        let err = format!("{:#}", ClaimKey::from_bytes(corrupt).err().unwrap());
        assert!(err.contains("length field claims"), "{err}");
        let err = format!("{:#}", ClaimKey::from_bytes(bytes[..bytes.len() - 1].to_vec()).err().unwrap());
        assert!(err.contains("truncated or corrupt") || err.contains("length field"), "{err}");
        let mut longer = bytes;
        longer.push(0);
        assert!(check_key_lengths(&longer).is_err());
    }
}
