/** The `container:` and `services:` values of a job, after expressions are evaluated. */
export interface Credentials {
  username: string;
  password: string;
}

export interface ContainerSpec {
  image: string;
  env?: Record<string, string>;
  /** "5432:5432", "8080", "127.0.0.1::6379", "53:53/udp". */
  ports?: string[];
  /** "name:/path", "/host:/path[:ro]", "/path" (anonymous). */
  volumes?: string[];
  /** `docker create` options, e.g. "--health-cmd pg_isready --health-interval 10s". */
  options?: string;
  credentials?: Credentials;
}

/** `services:` keyed by service id; the id is the service's host name on the job network. */
export type ServicesSpec = Record<string, ContainerSpec>;

/** `container: node:20` is shorthand for `{ image: node:20 }`; numbers in ports become strings. */
export function toContainerSpec(value: unknown): ContainerSpec {
  if (typeof value === "string") return { image: value };
  const v = (value ?? {}) as Record<string, unknown>;
  const strings = (x: unknown) => (Array.isArray(x) ? x.map((p) => String(p)) : undefined);
  const env = v.env && typeof v.env === "object" ? Object.fromEntries(Object.entries(v.env).map(([k, x]) => [k, String(x)])) : undefined;
  const creds = v.credentials as Partial<Credentials> | undefined;
  return {
    image: String(v.image ?? ""),
    env,
    ports: strings(v.ports),
    volumes: strings(v.volumes),
    options: typeof v.options === "string" ? v.options : undefined,
    credentials: creds?.username !== undefined && creds.password !== undefined ? { username: String(creds.username), password: String(creds.password) } : undefined,
  };
}
