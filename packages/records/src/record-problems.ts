// Whether a record may be published here (the publish side of record-types.ts): `data` an object
// of categories, `basic` with its name, the type's own category where the type requires one, all
// under the strict rules. Problems come back as paths + rules, so the 400 says which field is wrong.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { isObject } from './is-object.js';
import { BASIC_RULE, CATEGORY_RULES, categorySchema, type CategoryRule } from './record-types.js';

export interface RecordProblem {
  path: string;
  rule: string;
}

const MAX_PROBLEMS = 10;

const compile = (rule: CategoryRule): { rule: CategoryRule; check: TypeCheck<TSchema> } => ({
  rule,
  check: TypeCompiler.Compile(categorySchema(rule, 'publish')),
});
const basic = compile(BASIC_RULE);
const categories = new Map([...CATEGORY_RULES].map(([type, rule]) => [type, compile(rule)]));

/** Problems of `data` for `recordType` (at most 10); empty when it may be published. */
export function recordProblems(recordType: string, data: unknown): RecordProblem[] {
  if (!isObject(data)) return [{ path: 'data', rule: 'must be an object of categories' }];
  const out: RecordProblem[] = [];
  const check = (c: TypeCheck<TSchema>, value: unknown, base: string): void => {
    for (const e of c.Errors(value)) {
      if (out.length >= MAX_PROBLEMS) return;
      out.push({ path: `${base}${e.path.replace(/\//g, '.')}`, rule: e.message });
    }
  };
  for (const [name, value] of Object.entries(data)) {
    if (!isObject(value)) out.push({ path: `data.${name}`, rule: 'a category must be an object of fields' });
  }
  if (!Object.hasOwn(data, 'basic') || data['basic'] === undefined)
    out.push({ path: 'data.basic', rule: 'is required' });
  else check(basic.check, data['basic'], 'data.basic');
  const own = categories.get(recordType);
  if (own !== undefined) {
    if (!Object.hasOwn(data, recordType) || data[recordType] === undefined) {
      if (own.rule.requiredAtPublish) out.push({ path: `data.${recordType}`, rule: `is required for a ${recordType}` });
    } else check(own.check, data[recordType], `data.${recordType}`);
  }
  return out.slice(0, MAX_PROBLEMS);
}
