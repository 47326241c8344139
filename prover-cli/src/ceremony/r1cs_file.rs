//! The claim circuit as an iden3 `.r1cs` (version 1) file: what `snarkjs groth16 setup` and
//! `snarkrs_ceremony::setup` read to derive a phase-2 key from a powers-of-tau file.
//!
//! Layout (iden3 binfile): magic `r1cs`, version 1, three sections, each `type: u32, size: u64, body`.
//! 1. header: field size 32, the BN254 scalar modulus (little-endian), wire count, public outputs (0),
//!    public inputs, private inputs (0), label count (u64), constraint count.
//! 2. constraints: for each constraint, the A, B and C combinations as `term count: u32` then
//!    `(wire: u32, coefficient: 32 bytes little-endian, not Montgomery)` terms, ascending by wire.
//! 3. wire-to-label map: one u64 per wire.
//!
//! Wires are numbered as arkworks numbers variables: 0 is the constant one, then the public inputs, then
//! the witness — so a key made from this file proves the assignment [`crate::prover::synthesize`] builds,
//! without any renumbering. The builder lets a variable repeat inside one combination (the terms add up);
//! the file wants one term per wire, so repeats are summed here and zero sums dropped.
//!
//! Why it matters for soundness: the phase-2 key is only as good as the circuit it was made for. A
//! competitor checks a ceremony's key by re-deriving it from *this* file (made from the circuit code they
//! run) and the phase-1 output; a key made from any other constraint system fails that check.
use crate::circuit::{r1cs::R1cs, ClaimCircuit};
use zkml_primitives::model::ModelKind;
use anyhow::{ensure, Result};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField, Zero};
use ark_relations::r1cs::ConstraintMatrices;
use std::collections::BTreeMap;
use zkml_primitives::dataset::Shape;

/// The claim circuit's constraint matrices for `shape` (no assignment).
pub fn claim_matrices(kind: &ModelKind, shape: Shape) -> Result<ConstraintMatrices<Fr>> {
    shape.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut cs = R1cs::new(false);
    ClaimCircuit::new_for_setup(kind.clone(), shape).synthesize(&mut cs)?;
    Ok(cs.finish().matrices)
}

/// The claim circuit for `shape` as `.r1cs` bytes.
pub fn claim_r1cs(kind: &ModelKind, shape: Shape) -> Result<Vec<u8>> {
    to_r1cs_bytes(&claim_matrices(kind, shape)?)
}

/// Encodes constraint matrices as an iden3 `.r1cs` v1 file.
pub fn to_r1cs_bytes(m: &ConstraintMatrices<Fr>) -> Result<Vec<u8>> {
    let wires = m.num_instance_variables + m.num_witness_variables;
    ensure!(m.num_instance_variables >= 1, "a constraint system has at least the constant-one variable");
    ensure!(u32::try_from(wires).is_ok() && u32::try_from(m.num_constraints).is_ok(), "circuit too large for the .r1cs format");

    let mut header = Vec::with_capacity(64);
    header.extend_from_slice(&32u32.to_le_bytes());
    header.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    header.extend_from_slice(&(wires as u32).to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes()); // public outputs
    header.extend_from_slice(&((m.num_instance_variables - 1) as u32).to_le_bytes()); // public inputs
    header.extend_from_slice(&0u32.to_le_bytes()); // private inputs: every witness wire is internal
    header.extend_from_slice(&(wires as u64).to_le_bytes()); // labels
    header.extend_from_slice(&(m.num_constraints as u32).to_le_bytes());

    let mut constraints = Vec::new();
    for i in 0..m.num_constraints {
        for matrix in [&m.a, &m.b, &m.c] {
            let row = matrix.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let mut terms: BTreeMap<usize, Fr> = BTreeMap::new();
            for (coeff, wire) in row {
                ensure!(*wire < wires, "constraint {i} refers to wire {wire} of {wires}");
                *terms.entry(*wire).or_insert_with(Fr::zero) += coeff;
            }
            terms.retain(|_, c| !c.is_zero());
            constraints.extend_from_slice(&(terms.len() as u32).to_le_bytes());
            for (wire, coeff) in terms {
                constraints.extend_from_slice(&(wire as u32).to_le_bytes());
                constraints.extend_from_slice(&coeff.into_bigint().to_bytes_le());
            }
        }
    }

    let mut labels = Vec::with_capacity(wires * 8);
    for w in 0..wires as u64 {
        labels.extend_from_slice(&w.to_le_bytes());
    }

    let mut out = Vec::with_capacity(12 + 3 * 12 + header.len() + constraints.len() + labels.len());
    out.extend_from_slice(b"r1cs");
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&3u32.to_le_bytes());
    for (id, body) in [(1u32, &header), (2, &constraints), (3, &labels)] {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(body);
    }
    Ok(out)
}
