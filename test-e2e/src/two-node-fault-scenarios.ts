// The two-node scenarios about faults between the nodes (relays, media, partitions, forgeries),
// run on SQLite by e2e/two-nodes.test.ts.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { GunClient } from '@oip/gun-client';
import { DELETION_INDEX_SOUL, deletionSoul } from '@oip/records';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { sha256 } from './node-api.js';
import { post } from './two-node-run.js';
import type { Scenario } from './two-node-scenarios.js';
import { until } from '@oip/test-kit';

export const faultScenarios: Scenario[] = [
  {
    id: 2,
    title: "public media uploaded on A is fetched through B's api, hash-verified",
    timeoutMs: 180_000,
    async run(r) {
      const bytes = randomBytes(256 * 1024);
      const mediaId = await r.nodes.a.http.uploadPublic(r.alice.token, bytes, 'clip.bin', 'application/octet-stream');
      expect(mediaId).toBe(sha256(bytes));
      // B answers 404 until A's manifest and presence reached B's relay (B's relay misses are remembered 10 s).
      const got = await until(() => r.nodes.b.http.media(mediaId), {
        what: 'media served by B',
        ok: (r) => r.status === 200,
        timeoutMs: 90_000,
        intervalMs: 250,
      });
      expect(sha256(got.bytes)).toBe(mediaId);
      expect(got.bytes.equals(bytes)).toBe(true);
      await r.assertAtRest();
    },
  },
  {
    id: 5,
    title: "A's gun-proxy SIGKILLed mid-sync and restarted: B catches up",
    timeoutMs: 300_000,
    async run(r) {
      const base = await r.countersB();
      await r.publishPosts('relay-kill', 200);
      // B is indexing the batch, with more of it still in flight.
      const at = await r.waitMidSync('the 200', (p) => p.c.indexed > base.indexed && p.c.inflight >= 10);
      await r.nodes.a.gunProxy.kill('SIGKILL');
      r.log(`A's gun-proxy SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}`);
      await new Promise((r) => setTimeout(r, 3000));
      await r.nodes.a.startGunProxy();
      await until(async () => [await r.nodes.a.gunPeers(), await r.nodes.b.gunPeers()], {
        what: 'peering back after the restart',
        ok: (p) => p.every((x) => x.connected >= 2 && x.inbound >= 1),
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      // Published after the restart: reaches B only through the re-established peering.
      await r.publishPosts('after-relay-restart', 10);
      await r.waitConverged('210 posts around a relay kill', 120_000);
      await r.assertAtRest();
      expect(r.nodes.a.gunProxy.starts).toBe(2);
    },
  },
  {
    id: 6,
    title: 'a partition between A and B for ~60 s while A publishes, then healed: B converges',
    timeoutMs: 330_000,
    async run(r) {
      const base = await r.countersB();
      await r.nodes.link.partition();
      const t0 = Date.now();
      const during: string[] = [];
      for (let round = 0; round < 12 && Date.now() - t0 < 55_000; round++) {
        during.push(...(await r.publishPosts(`partition-${round}`, 3)));
        await new Promise((r) => setTimeout(r, 4_500));
      }
      while (Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 250));
      // Nothing crossed while the link was down.
      const mid = await r.countersB();
      const onB = await r.nodes.b.http.allDids();
      expect(during.filter((d) => onB.includes(d))).toEqual([]);
      expect(mid.indexed).toBe(base.indexed);
      await r.nodes.link.heal();
      r.log(
        `partition healed after ${((Date.now() - t0) / 1000).toFixed(1)} s, ${during.length} posts r.published during it`,
      );
      await r.publishPosts('after-heal', 5);
      await r.waitConverged(`${during.length + 5} posts around a partition`, 180_000);
      await r.assertAtRest();
    },
  },
  {
    id: 9,
    title: "B's gun-proxy stopped while A publishes 10 records, then restarted: B catches up on connect",
    timeoutMs: 300_000,
    async run(r) {
      // B holds its own copy of the post index first (run alone, this scenario would otherwise have B
      // ask A for the whole index, which any /get of a soul B lacks does, catch-up or not).
      await r.publishPosts('before-relay-stop', 1);
      await r.waitConverged("1 post before B's gun-proxy stops");
      const base = await r.countersB();
      await r.nodes.b.gunProxy.stop();
      // A no longer reaches B: its outbound socket and B's inbound one are gone.
      await until(() => r.nodes.a.gunPeers(), {
        what: "A's peering with B down",
        ok: (p) => p.connected === 0 && p.inbound === 0,
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      const during = await r.publishPosts('relay-down', 10);
      // Nothing can cross: B's relay is down, so B's store is unchanged.
      expect((await r.nodes.b.http.allDids()).filter((d) => during.includes(d))).toEqual([]);
      await r.nodes.b.startGunProxy();
      await until(async () => [await r.nodes.a.gunPeers(), await r.nodes.b.gunPeers()], {
        what: "peering back after B's restart",
        ok: (p) => p.every((x) => x.connected >= 2 && x.inbound >= 1),
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      // Only the catch-up of B's gun-proxy with A brings the 10 (no push reached B while it was down).
      await r.waitConverged("10 posts r.published while B's gun-proxy was down", 120_000);
      const c = await r.assertAtRest();
      expect(c.indexed - base.indexed).toBe(10);
      const metrics = await fetch(`${r.nodes.b.gunUrl}/metrics`, { signal: AbortSignal.timeout(5000) }).then((r) =>
        r.text(),
      );
      const runs = metrics.split('\n').filter((l) => l.startsWith('oip_gunproxy_catchup_'));
      r.log(`B's gun-proxy catch-up: ${runs.join('; ')}`);
      expect(runs.some((l) => /^oip_gunproxy_catchup_runs_total\{outcome="complete"\} [1-9]/.test(l))).toBe(true);
      expect(r.nodes.b.gunProxy.starts).toBe(2);
    },
  },
  {
    id: 10,
    title:
      "forged deletions, a forged record and an overwritten soul, through A's public port and straight into the mesh: alice's records stay intact on B",
    timeoutMs: 300_000,
    async run(r) {
      const mallory = await r.nodes.a.http.account(`mallory-${randomBytes(3).toString('hex')}@a.example.org`);
      const victim = (await r.publishPosts('victim', 2))[0]!;
      const shared = await r.nodes.a.http.publish(r.alice.token, 'post', 'victim-shared', {
        ...post('victim-shared', 0),
        accessControl: {
          access_level: 'shared',
          owner_public_key: r.alice.publicKey,
          shared_with: [mallory.publicKey],
        },
      });
      await r.waitConverged('the victim posts');
      const soulOf = (did: string) => did.slice('did:gun:'.length);
      const before = await r.countersB();

      // 1. Through A's public port, anonymous and signed in: every raw write is refused.
      const forgedRecord = {
        data: post('forged', 0),
        oip: { ver: '0.8.0', recordType: 'post', creator: { publicKey: r.alice.publicKey, didAddress: 'did:gun:x' } },
      };
      const writes = [
        { soul: DELETION_INDEX_SOUL, data: { [victim]: true } },
        { soul: deletionSoul(victim), data: { did: victim, deletedAt: Date.now(), deletedBy: r.alice.publicKey } },
        { soul: `${soulOf(victim).split(':')[0]}:forged`, data: forgedRecord },
        {
          soul: soulOf(shared),
          data: {
            ...forgedRecord,
            data: { ...post('shared made public', 0), accessControl: { access_level: 'public' } },
          },
        },
      ];
      for (const token of [undefined, mallory.token]) {
        for (const body of writes) {
          const res = await r.nodes.a.http.call<{ error: { code: string } }>('/gun-relay/put', {
            method: 'POST',
            ...(token ? { token } : {}),
            body,
          });
          expect([body.soul, res.status, res.body.error.code]).toEqual([body.soul, 405, 'API_ERR_RELAY_READ_ONLY']);
        }
      }

      // 2. Straight into A's relay with its write token (a hostile peer or a leaked token): the same
      // forgeries land in GUN and reach B; B's sync-worker must refuse every one.
      const relay = new GunClient({
        baseUrl: r.nodes.a.gunUrl,
        authToken: r.nodes.a.writeToken,
        retry: { attempts: 1 },
      });
      try {
        const hostileNode = 'cccccccccccccccc';
        await relay.markDeleted(victim, r.alice.publicKey); // unsigned
        const forgedSoul = `${soulOf(victim).split(':')[0]}:forged`;
        await relay.putRecord(forgedSoul, forgedRecord);
        await relay.registerRecord({
          soul: forgedSoul,
          recordType: 'post',
          creatorPubKey: r.alice.publicKey,
          nodeId: hostileNode,
          timestamp: Date.now(),
        });
        // The shared record overwritten with a public copy under its old signature, registered anew.
        const original = await relay.getRecord(soulOf(shared));
        // It went to GUN encrypted: none of its text is on the relay.
        expect(original).not.toBeNull();
        expect(JSON.stringify(original)).not.toContain('victim-shared post');
        const publicCopy = { ...post('shared made public', 0), accessControl: { access_level: 'public' } };
        await relay.putRecord(soulOf(shared), {
          data: publicCopy,
          oip: original!.oip,
          meta: { created: Date.now(), localId: 'victim-shared', encrypted: false },
        });
        await relay.registerRecord({
          soul: soulOf(shared),
          recordType: 'post',
          creatorPubKey: r.alice.publicKey,
          nodeId: hostileNode,
          timestamp: Date.now(),
        });
      } finally {
        await relay.close();
      }

      const after = await until(() => r.countersB(), {
        what: 'B refused the forgeries',
        ok: (c) =>
          c.deletionsRefused > before.deletionsRefused &&
          (c.deadByCode[DeadLetterCodes.UNSIGNED] ?? 0) > (before.deadByCode[DeadLetterCodes.UNSIGNED] ?? 0) &&
          (c.deadByCode[DeadLetterCodes.BAD_SIGNATURE] ?? 0) >
            (before.deadByCode[DeadLetterCodes.BAD_SIGNATURE] ?? 0) &&
          c.inflight === 0,
        timeoutMs: 90_000,
        intervalMs: 250,
      });
      expect(after.deletionsRefusedBy['unsigned-over-signed']).toBeGreaterThanOrEqual(1);
      // B (and A) hold exactly what r.alice r.published: the victim post is there, nothing forged is.
      await r.assertAtRest();
      const onB = await r.nodes.b.http.expect<{ records: Array<{ data: { basic: { name: string } } }> }>(
        200,
        `/api/records?did=${encodeURIComponent(victim)}`,
      );
      expect(onB.records.map((r) => r.data.basic.name)).toEqual(['victim post 0']);
      // Nobody reads the shared record anonymously, on either node.
      for (const n of [r.nodes.a, r.nodes.b]) {
        const anon = await n.http.expect<{ records: unknown[] }>(200, `/api/records?did=${encodeURIComponent(shared)}`);
        expect(anon.records).toEqual([]);
      }
    },
  },
];
