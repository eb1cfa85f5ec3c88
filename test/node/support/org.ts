import { inject } from "vitest";

export interface NodeTestOrg {
  id: string;
  slug: string;
  /** Give this to an Okta SDK as `orgUrl`. */
  orgUrl: string;
  apiToken: string;
  expiresAt: string | null;
}

/** The worker's default org (shared by every Node-side test file: prefer createOrg() for isolation). */
export function defaultOrg(): { orgUrl: string; apiToken: string } {
  return { orgUrl: inject("orgUrl"), apiToken: inject("apiToken") };
}

/** A fresh, empty org made through the operator API; it expires on its own after `ttlSeconds`. */
export async function createOrg(body: { slug?: string; ttlSeconds?: number; settings?: Record<string, unknown> } = {}): Promise<NodeTestOrg> {
  const response = await fetch(`${inject("orgUrl")}/_edgeorg/orgs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${inject("operatorToken")}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ ttlSeconds: 3600, ...body }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`org creation failed: ${response.status} ${text}`);
  return JSON.parse(text) as NodeTestOrg;
}

/** Removes an org made by createOrg (and every row it owns). */
export async function deleteOrg(slug: string): Promise<void> {
  const response = await fetch(`${inject("orgUrl")}/_edgeorg/orgs/${slug}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${inject("operatorToken")}` },
  });
  if (response.status !== 204) throw new Error(`org deletion failed: ${response.status} ${await response.text()}`);
}

/** A JSON call to an org's API with its SSWS token: status and parsed body. */
export async function sswsRequest(org: { orgUrl: string; apiToken: string }, method: string, path: string, body?: unknown) {
  const response = await fetch(`${org.orgUrl}${path}`, {
    method,
    headers: { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}
