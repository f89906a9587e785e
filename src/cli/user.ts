import { consoleDb, isRole } from '../platform/console/tables.js';
import { addUser, listUsers, UserError } from '../platform/console/users.js';
import type { Store } from '../platform/store/index.js';

export const USER_USAGE = `  onepay user add <name> --role cashier|finance|admin [--db …]
                    (the password is read from a prompt, or from stdin's first line when piped; never an argument)
  onepay user list [--db …]`;

/** What was typed after the line a read returned (typed ahead of the next prompt), for the next read. */
let typedAhead = '';

/**
 * Reads one line without echo from a terminal, or the first line of piped
 * stdin: a password given as an argument would sit in the shell's history
 * and in every process listing.
 */
async function readPassword(prompt: string): Promise<string> {
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
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | null, rest: string) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      typedAhead = rest;
      if (error) reject(error);
      else resolve(typed);
    };
    const take = (text: string): boolean => {
      const chars = [...text];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i] ?? '';
        if (ch === '\r' || ch === '\n') {
          finish(
            null,
            chars
              .slice(i + 1)
              .join('')
              .replace(/^\n/, ''),
          );
          return true;
        }
        if (ch === '\u0003') {
          finish(new UserError('已取消'), '');
          return true;
        }
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
      return false;
    };
    const onData = (chunk: Buffer) => {
      take(chunk.toString('utf8'));
    };
    const ahead = typedAhead;
    typedAhead = '';
    if (take(ahead)) return;
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The new user's password: typed twice at a terminal (a typo would lock its owner out), else stdin's first line. */
export async function newPassword(): Promise<string> {
  const first = await readPassword('密码 (password): ');
  if (!process.stdin.isTTY) return first;
  const again = await readPassword('再输入一次 (again): ');
  if (again !== first) throw new UserError('两次输入的密码不一致');
  return first;
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
