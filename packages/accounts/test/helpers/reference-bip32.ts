// An independent BIP39-seed + BIP32 derivation on node:crypto alone (PBKDF2-HMAC-SHA512,
// HMAC-SHA512 "Bitcoin seed", secp256k1 via ECDH), to check the package's keys against
// something that shares no code with @scure.
import { createECDH, createHmac, pbkdf2Sync } from 'node:crypto';

const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function compressedPublicKey(privateKey: Buffer): Buffer {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(privateKey);
  return ecdh.getPublicKey(null, 'compressed');
}

/** `{ publicKey, privateKey }` hex at `path` (e.g. m/44'/0'/0'/0/0) for a BIP39 phrase. */
export function referenceDerive(mnemonic: string, path: string): { publicKey: string; privateKey: string } {
  const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  let I = createHmac('sha512', 'Bitcoin seed').update(seed).digest();
  let key = I.subarray(0, 32);
  let chain = I.subarray(32);
  for (const segment of path.split('/').slice(1)) {
    const hardened = segment.endsWith("'");
    const index = Number.parseInt(segment, 10) + (hardened ? 0x80000000 : 0);
    const ser = Buffer.alloc(4);
    ser.writeUInt32BE(index);
    const data = hardened
      ? Buffer.concat([Buffer.from([0]), key, ser])
      : Buffer.concat([compressedPublicKey(key), ser]);
    I = createHmac('sha512', chain).update(data).digest();
    const child = (BigInt(`0x${I.subarray(0, 32).toString('hex')}`) + BigInt(`0x${key.toString('hex')}`)) % ORDER;
    key = Buffer.from(child.toString(16).padStart(64, '0'), 'hex');
    chain = I.subarray(32);
  }
  return { publicKey: compressedPublicKey(key).toString('hex'), privateKey: key.toString('hex') };
}
