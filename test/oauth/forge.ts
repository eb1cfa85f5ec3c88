import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../src/db/schema";
import { ORG_KEY_SET } from "../../src/oauth/crypto/jwks";
import { signingKeyFor } from "../../src/oauth/crypto/keys";
import { mintAccessToken, type MintInput } from "../../src/oauth/tokens/access-token";

/**
 * Tokens signed with an org's real signing key but with claims no token
 * endpoint would issue (expired, not yet valid, wrong audience…): the only
 * way to prove the verifier checks them. Goes through the keys module, not
 * its table.
 */
export const testDb = () => drizzle(env.DB, { schema });

export type ForgeInput = Partial<MintInput> & Pick<MintInput, "issuer">;

/** Pass the clientId of a real, ACTIVE client of the org: tokens of unknown clients are refused. */
export async function forgeAccessToken(orgId: string, input: ForgeInput): Promise<string> {
  const key = await signingKeyFor(testDb(), env, { orgId, keySet: ORG_KEY_SET });
  const { token } = await mintAccessToken(key, {
    audience: input.issuer,
    subject: "0oaForged00000000000",
    clientId: "0oaForged00000000000",
    scopes: ["okta.users.read"],
    lifetimeSeconds: 3600,
    ...input,
  });
  return token;
}
