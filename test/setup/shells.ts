// zsh and fish for the `safe env` tests. The suite installs nothing: .ci/run installs them with
// apt-get; elsewhere their tests skip with the reason (and fail in CI).
import { IN_CI, which } from '../helpers/system-tools.js';

export async function ensureTestShells(): Promise<void> {
  const missing = ['zsh', 'fish'].filter((shell) => !which(shell));
  if (missing.length === 0) return;
  const line = `${missing.join(' and ')} not installed (apt-get install -y ${missing.join(' ')}); their tests will skip`;
  if (IN_CI) throw new Error(`CI=${process.env.CI}: ${line.replace('; their tests will skip', '')}`);
  console.warn(`[global-setup] ${line}`);
}
