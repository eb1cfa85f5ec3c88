/** Who is calling, after the credential has been read once. */
export type Principal =
  | {
      kind: "apiToken";
      /** The admin user that owns the SSWS token. SSWS tokens carry their owner's permissions and ignore scopes. */
      userId: string;
      /** The token's id; absent for the default org's bootstrap token, a deployment secret with no row. */
      tokenId?: string;
    }
  | {
      kind: "accessToken";
      /** `cid`: the OAuth client the token was minted for. */
      clientId: string;
      /** `uid`: the user of a user-context token; absent for client_credentials. */
      userId?: string;
      scopes: string[];
      /** `jti` of the access token, for revocation checks and introspection. */
      tokenId: string;
    };
