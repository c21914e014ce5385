// A Stryker ignorer (stryker.config.mjs, `ignorers`): no mutants inside calls of the launcher's debug
// function (src/log.ts's Debug: `debug(`...`)`). Those calls only print the UVX_SAFE_DEBUG trace; a
// mutant there changes the trace's wording and nothing the launcher decides, so it could only ever
// "survive" and be explained away one by one.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'debug-trace', {
    shouldIgnore(path) {
      const node = path.node;
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'debug') {
        return 'the UVX_SAFE_DEBUG trace (stryker-ignore-debug.mjs)';
      }
      return undefined;
    },
  }),
];
