/**
 * The format-independent content of one package's reference page, which
 * the Markdown and HTML renderers print. Anchors are the elements' full
 * protobuf names: unique within a request and stable across runs.
 */

/** Where a link points: an element on a generated page, or a page on the web. */
export type LinkTarget = { readonly kind: "page"; readonly page: string; readonly anchor: string } | { readonly kind: "url"; readonly url: string };

/** A piece of text that may link somewhere (a type name, a method, a comment reference). */
export interface TextPart {
  readonly text: string;
  /** Absent when the element is not documented anywhere a link could reach. */
  readonly target?: LinkTarget | undefined;
  /** Printed as code (a type or element name) rather than prose. */
  readonly code: boolean;
}

/** Text made of parts, e.g. `map<string, Item>` with `Item` linked. */
export type RichText = readonly TextPart[];

/** One HTTP binding of a method from its `google.api.http` option. */
export interface HttpRoute {
  /** GET, PUT, POST, DELETE, PATCH or a custom verb. */
  readonly verb: string;
  readonly path: string;
  /** The request field sent as the body (`*` for the whole request), if any. */
  readonly body?: string | undefined;
  /** The response field returned as the body, if not the whole response. */
  readonly responseBody?: string | undefined;
}

/** A method of a service. */
export interface MethodDoc {
  readonly anchor: string;
  readonly name: string;
  /** unary, server streaming, client streaming or bidi streaming. */
  readonly callKind: string;
  readonly request: RichText;
  readonly response: RichText;
  readonly comment: RichText;
  readonly deprecated: boolean;
  /** "no side effects" or "idempotent"; undefined when the method does not declare one. */
  readonly idempotency?: string | undefined;
  readonly http: readonly HttpRoute[];
}

/** A service and its methods. */
export interface ServiceDoc {
  readonly anchor: string;
  readonly name: string;
  readonly file: string;
  readonly comment: RichText;
  readonly deprecated: boolean;
  readonly methods: readonly MethodDoc[];
}

/** A field of a message, or an extension. */
export interface FieldDoc {
  readonly anchor: string;
  readonly number: number;
  readonly name: string;
  readonly type: RichText;
  /** singular, optional, required, repeated or map. */
  readonly label: string;
  /** explicit, implicit, or "-" for repeated and map fields, which have none. */
  readonly presence: string;
  /** The oneof the field belongs to, if any. */
  readonly oneof?: string | undefined;
  /** For an extension: the message it extends. */
  readonly extendee?: RichText | undefined;
  readonly comment: RichText;
  readonly deprecated: boolean;
}

/** A oneof of a message. */
export interface OneofDoc {
  readonly anchor: string;
  readonly name: string;
  readonly fields: readonly string[];
  readonly comment: RichText;
}

/** A message (top-level or nested; nested ones are named relative to the package, `Outer.Inner`). */
export interface MessageDoc {
  readonly anchor: string;
  readonly name: string;
  readonly file: string;
  readonly comment: RichText;
  readonly deprecated: boolean;
  readonly fields: readonly FieldDoc[];
  readonly oneofs: readonly OneofDoc[];
  /** Messages and enums declared inside this one. */
  readonly nested: readonly RichText[];
  /** The message this one is declared in, if nested. */
  readonly parent?: RichText | undefined;
}

/** A value of an enum. */
export interface EnumValueDoc {
  readonly anchor: string;
  readonly name: string;
  readonly number: number;
  readonly comment: RichText;
  readonly deprecated: boolean;
}

/** An enum (named relative to the package, `Outer.Kind` when nested). */
export interface EnumDoc {
  readonly anchor: string;
  readonly name: string;
  readonly file: string;
  readonly comment: RichText;
  readonly deprecated: boolean;
  readonly values: readonly EnumValueDoc[];
  readonly parent?: RichText | undefined;
}

/** One package's page. */
export interface PackageDoc {
  /** The package name, "" for files without one. */
  readonly name: string;
  /** The page's path without extension, relative to the output root (`acme/shop/v1/index`). */
  readonly page: string;
  readonly files: readonly string[];
  readonly comment: RichText;
  readonly services: readonly ServiceDoc[];
  readonly messages: readonly MessageDoc[];
  readonly enums: readonly EnumDoc[];
  readonly extensions: readonly FieldDoc[];
}
