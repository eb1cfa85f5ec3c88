CREATE TABLE `oauth_authorization_codes` (
	`org_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`client_id` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`code_challenge` text,
	`scopes` text NOT NULL,
	`nonce` text,
	`user_id` text NOT NULL,
	`auth_time` text NOT NULL,
	`amr` text NOT NULL,
	`session_id` text,
	`policy` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `code_hash`)
);
--> statement-breakpoint
CREATE INDEX `oauth_authorization_codes_expiry` ON `oauth_authorization_codes` (`org_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `user_consent_grants` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`client_id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`issuer` text NOT NULL,
	`scope_id` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_consent_grants_scope` ON `user_consent_grants` (`org_id`,`user_id`,`client_id`,`auth_server_id`,`scope_id`);--> statement-breakpoint
CREATE INDEX `user_consent_grants_client` ON `user_consent_grants` (`org_id`,`client_id`);