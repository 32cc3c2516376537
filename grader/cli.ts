#!/usr/bin/env node
/**
 * `convlab <verb>`: parses arguments, dispatches to `commands/<verb>.ts` (loaded lazily), prints the data a command
 * returns in one place, and decides the exit code: 0 when the command ran, 1 when it ran and found a problem
 * (drift, failing self-checks), 2 for usage errors, 3 when the grader itself broke.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { messageOf, UsageError } from './errors';
import { resolve } from 'node:path';
import { GRADE_DEFAULTS, normalizeGradeOptions, normalizeWorkerOptions } from './options';
import { withBareQueue } from './queue/access';
import { dataExitCode } from '../datasets/course-data/report';
import { print, type CommandOutput } from './printer';

type Options = NonNullable<ParseArgsConfig['options']>;

const USAGE = `usage: convlab <command> [options]

commands:
  grade <paths...> [--assignment <NN-name>] [--tests <dir>]... [--jobs N] [--timeout <s>] [--db <file>]
        [--json] [--gradescope <results.json>] [--feedback <dir>] [--force] [--root <course dir>]
        [--cell-timeout <s>] [--test-timeout <s>] [--memory <MiB>] [--queue [redis://host:port[/db]]] [--insecure-queue]
  worker [--queue redis://host:port[/db]] [--insecure-queue] [--root <course dir>] [--tests <dir>]... [--jobs N] [--stall-timeout <s>]
        (queue: URL with password from $CONVLAB_QUEUE, signing key from $CONVLAB_QUEUE_KEY)
  release [--check] [--student <dir>] [--root <course dir>]
  check <notebook.ipynb>
  list [--root <course dir>]
  backend
  demo
  jupyter [jupyter notebook options...]   e.g. --port 9000 --allow-root --no-browser
  data [--check] [--from <folder|zip>]
  gradescope --assignment <NN-name> --out <autograder.zip> [--with-data] [--root <course dir>]
  export --db <gradebook.sqlite> --format canvas|moodle|csv --assignment <NN-name>... --roster <csv> --out <file>
         [--missing-as-zero]
  report [--db <gradebook.sqlite>] [--out <report.html>] [--roster <csv>] [--csv <scores.csv>] [--since <date>]
         [--at-risk-below <fraction>] [--latest-assignments <n>]
  similarity --assignment <NN-name> [--db <gradebook.sqlite>] [--threshold <fraction>] [--json]`;

function parse(args: string[], options: Options): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's first sentence names the option; the rest is advice about '--' that does not apply here.
    throw new UsageError(messageOf(error).split('. ')[0]!);
  }
}

const GRADE_OPTIONS: Options = {
  assignment: { type: 'string', short: 'a' },
  tests: { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  'cell-timeout': { type: 'string' },
  'test-timeout': { type: 'string' },
  memory: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  gradescope: { type: 'string' },
  feedback: { type: 'string' },
  force: { type: 'boolean' },
  root: { type: 'string' },
  queue: { type: 'string' },
  'insecure-queue': { type: 'boolean' },
};

const WORKER_OPTIONS: Options = {
  queue: { type: 'string' },
  'insecure-queue': { type: 'boolean' },
  root: { type: 'string' },
  tests: { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  'stall-timeout': { type: 'string' },
};

const ROOT_OPTION: Options = { root: { type: 'string' } };

/** Commands load lazily (require, not import(): this file compiles to CommonJS) so that `convlab list` stays quick. */
const load = <T>(module: string): T => require(module) as T;

const courseOf = (values: { root?: unknown }) => ({ root: resolve(String(values.root ?? GRADE_DEFAULTS.root)) });

async function dispatch(verb: string | undefined, args: string[]): Promise<CommandOutput> {
  switch (verb) {
    case 'grade': {
      const { values, positionals } = parse(withBareQueue(args), GRADE_OPTIONS);
      const text = (name: string): string | undefined => values[name] as string | undefined;
      const options = normalizeGradeOptions({
        paths: positionals, assignment: text('assignment'), tests: values.tests as string[] | undefined,
        jobs: text('jobs'), timeout: text('timeout'), cellTimeout: text('cell-timeout'), testTimeout: text('test-timeout'),
        memory: text('memory'), db: text('db'), json: values.json === true, gradescope: text('gradescope'),
        feedback: text('feedback'), force: values.force === true, root: text('root'),
        queue: text('queue'), insecureQueue: values['insecure-queue'] === true,
      });
      const { grade } = load<typeof import('./commands/grade')>('./commands/grade');
      const { progressReporter } = load<typeof import('./progress')>('./progress');
      return { kind: 'grade', outcome: await grade(options, progressReporter()), json: options.json };
    }
    case 'worker': {
      const { values, positionals } = parse(withBareQueue(args), WORKER_OPTIONS);
      noPositionals(verb, positionals);
      const options = normalizeWorkerOptions({
        queue: values.queue as string | undefined, insecureQueue: values['insecure-queue'] === true, root: values.root as string | undefined, tests: values.tests as string[] | undefined,
        jobs: values.jobs as string | undefined, stallTimeout: values['stall-timeout'] as string | undefined,
      });
      const { worker } = load<typeof import('./commands/worker')>('./commands/worker');
      return { kind: 'worker', summary: await worker(options, (event) => print({ kind: 'worker-event', event })) };
    }
    case 'release': {
      const { values, positionals } = parse(args, { ...ROOT_OPTION, check: { type: 'boolean' }, student: { type: 'string' } });
      noPositionals(verb, positionals);
      const course = courseOf(values);
      const release = load<typeof import('./commands/release')>('./commands/release');
      if (values.check === true) return { kind: 'release-check', drift: release.releaseDrift(course) };
      if (values.student !== undefined) {
        const files = release.releaseStudentBundle(course, resolve(String(values.student)));
        return { kind: 'text', text: `learner bundle in ${String(values.student)}:\n${files.map((file) => `  ${file}`).join('\n')}` };
      }
      const files = release.release(course);
      return { kind: 'text', text: files.length === 0 ? 'nothing to release (no solutions/NN-name.ipynb)' : `released:\n${files.map((file) => `  ${file}`).join('\n')}` };
    }
    case 'check': {
      const { positionals } = parse(args, {});
      if (positionals.length !== 1) throw new UsageError(`check takes one notebook, got ${positionals.length}: convlab check <notebook.ipynb>`);
      const { check } = load<typeof import('./commands/check')>('./commands/check');
      return { kind: 'check', report: await check(positionals[0]!) };
    }
    case 'list': {
      const { values, positionals } = parse(args, ROOT_OPTION);
      noPositionals(verb, positionals);
      const { list, formatListing } = load<typeof import('./commands/list')>('./commands/list');
      return { kind: 'text', text: formatListing(list(courseOf(values))) };
    }
    case 'backend': {
      noPositionals(verb, parse(args, {}).positionals);
      const { backend } = load<typeof import('./commands/backend')>('./commands/backend');
      return { kind: 'text', text: await backend() };
    }
    case 'demo': {
      noPositionals(verb, parse(args, {}).positionals);
      const { demo } = load<typeof import('./commands/demo')>('./commands/demo');
      const { progressReporter } = load<typeof import('./progress')>('./progress');
      const { report, db } = await demo(progressReporter());
      return { kind: 'demo', report, db };
    }
    case 'jupyter': {
      // Every option goes to Jupyter itself (--port 9000, --allow-root, --no-browser...).
      const { jupyter } = load<typeof import('./commands/jupyter')>('./commands/jupyter');
      return { kind: 'text', text: await jupyter(args, (url) => print({ kind: 'text', text: `open the notebooks at ${url}` })) };
    }
    case 'data': {
      const { values, positionals } = parse(args, { check: { type: 'boolean' }, from: { type: 'string' } });
      noPositionals(verb, positionals);
      const { data } = load<typeof import('./commands/data')>('./commands/data');
      return { kind: 'data', report: await data({ check: values.check === true, from: values.from as string | undefined }) };
    }
    case 'report': {
      const { values, positionals } = parse(args, REPORT_OPTIONS);
      noPositionals(verb, positionals);
      const { report, formatReportSummary } = load<typeof import('./commands/report')>('./commands/report');
      const summary = await report({
        db: String(values.db ?? GRADE_DEFAULTS.db), out: String(values.out ?? 'report.html'),
        roster: values.roster as string | undefined, csv: values.csv as string | undefined, since: values.since as string | undefined,
        ...(values['at-risk-below'] !== undefined ? { atRiskBelow: Number(values['at-risk-below']) } : {}),
        ...(values['latest-assignments'] !== undefined ? { latestAssignments: Number(values['latest-assignments']) } : {}),
      });
      return { kind: 'text', text: formatReportSummary(summary) };
    }
    case 'gradescope': {
      const { values, positionals } = parse(args, { ...ROOT_OPTION, assignment: { type: 'string', short: 'a' }, out: { type: 'string' }, 'with-data': { type: 'boolean' } });
      noPositionals(verb, positionals);
      const assignment = required(verb, values, 'assignment');
      const { gradescope } = load<typeof import('./commands/gradescope')>('./commands/gradescope');
      return {
        kind: 'gradescope',
        package: await gradescope({ ...courseOf(values), assignment, out: resolve(required(verb, values, 'out')), withData: values['with-data'] === true }),
      };
    }
    case 'export': {
      const { values, positionals } = parse(args, EXPORT_OPTIONS);
      noPositionals(verb, positionals);
      const { exportGrades } = load<typeof import('./commands/export')>('./commands/export');
      return {
        kind: 'export',
        export: await exportGrades({
          db: required(verb, values, 'db'), format: required(verb, values, 'format'), out: required(verb, values, 'out'),
          roster: required(verb, values, 'roster'), assignments: (values.assignment as string[] | undefined) ?? [],
          missingAsZero: values['missing-as-zero'] === true,
        }),
      };
    }
    case 'similarity': {
      const { values, positionals } = parse(args, SIMILARITY_OPTIONS);
      noPositionals(verb, positionals);
      if (values.assignment === undefined) throw new UsageError('similarity needs --assignment <NN-name>');
      const { similarity } = load<typeof import('./commands/similarity')>('./commands/similarity');
      const report = similarity({
        db: String(values.db ?? GRADE_DEFAULTS.db), assignment: String(values.assignment),
        ...(values.threshold !== undefined ? { threshold: Number(values.threshold) } : {}),
      });
      return { kind: 'similarity', report, json: values.json === true };
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'text', text: USAGE };
    default:
      throw new UsageError(`unknown command "${verb}"\n\n${USAGE}`);
  }
}

const REPORT_OPTIONS: Options = {
  db: { type: 'string' }, out: { type: 'string' }, roster: { type: 'string' }, csv: { type: 'string' },
  since: { type: 'string' }, 'at-risk-below': { type: 'string' }, 'latest-assignments': { type: 'string' },
};

const EXPORT_OPTIONS: Options = {
  db: { type: 'string' }, format: { type: 'string' }, assignment: { type: 'string', short: 'a', multiple: true },
  roster: { type: 'string' }, out: { type: 'string' }, 'missing-as-zero': { type: 'boolean' },
};

function required(verb: string, values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`${verb} needs --${name} (see convlab help)`);
  return value;
}

const SIMILARITY_OPTIONS: Options = {
  db: { type: 'string' }, assignment: { type: 'string', short: 'a' }, threshold: { type: 'string' }, json: { type: 'boolean' },
};

function noPositionals(verb: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`${verb} takes no arguments, got "${positionals[0]}"`);
}

/** The exit code for a command's output: 1 when it ran and found a problem the user must act on. */
function exitCodeOf(output: CommandOutput): number {
  return output.kind === 'release-check' && output.drift.length > 0 ? 1
    : output.kind === 'check' && (output.report.stopped !== undefined || output.report.checks.some((check) => !check.passed)) ? 1
      : output.kind === 'data' ? dataExitCode(output.report)
        : 0;
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  try {
    const output = await dispatch(verb, args);
    print(output);
    return exitCodeOf(output);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`convlab: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`convlab: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 3;
  }
}

let finished = false;
void main(process.argv.slice(2)).then((code) => {
  finished = true;
  process.exitCode = code;
});
// Node exits 0 when nothing is left to wait for: a command whose promise never settled must not pass for a success.
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  process.stderr.write('convlab: the command stopped before it finished (a grader bug: nothing was left to wait for)\n');
  process.exitCode = 3;
});
