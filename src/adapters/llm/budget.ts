/**
 * The daily token budget of the model server (LLM_DAILY_TOKENS), counted per UTC day by this
 * instance. A call reserves what it may cost (prompt estimate + max_tokens) before it starts, so
 * that calls in flight together cannot overshoot; when it ends, the reservation is replaced by what
 * the server reports it used (or an estimate when it reports nothing).
 */

export interface TokenBudgetOptions {
  /** Tokens per UTC day; 0 = no limit. */
  limit: number;
  /** The clock (ms since the epoch). */
  now?: () => number;
}

export interface Reservation {
  /** Replaces the reservation with the tokens actually used (0 when the call cost nothing). */
  settle(tokens: number): void;
}

export type ReserveResult =
  | { ok: true; reservation: Reservation }
  | {
      ok: false;
      /** True the first time today that a call was refused: log it then, and only then. */
      firstToday: boolean;
      used: number;
      limit: number;
      /** The UTC day, "2026-11-29". */
      day: string;
    };

/** Tokens in a text, roughly (Indonesian and English run about 3 to 4 characters a token). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 3.5);
}

export class TokenBudget {
  readonly limit: number;
  readonly #now: () => number;
  #day = '';
  #used = 0;
  #reserved = 0;
  #noticed = '';

  constructor(opts: TokenBudgetOptions) {
    this.limit = opts.limit;
    this.#now = opts.now ?? Date.now;
  }

  /** The current UTC day; the counts start again when it changes. */
  #today(): string {
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#used = 0;
      this.#reserved = 0;
    }
    return day;
  }

  /** Tokens used today (settled calls). */
  get used(): number {
    this.#today();
    return this.#used;
  }

  reserve(estimate: number): ReserveResult {
    const day = this.#today();
    const cost = Math.max(0, Math.ceil(estimate));
    if (this.limit > 0 && this.#used + this.#reserved + cost > this.limit) {
      const firstToday = this.#noticed !== day;
      this.#noticed = day;
      return { ok: false, firstToday, used: this.#used, limit: this.limit, day };
    }
    this.#reserved += cost;
    let settled = false;
    return {
      ok: true,
      reservation: {
        settle: (tokens: number) => {
          if (settled) return;
          settled = true;
          // A call that began yesterday counts towards today; yesterday's reservation went with yesterday.
          if (this.#today() === day) this.#reserved = Math.max(0, this.#reserved - cost);
          this.#used += Math.max(0, Math.ceil(tokens));
        },
      },
    };
  }
}
