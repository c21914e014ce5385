// A parsed uv command line for the relocation plan's unit tests: `uv sync` unless told otherwise.
import type { LocationFlag, ParsedUvArgs } from '../../src/uv/argv.js';

export const parsedArgs = (locations: LocationFlag[] = [], extra: Partial<ParsedUvArgs> = {}): ParsedUvArgs => ({
  command: ['sync'],
  locations,
  programIndex: -1,
  helpOrVersion: false,
  ...extra,
});
