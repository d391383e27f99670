// Express's own dependencies, used directly by the /graphql fast path (src/http/graphql-fast-path.ts)
// so that it answers as Express would; neither ships type declarations.

declare module 'etag' {
  export default function etag(entity: string | Buffer, options?: { weak?: boolean }): string;
}

declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';
  /** The client address of a request, walking X-Forwarded-For while `trust` accepts the hop. */
  export default function proxyaddr(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string;
}
