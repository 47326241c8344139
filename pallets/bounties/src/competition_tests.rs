//! Competitions on the mock runtime with real Groth16 proofs: every phase and every refusal the issue names,
//! each played for real (a reveal that is not the committed data, a crafted packing, a score for another
//! model or another test set, a copied proof, a winner who never delivers, an organizer who never reveals),
//! with total issuance checked after each.
use super::*;
use crate::competition::{CompetitionPhase, PublicScore, Validation};
use ark_bn254::Fr;
use zkml::quant::QuantModel;
use zkml_primitives::{
    claim::Envelope,
    competition::{competition_context, pack_test_set},
    keys::random_secret,
};

const SPLIT: DatasetShape = DatasetShape { m: 10, p: 4, n: 1 };
const PRIZE: u64 = 4_000;
const BOND: u64 = 1_000;
const SUBMIT: u64 = 10;
const REVEAL: u64 = 10;
const SCORE: u64 = 10;

struct Split {
    train: QuantDataset,
    validation: QuantDataset,
    test: QuantDataset,
    /// Good, medium and bad models (in this order their test SSEs increase).
    models: Vec<QuantModel>,
    organizer_pk: PublicKey,
    proving_key: ProvingKey<Bn254>,
    verifying_key: Vec<u8>,
}

fn split() -> &'static Split {
    static S: OnceLock<Split> = OnceLock::new();
    S.get_or_init(|| {
        let mut rng = StdRng::seed_from_u64(11);
        let w = ndarray::Array2::from_shape_fn((4, 1), |_| rng.gen_range(-5.0..5.0));
        let rows = |m: usize, rng: &mut StdRng| {
            let x = ndarray::Array2::from_shape_fn((m, 4), |_| rng.gen_range(-2.0..2.0));
            let y = x.dot(&w) + 0.5 + ndarray::Array2::from_shape_fn((m, 1), |_| rng.gen_range(-0.3..0.3));
            FloatDataset { x, y }
        };
        let (train, validation, test) = (rows(20, &mut rng), rows(10, &mut rng), rows(10, &mut rng));
        // The organizer calibrates on all their data, so every split quantizes at the same scales.
        let all = FloatDataset {
            x: ndarray::concatenate![ndarray::Axis(0), train.x, validation.x, test.x],
            y: ndarray::concatenate![ndarray::Axis(0), train.y, validation.y, test.y],
        };
        let scales = quant::calibrate(&all, &Settings::default()).unwrap();
        let q = |d: &FloatDataset| QuantDataset::new(d, scales.clone()).unwrap();
        let (train_q, val_q, test_q) = (q(&train), q(&validation), q(&test));
        let models = [0.0, 0.2, 0.8]
            .iter()
            .map(|noise| {
                let w = &w + &ndarray::Array2::from_shape_fn((4, 1), |_| rng.gen_range(-1.0..1.0) * noise);
                QuantModel::new(&FloatModel { w, b: ndarray::Array1::from_elem(1, 0.5) }, &train_q.shape, &scales).unwrap()
            })
            .collect();
        let (proving_key, vk) = prover::setup(test_q.shape, &mut rng).unwrap();
        Split {
            train: train_q,
            validation: val_q,
            test: test_q,
            models,
            organizer_pk: PublicKey::from_secret(&SecretScalar::from(4242u64)),
            proving_key,
            verifying_key: groth16::encode_verifying_key(&vk),
        }
    })
}

/// A competitor's entry: their model and the envelope secrets behind its commitment.
#[derive(Clone)]
struct Entry {
    model: QuantModel,
    sk: SecretScalar,
    nonce: Fr,
}

impl Entry {
    fn new(model: usize, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Entry { model: split().models[model].clone(), sk: random_secret(&mut rng), nonce: Fr::from(seed * 7919 + 1) }
    }
    fn envelope(&self) -> Envelope {
        prover::envelope_for(&self.model.field_params(), &self.sk, &split().organizer_pk, self.nonce)
    }
    fn commitment(&self) -> FieldBytes {
        fr_to_bytes(&self.envelope().hash())
    }
    /// The exact SSE of the model on `data`.
    fn sse(&self, data: &QuantDataset) -> u128 {
        quant::field_to_u128(&quant::sse(data, &self.model)).unwrap()
    }
    /// A real proof that this entry's committed model has SSE ≤ `score` on `data`, for `context`, paying `payee`.
    fn proof_for(&self, data: &QuantDataset, context: u64, score: u128, payee: u64) -> BoundedVec<u8, frame_support::traits::ConstU32<128>> {
        let req = ClaimRequest {
            dataset: data,
            model: &self.model,
            organizer_pk: split().organizer_pk,
            payee: account_bytes(&payee),
            bounty_id: context,
            sse_cap: score,
        };
        let prepared = prover::prepare_claim_with_envelope_secrets(&req, self.sk, self.nonce).unwrap();
        assert_eq!(fr_to_bytes(&prepared.envelope.hash()), self.commitment());
        let circuit = ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: data.shape, assignment: Some(prepared.assignment) };
        let proof = prover::prove(&split().proving_key, &circuit, &mut StdRng::seed_from_u64(score as u64 ^ payee)).unwrap();
        groth16::encode_proof(&proof).try_into().unwrap()
    }
    fn score_proof(&self, competition: CompetitionId, payee: u64) -> (u128, BoundedVec<u8, frame_support::traits::ConstU32<128>>) {
        let score = self.sse(&split().test);
        (score, self.proof_for(&split().test, competition_context(competition), score, payee))
    }
    fn public_score(&self, competition: CompetitionId, submitter: u64) -> PublicScore {
        let score = self.sse(&split().validation);
        PublicScore { score, proof: self.proof_for(&split().validation, competition_context(competition), score, submitter) }
    }
}

fn hash_of(d: &QuantDataset) -> FieldBytes {
    fr_to_bytes(&d.hash())
}

fn register_split_records() {
    let s = split();
    for d in [&s.train, &s.validation] {
        let shape = DatasetShape { m: d.shape.m, p: d.shape.p, n: d.shape.n };
        assert_ok!(ZkmlBounties::register_dataset(
            RuntimeOrigin::signed(ALICE),
            hash_of(d),
            b"QmSplit".to_vec().try_into().unwrap(),
            shape,
            d.scales.x_frac_bits.iter().map(|v| *v as i8).collect::<Vec<_>>().try_into().unwrap(),
            d.scales.y_frac_bits as i8,
        ));
    }
    assert_ok!(register_key_as(ALICE, &s.verifying_key, SPLIT));
}

fn key_hash() -> [u8; 32] {
    sp_io::hashing::blake2_256(&split().verifying_key)
}

/// Alice posts a competition committing to `test_hash`; returns its id.
fn post_with(test_hash: FieldBytes, shares: &[u32]) -> CompetitionId {
    let id = NextCompetitionId::<Test>::get();
    assert_ok!(ZkmlBounties::post_competition(
        RuntimeOrigin::signed(ALICE),
        hash_of(&split().train),
        Some(Validation { dataset: hash_of(&split().validation), verifying_key: key_hash() }),
        test_hash,
        SPLIT.m,
        key_hash(),
        split().organizer_pk.to_bytes(),
        PRIZE,
        BOND,
        SUBMIT,
        REVEAL,
        SCORE,
        shares.to_vec().try_into().unwrap(),
    ));
    id
}

fn post_competition(shares: &[u32]) -> CompetitionId {
    register_split_records();
    post_with(hash_of(&split().test), shares)
}

fn submit(who: u64, c: CompetitionId, e: &Entry, public: bool) -> sp_runtime::DispatchResult {
    let ps = public.then(|| e.public_score(c, who));
    ZkmlBounties::submit(RuntimeOrigin::signed(who), c, e.commitment(), ps)
}

fn test_words() -> Vec<FieldBytes> {
    pack_test_set(&split().test.x_q, &split().test.y_q)
}

fn reveal(who: u64, c: CompetitionId, words: Vec<FieldBytes>) -> sp_runtime::DispatchResult {
    ZkmlBounties::reveal_test_set(RuntimeOrigin::signed(who), c, words.try_into().unwrap())
}

fn score(who: u64, c: CompetitionId, index: u32, e: &Entry, payee: u64) -> sp_runtime::DispatchResult {
    let (s, proof) = e.score_proof(c, payee);
    ZkmlBounties::score(RuntimeOrigin::signed(who), c, index, s, proof, payee)
}

fn deliver_model(who: u64, c: CompetitionId, index: u32, e: &Entry) -> sp_runtime::DispatchResult {
    let env = e.envelope();
    ZkmlBounties::deliver_model(
        RuntimeOrigin::signed(who),
        c,
        index,
        env.competitor_pk.to_bytes(),
        fr_to_bytes(&env.nonce),
        env.ciphertext.iter().map(fr_to_bytes).collect::<Vec<_>>().try_into().unwrap(),
    )
}

fn finalize(c: CompetitionId) -> sp_runtime::DispatchResult {
    ZkmlBounties::finalize_competition(RuntimeOrigin::signed(CHARLIE), c).map(|_| ()).map_err(|e| e.error)
}

fn phase(c: CompetitionId) -> CompetitionPhase<Test> {
    Competitions::<Test>::get(c).unwrap().phase
}

fn free(who: u64) -> u64 {
    Balances::free_balance(who)
}

#[test]
fn a_competition_ranks_by_the_hidden_test_set_and_pays_winners_who_deliver() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[3, 1]);
        assert_eq!(ZkmlBounties::split_prize(6_000_000_000_000, &[2, 1]), vec![4_000_000_000_000, 2_000_000_000_000]);
        assert_eq!(ZkmlBounties::split_prize(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(held(HoldReason::CompetitionPrize, ALICE), PRIZE);
        assert_eq!(held(HoldReason::RevealBond, ALICE), BOND);
        let (good, medium, bad) = (Entry::new(0, 1), Entry::new(1, 2), Entry::new(2, 3));
        assert!(good.sse(&split().test) < medium.sse(&split().test) && medium.sse(&split().test) < bad.sse(&split().test));
        // Submit: BOB and DAVE with public scores (the public leaderboard), CHARLIE without.
        assert_ok!(submit(BOB, c, &good, true));
        assert_ok!(submit(DAVE, c, &medium, true));
        assert_ok!(submit(CHARLIE, c, &bad, false));
        assert_eq!(Submissions::<Test>::get(c, 0).unwrap().public_score, Some(good.sse(&split().validation)));
        assert_eq!(Submissions::<Test>::get(c, 2).unwrap().public_score, None);
        assert_eq!(held(HoldReason::SubmissionDeposit, BOB), SUBMISSION_DEPOSIT);
        // Nothing of a model is on chain: only the commitments.
        for e in [&good, &medium, &bad] {
            let env = e.envelope();
            let blobs = all_state_and_events();
            assert!(!env.ciphertext.iter().any(|ct| blobs.iter().any(|b| b.windows(32).any(|w| w == fr_to_bytes(ct)))));
        }
        // Reveal after submissions close: the bond comes back, scoring opens.
        run_to(1 + SUBMIT + 1);
        let free_alice = free(ALICE);
        assert_ok!(reveal(BOB, c, test_words())); // anyone holding the data may reveal
        assert_eq!(free(ALICE), free_alice + BOND);
        let CompetitionPhase::Revealed { score_until, .. } = phase(c) else { panic!("not revealed") };
        // Scores (out of commitment order); the ranking is by score.
        assert_ok!(score(CHARLIE, c, 2, &bad, CHARLIE));
        assert_ok!(score(DAVE, c, 1, &medium, DAVE));
        assert_ok!(score(BOB, c, 0, &good, BOB));
        assert_eq!(held(HoldReason::SubmissionDeposit, BOB), 0);
        let ranking: Vec<u32> = Competitions::<Test>::get(c).unwrap().ranking.iter().map(|(_, i)| *i).collect();
        assert_eq!(ranking, vec![0, 1, 2]);
        // Finalizing before the window ends is refused.
        assert_noop!(finalize(c), Error::<Test>::TooEarly);
        run_to(score_until + 1);
        assert_ok!(finalize(c));
        let comp = Competitions::<Test>::get(c).unwrap();
        assert_eq!(comp.slots.iter().map(|s| (s.holder, s.share)).collect::<Vec<_>>(), vec![(Some(0), 3_000), (Some(1), 1_000)]);
        // Only winners deliver; a loser's (CHARLIE's) envelope is refused.
        assert_noop!(deliver_model(CHARLIE, c, 2, &bad), Error::<Test>::NotWinner);
        // A winner's delivery must be the committed envelope.
        assert_noop!(deliver_model(BOB, c, 0, &Entry::new(0, 99)), Error::<Test>::EnvelopeMismatch);
        let (bob, dave) = (free(BOB), free(DAVE));
        assert_ok!(deliver_model(BOB, c, 0, &good));
        assert_ok!(deliver_model(DAVE, c, 1, &medium));
        assert_eq!((free(BOB), free(DAVE)), (bob + 3_000, dave + 1_000));
        assert_noop!(deliver_model(BOB, c, 0, &good), Error::<Test>::NotWinner);
        assert_eq!(held(HoldReason::CompetitionPrize, ALICE), 0);
        // The organizer decrypts the winner's model from the stored envelope.
        let rec = CompetitionModels::<Test>::get(c, 0).unwrap();
        let shared = zkml_primitives::keys::shared_point(&SecretScalar::from(4242u64), &PublicKey::from_bytes(&rec.competitor_key).unwrap());
        let ct: Vec<Fr> = rec.ciphertext.iter().map(|b| zkml_primitives::encoding::fr_from_bytes(b).unwrap()).collect();
        let params = zkml_primitives::keys::decrypt(&ct, &shared, zkml_primitives::encoding::fr_from_bytes(&rec.nonce).unwrap());
        assert_eq!(QuantModel::from_field_params(&params, &split().train.shape).unwrap(), good.model);
        assert!(CompetitionModels::<Test>::get(c, 2).is_none());
        assert_eq!(Balances::total_issuance(), issuance);
        // Every deposit of a scored submission came back; only storage deposits remain held by Alice.
        for who in [BOB, DAVE, CHARLIE] {
            assert_eq!(held(HoldReason::SubmissionDeposit, who), 0);
        }
    });
}


#[test]
fn submissions_close_at_the_deadline_and_are_limited_per_account() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[1]);
        let e = Entry::new(0, 1);
        assert_ok!(submit(BOB, c, &e, false));
        assert_ok!(submit(BOB, c, &Entry::new(1, 2), false));
        // MaxSubmissionsPerAccount = 2 in the mock.
        assert_noop!(submit(BOB, c, &Entry::new(2, 3), false), Error::<Test>::SubmissionLimitReached);
        // A public score the model does not reach (one unit better than its true SSE) has no valid proof: the
        // proof for the true score does not verify for the better one.
        let mut ps = e.public_score(c, DAVE);
        ps.score -= 1;
        assert_noop!(ZkmlBounties::submit(RuntimeOrigin::signed(DAVE), c, e.commitment(), Some(ps)), Error::<Test>::InvalidProof);
        // A public score proven for another submitter's account does not verify for this one.
        let ps = e.public_score(c, BOB);
        assert_noop!(ZkmlBounties::submit(RuntimeOrigin::signed(DAVE), c, e.commitment(), Some(ps)), Error::<Test>::InvalidProof);
        // Too late.
        run_to(1 + SUBMIT + 1);
        assert_noop!(submit(DAVE, c, &e, false), Error::<Test>::SubmissionsClosed);
        assert_noop!(ZkmlBounties::submit(RuntimeOrigin::signed(DAVE), 99, e.commitment(), None), Error::<Test>::UnknownCompetition);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn only_the_committed_test_set_can_be_revealed_and_only_in_its_window() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[1]);
        assert_ok!(submit(BOB, c, &Entry::new(0, 1), false));
        // Before submissions close the test set stays hidden.
        assert_noop!(reveal(ALICE, c, test_words()), Error::<Test>::SubmissionsOpen);
        run_to(1 + SUBMIT + 1);
        // Another test set (one value changed, validly packed): not the committed hash.
        let mut y = split().test.y_q.clone();
        y[3] += 1;
        assert_noop!(reveal(ALICE, c, pack_test_set(&split().test.x_q, &y)), Error::<Test>::TestSetMismatch);
        // The validation split (the right size): not the committed hash either.
        let v = &split().validation;
        assert_noop!(reveal(ALICE, c, pack_test_set(&v.x_q, &v.y_q)), Error::<Test>::TestSetMismatch);
        // Wrong word count, and a word with a bit beyond its values.
        let mut words = test_words();
        words.pop();
        assert_noop!(reveal(ALICE, c, words), Error::<Test>::MalformedTestSet);
        let mut words = test_words();
        words[0][31] = 1;
        assert_noop!(reveal(ALICE, c, words), Error::<Test>::MalformedTestSet);
        assert_ok!(reveal(ALICE, c, test_words()));
        assert_noop!(reveal(ALICE, c, test_words()), Error::<Test>::RevealClosed);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

/// The attack the packing check exists for: an organizer commits to the hash of words that are *not* a
/// valid packing (no in-range test set has that hash, so no competitor could ever prove a score) and hopes to
/// get the prize back when nobody scores. The reveal is refused, so the test set counts as withheld: prize
/// and bond go to the committers. A reveal after the deadline is refused too.
#[test]
fn an_organizer_who_never_reveals_pays_prize_and_bond_to_the_committers() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        register_split_records();
        let mut crafted = test_words();
        crafted[0][31] = 1;
        let shape = zkml_primitives::dataset::Shape { m: SPLIT.m, p: SPLIT.p, n: SPLIT.n };
        let words: Vec<Fr> = crafted.iter().map(|w| zkml_primitives::encoding::fr_from_bytes(w).unwrap()).collect();
        let xn = zkml_primitives::dataset::words_for(shape.x_len(), zkml_primitives::dataset::X_BITS);
        let crafted_hash =
            zkml_primitives::dataset::dataset_hash_from_words(&shape, &split().test.scales, &words[..xn], &words[xn..]).unwrap();
        let c = post_with(fr_to_bytes(&crafted_hash), &[1]);
        assert_ok!(submit(BOB, c, &Entry::new(0, 1), false));
        assert_ok!(submit(DAVE, c, &Entry::new(1, 2), false));
        assert_ok!(submit(DAVE, c, &Entry::new(2, 3), false));
        run_to(1 + SUBMIT + 1);
        assert_noop!(reveal(ALICE, c, crafted), Error::<Test>::MalformedTestSet);
        assert_noop!(finalize(c), Error::<Test>::TooEarly);
        run_to(1 + SUBMIT + REVEAL + 1);
        assert_noop!(reveal(ALICE, c, test_words()), Error::<Test>::RevealClosed);
        let (alice, bob, dave) = (free(ALICE), free(BOB), free(DAVE));
        assert_ok!(finalize(c));
        assert_eq!(phase(c), CompetitionPhase::Forfeited);
        // Three submissions: (4000 + 1000) / 3 = 1666 each (1333 of prize + 333 of bond), 2 units back.
        let each = PRIZE / 3 + BOND / 3;
        assert_eq!(free(BOB), bob + each + SUBMISSION_DEPOSIT);
        assert_eq!(free(DAVE), dave + 2 * each + 2 * SUBMISSION_DEPOSIT);
        assert_eq!(free(ALICE), alice + (PRIZE % 3) + (BOND % 3));
        assert_eq!(held(HoldReason::CompetitionPrize, ALICE) + held(HoldReason::RevealBond, ALICE), 0);
        assert_noop!(finalize(c), Error::<Test>::CompetitionOver);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn a_score_must_be_of_the_committed_model_on_the_revealed_test_set_for_its_payee() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[1]);
        let (bob_entry, charlie_entry) = (Entry::new(0, 1), Entry::new(2, 3));
        assert_ok!(submit(BOB, c, &bob_entry, false));
        assert_ok!(submit(CHARLIE, c, &charlie_entry, false));
        // Before the reveal: no scoring.
        assert_noop!(score(BOB, c, 0, &bob_entry, BOB), Error::<Test>::NotScoring);
        run_to(1 + SUBMIT + 1);
        assert_ok!(reveal(ALICE, c, test_words()));
        // A better model than the committed one (CHARLIE committed the bad one, then proves the good one
        // under the same envelope secrets): its envelope hash is not the commitment.
        let swapped = Entry { model: split().models[0].clone(), ..charlie_entry.clone() };
        assert_noop!(score(CHARLIE, c, 1, &swapped, CHARLIE), Error::<Test>::InvalidProof);
        // A proof on another test set (the public validation split).
        let s = charlie_entry.sse(&split().validation);
        let proof = charlie_entry.proof_for(&split().validation, competition_context(c), s, CHARLIE);
        assert_noop!(ZkmlBounties::score(RuntimeOrigin::signed(CHARLIE), c, 1, s, proof, CHARLIE), Error::<Test>::InvalidProof);
        // A proof for a bounty with this id (no competition context): not a competition proof.
        let s = charlie_entry.sse(&split().test);
        let proof = charlie_entry.proof_for(&split().test, c, s, CHARLIE);
        assert_noop!(ZkmlBounties::score(RuntimeOrigin::signed(CHARLIE), c, 1, s, proof, CHARLIE), Error::<Test>::InvalidProof);
        // BOB's score proof copied: to CHARLIE's payee it does not verify; on BOB's submission only BOB scores.
        let (bob_score, bob_proof) = bob_entry.score_proof(c, BOB);
        assert_noop!(
            ZkmlBounties::score(RuntimeOrigin::signed(CHARLIE), c, 1, bob_score, bob_proof.clone(), CHARLIE),
            Error::<Test>::InvalidProof
        );
        assert_noop!(
            ZkmlBounties::score(RuntimeOrigin::signed(CHARLIE), c, 0, bob_score, bob_proof.clone(), CHARLIE),
            Error::<Test>::NotSubmitter
        );
        // A better score than the proof shows.
        assert_noop!(
            ZkmlBounties::score(RuntimeOrigin::signed(BOB), c, 0, bob_score - 1, bob_proof.clone(), BOB),
            Error::<Test>::InvalidProof
        );
        assert_ok!(ZkmlBounties::score(RuntimeOrigin::signed(BOB), c, 0, bob_score, bob_proof.clone(), BOB));
        assert_noop!(
            ZkmlBounties::score(RuntimeOrigin::signed(BOB), c, 0, bob_score, bob_proof, BOB),
            Error::<Test>::AlreadyScored
        );
        // After the window: no more scores; CHARLIE never scored, so his deposit goes to the organizer.
        let CompetitionPhase::Revealed { score_until, .. } = phase(c) else { panic!() };
        run_to(score_until + 1);
        assert_noop!(score(CHARLIE, c, 1, &charlie_entry, CHARLIE), Error::<Test>::NotScoring);
        let alice = free(ALICE);
        assert_ok!(finalize(c));
        assert_eq!(free(ALICE), alice + SUBMISSION_DEPOSIT);
        assert_eq!(held(HoldReason::SubmissionDeposit, CHARLIE), 0);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn a_winner_who_does_not_deliver_forfeits_to_the_next_in_rank() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[1]);
        let (good, medium) = (Entry::new(0, 1), Entry::new(1, 2));
        assert_ok!(submit(BOB, c, &good, false));
        assert_ok!(submit(DAVE, c, &medium, false));
        run_to(1 + SUBMIT + 1);
        assert_ok!(reveal(ALICE, c, test_words()));
        assert_ok!(score(BOB, c, 0, &good, BOB));
        assert_ok!(score(DAVE, c, 1, &medium, DAVE));
        let CompetitionPhase::Revealed { score_until, .. } = phase(c) else { panic!() };
        run_to(score_until + 1);
        assert_ok!(finalize(c));
        // DAVE (second) holds no slot while BOB's window runs.
        assert_noop!(deliver_model(DAVE, c, 1, &medium), Error::<Test>::NotWinner);
        assert_noop!(finalize(c), Error::<Test>::TooEarly);
        run_to(score_until + 1 + DELIVERY_WINDOW + 1);
        assert_noop!(deliver_model(BOB, c, 0, &good), Error::<Test>::DeliveryWindowPassed);
        assert_ok!(finalize(c));
        assert_eq!(Competitions::<Test>::get(c).unwrap().slots[0].holder, Some(1));
        assert_noop!(deliver_model(BOB, c, 0, &good), Error::<Test>::NotWinner);
        let dave = free(DAVE);
        assert_ok!(deliver_model(DAVE, c, 1, &medium));
        assert_eq!(free(DAVE), dave + PRIZE);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn a_slot_with_nobody_left_in_rank_returns_to_the_organizer() {
    new_test_ext().execute_with(|| {
        let issuance = Balances::total_issuance();
        let c = post_competition(&[1, 1]);
        let good = Entry::new(0, 1);
        assert_ok!(submit(BOB, c, &good, false));
        run_to(1 + SUBMIT + 1);
        assert_ok!(reveal(ALICE, c, test_words()));
        assert_ok!(score(BOB, c, 0, &good, BOB));
        let CompetitionPhase::Revealed { score_until, .. } = phase(c) else { panic!() };
        run_to(score_until + 1);
        let alice = free(ALICE);
        assert_ok!(finalize(c));
        // One scored submission for two shares: the second share is released at once.
        assert_eq!(free(ALICE), alice + PRIZE / 2);
        run_to(score_until + 1 + DELIVERY_WINDOW + 1);
        assert_ok!(finalize(c));
        assert_eq!(free(ALICE), alice + PRIZE);
        assert_eq!(held(HoldReason::CompetitionPrize, ALICE), 0);
        assert_eq!(Balances::total_issuance(), issuance);
    });
}

#[test]
fn competition_terms_are_validated() {
    new_test_ext().execute_with(|| {
        register_split_records();
        let s = split();
        let post = |val: Option<Validation>, rows: u32, key: [u8; 32], prize: u64, bond: u64, shares: Vec<u32>| {
            ZkmlBounties::post_competition(
                RuntimeOrigin::signed(ALICE),
                hash_of(&s.train),
                val,
                hash_of(&s.test),
                rows,
                key,
                s.organizer_pk.to_bytes(),
                prize,
                bond,
                SUBMIT,
                REVEAL,
                SCORE,
                shares.try_into().unwrap(),
            )
        };
        let val = Some(Validation { dataset: hash_of(&s.validation), verifying_key: key_hash() });
        assert_noop!(post(val, 11, key_hash(), PRIZE, BOND, vec![1]), Error::<Test>::ShapeMismatch);
        assert_noop!(post(val, 10, [9; 32], PRIZE, BOND, vec![1]), Error::<Test>::UnknownVerifyingKey);
        assert_noop!(post(val, 10, key_hash(), PRIZE, MIN_REVEAL_BOND - 1, vec![1]), Error::<Test>::BondBelowMinimum);
        assert_noop!(post(val, 10, key_hash(), PRIZE, BOND, vec![]), Error::<Test>::InvalidShares);
        // A test set too large to reveal in one block (MaxRevealWords = 2,048 in the mock): 5,000 rows of 4
        // features and 1 output need 1,250 + 500 words; 20,000 rows need 5,000 + 2,000 and do not fit.
        assert_noop!(post(val, 20_000, key_hash(), PRIZE, BOND, vec![1]), Error::<Test>::TestSetTooLarge);
        // A scoring window shorter than MinScoreBlocks (5 in the mock): reveal and close before anyone proves.
        assert_noop!(
            ZkmlBounties::post_competition(
                RuntimeOrigin::signed(ALICE), hash_of(&s.train), None, hash_of(&s.test), 10, key_hash(),
                s.organizer_pk.to_bytes(), PRIZE, BOND, SUBMIT, REVEAL, 4, vec![1].try_into().unwrap(),
            ),
            Error::<Test>::ScoreWindowTooShort
        );
        assert_noop!(post(val, 10, key_hash(), PRIZE, BOND, vec![1, 0]), Error::<Test>::InvalidShares);
        // A share below the minimum payout.
        assert_noop!(post(val, 10, key_hash(), 150, BOND, vec![1, 1]), Error::<Test>::AmountBelowMinimum);
        let no_such = Some(Validation { dataset: [3; 32], verifying_key: key_hash() });
        assert_noop!(post(no_such, 10, key_hash(), PRIZE, BOND, vec![1]), Error::<Test>::UnknownDataset);
        assert_noop!(post(val, 10, key_hash(), 10_000_000, BOND, vec![1]), Error::<Test>::InsufficientBalance);
        assert_ok!(post(None, 10, key_hash(), PRIZE, BOND, vec![1]));
        // Without a validation split there is no public score.
        let e = Entry::new(0, 1);
        let ps = PublicScore { score: 1, proof: vec![0u8; 128].try_into().unwrap() };
        assert_noop!(ZkmlBounties::submit(RuntimeOrigin::signed(BOB), 0, e.commitment(), Some(ps)), Error::<Test>::NoValidationSet);
        // The records a competition uses cannot be removed.
        assert_noop!(ZkmlBounties::remove_dataset(RuntimeOrigin::signed(ALICE), hash_of(&s.train)), Error::<Test>::RecordInUse);
        assert_noop!(ZkmlBounties::remove_verifying_key(RuntimeOrigin::signed(ALICE), key_hash()), Error::<Test>::RecordInUse);
    });
}
