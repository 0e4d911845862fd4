// Prints the scrypt hash of a password for a staff member's `passwordHash` in a hall file.
// Usage: npm run hash-password -w @yichuang/server -- <password>
import { hashPassword } from '../src/auth.js';

const password = process.argv[2];
if (!password) {
  console.error('usage: hash-password <password>');
  process.exit(2);
}
console.log(await hashPassword(password));
