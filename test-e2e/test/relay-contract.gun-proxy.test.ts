import { startGunProxy } from '@oip/gun-proxy/testing';
import { describeRelayContract } from '../src/relay-contract.js';

// gun-client against our real gun-proxy (real GUN, radisk in a temp dir) on loopback.
describeRelayContract('apps/gun-proxy', async () => startGunProxy());
