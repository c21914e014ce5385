// Optional Authenticode signatures of the .exe and .msi (osslsigncode), when a certificate is given:
//   UVX_SAFE_SIGN_PKCS12=cert.pfx                                  a PKCS#12 file, or
//   UVX_SAFE_SIGN_CERT=cert.pem UVX_SAFE_SIGN_KEY=key.pem          a certificate (chain) and its key;
//   UVX_SAFE_SIGN_PASSWORD                                         the key's password, if any (never a flag);
//   UVX_SAFE_SIGN_TIMESTAMP=http://...                             an RFC 3161 time-stamp server, if any.
// The flags --sign-pkcs12, --sign-cert, --sign-key, --sign-timestamp say the same. Signing comes
// last: after the version resource and the uvx-safe mark (scripts/build-exe.mjs), which it keeps.
import fs from 'node:fs';
import { run } from './run.mjs';

/** The signing set-up from flags and the environment, or undefined when no certificate is given. */
export function signingFrom(flags, env) {
  const pick = (flag, variable) => flags[flag] ?? env[variable];
  const pkcs12 = pick('sign-pkcs12', 'UVX_SAFE_SIGN_PKCS12');
  const cert = pick('sign-cert', 'UVX_SAFE_SIGN_CERT');
  const key = pick('sign-key', 'UVX_SAFE_SIGN_KEY');
  if (!pkcs12 && !cert && !key) return undefined;
  if (!pkcs12 && !(cert && key)) throw new Error('release: signing needs UVX_SAFE_SIGN_PKCS12, or both UVX_SAFE_SIGN_CERT and UVX_SAFE_SIGN_KEY');
  for (const file of [pkcs12, cert, key].filter(Boolean)) if (!fs.existsSync(file)) throw new Error(`release: signing: ${file}: no such file`);
  return { pkcs12, cert, key, password: env.UVX_SAFE_SIGN_PASSWORD, timestamp: pick('sign-timestamp', 'UVX_SAFE_SIGN_TIMESTAMP') };
}

/** Signs `file` in place; `description` and `url` are shown in Windows' consent dialogs. */
export function sign(file, signing, { description, url }) {
  const credentials = signing.pkcs12 ? ['-pkcs12', signing.pkcs12] : ['-certs', signing.cert, '-key', signing.key];
  const password = signing.password !== undefined ? ['-readpass', '/dev/stdin'] : [];
  const timestamp = signing.timestamp ? ['-ts', signing.timestamp] : [];
  const signed = `${file}.signed`;
  fs.rmSync(signed, { force: true });
  try {
    run('osslsigncode', ['sign', ...credentials, ...password, '-h', 'sha256', '-n', description, '-i', url, ...timestamp, '-in', file, '-out', signed], {
      input: signing.password ?? '',
    });
    fs.renameSync(signed, file);
  } finally {
    fs.rmSync(signed, { force: true });
  }
}
