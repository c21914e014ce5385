// "Did you mean": the closest known word by edit distance, as clap suggests for mistyped
// subcommands and options (clap uses Jaro similarity; Levenshtein with `-`/`_` as one is enough here).

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let before = previous;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] || (/[-_]/.test(a[i - 1]!) && /[-_]/.test(b[j - 1]!));
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (same ? 0 : 1));
      // Two neighbours swapped (`cahce`) count as one edit (optimal string alignment).
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j]!, before[j - 2]! + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The known word closest to `word`, when it is close enough to be a typo (1 edit for 3 letters, 2 for more, 3 past 9). */
export function closest(word: string, known: readonly string[]): string | undefined {
  const limit = word.length <= 3 ? 1 : word.length < 9 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= limit && best !== word ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, known: readonly string[], quote = '"'): string {
  const match = closest(word, known);
  return match === undefined ? '' : ` (did you mean ${quote}${match}${quote}?)`;
}
