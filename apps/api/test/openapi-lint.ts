// The OpenAPI lint: Redocly's recommended rules (@redocly/openapi-core) plus our own, as a plugin:
// every operation has a summary (recommended's operation-summary) and a response schema for its
// success status (oip/operation-success-schema). Problems come back as `rule: message at pointer`.
import { createConfig, lintFromString, type Oas3Rule, type Plugin, type UserContext } from '@redocly/openapi-core';

type Node = Record<string, unknown>;

/** Every operation answers a success (2xx or a redirect); each 2xx with a body (not 204) says what the body is. */
const successSchemaRule: Oas3Rule = () => ({
  Operation: {
    enter(operation, ctx: UserContext) {
      const responses = (operation.responses ?? {}) as unknown as Record<string, Node>;
      const statuses = Object.keys(responses);
      if (!statuses.some((s) => /^[23]\d\d$/.test(s))) {
        ctx.report({ message: 'The operation has no success response', location: ctx.location.child('responses') });
        return;
      }
      for (const status of statuses.filter((s) => /^2\d\d$/.test(s) && s !== '204')) {
        const content = (responses[status]?.['content'] ?? {}) as Record<string, Node>;
        if (!Object.values(content).some((media) => media['schema'] !== undefined))
          ctx.report({
            message: `Response ${status} has no schema`,
            location: ctx.location.child(['responses', status]),
          });
      }
    },
  },
});

// A plugin object given to createConfig keeps its rule ids as written: they carry the plugin's prefix.
const oipPlugin: Plugin = { id: 'oip', rules: { oas3: { 'oip/operation-success-schema': successSchemaRule } } };

const RULES = {
  'oip/operation-success-schema': 'error',
  // Public routes say so by having no security (the test checks that every route answering 401
  // without a token declares one).
  'security-defined': 'off',
  // Health, metrics and the dashboard's pages have no 4xx of their own.
  'operation-4xx-response': 'off',
  // oip/operation-success-schema says it, and lets a redirect-only operation (POST /admin/login) be.
  'operation-2xx-response': 'off',
} as const;

export interface LintProblem {
  rule: string;
  severity: string;
  message: string;
  pointer: string;
}

/** Lints an OpenAPI document; warnings count as problems too. */
export async function lintOpenapi(document: unknown): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ['recommended'], rules: RULES }, { plugins: [oipPlugin] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  return problems
    .filter((p) => p.ignored !== true)
    .map((p) => ({
      rule: p.ruleId,
      severity: p.severity,
      message: p.message,
      pointer: p.location[0]?.pointer ?? '',
    }));
}
