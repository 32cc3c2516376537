/**
 * The layers of the code base run one way: src/ (the learners' kit) imports only itself, datasets/ imports src/,
 * grader/ imports both, bench/ imports anything and nothing imports bench/. No module imports itself back through
 * others, type-only imports included (a type circle still couples two files' meanings), and grader/commands/ (the CLI's
 * verbs) is reached only from the CLI and its printer, so that one verb is not another's library.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../grader/paths';

/** Lowest first: a file may import its own layer and the layers before it. */
const LAYERS = ['src', 'datasets', 'grader', 'bench'] as const;

/**
 * The kit's entry point (notebooks import "../dist/src") hands learners the data loaders too: the one import of src/
 * that reaches up, to datasets/index.ts alone. No module of the kit depends on datasets/.
 */
const KIT_ENTRY = 'src/index.ts -> datasets/index.ts';

/** The CLI's own files, which alone (with bench/) may import a verb from grader/commands/. */
const COMMAND_CALLERS = ['grader/cli.ts', 'grader/printer.ts', 'grader/progress.ts'];


type Graph = ReadonlyMap<string, readonly string[]>;

/** The hidden specs run inside the sandbox, whose loader resolves their require() from dist/grader/sandbox/. */
const NOT_MODULES = ['grader/tests'];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (NOT_MODULES.includes(path)) return [];
    if (statSync(join(PROJECT_ROOT, path)).isDirectory()) return typeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The project file a relative specifier names (`.ts`, or a folder's index.ts); null for data (.json) files. */
function resolveSpecifier(from: string, specifier: string): string | null {
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(join(PROJECT_ROOT, candidate))) return candidate.split(sep).join('/');
  }
  if (existsSync(join(PROJECT_ROOT, base)) && statSync(join(PROJECT_ROOT, base)).isFile()) return null;
  throw new Error(`${from}: cannot resolve the import '${specifier}'`);
}

/** Every file of the layers and the project files it imports: import, export … from, require() and import(). */
function importGraph(): Graph {
  const graph = new Map<string, string[]>();
  for (const file of LAYERS.flatMap((layer) => typeScriptFiles(layer))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(PROJECT_ROOT, file), 'utf8'), true, true);
    const targets = importedFiles.map(({ fileName }) => fileName).filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveSpecifier(file, specifier)).filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One circle, to read, through each group of files that reach each other (Tarjan's strongly connected components). */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file)!);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (stack.includes(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.push(member);
      if (member === file) break;
    }
    component.sort();
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(circleThrough(graph, component));
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** The shortest path from the component's first file back to itself, inside the component: the circle to read. */
function circleThrough(graph: Graph, component: readonly string[]): string[] {
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!component.includes(target) || cameFrom.has(target)) continue;
      cameFrom.set(target, file);
      if (target === start) {
        const path: string[] = [];
        for (let step = file; step !== start; step = cameFrom.get(step)!) path.unshift(step);
        return [start, ...path, start];
      }
      queue.push(target);
    }
  }
  throw new Error(`no circle through ${start}`);
}

const layerOf = (file: string): number => LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);

describe('the import graph of src/, datasets/, grader/ and bench/', () => {
  const graph = importGraph();
  const edges = [...graph].flatMap(([file, targets]) => targets.map((target) => ({ file, target })));

  it('sees the imports it is meant to check (type-only, require() and import() included)', () => {
    const seen = new Set(edges.map(({ file, target }) => `${file} -> ${target}`));
    expect(graph.size).to.be.greaterThan(150);
    // a type-only import, a require() and an import() type, each known to be in the tree
    expect([...seen]).to.include.members(['grader/fingerprint.ts -> grader/model/results.ts',
      'grader/sandbox/child.ts -> src/jupyter/compiler-watch.ts', 'grader/cli.ts -> grader/commands/grade.ts']);
  });

  it('has no circles', () => {
    expect(cycles(graph).map((path) => path.join(' -> ')), 'import circles').to.deep.equal([]);
  });

  it('imports only down the layers: src/ ← datasets/ ← grader/ ← bench/', () => {
    const upward = edges.filter(({ file, target }) => layerOf(target) > layerOf(file)).map(({ file, target }) => `${file} -> ${target}`);
    expect(upward.filter((edge) => edge !== KIT_ENTRY)).to.deep.equal([]);
  });

  it("reaches grader/commands/ only from the CLI, its printer, other commands and bench/", () => {
    const imports = edges.filter(({ file, target }) => target.startsWith('grader/commands/') && !file.startsWith('grader/commands/')
      && !file.startsWith('bench/') && !COMMAND_CALLERS.includes(file)).map(({ file, target }) => `${file} -> ${target}`);
    expect(imports, 'imports of a command').to.deep.equal([]);
  });
});
