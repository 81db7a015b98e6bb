// @connectrpc/connect's declarations name the DOM's HeadersInit, which Node's types do not declare globally:
// declared here as what Node's own Headers takes, so the tests type-check against connect without the DOM lib.
type HeadersInit = ConstructorParameters<typeof Headers>[0];
