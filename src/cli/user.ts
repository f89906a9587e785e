import { consoleDb, isRole } from '../platform/console/tables.js';
import { addUser, listUsers, UserError } from '../platform/console/users.js';
import type { Store } from '../platform/store/index.js';

export const USER_USAGE = `  onepay user add <name> --role cashier|finance|admin [--db …]
                    (the password is read from a prompt, or from stdin's first line when piped; never an argument)
  onepay user list [--db …]`;

/**
 * Reads one line without echo from a terminal, or the first line of piped
 * stdin: a password given as an argument would sit in the shell's history
 * and in every process listing.
 */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** `onepay user add|list`: console users, created with an audit line whose actor is `cli`. */
export async function runUserCli(
  store: Store,
  verb: string | undefined,
  name: string | undefined,
  role: string | undefined,
  password: () => Promise<string>,
  out: (line: string) => void = console.log,
): Promise<number> {
  const db = consoleDb(store.db);
  if (verb === 'list') {
    for (const u of await listUsers(db)) out(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
    return 0;
  }
  if (verb !== 'add' || !name) throw new UserError(`usage:\n${USER_USAGE}`);
  if (!isRole(role)) throw new UserError('--role must be cashier, finance or admin');
  const first = await password();
  await addUser(db, { username: name, role, password: first, actor: 'cli', peer: 'cli', now: Date.now() });
  out(`user ${name} (${role}) created`);
  return 0;
}
