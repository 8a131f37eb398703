import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppsService } from '../apps/apps.service';
import { ConfigError, parseConfig } from '../config/config.schema';
import { DomainError } from '../common/errors';
import { CliModule } from './cli.module';
import { KeyRotationService } from './key-rotation.service';
import { hashPassword } from '../admin/auth/admin-password';
import { applyMigrations } from '../database/migrations';

const USAGE = `Usage: npm run cli -- <command>

  apps:create NAME [--package-name P] [--webhook-url URL]   create an app; prints its API key once
  apps:list                                                 list apps (never their keys)
  apps:rotate-key PACKAGE_NAME                              replace an app's API key; prints the new key once
  keys:rotate                                               re-encrypt stored stream keys with the current ENCRYPTION_KEYS entry
  admin:hash-password                                       read a dashboard password from stdin; print ADMIN_PASSWORD_HASH
  db:migrate                                                apply prisma/migrations to DATABASE_URL (a release's migration job)
`;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, read to its end (admin:hash-password). */
  input?(): Promise<string>;
}

const stdio: CliOutput = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/** Runs one operator command; returns the exit code. */
export async function runCli(argv: string[], env: Record<string, string | undefined>, io: CliOutput = stdio): Promise<number> {
  try {
    return await run(argv, env, io);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof DomainError;
    io.err(`${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function run(argv: string[], env: Record<string, string | undefined>, io: CliOutput): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'package-name': { type: 'string' }, 'webhook-url': { type: 'string' }, json: { type: 'boolean' } },
  });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 1;
  }
  // Needs neither the configuration nor the database: it runs before both exist.
  if (command === 'admin:hash-password') return printAdminPasswordHash(io);
  if (command === 'db:migrate') {
    const { applied } = await applyMigrations(parseConfig(env).DATABASE_URL, { logger: (msg) => io.err(`${msg}\n`) });
    io.out(`Applied ${applied.length} migration(s)${applied.length ? `: ${applied.join(', ')}` : ''}\n`);
    return 0;
  }
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(parseConfig(env)), { logger: false });
  try {
    switch (command) {
      case 'apps:create': {
        const name = rest.join(' ').trim();
        if (!name) throw new ConfigError('apps:create needs a NAME');
        const created = await context.get(AppsService).create({
          name,
          packageName: values['package-name'],
          webhookUrl: values['webhook-url'],
        });
        if (values.json) {
          io.out(`${JSON.stringify({ ...created.app, apiKey: created.apiKey, webhookSecret: created.webhookSecret })}\n`);
        } else {
          io.out(`Created app "${created.app.name}" (${created.app.packageName}, id ${created.app.id})\n`);
          io.out(`API key (shown once, store it now): ${created.apiKey}\n`);
          if (created.webhookSecret) io.out(`Webhook signing secret (shown once): ${created.webhookSecret}\n`);
        }
        return 0;
      }
      case 'apps:list':
        for (const app of await context.get(AppsService).list()) {
          io.out(`${app.id}\t${app.packageName}\t${app.name}\t${app.webhookUrl ?? ''}\n`);
        }
        return 0;
      case 'apps:rotate-key': {
        const rotated = await context.get(AppsService).rotateApiKeyForPackage(rest[0] ?? '');
        io.out(`New API key for ${rotated.app.packageName} (shown once): ${rotated.apiKey}\n`);
        return 0;
      }
      case 'keys:rotate': {
        const counts = await context.get(KeyRotationService).rotateAll();
        io.out(`Re-encrypted: ${JSON.stringify(counts)}\n`);
        return 0;
      }
      default:
        io.err(`Unknown command "${command}"\n${USAGE}`);
        return 1;
    }
  } finally {
    await context.close();
  }
}

const MIN_ADMIN_PASSWORD_LENGTH = 8;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Type the dashboard password, then Enter and Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function printAdminPasswordHash(io: CliOutput): Promise<number> {
  // One trailing newline belongs to `echo`, not to the password.
  const password = (await (io.input ?? readStdin)()).replace(/\r?\n$/, '');
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new ConfigError(`admin:hash-password: give a password of at least ${MIN_ADMIN_PASSWORD_LENGTH} characters on stdin`);
  }
  io.out(`${await hashPassword(password)}\n`);
  return 0;
}
