// A stand-in for the polkadot.js browser extension in tests: the same injected interface
// (window.injectedWeb3[name].enable → { accounts, signer }) over dev accounts, signing each payload with
// @polkadot/keyring exactly as the extension does for a chain it holds no metadata for. Bundled by the test and
// added to the page before its scripts run; the page cannot tell it from a real wallet.
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const ready = cryptoWaitReady().then(() => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return ['Alice', 'Bob'].map((name) => ({ name, pair: keyring.addFromUri(`//${name}`) }));
});
let id = 0;
window.zkmlSigned = []; // what was signed, for the test to check

window.injectedWeb3 = {
  'zkml-test-wallet': {
    version: '1.0.0',
    enable: async () => {
      const accounts = await ready;
      const list = accounts.map((a) => ({ address: a.pair.address, name: a.name, type: 'sr25519' }));
      return {
        accounts: { get: async () => list, subscribe: (cb) => (cb(list), () => {}) },
        signer: {
          signPayload: async (payload) => {
            const account = accounts.find((a) => a.pair.address === payload.address);
            if (!account) throw new Error(`the wallet holds no key for ${payload.address}`);
            const registry = new TypeRegistry();
            registry.setSignedExtensions(payload.signedExtensions);
            const { signature } = registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(account.pair);
            window.zkmlSigned.push({ address: payload.address, method: payload.method });
            return { id: ++id, signature };
          },
        },
      };
    },
  },
};
