#!/usr/bin/env node
/**
 * `npm run data [-- --check | --from <folder|zip>]`: the learner's command for the course data. It ships with the kit,
 * so a learner bundle without the grader has it too. A data problem is one line on stderr and exit 2.
 */
import { parseArgs } from 'node:util';
import { DataError } from '../../src/core/data-error';
import { courseData } from './index';
import { dataExitCode, formatDataReport } from './report';

async function main(args: string[]): Promise<number> {
  let options: { check: boolean; from?: string };
  try {
    const { values } = parseArgs({ args, options: { check: { type: 'boolean' }, from: { type: 'string' } }, strict: true });
    options = { check: values.check === true, ...(values.from !== undefined ? { from: values.from } : {}) };
  } catch (error) {
    process.stderr.write(`data: ${(error as Error).message.split('. ')[0]} (usage: npm run data -- [--check | --from <folder|zip>])\n`);
    return 2;
  }
  try {
    const report = await courseData(options);
    process.stdout.write(`${formatDataReport(report)}\n`);
    return dataExitCode(report);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    process.stderr.write(`data: ${error.message}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
