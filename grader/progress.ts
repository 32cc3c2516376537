import { SingleBar } from 'cli-progress';
import type { GradeProgress } from './commands/grade';
import { maxScoreOf, scoreOf } from './model/results';

/** Progress of `convlab grade` on stderr: a bar with counts and ETA on a terminal, one plain line per submission otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): (progress: GradeProgress) => void {
  if (!stream.isTTY) {
    return ({ done, total, last }) => {
      if (last) stream.write(`[${done}/${total}] ${last.student}: ${last.status} ${scoreOf(last)}/${maxScoreOf(last)}\n`);
    };
  }
  const bar = new SingleBar({ stream, format: 'grading [{bar}] {value}/{total} | ETA {eta_formatted} | {last}', hideCursor: true });
  return ({ done, total, last }) => {
    if (done === 0) bar.start(total, 0, { last: '' });
    else bar.update(done, { last: last ? `${last.student}: ${last.status}` : '' });
    if (done === total) bar.stop();
  };
}
