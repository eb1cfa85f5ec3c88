CREATE TABLE `app_grants` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`app_id` text NOT NULL,
	`client_id` text NOT NULL,
	`scope_id` text NOT NULL,
	`issuer` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`created_by` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `app_grants_app` ON `app_grants` (`org_id`,`app_id`,`created`);--> statement-breakpoint
CREATE INDEX `app_grants_client` ON `app_grants` (`org_id`,`client_id`,`issuer`,`status`);--> statement-breakpoint
CREATE TABLE `apps` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`label` text NOT NULL,
	`status` text NOT NULL,
	`sign_on_mode` text NOT NULL,
	`client_id` text NOT NULL,
	`application_type` text NOT NULL,
	`grant_types` text NOT NULL,
	`response_types` text NOT NULL,
	`redirect_uris` text NOT NULL,
	`post_logout_redirect_uris` text NOT NULL,
	`token_endpoint_auth_method` text NOT NULL,
	`jwks` text NOT NULL,
	`dpop_bound_access_tokens` integer NOT NULL,
	`pkce_required` integer NOT NULL,
	`consent_method` text NOT NULL,
	`issuer_mode` text NOT NULL,
	`client_secret_hash` text,
	`client_name` text NOT NULL,
	`metadata` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	`client_id_issued_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `apps_client_id` ON `apps` (`org_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `apps_created` ON `apps` (`org_id`,`created`,`id`);--> statement-breakpoint
CREATE INDEX `apps_label` ON `apps` (`org_id`,`label`,`id`);