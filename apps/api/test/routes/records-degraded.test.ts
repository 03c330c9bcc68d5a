// Records the sync worker indexed degraded (conflicting fields set aside under meta.setAside):
// /api/records finds them by name and tags and returns them with those fields restored, the
// same for /api/records/:did and for a degraded record reached through a dref.
import { describe, expect, it } from 'vitest';
import { setAsideFields } from '@oip/record-store';
import { rec, useApi } from '../helpers.js';

const start = useApi();
const PUB = '647f79c2a338';
const MESSAGES = [
  { role: 'user', content: 'how many sets?' },
  { role: 'coach', content: 'three' },
];

describe('degraded records through /api/records', () => {
  it('are found by name and tags and answered with their set-aside fields restored', async () => {
    const whole = rec(
      `${PUB}:session-1`,
      'conversationSession',
      { session_id: 's1', messages: MESSAGES },
      { name: 'Coach chat', tagItems: ['coaching'] },
    );
    const degraded = setAsideFields(whole, ['data.conversationSession.messages'])!;
    const text = rec(
      `${PUB}:session-0`,
      'conversationSession',
      { session_id: 's0', messages: ['hello'] },
      { name: 'Old chat', tagItems: ['coaching'] },
    );
    const post = rec(`${PUB}:post-1`, 'post', { articleText: degraded.oip.did }, { name: 'Linking post' });
    const { app, store } = await start([text, degraded, post]);
    // Stored without the field: the store never indexed it.
    expect((await store.get(whole.oip.did))?.data['conversationSession']).toEqual({ session_id: 's1' });

    const byName = (await app.inject('/api/records?search=coach%20chat')).json();
    expect(byName.searchResults).toBe(1);
    expect(byName.records[0].data.conversationSession).toEqual({ session_id: 's1', messages: MESSAGES });
    expect(byName.records[0].oip.degraded).toEqual(['data.conversationSession.messages']);
    expect(byName.records[0].meta?.setAside).toBeUndefined();

    const byTag = (await app.inject('/api/records?tags=coaching&sortBy=date:desc')).json();
    expect(byTag.records.map((r: { data: { conversationSession: unknown } }) => r.data.conversationSession)).toEqual([
      { session_id: 's0', messages: ['hello'] },
      { session_id: 's1', messages: MESSAGES },
    ]);

    const one = await app.inject(`/api/records/${encodeURIComponent(whole.oip.did)}`);
    expect([one.statusCode, one.json().data.conversationSession.messages]).toEqual([200, MESSAGES]);

    const linked = (await app.inject('/api/records?recordType=post&resolveDepth=1')).json();
    expect(linked.records[0].data.post.articleText.data.conversationSession.messages).toEqual(MESSAGES);
  });
});
