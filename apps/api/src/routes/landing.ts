// GET /: what this port serves, for a person who opens it in a browser (an HTML page of links) or
// a client (JSON, for any Accept but one that asks for text/html).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BOARD_PATH, LOGIN_PATH, wantsHtml } from '../services/board-session.js';
import { escapeHtml } from './admin-login-page.js';

const LINKS = [
  { rel: 'docs', href: '/docs', title: 'API reference (OpenAPI UI); the document itself at /docs/json' },
  { rel: 'records', href: '/api/records', title: 'Records, with the legacy query parameters' },
  { rel: 'dashboard', href: BOARD_PATH, title: `BullMQ dashboard for admins (log in at ${LOGIN_PATH})` },
  { rel: 'health', href: '/health', title: 'Health of the api and the services it depends on' },
  { rel: 'metrics', href: '/metrics', title: 'Prometheus metrics' },
] as const;

const Landing = Type.Object({
  name: Type.String(),
  links: Type.Array(Type.Object({ rel: Type.String(), href: Type.String(), title: Type.String() })),
});

const NAME = 'OIP node API';

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${NAME}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto;padding:0 1rem;color:#1f2933}
li{margin:.6rem 0}code{background:#f0f2f5;padding:0 .2rem}</style>
</head>
<body>
<h1>${NAME}</h1>
<p>This port serves the node's records, accounts, publishing and media API.</p>
<ul>
${LINKS.map((l) => `<li><a href="${l.href}"><code>${l.href}</code></a>: ${escapeHtml(l.title)}</li>`).join('\n')}
</ul>
</body>
</html>
`;

export default async function landingRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/',
    {
      schema: {
        summary: 'What this port serves: links to the docs, the records, the dashboard and health',
        operationId: 'getLanding',
        tags: ['health'],
        response: {
          200: {
            description: 'An HTML page of links for a browser (Accept: text/html), else the same links as JSON',
            content: { 'application/json': { schema: Landing }, 'text/html': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) =>
      wantsHtml(req.headers.accept)
        ? reply.type('text/html; charset=utf-8').send(HTML)
        : reply.type('application/json; charset=utf-8').send({ name: NAME, links: LINKS }),
  );
}
