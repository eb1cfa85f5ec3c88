CREATE TABLE `proxy_upstreams` (
	`org_id` text PRIMARY KEY NOT NULL,
	`upstream_url` text NOT NULL,
	`credential_kind` text NOT NULL,
	`client_id` text,
	`credential_encrypted` text NOT NULL,
	`encryption_key_id` text NOT NULL,
	`timeout_ms` integer NOT NULL,
	`created` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `orgs` ADD `mode` text DEFAULT 'mock' NOT NULL;