// The real file system behind `FindHost`.

import fs = require('node:fs');
import type { FindHost } from './find.js';
import type { EnvMap } from '../platform/env.js';

export function nodeFindHost(env: EnvMap, platform: NodeJS.Platform = process.platform): FindHost {
  return {
    platform,
    env,
    isFile(file) {
      try {
        // No exception for a missing file: most PATH entries have no uv, and throwing costs start-up.
        return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        return false;
      }
    },
    isExecutable(file) {
      if (platform === 'win32') return true;
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    realpath(file) {
      try {
        return fs.realpathSync.native(file);
      } catch {
        return undefined;
      }
    },
    readHead(file) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(file, 'r');
        const buffer = Buffer.alloc(256);
        const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
        return buffer.toString('latin1', 0, read);
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
  };
}
