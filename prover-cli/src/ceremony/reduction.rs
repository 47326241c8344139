//! The R1CS-to-QAP reduction of snarkjs keys, so that arkworks' Groth16 prover can prove with a key made
//! by a snarkjs-format ceremony.
//!
//! Both reductions put constraint `i` at the `i`-th point of an `n`-point domain and give public input `j`
//! the extra row `num_constraints + j` of A (snarkjs' "x · 0 = 0" input constraints, arkworks' instance
//! map), so the A, B, C, IC and L points agree. They differ in the H query: arkworks (libsnark) stores
//! `τ^i · Z(τ)/δ` and the prover supplies the *coefficients* of `h = (a·b − c)/Z`; snarkjs stores the
//! Lagrange basis of the `2n`-point domain at its odd points, `L_{2i+1}(τ) · Z(τ)/δ`, and the prover
//! supplies `a·b − c` *evaluated on the odd coset* `ω_{2n} · ⟨ω_n⟩`. There `Z(x) = xⁿ − 1 = −2` at every
//! point, a constant that snarkjs folds into the key, so no division is needed.
//!
//! Soundness is unaffected by the choice: the prover's `h` enters only through the H MSM, and the
//! verification equation is the same; a wrong `h` yields a proof that fails verification. That the
//! evaluation points and their order match snarkjs is tested end to end: proofs made here verify under
//! keys that snarkjs itself derived (`tests/ceremony.rs`), and a key made with the other reduction does not.
use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, Result as R1CSResult, SynthesisError};

/// The snarkjs (circom) reduction: `witness_map` evaluates `a·b − c` on the odd coset of the `2n` domain.
pub struct SnarkjsReduction;

impl R1CSToQAP for SnarkjsReduction {
    /// Key generation from a constraint system is the ceremony's job (`snarkrs_ceremony::setup`), which
    /// writes the odd-coset H query; arkworks' generator must not be used with this reduction.
    #[allow(clippy::type_complexity)]
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        _cs: ConstraintSystemRef<F>,
        _t: &F,
    ) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
        Err(SynthesisError::AssignmentMissing)
    }

    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &ConstraintMatrices<F>,
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> R1CSResult<Vec<F>> {
        let domain = D::new(num_constraints + num_inputs).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let n = domain.size();
        // ω_{2n}: the shift that maps the n-th roots of unity onto the odd 2n-th roots.
        let shift = D::new(2 * n).ok_or(SynthesisError::PolynomialDegreeTooLarge)?.element(1);
        let coset = domain.get_coset(shift).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;

        let mut a = vec![F::zero(); n];
        let mut b = vec![F::zero(); n];
        let mut c = vec![F::zero(); n];
        for i in 0..num_constraints {
            a[i] = evaluate_constraint(&matrices.a[i], full_assignment);
            b[i] = evaluate_constraint(&matrices.b[i], full_assignment);
            c[i] = evaluate_constraint(&matrices.c[i], full_assignment);
        }
        a[num_constraints..num_constraints + num_inputs].clone_from_slice(&full_assignment[..num_inputs]);

        for v in [&mut a, &mut b, &mut c] {
            domain.ifft_in_place(v);
            coset.fft_in_place(v);
        }
        for ((ab, b), c) in a.iter_mut().zip(&b).zip(&c) {
            *ab *= b;
            *ab -= c;
        }
        Ok(a)
    }

    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        _max_power: usize,
        _t: F,
        _zt: F,
        _delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        Err(SynthesisError::AssignmentMissing)
    }
}
