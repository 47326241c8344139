//! A lean R1CS builder that writes the constraint matrices directly, in the layout ark-groth16 proves over
//! (variable 0 is the constant 1, then the public inputs, then the witness).
//!
//! `ark-relations`' general constraint system keeps every linear combination in a map and copies them into
//! matrices at the end, about 2.5 KB per constraint: 20+ GB for the 9-million-constraint 6955×67 claim. Here
//! a bit constraint costs three short rows (~250 bytes), which keeps the large shapes within memory.
use ark_bn254::Fr;
use ark_ff::{Field, Zero};
use ark_relations::r1cs::ConstraintMatrices;

/// Index of the constant-one variable.
pub const ONE: usize = 0;

/// A linear combination `Σ coeff · variable`. Repeated variables are allowed (they add up).
pub type Lc = Vec<(Fr, usize)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum R1csError {
    /// Proving needs a value for every variable.
    MissingValue,
    /// Public inputs must all be allocated before the first witness.
    InputAfterWitness,
}

impl core::fmt::Display for R1csError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::MissingValue => f.write_str("a witness value is missing"),
            Self::InputAfterWitness => f.write_str("public inputs must be allocated before witnesses"),
        }
    }
}

impl std::error::Error for R1csError {}

pub struct R1cs {
    /// `Some` when proving: the full assignment `[1, inputs…, witness…]`.
    assignment: Option<Vec<Fr>>,
    num_variables: usize,
    num_inputs: usize,
    witness_started: bool,
    a: Vec<Vec<(Fr, usize)>>,
    b: Vec<Vec<(Fr, usize)>>,
    c: Vec<Vec<(Fr, usize)>>,
}

/// The finished system.
pub struct Built {
    pub matrices: ConstraintMatrices<Fr>,
    /// `[1, inputs…, witness…]` when built for proving.
    pub assignment: Option<Vec<Fr>>,
}

fn row(lc: &Lc) -> Vec<(Fr, usize)> {
    let mut r = Vec::with_capacity(lc.iter().filter(|(c, _)| !c.is_zero()).count());
    r.extend(lc.iter().filter(|(c, _)| !c.is_zero()).copied());
    r
}

impl R1cs {
    /// `proving`: whether values are tracked (otherwise only the matrices are built, for key generation).
    pub fn new(proving: bool) -> Self {
        Self {
            assignment: proving.then(|| vec![Fr::ONE]),
            num_variables: 1,
            num_inputs: 0,
            witness_started: false,
            a: Vec::new(),
            b: Vec::new(),
            c: Vec::new(),
        }
    }

    pub fn is_proving(&self) -> bool {
        self.assignment.is_some()
    }

    fn alloc(&mut self, value: Option<Fr>) -> Result<usize, R1csError> {
        if let Some(assignment) = &mut self.assignment {
            assignment.push(value.ok_or(R1csError::MissingValue)?);
        }
        self.num_variables += 1;
        Ok(self.num_variables - 1)
    }

    pub fn new_input(&mut self, value: Option<Fr>) -> Result<usize, R1csError> {
        if self.witness_started {
            return Err(R1csError::InputAfterWitness);
        }
        self.num_inputs += 1;
        self.alloc(value)
    }

    pub fn new_witness(&mut self, value: Option<Fr>) -> Result<usize, R1csError> {
        self.witness_started = true;
        self.alloc(value)
    }

    /// Adds the constraint `a · b = c`.
    pub fn enforce(&mut self, a: &Lc, b: &Lc, c: &Lc) {
        self.a.push(row(a));
        self.b.push(row(b));
        self.c.push(row(c));
    }

    pub fn num_constraints(&self) -> usize {
        self.a.len()
    }

    pub fn num_instance_variables(&self) -> usize {
        1 + self.num_inputs
    }

    pub fn finish(self) -> Built {
        let nnz = |m: &Vec<Vec<(Fr, usize)>>| m.iter().map(|r| r.len()).sum();
        let matrices = ConstraintMatrices {
            num_instance_variables: 1 + self.num_inputs,
            num_witness_variables: self.num_variables - 1 - self.num_inputs,
            num_constraints: self.a.len(),
            a_num_non_zero: nnz(&self.a),
            b_num_non_zero: nnz(&self.b),
            c_num_non_zero: nnz(&self.c),
            a: self.a,
            b: self.b,
            c: self.c,
        };
        Built { matrices, assignment: self.assignment }
    }
}

/// Indices of the constraints `z = [1, inputs…, witness…]` violates (all of them are checked).
pub fn unsatisfied(m: &ConstraintMatrices<Fr>, z: &[Fr]) -> Vec<usize> {
    let eval = |row: &Vec<(Fr, usize)>| row.iter().map(|(c, i)| *c * z[*i]).sum::<Fr>();
    (0..m.num_constraints).filter(|&i| eval(&m.a[i]) * eval(&m.b[i]) != eval(&m.c[i])).collect()
}

impl Built {
    /// Indices of the violated constraints (none when built without values).
    pub fn unsatisfied(&self) -> Vec<usize> {
        self.assignment.as_deref().map(|z| unsatisfied(&self.matrices, z)).unwrap_or_default()
    }
}
