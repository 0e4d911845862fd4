/** What a client does with an event it receives, given the version it holds. */
export type FeedStep = 'apply' | 'duplicate' | 'gap';

/**
 * Keeps a client's copy of a hall in step: every event must carry the next version. An event at or
 * below the held version is a duplicate (already in the snapshot); one beyond the next is a gap, and
 * the client asks for a fresh snapshot (`hall:sync`) and ignores events until it arrives.
 * The apps and the gateway use this one rule instead of each writing their own.
 */
export class VersionedFeed {
  private version: number | null = null;
  private syncing = false;

  constructor(private readonly requestSync: () => void) {}

  /** The version held, or null before the first snapshot. */
  get current(): number | null {
    return this.version;
  }

  /** A snapshot arrived: hold its version. */
  snapshot(version: number): void {
    this.version = version;
    this.syncing = false;
  }

  /** Decides what to do with an event; on a gap, asks for a snapshot once. */
  event(version: number): FeedStep {
    if (this.version === null || this.syncing) return 'duplicate';
    if (version <= this.version) return 'duplicate';
    if (version === this.version + 1) {
      this.version = version;
      return 'apply';
    }
    this.syncing = true;
    this.requestSync();
    return 'gap';
  }
}
