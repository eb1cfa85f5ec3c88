// The floor every namespace's numbers are read against: what a request costs
// before any namespace code runs.
export async function bench({ operatorToken, report }) {
  // Request id, guard lookup of a PUBLIC row, a constant JSON body: no D1.
  const health = await report.run("GET /_edgeorg/health (no auth, no D1)", { path: "/_edgeorg/health" });
  // Org resolution from D1, then a document built from the org URL.
  const discovery = await report.run("GET /.well-known/openid-configuration", { path: "/.well-known/openid-configuration" });
  // Operator bearer check plus a D1 query that lists rows.
  const orgs = await report.run("GET /_edgeorg/orgs (operator bearer, D1 list)", {
    path: "/_edgeorg/orgs",
    headers: { authorization: `Bearer ${operatorToken}` },
  });
  if (health) {
    report.ratio("discovery cost / health cost", discovery && health.reqPerSec / discovery.reqPerSec);
    report.ratio("operator list cost / health cost", orgs && health.reqPerSec / orgs.reqPerSec);
  }
}
