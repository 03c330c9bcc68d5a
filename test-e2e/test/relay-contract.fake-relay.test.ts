import { startFakeRelay } from '@oip/fake-relay';
import { describeRelayContract } from '../src/relay-contract.js';

// The fake relay speaks the legacy gun-relay-server wire format: the baseline both must match.
describeRelayContract('legacy-compatible fake relay', async () => startFakeRelay());
