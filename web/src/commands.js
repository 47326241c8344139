// The exact `zkml` commands for what the page does not do itself (proving stays in the CLI), with the ids,
// hashes and endpoints of what is on screen filled in. `ctx.account` is the signed-in account, if any. The
// placeholders a person replaces are in capitals: YOUR_SECRET_URI_FILE (a file holding their secret URI or
// mnemonic) and the model path, whose default is where examples/export_model.py and examples/train.py write.

function endpoints(ctx) {
  return `--url ${ctx.rpc} --ipfs-api ${ctx.ipfs}`;
}

const SIGNER = '--key-file YOUR_SECRET_URI_FILE';

/** A linear regression is a W.npy/b.npy directory; every other kind a model file. */
function modelPath(key) {
  return !key || key.model.name === 'linear' ? './model' : './model.json';
}

/** A key without a ceremony: the CLI refuses it unless told, and the page says why. */
function unverified(key, lines, ctx) {
  if (key && key.ceremony === null) {
    lines.push("# this key was registered without a ceremony: its maker may be able to forge proofs and take the prize back");
    return ' --accept-unverified-key';
  }
  if (key) lines.push(`# check the key's ceremony transcript against the chain (the CLI does this before proving too)`, `zkml ceremony verify --ceremony ${key.ceremony} ${endpoints(ctx)}`);
  return '';
}

export function bountyCommands(b, dataset, key, ctx) {
  const payee = ctx.account ?? 'YOUR_ADDRESS';
  const lines = [
    `# download the dataset (checked against its on-chain hash)`,
    `zkml download-dataset --hash ${b.dataset} --path ./bounty-${b.id}-data ${endpoints(ctx)}`,
  ];
  const flag = unverified(key, lines, ctx);
  lines.push(
    `# prove, reserve and deliver: pays ${payee}`,
    `zkml claim-bounty --bounty ${b.id} --payment ${payee} --model ${modelPath(key)} --dataset ./bounty-${b.id}-data${flag} ${SIGNER} ${endpoints(ctx)}`,
  );
  return lines.join('\n');
}

export function competitionCommands(c, scoringKey, ctx) {
  const lines = [
    `# download the training set${c.validation ? ' and the public validation split' : ''}`,
    `zkml download-dataset --hash ${c.trainDataset} --path ./competition-${c.id}-train ${endpoints(ctx)}`,
  ];
  if (c.validation) lines.push(`zkml download-dataset --hash ${c.validation.dataset} --path ./competition-${c.id}-validation ${endpoints(ctx)}`);
  const flag = unverified(scoringKey, lines, ctx);
  lines.push(
    `# commit to a model before block ${c.submitUntil}${c.validation ? ', with a proven score on the validation split' : ''}`,
    `zkml submit --competition ${c.id} --model ${modelPath(scoringKey)} --train ./competition-${c.id}-train${c.validation ? ` --validation ./competition-${c.id}-validation` : ''}${flag} ${SIGNER} ${endpoints(ctx)}`,
    `# after the reveal: prove your score on the test set (a prize goes to ${ctx.account ?? 'the signer'})`,
    `zkml score --competition ${c.id}${ctx.account ? ` --payee ${ctx.account}` : ''} ${SIGNER} ${endpoints(ctx)}`,
    `# after the scoring window: rank (anyone), then each winner delivers and is paid`,
    `zkml finalize --competition ${c.id} ${SIGNER} ${endpoints(ctx)}`,
    `zkml deliver-model --competition ${c.id} ${SIGNER} ${endpoints(ctx)}`,
  );
  return lines.join('\n');
}

export function organizerCommands(c, ctx) {
  return [
    `# package the hidden test set for this page's reveal button (or reveal from the CLI directly)`,
    `zkml test-set --train ${c.trainDataset} --test ./test-set --out ./competition-${c.id}-test-set.json ${endpoints(ctx)}`,
    `zkml reveal-test-set --competition ${c.id} --test ./test-set ${SIGNER} ${endpoints(ctx)}`,
    `# decrypt the winners' models once delivered`,
    `zkml retrieve-models --competition ${c.id} --secret-key keys/org_secret.json --out ./competition-${c.id}-models ${endpoints(ctx)}`,
  ].join('\n');
}
