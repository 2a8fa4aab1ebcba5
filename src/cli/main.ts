#!/usr/bin/env node
/** The matcalc command: run.ts on the process's arguments and standard input. */
import { run } from './run.js';
import { DEFAULT_PORT, serveCommand } from './serve.js';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

// A reader of the output that goes away (`| head`) ends the output, not the program with a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const argv = process.argv.slice(2);
if (argv[0] === 'serve' && !argv.includes('--help') && !argv.includes('-h')) {
  // the web page: a static server that runs until the process ends
  const i = argv.indexOf('--port');
  const port = i >= 0 ? Number(argv[i + 1]) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error[bad-request]: --port takes a port number from 0 to 65535, got '${argv[i + 1] ?? ''}'\n`);
    process.exitCode = 1;
  } else {
    try {
      await serveCommand(port);
    } catch (e) {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
} else {
  const result = await run(argv, readStdin);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
