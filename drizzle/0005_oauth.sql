CREATE TABLE `oauth_revoked_tokens` (
	`org_id` text NOT NULL,
	`jti` text NOT NULL,
	`client_id` text NOT NULL,
	`exp` integer NOT NULL,
	`revoked_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `jti`)
);
--> statement-breakpoint
CREATE INDEX `oauth_revoked_tokens_revoked_at` ON `oauth_revoked_tokens` (`org_id`,`revoked_at`);--> statement-breakpoint
CREATE TABLE `oauth_signing_keys` (
	`org_id` text NOT NULL,
	`key_set` text NOT NULL,
	`kid` text NOT NULL,
	`status` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk_encrypted` text NOT NULL,
	`encryption_key_id` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	`published_until` text,
	PRIMARY KEY(`org_id`, `key_set`, `kid`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_signing_keys_one_per_status` ON `oauth_signing_keys` (`org_id`,`key_set`,`status`) WHERE status in ('ACTIVE', 'NEXT');--> statement-breakpoint
CREATE TABLE `oauth_used_jtis` (
	`org_id` text NOT NULL,
	`jti` text NOT NULL,
	`exp` integer NOT NULL,
	PRIMARY KEY(`org_id`, `jti`)
);
--> statement-breakpoint
CREATE INDEX `oauth_used_jtis_exp` ON `oauth_used_jtis` (`org_id`,`exp`);