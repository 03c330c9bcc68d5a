// Elasticsearch bulk item errors as ES writes them (seed 000's texts, ES 7 and ES 8/9 forms)
// turned into the structured conflict the SQLite guard gives for the same documents.
import { describe, expect, it } from 'vitest';
import { FieldTypeGuard, mapBulkItemError, parseEsConflict, type StoreMappingError } from '../src/index.js';

const shoppingFloat = { data: { shoppingList: { item_names: ['milk', 'flour'], item_prices: [1.5, 0.25] } } };
const sessionObject = { data: { conversationSession: { messages: [{ role: 'user', content: 'hello' }] } } };

describe('parseEsConflict', () => {
  it("seed 000: 'mapper [data.shoppingList.item_prices] cannot be changed from type [long] to [float]'", () => {
    const error = {
      type: 'illegal_argument_exception',
      reason: 'mapper [data.shoppingList.item_prices] cannot be changed from type [long] to [float]',
    };
    expect(parseEsConflict(error, shoppingFloat)).toEqual({
      path: 'data.shoppingList.item_prices',
      fixedType: 'long',
      incomingType: 'float',
      sample: '[1.5,0.25]',
    });
    // Without the document the reason still names both types; the sample is empty.
    expect(parseEsConflict(error)).toEqual({
      path: 'data.shoppingList.item_prices',
      fixedType: 'long',
      incomingType: 'float',
      sample: '',
    });
  });

  it("seed 000: 'failed to parse field [data.conversationSession.messages] of type [text]' (ES 7 mapper_parsing_exception)", () => {
    const error = {
      type: 'mapper_parsing_exception',
      reason: 'failed to parse field [data.conversationSession.messages] of type [text]',
      caused_by: { type: 'illegal_state_exception', reason: "Can't get text on a START_OBJECT at 1:86" },
    };
    expect(parseEsConflict(error, sessionObject)).toEqual({
      path: 'data.conversationSession.messages',
      fixedType: 'text',
      incomingType: 'object',
      sample: '{"role":"user","content":"hello"}',
    });
    // No document: the incoming type comes from the cause (START_OBJECT).
    expect(parseEsConflict(error)).toMatchObject({
      path: 'data.conversationSession.messages',
      fixedType: 'text',
      incomingType: 'object',
    });
  });

  it('the ES 8/9 form: document_parsing_exception with a position, the document id and a preview', () => {
    const error = {
      type: 'document_parsing_exception',
      reason:
        "[1:86] failed to parse field [data.conversationSession.messages] of type [text] in document with id 'did:gun:647f79c2a338:session-2'. Preview of field's value: '{role=user, content=hello}'",
      caused_by: { type: 'illegal_state_exception', reason: "Can't get text on a START_OBJECT at 1:86" },
    };
    expect(parseEsConflict(error, sessionObject)).toMatchObject({
      path: 'data.conversationSession.messages',
      fixedType: 'text',
      incomingType: 'object',
    });
    // Without the document, the preview is the sample.
    expect(parseEsConflict(error)?.sample).toBe('"{role=user, content=hello}"');
  });

  it('object mapping vs a concrete value, and a mapping error nested in caused_by', () => {
    const concrete = {
      type: 'document_parsing_exception',
      reason:
        '[1:30] object mapping for [data.basic] tried to parse field [basic] as object, but found a concrete value',
    };
    expect(parseEsConflict(concrete, { data: { basic: 'just text' } })).toEqual({
      path: 'data.basic',
      fixedType: 'object',
      incomingType: 'text',
      sample: '"just text"',
    });
    const nested = {
      type: 'index_failed_exception',
      reason: 'indexing failed',
      caused_by: {
        type: 'mapper_parsing_exception',
        reason: "failed to parse field [data.x.n] of type [long] in document with id '1'",
        caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "abc"' },
      },
    };
    expect(parseEsConflict(nested, { data: { x: { n: 'abc' } } })).toMatchObject({
      path: 'data.x.n',
      fixedType: 'long',
      incomingType: 'text',
      sample: '"abc"',
    });
  });

  it('errors that name no field give no conflict', () => {
    expect(
      parseEsConflict({ type: 'illegal_argument_exception', reason: 'Limit of total fields [1000] has been exceeded' }),
    ).toBeNull();
    expect(
      parseEsConflict({ type: 'es_rejected_execution_exception', reason: 'failed to parse field [a] of type [text]' }),
    ).toBeNull();
    expect(parseEsConflict(undefined)).toBeNull();
  });
});

describe('mapBulkItemError carries the conflict; the guard gives the same structure for the same documents', () => {
  it.each([
    [
      {
        type: 'illegal_argument_exception',
        reason: 'mapper [data.shoppingList.item_prices] cannot be changed from type [long] to [float]',
      },
      shoppingFloat,
      { data: { shoppingList: { item_prices: [2, 12] } } },
    ],
    [
      {
        type: 'mapper_parsing_exception',
        reason: 'failed to parse field [data.conversationSession.messages] of type [text]',
      },
      sessionObject,
      { data: { conversationSession: { messages: ['hi'] } } },
    ],
  ])('%j', (esError, doc, first) => {
    const fromEs = mapBulkItemError(400, esError, doc).toItemError();
    expect(fromEs).toMatchObject({ code: 'STORE_ERR_MAPPING', permanent: true });
    const guard = new FieldTypeGuard();
    const b = guard.batch();
    expect(b.add(first)).toBeNull();
    b.commit();
    const fromGuard = (guard.check(doc) as StoreMappingError).toItemError();
    expect(fromEs.conflict).toEqual(fromGuard.conflict);
    expect(fromEs.conflict).toBeDefined();
  });
});
