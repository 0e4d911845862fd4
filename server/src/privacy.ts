import { createHmac } from 'node:crypto';

/**
 * #12, R9: an ID number as the hall keeps it: HMAC-SHA-256 under the installation's privacy key, so
 * the same person gives the same hash (the one-ticket rule) and nobody without the key can test
 * guesses against it (an ID number has too few possibilities for a plain hash to hide it).
 */
export function idHasher(key: Buffer): (idNumber: string) => string {
  return (idNumber) => createHmac('sha256', key).update(idNumber.trim().toUpperCase()).digest('hex');
}
