// docs/architecture.md's workspace diagram is the dependencies of the apps' and packages'
// package.json files: an edge added, removed or left out on either side fails here.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** `from -> to` for each @oip/* entry in `dependencies` of apps/* and packages/*, short names. */
function declaredEdges(): string[] {
  const edges: string[] = [];
  for (const dir of ['apps', 'packages']) {
    for (const name of readdirSync(join(root, dir))) {
      const file = join(root, dir, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; dependencies?: Record<string, string> };
      for (const dep of Object.keys(pkg.dependencies ?? {}))
        if (dep.startsWith('@oip/')) edges.push(`${pkg.name.slice(5)} -> ${dep.slice(5)}`);
    }
  }
  return edges.sort();
}

/** The edges of the mermaid block under "## Workspace dependencies". */
function diagramEdges(markdown: string): string[] {
  const section = markdown.split(/^## Workspace dependencies$/m)[1];
  if (section === undefined) throw new Error('docs/architecture.md has no "## Workspace dependencies" section');
  const block = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('the "Workspace dependencies" section has no mermaid block');
  const node = (s: string) => s.trim().replace(/\[.*\]$/, '');
  const edges: string[] = [];
  for (const line of block.split('\n')) {
    const [from, to, more] = line.split('-->');
    if (from === undefined || to === undefined) continue;
    if (more !== undefined) throw new Error(`one edge a line in the diagram: ${line.trim()}`);
    edges.push(`${node(from)} -> ${node(to)}`);
  }
  return edges.sort();
}

describe('docs/architecture.md', () => {
  it("draws exactly the @oip/* dependencies of the apps' and packages' package.json", () => {
    const declared = declaredEdges();
    expect(declared.length).toBeGreaterThan(10);
    expect(diagramEdges(readFileSync(join(root, 'docs/architecture.md'), 'utf8'))).toEqual(declared);
  });

  it('reads an edge from the diagram', () => {
    const md = '## Workspace dependencies\n\n```mermaid\nflowchart TD\n  a[@oip/a] --> b[@oip/b]\n  a --> c\n```\n';
    expect(diagramEdges(md)).toEqual(['a -> b', 'a -> c']);
  });
});
