// @connectrpc/connect's declarations name the DOM's HeadersInit, which the tests' types (Node's, no DOM lib) lack.
type HeadersInit = NonNullable<ConstructorParameters<typeof Headers>[0]>;
