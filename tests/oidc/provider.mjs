// A real OpenID provider for the SSO tests (tests/test_sso.py), on 127.0.0.1.
// Accounts, their groups and whether they log in with MFA come from ACCOUNTS_FILE, read at
// every log-in, so that a test can change a user's groups between two log-ins.
// The log-in page takes a user name (no password: the provider is not what is tested).
import fs from "node:fs";
import http from "node:http";
import crypto from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.ACCOUNTS_FILE;
const accounts = () => JSON.parse(fs.readFileSync(accountsFile, "utf8"));

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URIS.split(","),
      post_logout_redirect_uris: process.env.LOGOUT_URIS.split(","),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    },
  ],
  jwks: { keys: [jwk] },
  acrValues: ["urn:gemeente:pwd", "urn:gemeente:mfa"],
  pkce: { required: () => true },
  scopes: ["openid", "profile", "email", "groups"],
  claims: {
    // How the person logged in (amr, acr) goes with the ID token, as Entra ID and Keycloak do.
    openid: ["sub", "acr", "amr", "auth_time"],
    profile: ["name", "given_name", "family_name", "employee_number"],
    email: ["email"],
    groups: ["groups"],
  },
  conformIdTokenClaims: false, // the claims go into the ID token (as Keycloak and Entra do)
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  ttl: { Session: 3600, Interaction: 600, AccessToken: 600, IdToken: 600, Grant: 3600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: account.name ?? id,
          given_name: account.given_name ?? id,
          family_name: account.family_name ?? "Test",
          email: account.email ?? `${id}@example.org`,
          employee_number: account.employee_number,
          groups: account.groups ?? [],
        };
      },
    };
  },
  // First-party client: no consent screen, every requested scope and claim granted.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile email groups");
    grant.addOIDCClaims(["groups", "employee_number", "email", "name", "given_name", "family_name"]);
    await grant.save();
    return grant;
  },
});

const page = (body) => `<!doctype html><html><body>${body}</body></html>`;

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    res.setHeader("Content-Type", "text/html");
    res.end(page(`<form method="post"><input name="login"><button>Inloggen</button></form>`));
    return;
  }
  let body = "";
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get("login");
  const account = accounts()[login];
  if (!account) {
    res.statusCode = 400;
    res.end(page("Onbekende gebruiker"));
    return;
  }
  const result = { login: { accountId: login, amr: account.amr ?? ["pwd"], acr: account.acr } };
  if (details.prompt.name !== "login") delete result.login;
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

http
  .createServer(async (req, res) => {
    try {
      if (req.url.startsWith("/interaction/")) return await interaction(req, res);
      return provider.callback()(req, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  })
  .listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
