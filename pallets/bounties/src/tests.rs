//! The pallet on a mock runtime, with real Groth16 proofs from the `zkml` prover.
use crate::{mock::*, pallet::*, Error, Event};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::sync::OnceLock;
use zkml::{
    circuit::ClaimCircuit,
    prover::{self, ClaimRequest},
    quant::{self, FloatDataset, FloatModel, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{
    encoding::fr_to_bytes,
    groth16,
    keys::{PublicKey, SecretScalar},
};

const SHAPE: DatasetShape = DatasetShape { m: 20, p: 4, n: 1 };
const AMOUNT: u64 = 5_000;
const EXPIRES_IN: u64 = 100;

struct Fixture {
    qds: QuantDataset,
    qm: QuantModel,
    organizer_pk: PublicKey,
    proving_key: ProvingKey<Bn254>,
    verifying_key: Vec<u8>,
    /// A second key for the same shape (a different setup).
    other_verifying_key: Vec<u8>,
    sse_cap: u128,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = StdRng::seed_from_u64(7);
        let x = ndarray::Array2::from_shape_fn((20, 4), |_| rng.gen_range(-2.0..2.0));
        let w = ndarray::Array2::from_shape_fn((4, 1), |_| rng.gen_range(-5.0..5.0));
        let b = ndarray::Array1::from_elem(1, 0.5);
        let y = x.dot(&w) + &b + ndarray::Array2::from_shape_fn((20, 1), |_| rng.gen_range(-0.3..0.3));
        let ds = FloatDataset { x, y };
        let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
        let qm = QuantModel::new(&FloatModel { w, b }, &qds.shape, &qds.scales).unwrap();
        let sse = quant::field_to_u128(&quant::sse(&qds, &qm)).unwrap();
        let (proving_key, vk) = prover::setup(qds.shape, &mut rng).unwrap();
        let (_, other) = prover::setup(qds.shape, &mut rng).unwrap();
        Fixture {
            organizer_pk: PublicKey::from_secret(&SecretScalar::from(4242u64)),
            qds,
            qm,
            proving_key,
            verifying_key: groth16::encode_verifying_key(&vk),
            other_verifying_key: groth16::encode_verifying_key(&other),
            sse_cap: sse * 2,
        }
    })
}

struct ClaimArgs {
    proof: BoundedVec<u8, frame_support::traits::ConstU32<128>>,
    ciphertext: BoundedVec<FieldBytes, frame_support::traits::ConstU32<256>>,
    competitor_key: [u8; 32],
    nonce: FieldBytes,
}

/// A real claim on `bounty` paying `payee`.
fn make_claim(bounty: BountyId, payee: u64) -> ClaimArgs {
    let f = fixture();
    let req = ClaimRequest {
        dataset: &f.qds,
        model: &f.qm,
        organizer_pk: f.organizer_pk,
        payee: account_bytes(&payee),
        bounty_id: bounty,
        sse_cap: f.sse_cap,
    };
    let mut rng = StdRng::seed_from_u64(bounty * 100 + payee);
    let claim = prover::prepare_claim(&req, &mut rng).unwrap();
    let circuit = ClaimCircuit { shape: f.qds.shape, assignment: Some(claim.assignment) };
    let proof = prover::prove(&f.proving_key, &circuit, &mut rng).unwrap();
    ClaimArgs {
        proof: groth16::encode_proof(&proof).try_into().unwrap(),
        ciphertext: claim.envelope.ciphertext.iter().map(fr_to_bytes).collect::<Vec<_>>().try_into().unwrap(),
        competitor_key: claim.envelope.competitor_pk.to_bytes(),
        nonce: fr_to_bytes(&claim.envelope.nonce),
    }
}

fn claim(who: u64, bounty: BountyId, a: &ClaimArgs, payee: u64) -> sp_runtime::DispatchResult {
    ZkmlBounties::claim_bounty(
        RuntimeOrigin::signed(who),
        bounty,
        a.proof.clone(),
        a.ciphertext.clone(),
        a.competitor_key,
        a.nonce,
        payee,
    )
}

fn dataset_hash() -> FieldBytes {
    fr_to_bytes(&fixture().qds.hash())
}

fn register(vk: &[u8]) -> [u8; 32] {
    let f = fixture();
    let scales: Vec<i8> = f.qds.scales.x_frac_bits.iter().map(|v| *v as i8).collect();
    if !Datasets::<Test>::contains_key(dataset_hash()) {
        assert_ok!(ZkmlBounties::register_dataset(
            RuntimeOrigin::signed(ALICE),
            dataset_hash(),
            b"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o".to_vec().try_into().unwrap(),
            SHAPE,
            scales.try_into().unwrap(),
            f.qds.scales.y_frac_bits as i8,
        ));
    }
    assert_ok!(ZkmlBounties::register_verifying_key(
        RuntimeOrigin::signed(ALICE),
        vk.to_vec().try_into().unwrap(),
        SHAPE,
        Default::default()
    ));
    sp_io::hashing::blake2_256(vk)
}

fn post(vk_hash: [u8; 32]) -> BountyId {
    let id = NextBountyId::<Test>::get();
    assert_ok!(ZkmlBounties::post_bounty(
        RuntimeOrigin::signed(ALICE),
        dataset_hash(),
        vk_hash,
        fixture().organizer_pk.to_bytes(),
        fixture().sse_cap,
        AMOUNT,
        EXPIRES_IN,
    ));
    id
}

fn escrowed(who: u64) -> u64 {
    Balances::balance_on_hold(&RuntimeHoldReason::ZkmlBounties(HoldReason::BountyEscrow), &who)
}

#[test]
fn whole_lifecycle_pays_the_payee_and_stores_the_envelope() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        assert_eq!(escrowed(ALICE), AMOUNT);
        let alice_free = Balances::free_balance(ALICE);
        let args = make_claim(bounty, BOB);
        // Anyone may submit the claim; the payee is what the proof binds.
        assert_ok!(claim(CHARLIE, bounty, &args, BOB));
        assert_eq!(Balances::free_balance(BOB), 1_000_000 + AMOUNT);
        assert_eq!(escrowed(ALICE), 0);
        assert_eq!(Balances::free_balance(ALICE), alice_free);
        assert_eq!(Bounties::<Test>::get(bounty).map(|b| b.state), Some(BountyState::Paid { payee: BOB }));
        let record = Claims::<Test>::get(bounty).unwrap();
        assert_eq!((record.payee, record.claimant), (BOB, CHARLIE));
        assert_eq!(record.ciphertext, args.ciphertext);
        System::assert_last_event(
            Event::BountyClaimed {
                bounty,
                payee: BOB,
                amount: AMOUNT,
                competitor_key: args.competitor_key,
                nonce: args.nonce,
                ciphertext: args.ciphertext.clone(),
            }
            .into(),
        );
        // The stored envelope decrypts to the model with the organizer's key.
        let envelope = zkml_primitives::claim::Envelope {
            competitor_pk: PublicKey::from_bytes(&record.competitor_key).unwrap(),
            nonce: zkml_primitives::encoding::fr_from_bytes(&record.nonce).unwrap(),
            ciphertext: record.ciphertext.iter().map(|c| zkml_primitives::encoding::fr_from_bytes(c).unwrap()).collect(),
        };
        let shared = zkml_primitives::keys::shared_point(&SecretScalar::from(4242u64), &envelope.competitor_pk);
        let params = zkml_primitives::keys::decrypt(&envelope.ciphertext, &shared, envelope.nonce);
        assert_eq!(QuantModel::from_field_params(&params, &fixture().qds.shape).unwrap(), fixture().qm);
        // A second claim on the paid bounty is refused.
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::BountyNotOpen);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn invalid_and_tampered_claims_are_refused_without_balance_change() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let second = post(vk);
        let args = make_claim(bounty, BOB);
        // Another payee (the thief copies the proof).
        assert_noop!(claim(CHARLIE, bounty, &args, CHARLIE), Error::<Test>::InvalidProof);
        // Another bounty with identical terms.
        assert_noop!(claim(BOB, second, &args, BOB), Error::<Test>::InvalidProof);
        // A changed ciphertext element.
        let mut tampered = ClaimArgs { ciphertext: args.ciphertext.clone(), ..make_claim(bounty, BOB) };
        tampered.ciphertext[0][0] ^= 1;
        assert_noop!(claim(BOB, bounty, &tampered, BOB), Error::<Test>::InvalidProof);
        // Another competitor key or nonce.
        let other = make_claim(bounty, CHARLIE);
        let swapped = ClaimArgs { competitor_key: other.competitor_key, ..make_claim(bounty, BOB) };
        assert_noop!(claim(BOB, bounty, &swapped, BOB), Error::<Test>::InvalidProof);
        // Malformed proof bytes: flipped, truncated, garbage.
        let mut flipped = args.proof.clone();
        flipped[5] ^= 0x40;
        let bad = ClaimArgs { proof: flipped, ..make_claim(bounty, BOB) };
        assert!(matches!(
            claim(BOB, bounty, &bad, BOB),
            Err(e) if e == Error::<Test>::MalformedProof.into() || e == Error::<Test>::InvalidProof.into()
        ));
        let short = ClaimArgs { proof: args.proof[..64].to_vec().try_into().unwrap(), ..make_claim(bounty, BOB) };
        assert_noop!(claim(BOB, bounty, &short, BOB), Error::<Test>::MalformedProof);
        // Wrong envelope length, non-canonical field element.
        let mut long = make_claim(bounty, BOB);
        long.ciphertext.try_push([0; 32]).unwrap();
        assert_noop!(claim(BOB, bounty, &long, BOB), Error::<Test>::WrongCiphertextLength);
        let mut noncanon = make_claim(bounty, BOB);
        noncanon.nonce = [0xff; 32];
        assert_noop!(claim(BOB, bounty, &noncanon, BOB), Error::<Test>::MalformedEnvelope);
        assert_noop!(claim(BOB, 99, &args, BOB), Error::<Test>::UnknownBounty);
        // The honest claim still works afterwards.
        assert_ok!(claim(BOB, bounty, &args, BOB));
    });
}

#[test]
fn a_bounty_under_another_verifying_key_rejects_the_proof() {
    new_test_ext().execute_with(|| {
        register(&fixture().verifying_key);
        let other = register(&fixture().other_verifying_key);
        let bounty = post(other);
        let args = make_claim(bounty, BOB);
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::InvalidProof);
    });
}

#[test]
fn registration_validates_inputs() {
    new_test_ext().execute_with(|| {
        let f = fixture();
        assert_noop!(
            ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(ALICE), vec![1, 2, 3].try_into().unwrap(), SHAPE, Default::default()),
            Error::<Test>::MalformedVerifyingKey
        );
        // A well-formed key for a circuit with another number of public inputs.
        let mut vk = groth16::decode_verifying_key(&f.verifying_key).unwrap();
        vk.gamma_abc_g1.pop();
        let three_inputs = groth16::encode_verifying_key(&vk);
        let mut raw = Vec::new();
        ark_serialize::CanonicalSerialize::serialize_compressed(&vk, &mut raw).unwrap();
        assert_eq!(raw, three_inputs);
        assert_noop!(
            ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(ALICE), raw.try_into().unwrap(), SHAPE, Default::default()),
            Error::<Test>::WrongPublicInputCount
        );
        let vk_hash = register(&f.verifying_key);
        assert_noop!(
            ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(ALICE), f.verifying_key.clone().try_into().unwrap(), SHAPE, Default::default()),
            Error::<Test>::VerifyingKeyExists
        );
        // Dataset: non-canonical hash, bad shape, scales of the wrong length, duplicate.
        let reg = |hash: FieldBytes, shape: DatasetShape, scales: Vec<i8>| {
            ZkmlBounties::register_dataset(RuntimeOrigin::signed(ALICE), hash, Default::default(), shape, scales.try_into().unwrap(), 8)
        };
        assert_noop!(reg([0xff; 32], SHAPE, vec![0; 4]), Error::<Test>::MalformedDatasetHash);
        assert_noop!(reg([1; 32], DatasetShape { m: 0, p: 4, n: 1 }, vec![0; 4]), Error::<Test>::UnsupportedShape);
        assert_noop!(reg([1; 32], SHAPE, vec![0; 3]), Error::<Test>::InvalidScales);
        assert_noop!(reg([1; 32], SHAPE, vec![0, 0, 0, 100]), Error::<Test>::InvalidScales);
        assert_noop!(reg(dataset_hash(), SHAPE, vec![0; 4]), Error::<Test>::DatasetExists);
        // Bounty: unknown dataset / key, shape mismatch, bad key, zero amount.
        let post_with = |dataset: FieldBytes, vk: [u8; 32], key: [u8; 32], amount: u64| {
            ZkmlBounties::post_bounty(RuntimeOrigin::signed(ALICE), dataset, vk, key, 1, amount, 10)
        };
        let org = f.organizer_pk.to_bytes();
        assert_noop!(post_with([1; 32], vk_hash, org, 10), Error::<Test>::UnknownDataset);
        assert_noop!(post_with(dataset_hash(), [1; 32], org, 10), Error::<Test>::UnknownVerifyingKey);
        assert_noop!(post_with(dataset_hash(), vk_hash, [0xff; 32], 10), Error::<Test>::InvalidPublicKey);
        assert_noop!(post_with(dataset_hash(), vk_hash, org, 0), Error::<Test>::ZeroAmount);
        assert_ok!(reg([1; 32], DatasetShape { m: 21, p: 4, n: 1 }, vec![0; 4]));
        assert_noop!(post_with([1; 32], vk_hash, org, 10), Error::<Test>::ShapeMismatch);
    });
}

#[test]
fn insufficient_funds_post_nothing() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let before = Balances::free_balance(POOR);
        assert_noop!(
            ZkmlBounties::post_bounty(RuntimeOrigin::signed(POOR), dataset_hash(), vk, fixture().organizer_pk.to_bytes(), 1, AMOUNT, 10),
            Error::<Test>::InsufficientBalance
        );
        assert_eq!(Balances::free_balance(POOR), before);
    });
}

#[test]
fn cancel_only_by_the_issuer_after_expiry_and_never_over_a_pending_claim() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let alice_free = Balances::free_balance(ALICE);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::NotExpired);
        // A commitment made just before expiry locks the bounty for the claim window.
        System::set_block_number(1 + EXPIRES_IN);
        assert_ok!(ZkmlBounties::commit_claim(RuntimeOrigin::signed(BOB), bounty, [7; 32]));
        System::set_block_number(2 + EXPIRES_IN);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(BOB), bounty), Error::<Test>::NotIssuer);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::ClaimPending);
        // Direct claims after expiry are refused.
        let args = make_claim(bounty, BOB);
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::BountyExpired);
        System::set_block_number(2 + EXPIRES_IN + CLAIM_WINDOW);
        assert_ok!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty));
        assert_eq!(Balances::free_balance(ALICE), alice_free + AMOUNT);
        assert_eq!(escrowed(ALICE), 0);
        System::assert_last_event(Event::BountyCancelled { bounty, refunded: AMOUNT }.into());
        // No claim, and no second cancel, after cancellation.
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::BountyNotOpen);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::BountyNotOpen);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn commit_reveal_pays_only_the_committed_claim_within_the_window() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let args = make_claim(bounty, BOB);
        let salt = [9u8; 32];
        let reveal = |who: u64, salt: [u8; 32]| {
            ZkmlBounties::reveal_claim(
                RuntimeOrigin::signed(who),
                bounty,
                args.proof.clone(),
                args.ciphertext.clone(),
                args.competitor_key,
                args.nonce,
                BOB,
                salt,
            )
        };
        assert_noop!(reveal(BOB, salt), Error::<Test>::NoCommitment);
        assert_ok!(ZkmlBounties::commit_claim(
            RuntimeOrigin::signed(BOB),
            bounty,
            claim_commitment(bounty, &args.proof, &BOB, &salt)
        ));
        assert_noop!(reveal(BOB, [8; 32]), Error::<Test>::CommitmentMismatch);
        // Someone else cannot reveal on Bob's commitment.
        assert_noop!(reveal(CHARLIE, salt), Error::<Test>::NoCommitment);
        System::set_block_number(1 + CLAIM_WINDOW + 1);
        assert_noop!(reveal(BOB, salt), Error::<Test>::CommitmentExpired);
        // A fresh commitment, revealed in time, pays.
        assert_ok!(ZkmlBounties::commit_claim(
            RuntimeOrigin::signed(BOB),
            bounty,
            claim_commitment(bounty, &args.proof, &BOB, &salt)
        ));
        assert_ok!(reveal(BOB, salt));
        assert_eq!(Balances::free_balance(BOB), 1_000_000 + AMOUNT);
        assert!(Commitments::<Test>::get(bounty, BOB).is_none());
        assert_noop!(
            ZkmlBounties::commit_claim(RuntimeOrigin::signed(CHARLIE), bounty, [1; 32]),
            Error::<Test>::BountyNotOpen
        );
    });
}

/// Writes `src/benchmark_fixture.bin`: a real claim the benchmarks can submit (there is no prover in Wasm).
/// Regenerate with `cargo test -p pallet-zkml-bounties regenerate_benchmark_fixture -- --ignored`.
#[test]
#[ignore]
fn regenerate_benchmark_fixture() {
    use codec::Encode;
    let f = fixture();
    let payee = crate::fixture::FIXTURE_PAYEE;
    let req = ClaimRequest {
        dataset: &f.qds,
        model: &f.qm,
        organizer_pk: f.organizer_pk,
        payee,
        bounty_id: 0,
        sse_cap: f.sse_cap,
    };
    let mut rng = StdRng::seed_from_u64(99);
    let claim = prover::prepare_claim(&req, &mut rng).unwrap();
    let circuit = ClaimCircuit { shape: f.qds.shape, assignment: Some(claim.assignment) };
    let proof = prover::prove(&f.proving_key, &circuit, &mut rng).unwrap();
    let fixture = crate::fixture::Fixture {
        dataset: dataset_hash(),
        shape: SHAPE,
        x_frac_bits: f.qds.scales.x_frac_bits.iter().map(|v| *v as i8).collect(),
        y_frac_bits: f.qds.scales.y_frac_bits as i8,
        verifying_key: f.verifying_key.clone(),
        issuer_key: f.organizer_pk.to_bytes(),
        sse_cap: f.sse_cap,
        proof: groth16::encode_proof(&proof),
        ciphertext: claim.envelope.ciphertext.iter().map(fr_to_bytes).collect(),
        competitor_key: claim.envelope.competitor_pk.to_bytes(),
        nonce: fr_to_bytes(&claim.envelope.nonce),
    };
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/benchmark_fixture.bin"), fixture.encode()).unwrap();
}

#[test]
fn commitment_preimage_is_the_scale_encoding_of_its_tuple() {
    use codec::Encode;
    let (proof, salt) = ([5u8; 128], [9u8; 32]);
    let payee = [3u8; 32];
    let scale = (b"zkml/commit/v1", 7u64, &proof[..], payee, salt).encode();
    assert_eq!(zkml_primitives::commit::commitment_preimage(7, &proof, &payee.encode(), &salt), scale);
    assert_eq!(claim_commitment(7, &proof, &payee, &salt), sp_io::hashing::blake2_256(&scale));
    let short = (b"zkml/commit/v1", 7u64, &proof[..10], BOB, salt).encode();
    assert_eq!(claim_commitment(7, &proof[..10], &BOB, &salt), sp_io::hashing::blake2_256(&short));
}
