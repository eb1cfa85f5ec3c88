CREATE TABLE `authorization_server_claims` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`claim_type` text NOT NULL,
	`value_type` text NOT NULL,
	`value` text NOT NULL,
	`group_filter_type` text,
	`always_include_in_token` integer NOT NULL,
	`scopes` text NOT NULL,
	`system` integer NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `authorization_server_claims_name` ON `authorization_server_claims` (`org_id`,`auth_server_id`,`claim_type`,`name`);--> statement-breakpoint
CREATE TABLE `authorization_server_policies` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`priority` integer NOT NULL,
	`status` text NOT NULL,
	`system` integer NOT NULL,
	`clients` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `authorization_server_policies_server` ON `authorization_server_policies` (`org_id`,`auth_server_id`,`priority`);--> statement-breakpoint
CREATE TABLE `authorization_server_rules` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`policy_id` text NOT NULL,
	`name` text NOT NULL,
	`priority` integer NOT NULL,
	`status` text NOT NULL,
	`system` integer NOT NULL,
	`conditions` text NOT NULL,
	`token_actions` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `authorization_server_rules_policy` ON `authorization_server_rules` (`org_id`,`policy_id`,`priority`);--> statement-breakpoint
CREATE INDEX `authorization_server_rules_server` ON `authorization_server_rules` (`org_id`,`auth_server_id`);--> statement-breakpoint
CREATE TABLE `authorization_server_scopes` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`display_name` text,
	`consent` text NOT NULL,
	`optional` integer NOT NULL,
	`is_default` integer NOT NULL,
	`metadata_publish` text NOT NULL,
	`system` integer NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `authorization_server_scopes_name` ON `authorization_server_scopes` (`org_id`,`auth_server_id`,`name`);--> statement-breakpoint
CREATE TABLE `authorization_server_tokens` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`auth_server_id` text NOT NULL,
	`client_id` text NOT NULL,
	`scopes` text NOT NULL,
	`created` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `authorization_server_tokens_client` ON `authorization_server_tokens` (`org_id`,`auth_server_id`,`client_id`,`created`,`id`);--> statement-breakpoint
CREATE INDEX `authorization_server_tokens_expiry` ON `authorization_server_tokens` (`org_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `authorization_servers` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`audiences` text NOT NULL,
	`status` text NOT NULL,
	`issuer_mode` text NOT NULL,
	`rotation_mode` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `authorization_servers_created` ON `authorization_servers` (`org_id`,`created`,`id`);