#!/usr/bin/env node
/** The matcalc command: run.ts on the process's arguments and standard input. */
import { run } from './run.js';

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

const result = await run(process.argv.slice(2), readStdin);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
