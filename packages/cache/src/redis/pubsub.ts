/** The pub/sub channel of a Redis store (`tieredStore` sends its invalidations over it). */
import { closeRedisClient, type RedisClientLike, type RedisConnection } from "@mcpforge/core/redis";

/** Callbacks of {@link RedisPubSub.subscribe}. */
export interface RedisSubscriptionHandlers {
  /** A message published on the channel. */
  message(text: string): void;
  /** The subscription is live again after a disconnection (messages may have been missed). */
  reconnect?(): void;
  /** The subscription connection was lost. */
  disconnect?(): void;
}

/** A live pub/sub subscription of a Redis store. */
export interface RedisSubscription {
  /** Resolves once subscribed (true) or when the first attempt gave up (false). */
  readonly ready: Promise<boolean>;
  /** Whether messages are being received right now. */
  readonly active: boolean;
  /** Unsubscribes and closes the subscription's connection. */
  close(): Promise<void>;
}

/** What {@link RedisPubSub} runs on: the store's connection and command runner. */
export interface RedisPubSubOptions {
  /** The store's command connection (subscriptions duplicate it). */
  conn: Pick<RedisConnection, "connect" | "owned" | "fail">;
  /** How long a subscription waits for its first `SUBSCRIBE` before `ready` gives up. */
  connectTimeoutMs: number;
  /** Runs one command on the store's connection (timeout and outage accounting included). */
  command(op: (c: RedisClientLike) => Promise<unknown>): Promise<{ ok: boolean }>;
}

interface SubscriberClient {
  readonly status?: string;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  subscribe(...channels: string[]): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * Publishing on, and subscribing to, Redis channels for a store: `publish` goes over the
 * store's connection; each subscription gets a connection of its own (a duplicate of the
 * store's) that reconnects and resubscribes by itself.
 *
 * @example
 * import { redisConnection } from "@mcpforge/core/redis";
 * const conn = redisConnection({ url: "redis://127.0.0.1:6379", owner: "example", connectTimeoutMs: 1000 });
 * const command = async (op: (c: RedisClientLike) => Promise<unknown>) => {
 *   try {
 *     await op(await conn.connect());
 *     return { ok: true };
 *   } catch (err) {
 *     conn.fail(err);
 *     return { ok: false };
 *   }
 * };
 * const pubsub = new RedisPubSub({ conn, connectTimeoutMs: 1000, command });
 * const sub = pubsub.subscribe("app:invalidate", { message: (text) => console.log("drop", text) });
 * await sub.ready;
 * await pubsub.publish("app:invalidate", "users:42");
 * await pubsub.closeAll();
 * await conn.close();
 */
export class RedisPubSub {
  readonly #o: RedisPubSubOptions;
  readonly #subscriptions = new Set<RedisSubscription>();

  constructor(options: RedisPubSubOptions) {
    this.#o = options;
  }

  /** Publishes a message; resolves false when Redis failed (never rejects for an outage). */
  async publish(channel: string, message: string): Promise<boolean> {
    const reply = await this.#o.command((c) => c.call("PUBLISH", channel, message));
    return reply.ok;
  }

  #subscriberFor(base: RedisClientLike): SubscriberClient {
    const overrides = {
      // The subscription waits for its connection and is renewed by us on every "ready".
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResubscribe: false,
      commandTimeout: undefined,
      lazyConnect: false,
    };
    const owned = this.#o.conn.owned;
    if (owned) {
      return owned.duplicate?.(overrides) as SubscriberClient;
    }
    if (typeof base.duplicate !== "function") {
      throw new Error(
        "@mcpforge/cache: redisStore(): subscribe() needs an ioredis client with duplicate()",
      );
    }
    return base.duplicate(overrides) as SubscriberClient;
  }

  /** Subscribes to a channel on a connection of its own, which reconnects by itself. */
  subscribe(channel: string, handlers: RedisSubscriptionHandlers): RedisSubscription {
    const { conn, connectTimeoutMs } = this.#o;
    let sub: SubscriberClient | undefined;
    let active = false;
    let everActive = false;
    let stopped = false;
    let settle: (ok: boolean) => void = () => {};
    const first = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const renew = () => {
      sub?.subscribe(channel).then(
        () => {
          if (stopped) return;
          const again = everActive;
          active = true;
          everActive = true;
          if (again) handlers.reconnect?.();
          settle(true);
        },
        () => {
          // The next "ready" tries again.
        },
      );
    };
    const ready = (async () => {
      try {
        const base = await conn.connect();
        if (stopped) return false;
        sub = this.#subscriberFor(base);
        sub.on("error", () => {
          // Outages are logged once by the command connection.
        });
        sub.on("message", (ch: unknown, text: unknown) => {
          if (ch === channel && typeof text === "string") handlers.message(text);
        });
        sub.on("ready", renew);
        sub.on("close", () => {
          if (!active) return;
          active = false;
          handlers.disconnect?.();
        });
        if (sub.status === "ready") renew();
        const timer = setTimeout(() => settle(false), connectTimeoutMs);
        const ok = await first;
        clearTimeout(timer);
        return ok;
      } catch (err) {
        conn.fail(err);
        return false;
      }
    })();
    const subscriptions = this.#subscriptions;
    const subscription: RedisSubscription = {
      ready,
      get active() {
        return active;
      },
      async close() {
        if (stopped) return;
        stopped = true;
        active = false;
        settle(false);
        subscriptions.delete(subscription);
        await ready.catch(() => false);
        if (!sub) return;
        await closeRedisClient(sub);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  /** Closes every subscription still open. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
  }
}
