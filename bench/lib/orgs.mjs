// Throw-away orgs for bench modules, made and removed through the operator API
// (run.mjs loads only bench/*.mjs, so this folder is not taken for a module).

/** POST /_edgeorg/orgs with `body` ({slug?, ttlSeconds?}); the created org or an Error naming the reply. */
export async function createBenchOrg(baseUrl, operatorToken, body = {}) {
  const made = await fetch(`${baseUrl}/_edgeorg/orgs`, {
    method: "POST",
    headers: { authorization: `Bearer ${operatorToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (made.status !== 201) throw new Error(`creating the bench org failed: ${made.status} ${await made.text()}`);
  return made.json();
}

export async function deleteBenchOrg(baseUrl, operatorToken, slug) {
  await fetch(`${baseUrl}/_edgeorg/orgs/${slug}`, { method: "DELETE", headers: { authorization: `Bearer ${operatorToken}` } });
}
