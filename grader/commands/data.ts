import { courseData, type DataOptions } from '../../datasets/course-data';
import type { DataReport } from '../../datasets/course-data/report';
import { DataError } from '../../src/core/data-error';
import { UsageError } from '../errors';

/** `convlab data`: the kit's course-data command, with its data problems reported as user errors (exit 2). */
export async function data(options: DataOptions): Promise<DataReport> {
  try {
    return await courseData(options);
  } catch (error) {
    throw error instanceof DataError ? new UsageError(error.message) : error;
  }
}
