CREATE TABLE `oauth_refresh_token_values` (
	`org_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`refresh_token_id` text NOT NULL,
	`retired_at` integer,
	PRIMARY KEY(`org_id`, `token_hash`)
);
--> statement-breakpoint
CREATE INDEX `oauth_refresh_token_values_token` ON `oauth_refresh_token_values` (`org_id`,`refresh_token_id`);--> statement-breakpoint
CREATE TABLE `oauth_refresh_tokens` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`client_id` text NOT NULL,
	`user_id` text NOT NULL,
	`scopes` text NOT NULL,
	`rule_id` text,
	`auth_time` integer NOT NULL,
	`amr` text NOT NULL,
	`access_token_lifetime` integer NOT NULL,
	`idle_seconds` integer,
	`created` text NOT NULL,
	`expires_at` integer,
	`last_used_at` integer NOT NULL,
	`access_tokens` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `oauth_refresh_tokens_user` ON `oauth_refresh_tokens` (`org_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `oauth_refresh_tokens_client` ON `oauth_refresh_tokens` (`org_id`,`client_id`,`auth_server_id`);