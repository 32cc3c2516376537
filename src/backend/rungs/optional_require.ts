import { BackendUnavailable } from '../types';

/**
 * `require`s an optional package. Its absence, or Node refusing native addons (the permission model), becomes a
 * BackendUnavailable skip (`howToGet`, when given, says in brackets how to install it); any other error (a broken
 * install, a missing shared library) stays a failure.
 */
export function requireOptional<T>(packageName: string, howToGet?: string): T {
  try {
    return require(packageName) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.startsWith(`Cannot find module '${packageName}'`)) {
      throw new BackendUnavailable(`${packageName} is not installed${howToGet === undefined ? '' : ` (${howToGet})`}`);
    }
    if (code === 'ERR_DLOPEN_DISABLED') {
      throw new BackendUnavailable(`${packageName} is a native addon and Node's permission model disables addons`);
    }
    throw error;
  }
}
