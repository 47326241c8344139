//! Model kinds on chain, with real Groth16 proofs: an MLP classifier's bounty claimed with a proof of its
//! misclassification count, delivered at the kind's parameter count and decrypted to exactly the proven
//! model; and every way a key of one kind could be made to serve another, refused.
use super::*;
use zkml::circuit::models::{Dense, Network, ProvableModel, QuantizedModel};
use zkml_primitives::model::{ModelKind, Task};

const CLS_SHAPE: DatasetShape = DatasetShape { m: 12, p: 3, n: 1 };

struct Kinds {
    qds: QuantDataset,
    mlp: QuantizedModel,
    linear: QuantizedModel,
    errors: u128,
    mlp_key: (ProvingKey<Bn254>, Vec<u8>),
    linear_key: (ProvingKey<Bn254>, Vec<u8>),
}

fn mlp_kind() -> ModelKindInfo {
    ModelKindInfo::Mlp { hidden: vec![4].try_into().unwrap(), task: ModelTask::Classification { classes: 3 } }
}

fn linear_kind() -> ModelKindInfo {
    ModelKindInfo::Linear { task: ModelTask::Classification { classes: 3 } }
}

/// Three classes; labels are a random MLP's own predictions with a few flipped, so the model makes errors.
fn kinds() -> &'static Kinds {
    static K: OnceLock<Kinds> = OnceLock::new();
    K.get_or_init(|| {
        let mut rng = StdRng::seed_from_u64(11);
        let dense = |i: usize, o: usize, rng: &mut StdRng| Dense {
            w: ndarray::Array2::from_shape_fn((i, o), |_| rng.gen_range(-1.0..1.0)),
            b: ndarray::Array1::from_shape_fn(o, |_| rng.gen_range(-0.3..0.3)),
        };
        let task = Task::Classification { classes: 3 };
        let net = Network { task, layers: vec![dense(3, 4, &mut rng), dense(4, 3, &mut rng)] };
        let lin = Network { task, layers: vec![dense(3, 3, &mut rng)] };
        let x = ndarray::Array2::from_shape_fn((12, 3), |_| rng.gen_range(-2.0..2.0));
        let mut labels = net.predict_classes(&x);
        for i in [0, 5, 9] {
            labels[i] = (labels[i] + 1) % 3;
        }
        let y = ndarray::Array2::from_shape_fn((12, 1), |(i, _)| labels[i] as f64);
        let ds = FloatDataset { x: x.clone(), y };
        let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings { y_frac_bits: Some(0), ..Default::default() }).unwrap()).unwrap();
        let mlp = QuantizedModel::new(&net, &qds.shape, &qds.scales, &x).unwrap();
        let linear = QuantizedModel::new(&lin, &qds.shape, &qds.scales, &x).unwrap();
        let errors = quant::field_to_u128(&mlp.loss_on(&qds).unwrap()).unwrap();
        let key = |kind: &ModelKind, rng: &mut StdRng| {
            let (pk, vk) = prover::setup_for(kind, qds.shape, rng).unwrap();
            (pk, groth16::encode_verifying_key(&vk))
        };
        let mlp_key = key(&mlp.kind, &mut rng);
        let linear_key = key(&linear.kind, &mut rng);
        Kinds { qds, mlp, linear, errors, mlp_key, linear_key }
    })
}

fn cls_hash() -> FieldBytes {
    fr_to_bytes(&kinds().qds.hash())
}

fn register_cls_dataset(y_frac_bits: i8) {
    let k = kinds();
    let scales: Vec<i8> = k.qds.scales.x_frac_bits.iter().map(|v| *v as i8).collect();
    assert_ok!(ZkmlBounties::register_dataset(
        RuntimeOrigin::signed(ALICE),
        cls_hash(),
        b"QmClassifier".to_vec().try_into().unwrap(),
        CLS_SHAPE,
        scales.try_into().unwrap(),
        y_frac_bits,
    ));
}

fn register_kind_key(vk: &[u8], model: ModelKindInfo) -> [u8; 32] {
    assert_ok!(ZkmlBounties::register_verifying_key(
        RuntimeOrigin::signed(ALICE),
        vk.to_vec().try_into().unwrap(),
        CLS_SHAPE,
        model,
        Default::default()
    ));
    sp_io::hashing::blake2_256(vk)
}

fn post_cls(vk: [u8; 32], cap: u128) -> sp_runtime::DispatchResult {
    ZkmlBounties::post_bounty(RuntimeOrigin::signed(ALICE), cls_hash(), vk, fixture().organizer_pk.to_bytes(), cap, AMOUNT, EXPIRES_IN)
}

/// A real claim of `model` (quantized) proven with `key` on `bounty` for BOB.
fn kind_claim(model: &QuantizedModel, key: &ProvingKey<Bn254>, bounty: BountyId, cap: u128) -> ClaimArgs {
    let k = kinds();
    let req = ClaimRequest { dataset: &k.qds, model, organizer_pk: fixture().organizer_pk, payee: account_bytes(&BOB), bounty_id: bounty, sse_cap: cap };
    let mut rng = StdRng::seed_from_u64(bounty + 77);
    let claim = prover::prepare_claim(&req, &mut rng).unwrap();
    let circuit = ClaimCircuit { kind: model.kind.clone(), shape: k.qds.shape, assignment: Some(claim.assignment) };
    let proof = prover::prove(key, &circuit, &mut rng).unwrap();
    claim_args(&claim.envelope, &proof)
}

#[test]
fn an_mlp_classifier_bounty_is_claimed_delivered_and_decrypted() {
    new_test_ext().execute_with(|| {
        let k = kinds();
        assert_eq!(k.errors, 3, "three flipped labels");
        register_cls_dataset(0);
        let vk = register_kind_key(&k.mlp_key.1, mlp_kind());
        assert_eq!(VerifyingKeys::<Test>::get(ALICE, vk).unwrap().model, mlp_kind());
        // "At most 3 of 12 misclassified" (75 % accuracy).
        assert_ok!(post_cls(vk, k.errors));
        let bounty = NextBountyId::<Test>::get() - 1;
        let params = Bounties::<Test>::get(bounty).unwrap().params;
        assert_eq!(params as u64, k.mlp.kind.params_count(&k.qds.shape).unwrap());
        assert_eq!(params, 3 * 4 + 4 + 4 * 3 + 3 + 1);
        // A claim of 2 errors cannot be proven (the prover refuses before proving; the circuit would too).
        let req = ClaimRequest { dataset: &k.qds, model: &k.mlp, organizer_pk: fixture().organizer_pk, payee: account_bytes(&BOB), bounty_id: bounty, sse_cap: 2 };
        assert!(prover::prepare_claim(&req, &mut StdRng::seed_from_u64(1)).is_err());
        let a = kind_claim(&k.mlp, &k.mlp_key.0, bounty, k.errors);
        assert_ok!(claim(BOB, bounty, &a, BOB));
        let before = Balances::free_balance(BOB);
        assert_ok!(deliver(BOB, bounty, &a));
        assert_eq!(Balances::free_balance(BOB), before + AMOUNT + CLAIM_BOND);
        // The organizer decrypts exactly the proven model.
        let record = Claims::<Test>::get(bounty).unwrap();
        let shared = zkml_primitives::keys::shared_point(&SecretScalar::from(4242u64), &PublicKey::from_bytes(&record.competitor_key).unwrap());
        let ct: Vec<_> = record.ciphertext.iter().map(|b| zkml_primitives::encoding::fr_from_bytes(b).unwrap()).collect();
        let nonce = zkml_primitives::encoding::fr_from_bytes(&record.nonce).unwrap();
        let params = zkml_primitives::keys::decrypt(&ct, &shared, nonce);
        let decrypted = QuantizedModel::from_field_params(&k.mlp.kind, &k.qds.shape, &params).unwrap();
        assert_eq!(decrypted.params, k.mlp.params);
    });
}

#[test]
fn a_key_of_one_kind_cannot_serve_another() {
    new_test_ext().execute_with(|| {
        let k = kinds();
        // Kinds that do not exist are refused at registration.
        let one_class = ModelKindInfo::Linear { task: ModelTask::Classification { classes: 1 } };
        let no_layers = ModelKindInfo::Mlp { hidden: vec![].try_into().unwrap(), task: ModelTask::Regression };
        let too_wide = ModelKindInfo::Mlp { hidden: vec![1 << 20].try_into().unwrap(), task: ModelTask::Regression };
        // Trees: none, too deep, or a count that is not a multiple of the 3 class groups.
        let cls = ModelTask::Classification { classes: 3 };
        let no_trees = ModelKindInfo::Trees { trees: 0, depth: 3, task: cls };
        let too_deep = ModelKindInfo::Trees { trees: 3, depth: 11, task: cls };
        let uneven = ModelKindInfo::Trees { trees: 4, depth: 3, task: cls };
        let forest = ModelKindInfo::Trees { trees: u32::MAX, depth: 10, task: cls };
        for bad in [one_class, no_layers, too_wide, no_trees, too_deep, uneven, forest] {
            assert_noop!(
                ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(ALICE), k.mlp_key.1.clone().try_into().unwrap(), CLS_SHAPE, bad, Default::default()),
                Error::<Test>::UnsupportedModel
            );
        }
        // Over MaxParams (256 on the mock): a delivery that could never fit is refused up front.
        let huge = ModelKindInfo::Mlp { hidden: vec![100].try_into().unwrap(), task: ModelTask::Classification { classes: 3 } };
        assert_noop!(
            ZkmlBounties::register_verifying_key(RuntimeOrigin::signed(ALICE), k.mlp_key.1.clone().try_into().unwrap(), CLS_SHAPE, huge, Default::default()),
            Error::<Test>::UnsupportedModel
        );
        // A classifier's dataset must hold labels at scale 2^0: a dataset with fractional Y bits is not one.
        register_cls_dataset(5);
        let vk = register_kind_key(&k.mlp_key.1, mlp_kind());
        assert_noop!(post_cls(vk, k.errors), Error::<Test>::DatasetNotForModel);
    });
    new_test_ext().execute_with(|| {
        let k = kinds();
        register_cls_dataset(0);
        let mlp_vk = register_kind_key(&k.mlp_key.1, mlp_kind());
        let lin_vk = register_kind_key(&k.linear_key.1, linear_kind());
        assert_ok!(post_cls(mlp_vk, 12));
        let mlp_bounty = NextBountyId::<Test>::get() - 1;
        assert_ok!(post_cls(lin_vk, 12));
        let lin_bounty = NextBountyId::<Test>::get() - 1;
        // A linear classifier's proof (another circuit) against the MLP bounty's key: refused.
        let wrong_circuit = kind_claim(&k.linear, &k.linear_key.0, mlp_bounty, 12);
        assert_noop!(claim(BOB, mlp_bounty, &wrong_circuit, BOB), Error::<Test>::InvalidProof);
        // The linear bounty takes it; its delivery is the linear kind's 3·3 + 3 parameters, not the MLP's 32.
        let a = kind_claim(&k.linear, &k.linear_key.0, lin_bounty, 12);
        assert_ok!(claim(BOB, lin_bounty, &a, BOB));
        assert_eq!(a.ciphertext.len(), 12);
        let mut long = a.clone();
        let mlp_len = kind_claim(&k.mlp, &k.mlp_key.0, mlp_bounty, 12).ciphertext;
        long.ciphertext = mlp_len;
        assert_noop!(deliver(BOB, lin_bounty, &long), Error::<Test>::WrongCiphertextLength);
        assert_ok!(deliver(BOB, lin_bounty, &a));
    });
}

fn trees_kind() -> ModelKindInfo {
    ModelKindInfo::Trees { trees: 3, depth: 2, task: ModelTask::Classification { classes: 3 } }
}

/// A tree ensemble (one depth-2 tree per class) on the classifier dataset, and a key for its kind.
fn trees_model() -> &'static (QuantizedModel, ProvingKey<Bn254>, Vec<u8>) {
    static T: OnceLock<(QuantizedModel, ProvingKey<Bn254>, Vec<u8>)> = OnceLock::new();
    T.get_or_init(|| {
        use zkml::circuit::models::{
            trees::{NodeFile, Split, Tree},
            TreeEnsemble,
        };
        let k = kinds();
        let mut rng = StdRng::seed_from_u64(21);
        let trees = (0..3)
            .map(|g| {
                let mut nodes: Vec<NodeFile> = (0..3)
                    .map(|j| NodeFile::Split { feature: rng.gen_range(0..3), threshold: rng.gen_range(-1.0..1.0), left: 2 * j + 1, right: 2 * j + 2 })
                    .collect();
                nodes.extend((0..4).map(|_| NodeFile::Leaf { value: rng.gen_range(-1.0..1.0) }));
                Tree { group: g, nodes }
            })
            .collect();
        let ens = TreeEnsemble { task: Task::Classification { classes: 3 }, split: Split::LessOrEqual, base: vec![0.0; 3], trees, features: 3 };
        let kind = ModelKind::from(&trees_kind());
        let qm = QuantizedModel::from_trees(&ens, &kind, &k.qds.shape, &k.qds.scales, &ndarray::Array2::zeros((0, 3))).unwrap();
        let (pk, vk) = prover::setup_for(&kind, k.qds.shape, &mut rng).unwrap();
        (qm, pk, groth16::encode_verifying_key(&vk))
    })
}

#[test]
fn a_tree_ensemble_bounty_is_claimed_and_decrypted_from_packed_words() {
    new_test_ext().execute_with(|| {
        let k = kinds();
        let (qm, pk, vk_bytes) = trees_model();
        let errors = quant::field_to_u128(&qm.loss_on(&k.qds).unwrap()).unwrap();
        register_cls_dataset(0);
        let vk = register_kind_key(vk_bytes, trees_kind());
        assert_ok!(post_cls(vk, errors));
        let bounty = NextBountyId::<Test>::get() - 1;
        // 9 nodes of 2 + 16 bits (14 per word) and 12 leaves of 48 bits (5 per word): 1 + 3 words.
        assert_eq!(Bounties::<Test>::get(bounty).unwrap().params, 4);
        // The MLP's proof is no proof for the trees key.
        let wrong = kind_claim(&k.mlp, &k.mlp_key.0, bounty, k.errors.max(errors));
        assert_noop!(claim(BOB, bounty, &wrong, BOB), Error::<Test>::InvalidProof);
        let a = kind_claim(qm, pk, bounty, errors);
        assert_ok!(claim(BOB, bounty, &a, BOB));
        assert_ok!(deliver(BOB, bounty, &a));
        let record = Claims::<Test>::get(bounty).unwrap();
        let shared = zkml_primitives::keys::shared_point(&SecretScalar::from(4242u64), &PublicKey::from_bytes(&record.competitor_key).unwrap());
        let ct: Vec<_> = record.ciphertext.iter().map(|b| zkml_primitives::encoding::fr_from_bytes(b).unwrap()).collect();
        let nonce = zkml_primitives::encoding::fr_from_bytes(&record.nonce).unwrap();
        let words = zkml_primitives::keys::decrypt(&ct, &shared, nonce);
        let decrypted = QuantizedModel::from_field_params(&qm.kind, &k.qds.shape, &words).unwrap();
        assert_eq!(decrypted.params, qm.params);
        assert_eq!(decrypted.predict_classes(&k.qds.shape, &k.qds.x_q).unwrap(), qm.predict_classes(&k.qds.shape, &k.qds.x_q).unwrap());
        // A word decrypted with the wrong key does not unpack.
        let other = zkml_primitives::keys::shared_point(&SecretScalar::from(4243u64), &PublicKey::from_bytes(&record.competitor_key).unwrap());
        assert!(QuantizedModel::from_field_params(&qm.kind, &k.qds.shape, &zkml_primitives::keys::decrypt(&ct, &other, nonce)).is_err());
    });
}
