/** Whether an optional package is installed here (`npm ci --omit=optional` leaves them out). */
export function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}
