/** What /digest preview needs: the digest a subscription would receive now, as a Reply. */
import type { Reply } from '../core/reply.js';
import type { Subscription } from '../core/schedule.js';

export interface DigestPreviewer {
  preview(sub: Subscription, now: number): Promise<Reply>;
}
