/**
 * A typed key for a value that interceptors hand to handlers (or to other
 * interceptors) through the call's {@link ContextValues}, e.g. the principal
 * an auth interceptor verified.
 */
export interface ContextKey<T> {
  /** Identity of the key: two keys never collide, even with equal descriptions. */
  readonly id: symbol;
  /** For debugging only. */
  readonly description: string;
  /** What {@link ContextValues.get} returns while no value is set. */
  readonly defaultValue: T;
}

/** Creates a typed context key with the value `get` returns while none is set. */
export function createContextKey<T>(defaultValue: T, description = "context value"): ContextKey<T> {
  return { id: Symbol(description), description, defaultValue };
}

/** Per-call typed values, keyed by {@link ContextKey}. */
export interface ContextValues {
  /** The value set for `key`, or its default. */
  get<T>(key: ContextKey<T>): T;
  /** Sets the value for `key`. */
  set<T>(key: ContextKey<T>, value: T): this;
  /** True when a value was set for `key`. */
  has(key: ContextKey<unknown>): boolean;
  /** Removes the value for `key`, so `get` returns its default again. */
  delete(key: ContextKey<unknown>): this;
}

/** Creates an empty set of context values. */
export function createContextValues(): ContextValues {
  const values = new Map<symbol, unknown>();
  const self: ContextValues = {
    get<T>(key: ContextKey<T>): T {
      return values.has(key.id) ? (values.get(key.id) as T) : key.defaultValue;
    },
    set(key, value) {
      values.set(key.id, value);
      return self;
    },
    has(key) {
      return values.has(key.id);
    },
    delete(key) {
      values.delete(key.id);
      return self;
    },
  };
  return self;
}
