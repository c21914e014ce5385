// uvx-safe-<version>-x64.msi, built on Linux: wixl compiles the .wxs (scripts/release/wxs.mjs), then
// msibuild adds what wixl cannot express (the Environment table and its two actions).
import fs from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';
import { msiVersion, windowsVersion } from './version.mjs';
import { COMMAND_ACTIONS, ENVIRONMENT_ACTIONS, ENVIRONMENT_IDT, FIXES, fileVersionFix, REMOVE_FILE_IDT, renderWxs } from './wxs.mjs';

const HINT = 'apt-get install -y wixl msitools';

/** Builds the MSI of `exe` (the Windows executable, already signed if it is to be) into `outDir`. */
export function buildMsi({ exe, pkg, version, outDir, work }) {
  fs.mkdirSync(work, { recursive: true });
  const wxs = path.join(work, 'uvx-safe.wxs');
  // wixl finds a Source only relative to its working folder (an absolute path is not found).
  const source = path.join(work, 'uvx-safe.exe');
  fs.rmSync(source, { force: true });
  fs.linkSync(exe, source);
  fs.writeFileSync(wxs, renderWxs({ pkg, version: msiVersion(version), exe: 'uvx-safe.exe' }));
  const out = path.resolve(outDir, `${pkg.name}-${version}-x64.msi`);
  fs.rmSync(out, { force: true });
  try {
    run('wixl', ['-a', 'x64', '-o', out, wxs], { hint: HINT, cwd: work });
  } finally {
    fs.rmSync(source, { force: true }); // a link to the executable: nothing may write through it
  }
  for (const [table, text] of [['Environment', ENVIRONMENT_IDT], ['RemoveFile', REMOVE_FILE_IDT]]) {
    const idt = path.join(work, `${table}.idt`);
    fs.writeFileSync(idt, text);
    run('msibuild', [out, '-i', idt], { hint: HINT });
  }
  const quote = (s) => `'${s.replace(/'/g, "''")}'`;
  const queries = [
    ...FIXES,
    fileVersionFix(windowsVersion(version).join('.')),
    ...ENVIRONMENT_ACTIONS.map(([action, sequence]) => `INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('${action}', ${sequence})`),
    ...COMMAND_ACTIONS.flatMap((a) => [
      `INSERT INTO \`CustomAction\` (\`Action\`, \`Type\`, \`Source\`, \`Target\`) VALUES ('${a.id}', ${a.type}, '${a.source}', ${quote(a.target)})`,
      `INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Condition\`, \`Sequence\`) VALUES ('${a.id}', ${quote(a.when)}, ${a.sequence})`,
    ]),
  ];
  for (const query of queries) run('msibuild', [out, '-q', query], { hint: HINT });
  return out;
}
