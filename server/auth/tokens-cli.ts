import { Command, InvalidArgumentError } from 'commander';
import { ROLES, type Role } from './roles.ts';
import { addUser } from './tokens.ts';

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

function userName(value: string): string {
  if (!/^[A-Za-z0-9._@-]{1,100}$/.test(value)) throw new InvalidArgumentError('letters, digits and . _ @ - only (max 100)');
  return value;
}

const program = new Command()
  .name('npm run tokens --')
  .description('Add a user (or give an existing one a new token) and print the token once. Only its SHA-256 is stored.')
  .requiredOption('--auth-config <file>', 'auth config JSON to create or update (mode 600)')
  .requiredOption('--user <name>', 'user name', userName)
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role);

program.parse();
const o = program.opts<{ authConfig: string; user: string; role: Role }>();
try {
  const token = await addUser(o.authConfig, o.user, o.role);
  console.log(`Added ${o.user} (${o.role}) to ${o.authConfig}. Token (shown once; send as "Authorization: Bearer <token>"):`);
  console.log(token);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
}
