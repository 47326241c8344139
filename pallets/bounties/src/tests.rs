//! The pallet on a mock runtime, with real Groth16 proofs from the `zkml` prover. The attacks are played for
//! real: a claim that loses a race, a copied claim, a mismatched delivery, a stalled reservation, squatted
//! records, crafted key bytes.
use crate::{mock::*, pallet::*, Error, Event};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use codec::Encode;
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
const INITIAL: u64 = 1_000_000;

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

/// A real claim: what `claim` takes (proof, envelope hash) and what `deliver` takes (the envelope).
#[derive(Clone)]
struct ClaimArgs {
    proof: BoundedVec<u8, frame_support::traits::ConstU32<128>>,
    envelope_hash: FieldBytes,
    competitor_key: [u8; 32],
    nonce: FieldBytes,
    ciphertext: BoundedVec<FieldBytes, frame_support::traits::ConstU32<256>>,
}

/// A real claim on `bounty` paying `payee`, with its own fresh envelope.
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
    let circuit = ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: f.qds.shape, assignment: Some(claim.assignment) };
    let proof = prover::prove(&f.proving_key, &circuit, &mut rng).unwrap();
    claim_args(&claim.envelope, &proof)
}

/// What `claim` and `deliver` take for a proof of the claim whose envelope is `envelope`.
fn claim_args(envelope: &zkml_primitives::claim::Envelope, proof: &ark_groth16::Proof<Bn254>) -> ClaimArgs {
    ClaimArgs {
        proof: groth16::encode_proof(proof).try_into().unwrap(),
        envelope_hash: fr_to_bytes(&envelope.hash()),
        competitor_key: envelope.competitor_pk.to_bytes(),
        nonce: fr_to_bytes(&envelope.nonce),
        ciphertext: envelope.ciphertext.iter().map(fr_to_bytes).collect::<Vec<_>>().try_into().unwrap(),
    }
}

fn claim(who: u64, bounty: BountyId, a: &ClaimArgs, payee: u64) -> sp_runtime::DispatchResult {
    ZkmlBounties::claim(RuntimeOrigin::signed(who), bounty, a.proof.clone(), a.envelope_hash, payee)
}

fn deliver(who: u64, bounty: BountyId, a: &ClaimArgs) -> sp_runtime::DispatchResult {
    ZkmlBounties::deliver(RuntimeOrigin::signed(who), bounty, a.competitor_key, a.nonce, a.ciphertext.clone())
}

fn dataset_hash() -> FieldBytes {
    fr_to_bytes(&fixture().qds.hash())
}

fn scales() -> Vec<i8> {
    fixture().qds.scales.x_frac_bits.iter().map(|v| *v as i8).collect()
}

fn register_dataset_as(who: u64, cid: &[u8]) -> sp_runtime::DispatchResult {
    ZkmlBounties::register_dataset(
        RuntimeOrigin::signed(who),
        dataset_hash(),
        cid.to_vec().try_into().unwrap(),
        SHAPE,
        scales().try_into().unwrap(),
        fixture().qds.scales.y_frac_bits as i8,
    )
}

fn register_key_as(who: u64, vk: &[u8], shape: DatasetShape) -> sp_runtime::DispatchResult {
    ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(who), vk.to_vec().try_into().unwrap(), shape, ModelKindInfo::LINEAR_REGRESSION, Default::default())
}

/// Alice registers the dataset (once) and `vk`; returns the key's hash.
fn register(vk: &[u8]) -> [u8; 32] {
    if !Datasets::<Test>::contains_key(ALICE, dataset_hash()) {
        assert_ok!(register_dataset_as(ALICE, b"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"));
    }
    assert_ok!(register_key_as(ALICE, vk, SHAPE));
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

fn held(reason: HoldReason, who: u64) -> u64 {
    Balances::balance_on_hold(&RuntimeHoldReason::ZkmlBounties(reason), &who)
}

fn state(bounty: BountyId) -> BountyState<Test> {
    Bounties::<Test>::get(bounty).unwrap().state
}

/// Every storage value and every event, encoded: where a leaked ciphertext would be.
fn all_state_and_events() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut key = Vec::new();
    while let Some(next) = sp_io::storage::next_key(&key) {
        out.push(next.clone());
        out.push(sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default());
        key = next;
    }
    out.extend(System::events().iter().map(|e| e.encode()));
    out
}

/// Whether any 32-byte element of the envelope (nonce or ciphertext) appears anywhere in state or events.
fn envelope_visible(a: &ClaimArgs) -> bool {
    let blobs = all_state_and_events();
    let needles: Vec<&[u8]> = std::iter::once(&a.nonce[..]).chain(a.ciphertext.iter().map(|c| &c[..])).collect();
    blobs.iter().any(|blob| needles.iter().any(|n| blob.windows(32).any(|w| w == *n)))
}

#[test]
fn whole_lifecycle_pays_returns_every_deposit_and_conserves_issuance() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        assert_eq!(held(HoldReason::BountyEscrow, ALICE), AMOUNT);
        assert!(held(HoldReason::StorageDeposit, ALICE) > 0);
        let args = make_claim(bounty, BOB);
        // Reserve: verified, bond held, nothing of the envelope on chain yet.
        assert_ok!(claim(BOB, bounty, &args, BOB));
        assert_eq!(held(HoldReason::ClaimBond, BOB), CLAIM_BOND);
        let BountyState::Reserved(r) = state(bounty) else { panic!("not reserved") };
        assert_eq!((r.claimant, r.payee, r.envelope_hash, r.deliver_by), (BOB, BOB, args.envelope_hash, 1 + DELIVERY_WINDOW));
        assert!(!envelope_visible(&args), "a reservation must not expose the envelope");
        // Deliver: paid, bond back, envelope stored.
        assert_ok!(deliver(BOB, bounty, &args));
        assert_eq!(Balances::free_balance(BOB), INITIAL + AMOUNT);
        assert_eq!(held(HoldReason::ClaimBond, BOB), 0);
        assert_eq!(held(HoldReason::BountyEscrow, ALICE), 0);
        assert_eq!(state(bounty), BountyState::Paid { payee: BOB });
        let record = Claims::<Test>::get(bounty).unwrap();
        assert_eq!((record.payee, record.claimant), (BOB, BOB));
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
        // No second claim or delivery on a paid bounty.
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::BountyNotOpen);
        assert_noop!(deliver(BOB, bounty, &args), Error::<Test>::NotReserved);
        // Records in use cannot be removed; a finished bounty can, then its dataset and key.
        assert_noop!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(ALICE), dataset_hash()), Error::<Test>::RecordInUse);
        assert_noop!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(ALICE), vk), Error::<Test>::RecordInUse);
        assert_noop!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(BOB), bounty), Error::<Test>::NotIssuer);
        assert_ok!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(ALICE), bounty));
        assert!(Claims::<Test>::get(bounty).is_none() && Bounties::<Test>::get(bounty).is_none());
        assert_ok!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(ALICE), dataset_hash()));
        assert_ok!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(ALICE), vk));
        // Every deposit is back: Alice is down exactly the prize, with nothing held.
        assert_eq!(held(HoldReason::StorageDeposit, ALICE), 0);
        assert_eq!(Balances::free_balance(ALICE), INITIAL - AMOUNT);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn a_claim_that_loses_the_race_reveals_no_ciphertext_and_cannot_take_the_bounty() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let (winner, loser) = (make_claim(bounty, BOB), make_claim(bounty, DAVE));
        // Both are valid proofs; Bob's lands first and reserves the bounty.
        assert_ok!(claim(BOB, bounty, &winner, BOB));
        let dave_before = Balances::free_balance(DAVE);
        assert_noop!(claim(DAVE, bounty, &loser, DAVE), Error::<Test>::BountyReserved);
        assert_eq!(Balances::free_balance(DAVE), dave_before, "the loser's bond is not taken");
        let BountyState::Reserved(r) = state(bounty) else { panic!("not reserved") };
        assert_eq!((r.claimant, r.payee), (BOB, BOB));
        // The loser's envelope is nowhere in state or events; it exists (a delivery is what would publish it).
        assert!(!envelope_visible(&loser));
        // The loser's envelope cannot be delivered against the winner's reservation.
        assert_noop!(deliver(DAVE, bounty, &loser), Error::<Test>::EnvelopeMismatch);
        assert_ok!(deliver(BOB, bounty, &winner));
        assert!(envelope_visible(&winner), "the scan sees a delivered envelope");
        assert!(!envelope_visible(&loser));
        assert_eq!(Balances::free_balance(BOB), INITIAL + AMOUNT);
        assert_eq!(Balances::free_balance(DAVE), INITIAL);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn a_copied_claim_only_reserves_for_the_original_payee_who_still_delivers() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let args = make_claim(bounty, BOB);
        // Charlie copies Bob's claim from the pool: with himself as payee the proof fails ...
        assert_noop!(claim(CHARLIE, bounty, &args, CHARLIE), Error::<Test>::InvalidProof);
        // ... and as-is it front-runs Bob, but reserves the bounty for Bob's payee with Charlie's bond.
        assert_ok!(claim(CHARLIE, bounty, &args, BOB));
        assert_noop!(claim(BOB, bounty, &args, BOB), Error::<Test>::BountyReserved);
        assert_eq!(held(HoldReason::ClaimBond, CHARLIE), CLAIM_BOND);
        // Charlie cannot deliver (he does not know the envelope); Bob, who does, delivers and is paid.
        let mut forged = args.clone();
        forged.ciphertext[0][0] ^= 1;
        assert_noop!(deliver(CHARLIE, bounty, &forged), Error::<Test>::EnvelopeMismatch);
        assert_ok!(deliver(BOB, bounty, &args));
        assert_eq!(Balances::free_balance(BOB), INITIAL + AMOUNT);
        assert_eq!(Balances::free_balance(CHARLIE), INITIAL);
        assert_eq!(held(HoldReason::ClaimBond, CHARLIE), 0);
    });
}

#[test]
fn deliveries_that_do_not_match_the_reserved_envelope_are_refused() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let args = make_claim(bounty, BOB);
        assert_noop!(deliver(BOB, bounty, &args), Error::<Test>::NotReserved);
        assert_ok!(claim(BOB, bounty, &args, BOB));
        let with = |f: &dyn Fn(&mut ClaimArgs)| {
            let mut a = args.clone();
            f(&mut a);
            a
        };
        let cases = [
            (with(&|a| a.ciphertext[3][0] ^= 1), Error::<Test>::EnvelopeMismatch),
            (with(&|a| a.nonce[0] ^= 1), Error::<Test>::EnvelopeMismatch),
            (with(&|a| a.competitor_key = make_claim(bounty, DAVE).competitor_key), Error::<Test>::EnvelopeMismatch),
            (with(&|a| a.ciphertext = make_claim(bounty, DAVE).ciphertext), Error::<Test>::EnvelopeMismatch),
            (with(&|a| a.ciphertext.try_push([0; 32]).unwrap()), Error::<Test>::WrongCiphertextLength),
            (with(&|a| { a.ciphertext.pop(); }), Error::<Test>::WrongCiphertextLength),
            (with(&|a| a.nonce = [0xff; 32]), Error::<Test>::MalformedEnvelope),
            (with(&|a| a.ciphertext[0] = [0xff; 32]), Error::<Test>::MalformedEnvelope),
            (with(&|a| a.competitor_key = [0xff; 32]), Error::<Test>::InvalidPublicKey),
        ];
        for (bad, err) in cases {
            assert_noop!(deliver(BOB, bounty, &bad), err);
        }
        assert_noop!(deliver(BOB, 99, &args), Error::<Test>::UnknownBounty);
        assert_ok!(deliver(BOB, bounty, &args));
    });
}

#[test]
fn a_lapsed_reservation_reopens_the_bounty_and_forfeits_the_bond_to_the_issuer() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        let stalled = make_claim(bounty, BOB);
        assert_ok!(claim(BOB, bounty, &stalled, BOB));
        let alice_free = Balances::free_balance(ALICE);
        // Within the window nobody else gets in.
        System::set_block_number(1 + DELIVERY_WINDOW);
        let dave = make_claim(bounty, DAVE);
        assert_noop!(claim(DAVE, bounty, &dave, DAVE), Error::<Test>::BountyReserved);
        // After it, Bob can no longer deliver and Dave's claim re-opens the bounty and reserves it.
        System::set_block_number(2 + DELIVERY_WINDOW);
        assert_noop!(deliver(BOB, bounty, &stalled), Error::<Test>::DeliveryWindowPassed);
        assert_ok!(claim(DAVE, bounty, &dave, DAVE));
        System::assert_has_event(Event::ReservationLapsed { bounty, claimant: BOB, forfeited: CLAIM_BOND }.into());
        assert_eq!(Balances::free_balance(ALICE), alice_free + CLAIM_BOND);
        assert_eq!(Balances::free_balance(BOB), INITIAL - CLAIM_BOND);
        assert_eq!(held(HoldReason::ClaimBond, BOB), 0);
        let BountyState::Reserved(r) = state(bounty) else { panic!("not reserved") };
        assert_eq!(r.payee, DAVE);
        assert_ok!(deliver(DAVE, bounty, &dave));
        assert_eq!(Balances::free_balance(DAVE), INITIAL + AMOUNT);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn cancel_only_by_the_issuer_after_expiry_and_never_while_reserved() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::NotExpired);
        // A claim at the last block reserves past expiry: the issuer cannot cancel meanwhile.
        System::set_block_number(1 + EXPIRES_IN);
        let args = make_claim(bounty, BOB);
        assert_ok!(claim(BOB, bounty, &args, BOB));
        System::set_block_number(2 + EXPIRES_IN);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(BOB), bounty), Error::<Test>::NotIssuer);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::BountyReserved);
        assert_noop!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::BountyNotFinished);
        // Delivery after expiry, within the window, still pays.
        assert_ok!(deliver(BOB, bounty, &args));
        assert_eq!(Balances::free_balance(BOB), INITIAL + AMOUNT);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::BountyNotOpen);
        // A second bounty: claims after expiry are refused, an undelivered reservation lapses into a cancel.
        let second = post(vk);
        let alice_free = Balances::free_balance(ALICE);
        System::set_block_number(2 + 2 * EXPIRES_IN);
        let late = make_claim(second, DAVE);
        assert_ok!(claim(DAVE, second, &late, DAVE));
        System::set_block_number(3 + 2 * EXPIRES_IN);
        assert_noop!(claim(BOB, second, &make_claim(second, BOB), BOB), Error::<Test>::BountyReserved);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), second), Error::<Test>::BountyReserved);
        System::set_block_number(3 + 2 * EXPIRES_IN + DELIVERY_WINDOW);
        assert_noop!(claim(BOB, second, &make_claim(second, BOB), BOB), Error::<Test>::BountyExpired);
        assert_ok!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), second));
        System::assert_last_event(Event::BountyCancelled { bounty: second, refunded: AMOUNT }.into());
        assert_eq!(state(second), BountyState::Cancelled);
        assert_eq!(Balances::free_balance(ALICE), alice_free + AMOUNT + CLAIM_BOND);
        assert_eq!(Balances::free_balance(DAVE), INITIAL - CLAIM_BOND);
        assert_noop!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), second), Error::<Test>::BountyNotOpen);
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
        let bob = Balances::free_balance(BOB);
        // Another bounty with identical terms.
        assert_noop!(claim(BOB, second, &args, BOB), Error::<Test>::InvalidProof);
        // Another envelope hash (e.g. a copier's own envelope).
        let other = make_claim(bounty, CHARLIE);
        assert_noop!(claim(BOB, bounty, &ClaimArgs { envelope_hash: other.envelope_hash, ..args.clone() }, BOB), Error::<Test>::InvalidProof);
        assert_noop!(claim(BOB, bounty, &ClaimArgs { envelope_hash: [0xff; 32], ..args.clone() }, BOB), Error::<Test>::MalformedEnvelope);
        // Malformed proof bytes: flipped, truncated.
        let mut flipped = args.proof.clone();
        flipped[5] ^= 0x40;
        assert!(matches!(
            claim(BOB, bounty, &ClaimArgs { proof: flipped, ..args.clone() }, BOB),
            Err(e) if e == Error::<Test>::MalformedProof.into() || e == Error::<Test>::InvalidProof.into()
        ));
        let short: BoundedVec<u8, _> = args.proof[..64].to_vec().try_into().unwrap();
        assert_noop!(claim(BOB, bounty, &ClaimArgs { proof: short, ..args.clone() }, BOB), Error::<Test>::MalformedProof);
        assert_noop!(claim(BOB, 99, &args, BOB), Error::<Test>::UnknownBounty);
        // A claimant who cannot hold the bond reserves nothing.
        assert_noop!(claim(POOR, bounty, &args, BOB), Error::<Test>::InsufficientBalance);
        assert_eq!(Balances::free_balance(BOB), bob);
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
fn crafted_verifying_keys_are_refused_with_an_error_not_a_panic() {
    new_test_ext().execute_with(|| {
        // The review's key: 224 bytes of points and a length prefix of 2^58 (then 2^40), 232 bytes in all;
        // arkworks would `Vec::with_capacity(prefix)` and abort.
        for prefix in [1u64 << 58, 1u64 << 40] {
            let mut key = vec![0u8; groth16::VERIFYING_KEY_PREFIX_OFFSET];
            key.extend_from_slice(&prefix.to_le_bytes());
            assert_eq!(key.len(), 232);
            assert_noop!(register_key_as(ALICE, &key, SHAPE), Error::<Test>::MalformedVerifyingKey);
            // The same prefix inside a real key.
            let mut real = fixture().verifying_key.clone();
            real[groth16::VERIFYING_KEY_PREFIX_OFFSET..groth16::VERIFYING_KEY_PREFIX_OFFSET + 8]
                .copy_from_slice(&prefix.to_le_bytes());
            assert_noop!(register_key_as(ALICE, &real, SHAPE), Error::<Test>::MalformedVerifyingKey);
        }
        assert_noop!(register_key_as(ALICE, &[1, 2, 3], SHAPE), Error::<Test>::MalformedVerifyingKey);
        // A well-formed key for a circuit with another number of public inputs.
        let mut vk = groth16::decode_verifying_key(&fixture().verifying_key).unwrap();
        vk.gamma_abc_g1.pop();
        let mut raw = Vec::new();
        ark_serialize::CanonicalSerialize::serialize_compressed(&vk, &mut raw).unwrap();
        assert_noop!(register_key_as(ALICE, &raw, SHAPE), Error::<Test>::WrongPublicInputCount);
        assert_eq!(fixture().verifying_key.len(), groth16::VERIFYING_KEY_BYTES);
        assert_ok!(register_key_as(ALICE, &fixture().verifying_key, SHAPE));
        assert_noop!(register_key_as(ALICE, &fixture().verifying_key, SHAPE), Error::<Test>::VerifyingKeyExists);
    });
}

#[test]
fn registration_validates_shapes_scales_and_terms() {
    new_test_ext().execute_with(|| {
        let f = fixture();
        let reg = |hash: FieldBytes, shape: DatasetShape, scales: Vec<i8>| {
            ZkmlBounties::register_dataset(RuntimeOrigin::signed(ALICE), hash, Default::default(), shape, scales.try_into().unwrap(), 8)
        };
        assert_noop!(reg([0xff; 32], SHAPE, vec![0; 4]), Error::<Test>::MalformedDatasetHash);
        assert_noop!(reg([1; 32], DatasetShape { m: 0, p: 4, n: 1 }, vec![0; 4]), Error::<Test>::UnsupportedShape);
        assert_noop!(reg([1; 32], SHAPE, vec![0; 3]), Error::<Test>::InvalidScales);
        assert_noop!(reg([1; 32], SHAPE, vec![0, 0, 0, 100]), Error::<Test>::InvalidScales);
        // p·n + n = 128 · 2^25 = 2^32: zero in a 32-bit usize (the runtime), refused in checked u64.
        let wrapping = DatasetShape { m: 1, p: 127, n: 1 << 25 };
        assert_eq!(127u32.wrapping_mul(1 << 25).wrapping_add(1 << 25), 0);
        assert_noop!(reg([1; 32], wrapping, vec![0; 127]), Error::<Test>::UnsupportedShape);
        assert_noop!(register_key_as(ALICE, &f.verifying_key, wrapping), Error::<Test>::UnsupportedShape);
        // Above the runtime's parameter bound (256 here) without wrapping.
        assert_noop!(reg([1; 32], DatasetShape { m: 1, p: 127, n: 3 }, vec![0; 127]), Error::<Test>::UnsupportedShape);
        let vk_hash = register(&f.verifying_key);
        assert_noop!(reg(dataset_hash(), SHAPE, vec![0; 4]), Error::<Test>::DatasetExists);
        // Bounty terms: unknown dataset / key, bad key, amounts below the minimum (≥ the existential deposit).
        let post_with = |dataset: FieldBytes, vk: [u8; 32], key: [u8; 32], amount: u64| {
            ZkmlBounties::post_bounty(RuntimeOrigin::signed(ALICE), dataset, vk, key, 1, amount, 10)
        };
        let org = f.organizer_pk.to_bytes();
        assert_noop!(post_with([1; 32], vk_hash, org, AMOUNT), Error::<Test>::UnknownDataset);
        assert_noop!(post_with(dataset_hash(), [1; 32], org, AMOUNT), Error::<Test>::UnknownVerifyingKey);
        assert_noop!(post_with(dataset_hash(), vk_hash, [0xff; 32], AMOUNT), Error::<Test>::InvalidPublicKey);
        assert_noop!(post_with(dataset_hash(), vk_hash, org, 0), Error::<Test>::AmountBelowMinimum);
        assert_noop!(post_with(dataset_hash(), vk_hash, org, EXISTENTIAL_DEPOSIT - 1), Error::<Test>::AmountBelowMinimum);
        assert_noop!(post_with(dataset_hash(), vk_hash, org, MIN_BOUNTY - 1), Error::<Test>::AmountBelowMinimum);
        assert_noop!(
            ZkmlBounties::post_bounty(RuntimeOrigin::signed(ALICE), dataset_hash(), vk_hash, org, 1, AMOUNT, 0),
            Error::<Test>::ZeroDuration
        );
        assert_ok!(reg([1; 32], DatasetShape { m: 21, p: 4, n: 1 }, vec![0; 4]));
        assert_noop!(post_with([1; 32], vk_hash, org, AMOUNT), Error::<Test>::ShapeMismatch);
    });
}

#[test]
fn records_cannot_be_squatted_by_registering_the_same_hash_first() {
    new_test_ext().execute_with(|| {
        // Charlie watches the pool and registers Alice's dataset hash and key bytes first, with junk.
        assert_ok!(register_dataset_as(CHARLIE, b"junk"));
        assert_ok!(ZkmlBounties::register_verifying_key(
            RuntimeOrigin::signed(CHARLIE),
            fixture().verifying_key.clone().try_into().unwrap(),
            DatasetShape { m: 1, p: 1, n: 1 },
            ModelKindInfo::LINEAR_REGRESSION,
            b"junk-proving-key".to_vec().try_into().unwrap(),
        ));
        // Alice's own records are unaffected and are the ones her bounty uses.
        let vk = register(&fixture().verifying_key);
        assert_eq!(Datasets::<Test>::get(ALICE, dataset_hash()).unwrap().cid.to_vec(), b"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        assert_eq!(VerifyingKeys::<Test>::get(ALICE, vk).unwrap().shape, SHAPE);
        let bounty = post(vk);
        assert_eq!(Datasets::<Test>::get(ALICE, dataset_hash()).unwrap().bounties, 1);
        assert_eq!(Datasets::<Test>::get(CHARLIE, dataset_hash()).unwrap().bounties, 0);
        let args = make_claim(bounty, BOB);
        assert_ok!(claim(BOB, bounty, &args, BOB));
        assert_ok!(deliver(BOB, bounty, &args));
        // Nobody removes another's record; Charlie gets his own deposits back.
        assert_noop!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(BOB), dataset_hash()), Error::<Test>::UnknownDataset);
        assert_ok!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(CHARLIE), dataset_hash()));
        assert_ok!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(CHARLIE), vk));
        assert_eq!(held(HoldReason::StorageDeposit, CHARLIE), 0);
        assert_eq!(Balances::free_balance(CHARLIE), INITIAL);
        assert!(Datasets::<Test>::contains_key(ALICE, dataset_hash()));
    });
}

#[test]
fn cancelled_bounties_are_removed_and_every_deposit_comes_back() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let vk = register(&fixture().verifying_key);
        let bounty = post(vk);
        assert_noop!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::BountyNotFinished);
        System::set_block_number(2 + EXPIRES_IN);
        assert_ok!(ZkmlBounties::cancel_bounty(RuntimeOrigin::signed(ALICE), bounty));
        assert_ok!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(ALICE), bounty));
        assert_noop!(ZkmlBounties::remove_bounty(RuntimeOrigin::signed(ALICE), bounty), Error::<Test>::UnknownBounty);
        assert_ok!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(ALICE), vk));
        assert_ok!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(ALICE), dataset_hash()));
        assert_eq!(Balances::free_balance(ALICE), INITIAL);
        assert_eq!(Balances::total_balance_on_hold(&ALICE), 0);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn insufficient_funds_post_nothing() {
    new_test_ext().execute_with(|| {
        let vk = register(&fixture().verifying_key);
        let before = Balances::free_balance(POOR);
        assert_noop!(
            ZkmlBounties::post_bounty(RuntimeOrigin::signed(POOR), dataset_hash(), vk, fixture().organizer_pk.to_bytes(), 1, AMOUNT, 10),
            Error::<Test>::UnknownDataset
        );
        assert_noop!(register_dataset_as(POOR, &[7; 128]), Error::<Test>::InsufficientBalance);
        assert_eq!(Balances::free_balance(POOR), before);
    });
}

/// Writes `src/benchmark_fixture.bin`: a real claim the benchmarks can submit (there is no prover in Wasm).
/// Regenerate with `cargo test -p pallet-zkml-bounties regenerate_benchmark_fixture -- --ignored`.
#[test]
#[ignore]
fn regenerate_benchmark_fixture() {
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
    let competitor_sk = claim.assignment.competitor_sk;
    let circuit = ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: f.qds.shape, assignment: Some(claim.assignment) };
    let proof = prover::prove(&f.proving_key, &circuit, &mut rng).unwrap();
    let scoring = ClaimRequest { bounty_id: zkml_primitives::competition::competition_context(0), ..req };
    let scored = prover::prepare_claim_with_envelope_secrets(&scoring, competitor_sk, claim.envelope.nonce).unwrap();
    assert_eq!(scored.envelope, claim.envelope);
    let circuit = ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: f.qds.shape, assignment: Some(scored.assignment) };
    let competition_proof = prover::prove(&f.proving_key, &circuit, &mut rng).unwrap();
    let fixture = crate::fixture::Fixture {
        dataset: dataset_hash(),
        shape: SHAPE,
        x_frac_bits: scales(),
        y_frac_bits: f.qds.scales.y_frac_bits as i8,
        verifying_key: f.verifying_key.clone(),
        issuer_key: f.organizer_pk.to_bytes(),
        sse_cap: f.sse_cap,
        proof: groth16::encode_proof(&proof),
        ciphertext: claim.envelope.ciphertext.iter().map(fr_to_bytes).collect(),
        competitor_key: claim.envelope.competitor_pk.to_bytes(),
        nonce: fr_to_bytes(&claim.envelope.nonce),
        competition_proof: groth16::encode_proof(&competition_proof),
    };
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/benchmark_fixture.bin"), fixture.encode()).unwrap();
}

/// The checked-in benchmark fixture is a claim the runtime accepts: the benchmarks measure a real
/// verification, not an early error.
#[test]
fn the_benchmark_fixture_is_a_valid_claim() {
    use codec::Decode;
    let f = crate::fixture::Fixture::decode(&mut &include_bytes!("benchmark_fixture.bin")[..]).unwrap();
    let envelope = zkml_primitives::claim::Envelope {
        competitor_pk: PublicKey::from_bytes(&f.competitor_key).unwrap(),
        nonce: zkml_primitives::encoding::fr_from_bytes(&f.nonce).unwrap(),
        ciphertext: f.ciphertext.iter().map(|c| zkml_primitives::encoding::fr_from_bytes(c).unwrap()).collect(),
    };
    let statement = zkml_primitives::claim::ClaimStatement {
        dataset_hash: zkml_primitives::encoding::fr_from_bytes(&f.dataset).unwrap(),
        sse_cap: f.sse_cap,
        payee: crate::fixture::FIXTURE_PAYEE,
        bounty_id: 0,
        organizer_pk: PublicKey::from_bytes(&f.issuer_key).unwrap(),
        envelope_hash: envelope.hash(),
    };
    assert_eq!(groth16::verify_claim(&f.verifying_key, &f.proof, &statement), Ok(()));
    let scoring = zkml_primitives::claim::ClaimStatement { bounty_id: zkml_primitives::competition::competition_context(0), ..statement };
    assert_eq!(groth16::verify_claim(&f.verifying_key, &f.competition_proof, &scoring), Ok(()));
}

// ---- ceremonies ----

fn cid(s: &str) -> BoundedVec<u8, frame_support::traits::ConstU32<128>> {
    s.as_bytes().to_vec().try_into().unwrap()
}

/// Moves to block `n`, recording a distinct hash for every earlier block (what the beacons read).
fn run_to(n: u64) {
    for b in System::block_number()..n {
        let mut h = sp_core::H256::zero();
        h.0[..8].copy_from_slice(&b.to_le_bytes());
        h.0[31] = 0xaa;
        frame_system::BlockHash::<Test>::insert(b, h);
    }
    System::set_block_number(n);
}

fn contribute(who: u64, ceremony: CeremonyId, previous: Option<[u8; 64]>, hash: [u8; 64]) -> sp_runtime::DispatchResult {
    ZkmlBounties::contribute(RuntimeOrigin::signed(who), ceremony, previous, hash, cid("bafy-file"))
}

fn contributors(list: &[Contribution<Test>]) -> Vec<(u64, bool)> {
    list.iter().map(|c| (c.contributor, c.beacon)).collect()
}

/// Alice coordinates, Bob and Alice contribute to phase 1, Bob to phase 2: the record lists them in order
/// with the chain's beacons, and the key is registered with the ceremony as its provenance and usable by a
/// bounty.
#[test]
fn ceremony_records_who_contributed_in_order_and_registers_the_key_with_its_provenance() {
    new_test_ext().execute_with(|| {
        let vk = fixture().verifying_key.clone();
        assert_ok!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 10, 10));
        // Phase 1 until block 11.
        assert_ok!(contribute(BOB, 0, None, [1; 64]));
        // Racing on the same base: the second is told to build on the latest file.
        assert_noop!(contribute(CHARLIE, 0, None, [9; 64]), Error::<Test>::NotLatest);
        assert_ok!(contribute(ALICE, 0, Some([1; 64]), [2; 64]));
        assert_noop!(
            ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 0, [3; 64], cid("prepared"), cid("init")),
            Error::<Test>::WrongPhase
        );
        run_to(12);
        assert_noop!(contribute(CHARLIE, 0, Some([2; 64]), [9; 64]), Error::<Test>::WrongPhase);
        assert_noop!(
            ZkmlBounties::finish_phase1(RuntimeOrigin::signed(BOB), 0, [3; 64], cid("prepared"), cid("init")),
            Error::<Test>::NotCoordinator
        );
        assert_ok!(ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 0, [3; 64], cid("prepared"), cid("init")));
        let c = Ceremonies::<Test>::get(0).unwrap();
        assert_eq!(c.phase1_beacon, Some(System::block_hash(11).0), "the beacon is the hash of the window's last block");
        assert_eq!(contributors(&c.phase1), vec![(BOB, false), (ALICE, false), (ALICE, true)]);
        assert_eq!(c.phase, CeremonyPhase::Phase2 { ends_at: 22 });
        assert_eq!(c.latest_cid().map(|c| c.to_vec()), Some(b"init".to_vec()));
        // Phase 2 starts from the initial key, not from a phase-1 hash.
        assert_noop!(contribute(BOB, 0, Some([3; 64]), [4; 64]), Error::<Test>::NotLatest);
        assert_ok!(contribute(BOB, 0, None, [4; 64]));
        assert_noop!(
            ZkmlBounties::finish_phase2(RuntimeOrigin::signed(ALICE), 0, [5; 64], cid("final"), vk.clone().try_into().unwrap()),
            Error::<Test>::WrongPhase
        );
        run_to(23);
        assert_ok!(ZkmlBounties::finish_phase2(RuntimeOrigin::signed(ALICE), 0, [5; 64], cid("final"), vk.clone().try_into().unwrap()));
        let c = Ceremonies::<Test>::get(0).unwrap();
        let key_hash = sp_io::hashing::blake2_256(&vk);
        assert_eq!(c.phase, CeremonyPhase::Finished { key_hash });
        assert_eq!(c.phase2_beacon, Some(System::block_hash(22).0));
        assert_eq!(contributors(&c.phase2), vec![(BOB, false), (ALICE, true)]);
        let record = VerifyingKeys::<Test>::get(ALICE, key_hash).unwrap();
        assert_eq!((record.ceremony, record.shape, record.proving_key_cid.to_vec()), (Some(0), SHAPE, b"final".to_vec()));
        assert_noop!(contribute(BOB, 0, Some([5; 64]), [6; 64]), Error::<Test>::WrongPhase);
        // The ceremony's key serves a bounty like any of the issuer's keys.
        assert_ok!(register_dataset_as(ALICE, b"cid"));
        assert_ok!(ZkmlBounties::post_bounty(
            RuntimeOrigin::signed(ALICE),
            dataset_hash(),
            key_hash,
            fixture().organizer_pk.to_bytes(),
            fixture().sse_cap,
            AMOUNT,
            EXPIRES_IN
        ));
    });
}

/// A beacon alone is public, so a phase with no secret contribution cannot be closed; a beacon whose block
/// hash is no longer kept cannot be chosen later instead.
#[test]
fn a_phase_needs_a_contribution_and_the_chains_beacon() {
    new_test_ext().execute_with(|| {
        assert_ok!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 10, 10));
        run_to(12);
        assert_noop!(
            ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 0, [3; 64], cid("p"), cid("i")),
            Error::<Test>::NoContributions
        );
        assert_ok!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 10, 10));
        assert_ok!(contribute(BOB, 1, None, [1; 64]));
        // Far past the window, with no hash recorded for its last block.
        System::set_block_number(5_000);
        frame_system::BlockHash::<Test>::remove(22);
        assert_noop!(
            ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 1, [3; 64], cid("p"), cid("i")),
            Error::<Test>::BeaconUnavailable
        );
        assert_noop!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 29, 10, 10), Error::<Test>::InvalidPower);
        assert_noop!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 0, 10), Error::<Test>::ZeroDuration);
        assert_noop!(contribute(BOB, 7, None, [1; 64]), Error::<Test>::UnknownCeremony);
    });
}

/// A phase holds at most `MaxContributions` records, beacon included: a spammer cannot grow the record.
#[test]
fn contributions_are_bounded() {
    new_test_ext().execute_with(|| {
        assert_ok!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 10, 10));
        let mut previous = None;
        for i in 0..3u8 {
            assert_ok!(contribute(CHARLIE, 0, previous, [i + 1; 64]));
            previous = Some([i + 1; 64]);
        }
        assert_ok!(contribute(BOB, 0, previous, [7; 64]));
        assert_noop!(contribute(CHARLIE, 0, Some([7; 64]), [8; 64]), Error::<Test>::TooManyContributions);
        // With the phase full, the beacon record has no room either: the ceremony can only be removed.
        run_to(12);
        assert_noop!(
            ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 0, [3; 64], cid("p"), cid("i")),
            Error::<Test>::TooManyContributions
        );
    });
}

/// Every deposit comes back when the coordinator removes the ceremony — but not while its key, which refers
/// to it for provenance, is registered.
#[test]
fn removing_a_ceremony_returns_every_deposit() {
    new_test_ext().execute_with(|| {
        let vk = fixture().verifying_key.clone();
        assert_ok!(ZkmlBounties::open_ceremony(RuntimeOrigin::signed(ALICE), SHAPE, ModelKindInfo::LINEAR_REGRESSION, 13, 10, 10));
        assert_ok!(contribute(BOB, 0, None, [1; 64]));
        assert!(Balances::total_balance_on_hold(&BOB) > 0);
        run_to(12);
        assert_ok!(ZkmlBounties::finish_phase1(RuntimeOrigin::signed(ALICE), 0, [3; 64], cid("p"), cid("i")));
        assert_ok!(contribute(DAVE, 0, None, [4; 64]));
        run_to(23);
        assert_ok!(ZkmlBounties::finish_phase2(RuntimeOrigin::signed(ALICE), 0, [5; 64], cid("f"), vk.clone().try_into().unwrap()));
        assert_noop!(ZkmlBounties::remove_ceremony(RuntimeOrigin::signed(BOB), 0), Error::<Test>::NotCoordinator);
        assert_noop!(ZkmlBounties::remove_ceremony(RuntimeOrigin::signed(ALICE), 0), Error::<Test>::CeremonyInUse);
        assert_ok!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(ALICE), sp_io::hashing::blake2_256(&vk)));
        assert_ok!(ZkmlBounties::remove_ceremony(RuntimeOrigin::signed(ALICE), 0));
        for who in [ALICE, BOB, DAVE] {
            assert_eq!(Balances::total_balance_on_hold(&who), 0);
            assert_eq!(Balances::free_balance(who), INITIAL);
        }
        assert!(System::events().iter().any(|e| e.event == RuntimeEvent::ZkmlBounties(Event::CeremonyRemoved { ceremony: 0 })));
    });
}

#[path = "competition_tests.rs"]
mod competition;
#[path = "model_kind_tests.rs"]
mod model_kinds;
