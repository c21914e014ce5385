// The launcher's only voice: short `uvx-safe:` lines on stderr. Silent when all is well.

const PREFIX = 'uvx-safe: ';

export function isDebug(env: NodeJS.ProcessEnv): boolean {
  const value = env.UVX_SAFE_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function warn(message: string): void {
  process.stderr.write(`${PREFIX}warning: ${message}\n`);
}

export function error(message: string): void {
  process.stderr.write(`${PREFIX}${message}\n`);
}

export type Debug = (message: string) => void;

export function makeDebug(env: NodeJS.ProcessEnv): Debug {
  // The time since the process started, so that a slow start-up shows where it went.
  return isDebug(env)
    ? (message) => process.stderr.write(`${PREFIX}debug: ${message} [${performance.now().toFixed(1)} ms]\n`)
    : () => {};
}
