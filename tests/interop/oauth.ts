// The official TypeScript MCP SDK's OAuth client against a live server whose /mcp requires
// django-oauth-toolkit tokens: node --experimental-strip-types oauth.ts URL USER PASSWORD
// Discovery from the 401, dynamic registration, PKCE, the resource parameter, sign-in and
// consent (an HTTP stand-in for the browser), token exchange, a read, then a write that gets
// 403 insufficient_scope and the SDK's step-up. Prints one JSON line; exits non-zero on failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

const REDIRECT_URI = "http://127.0.0.1:9/callback";

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

/** Alice's browser: a cookie jar, sign-in once, "Authorize" on every consent page. */
class Browser {
  cookies = new Map<string, string>();
  authorizationUrls: string[] = [];
  code: string | undefined;
  private user: string;
  private password: string;

  constructor(user: string, password: string) {
    this.user = user;
    this.password = password;
  }

  private async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  }

  private static hidden(page: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const tag of page.match(/<input[^>]*>/g) ?? []) {
      const name = /name="([^"]*)"/.exec(tag);
      const value = /value="([^"]*)"/.exec(tag);
      if (name && tag.includes('type="hidden"')) {
        fields[decode(name[1])] = decode(value ? value[1] : "");
      }
    }
    return fields;
  }

  private async post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async approve(authorizationUrl: URL): Promise<void> {
    const url = authorizationUrl.toString();
    this.authorizationUrls.push(url);
    let page = await this.fetch(url);
    if (page.status === 302) {
      const login = new URL(page.headers.get("location") ?? "", url).toString();
      const form = await this.fetch(login);
      const fields = Browser.hidden(await form.text());
      const signedIn = await this.post(login, {
        ...fields,
        username: this.user,
        password: this.password,
      });
      check(signedIn.status === 302, `sign-in redirects (got ${signedIn.status})`);
      page = await this.fetch(url);
    }
    const html = await page.text();
    check(page.status === 200 && html.includes("Authorize"), "consent page shown");
    const answer = await this.post(url, { ...Browser.hidden(html), allow: "Authorize" });
    const location = answer.headers.get("location") ?? "";
    check(answer.status === 302 && location.startsWith(REDIRECT_URI), `redirect: ${location}`);
    const code = new URL(location).searchParams.get("code");
    check(code !== null, "authorization code returned");
    this.code = code ?? undefined;
  }
}

function decode(value: string): string {
  return value
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

class Provider implements OAuthClientProvider {
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";
  private browser: Browser;

  constructor(browser: Browser) {
    this.browser = browser;
  }

  get redirectUrl(): string {
    return REDIRECT_URI;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "interop TypeScript client",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    // Refresh tokens are not kept: SDK v1.32.2 answers 403 insufficient_scope with a refresh
    // when it holds one, and a refresh cannot widen scope (RFC 6749 section 6), so its
    // step-up dead-ends (typescript-sdk issue 2255). Without one it re-authorizes.
    const { refresh_token: _dropped, ...kept } = tokens;
    this.saved = kept;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    await this.browser.approve(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

async function main(): Promise<void> {
  const [url, user, password] = process.argv.slice(2);
  const browser = new Browser(user, password);
  const provider = new Provider(browser);

  let transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  let client = new Client({ name: "drf-mcp-interop-ts-oauth", version: "1.0.0" });
  try {
    await client.connect(transport);
    throw new Error("expected the first connection to need authorization");
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  // The app's redirect handler got the code: finish, then connect again with the token.
  await transport.finishAuth(browser.code ?? "");
  transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  client = new Client({ name: "drf-mcp-interop-ts-oauth", version: "1.0.0" });
  await client.connect(transport);

  const { tools } = await client.listTools();
  check(tools.some((tool) => tool.name === "customers_create"), "customers_create listed");
  const listed = await client.callTool({ name: "customers_list", arguments: {} });
  check(!listed.isError, "read with the first token");
  const authorizationsBeforeWrite = browser.authorizationUrls.length;

  const write = { name: "customers_create", arguments: { name: "Made over OAuth (TS)" } };
  let created;
  try {
    created = await client.callTool(write);
    throw new Error("expected the write to need more scope");
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  await transport.finishAuth(browser.code ?? "");
  created = await client.callTool(write);
  check(!created.isError, `write after step-up: ${JSON.stringify(created.content)}`);

  const queries = browser.authorizationUrls.map((u) => new URL(u).searchParams);
  console.log(
    JSON.stringify({
      ok: true,
      authorizationsBeforeWrite,
      scopes: queries.map((q) => q.get("scope")),
      challengeMethods: queries.map((q) => q.get("code_challenge_method")),
      resources: queries.map((q) => q.get("resource")),
      clientId: queries[0].get("client_id"),
      owner: (created.structuredContent as Record<string, unknown> | undefined)?.owner,
    }),
  );
  await client.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
