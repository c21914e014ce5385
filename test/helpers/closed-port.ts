// A 127.0.0.1 port that refuses connections for as long as a test needs it. Closing a server and
// reusing its port is a race: the system hands ephemeral ports out again, to any process. A socket
// that is bound but never listens holds the port, and the kernel answers every connection with a reset
// (ECONNREFUSED). Node cannot bind a TCP socket without listening, so Python holds it.
import { spawn } from 'node:child_process';
import { getPython } from './uv.js';

const HOLD = 'import socket, sys\ns = socket.socket()\ns.bind(("127.0.0.1", 0))\nprint(s.getsockname()[1], flush=True)\nsys.stdin.read()\n';

export async function closedPort(): Promise<{ port: number; release: () => void }> {
  const holder = spawn(getPython(), ['-c', HOLD], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    holder.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    holder.on('exit', (code) => reject(new Error(`the port holder ended (${code}) before giving a port`)));
  });
  return { port, release: () => holder.stdin.end() };
}
