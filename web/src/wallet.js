// Signing through the standard polkadot.js browser extension (or any wallet injecting the same interface), and
// following a transaction to finality with the runtime's error spelled out.
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';

/** Asks the installed extensions for access; resolves to the accounts they share (may be empty). */
export async function enableWallet() {
  const extensions = await web3Enable('zkml board');
  if (extensions.length === 0) {
    throw new Error('no wallet extension answered: install the polkadot.js extension (or another Substrate wallet) and allow this page');
  }
  return web3Accounts();
}

/** A dispatch error as `pallet.Error: what it means` from the metadata's docs. */
export function explainDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}: ${docs.join(' ').trim()}`;
  }
  return dispatchError.toString();
}

/**
 * Signs `tx` with `address`'s extension and sends it; `onStatus(text)` hears every step. Resolves with the
 * pallet's events once the block holding it is finalized; rejects with the runtime's explanation if it failed.
 */
export async function signAndFollow(api, tx, address, onStatus) {
  const { signer } = await web3FromAddress(address);
  onStatus('waiting for the wallet to sign…');
  return new Promise((resolve, reject) => {
    let unsub = null;
    tx.signAndSend(address, { signer }, (result) => {
      const { status, dispatchError, events } = result;
      if (status.isReady || status.isBroadcast) onStatus('sent: waiting for a block…');
      if (status.isInBlock) onStatus(`in block ${status.asInBlock.toHex().slice(0, 10)}…: waiting for finality…`);
      if (dispatchError && (status.isInBlock || status.isFinalized)) {
        unsub?.();
        reject(new Error(explainDispatchError(api, dispatchError)));
        return;
      }
      if (status.isFinalized) {
        unsub?.();
        resolve(events.filter((e) => e.event.section === 'zkmlBounties').map((e) => e.event));
      }
      if (status.isDropped || status.isInvalid || status.isUsurped || status.isFinalityTimeout) {
        unsub?.();
        reject(new Error(`the transaction was ${status.type.toLowerCase()}`));
      }
    })
      .then((u) => (unsub = u))
      .catch(reject);
  });
}
