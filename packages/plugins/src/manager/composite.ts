import type { Context, Middleware, MiddlewareHooks, NotificationInfo } from "@mcpforge/core";
import { compose, type HttpHook, middlewareFor } from "@mcpforge/core/authoring";

type Chain = (ctx: Context, last: () => Promise<unknown>) => Promise<unknown>;
type NotificationHook = NonNullable<MiddlewareHooks["onNotification"]>;

/**
 * One middleware, installed once in the app, that runs the loaded plugins' middleware and
 * HTTP hooks (in plugin order). Plugins come and go; the app's own chain never changes, and
 * plugin middleware keeps its place in it across reloads.
 *
 * @example
 * const composite = new PluginMiddleware();
 * app.use(composite.middleware);
 * composite.set([async (_ctx, next) => next()], []); // the loaded plugins' middleware, in order
 */
export class PluginMiddleware {
  #stack: readonly Middleware[] = [];
  #hooks: readonly HttpHook[] = [];
  readonly #chains = new Map<string, Chain>();
  #notifications:
    | ((info: NotificationInfo, last: () => Promise<void>) => Promise<void>)
    | undefined;

  /** The middleware to install in the app. */
  readonly middleware: MiddlewareHooks = {
    name: "@mcpforge/plugins",
    onRequest: (ctx, next) => {
      if (this.#stack.length === 0) return next();
      let chain = this.#chains.get(ctx.method);
      if (!chain) {
        chain = compose(middlewareFor(this.#stack, ctx.method));
        this.#chains.set(ctx.method, chain);
      }
      return chain(ctx, next);
    },
    onNotification: (info, next) => {
      if (this.#stack.length === 0) return next();
      this.#notifications ??= compose<NotificationInfo, void>(
        this.#stack.flatMap((m): NotificationHook[] =>
          typeof m === "object" && typeof m.onNotification === "function" ? [m.onNotification] : [],
        ),
      );
      return this.#notifications(info, next);
    },
    onHttpRequest: async (req, res) => {
      for (const hook of this.#hooks) {
        const stop = await hook(req, res);
        if (stop === true || res.writableEnded || res.headersSent) return true;
      }
      return undefined;
    },
  };

  /** Replaces the middleware and HTTP hooks that run (the loaded plugins', in order). */
  set(stack: readonly Middleware[], hooks: readonly HttpHook[]): void {
    this.#stack = stack;
    this.#hooks = hooks;
    this.#chains.clear();
    this.#notifications = undefined;
  }
}
