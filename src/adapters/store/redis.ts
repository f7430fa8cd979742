/**
 * The Redis adapter, loaded only when STORE_URL is redis:// (see index.ts). Loading @redis/client
 * defines `class VerbatimString extends String`, which leaves V8's String.prototype in its slow
 * dictionary mode for the whole process: every string method call then looks the method up again
 * (measured: charCodeAt over a news article 7x slower). A bot on SQLite should not pay for that.
 */
import KeyvRedis, { defaultReconnectStrategy } from '@keyv/redis';

/**
 * KeyvRedis whose first commands all wait for the first connection: without an offline queue, a
 * command issued while another caller's connect() is still under way would fail. Once connected,
 * a client that lost Redis is reconnecting and its commands fail at once.
 */
class ReadyKeyvRedis extends KeyvRedis<unknown> {
  #connecting: ReturnType<KeyvRedis<unknown>['getClient']> | undefined;

  override getClient(): ReturnType<KeyvRedis<unknown>['getClient']> {
    if (this.#connecting !== undefined) return this.#connecting;
    if (this.client.isOpen) return super.getClient();
    const connecting = super.getClient().finally(() => {
      if (this.#connecting === connecting) this.#connecting = undefined;
    });
    this.#connecting = connecting;
    return connecting;
  }
}

/** A keyv adapter on Redis at `url`, reconnecting by itself, with no offline queue. */
export function redisAdapter(url: string): KeyvRedis<unknown> {
  // No offline queue: while Redis is unreachable a command fails at once (the caller reports it)
  // instead of waiting, unbounded, for Redis to come back, and then running long after its user
  // was answered. The client reconnects by itself.
  return new ReadyKeyvRedis({ url, disableOfflineQueue: true, socket: { reconnectStrategy: defaultReconnectStrategy } }, { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 3000 });
}
