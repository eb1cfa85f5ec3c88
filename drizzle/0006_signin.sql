CREATE TABLE `app_group_assignments` (
	`org_id` text NOT NULL,
	`app_id` text NOT NULL,
	`group_id` text NOT NULL,
	`priority` integer NOT NULL,
	`profile` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `app_id`, `group_id`)
);
--> statement-breakpoint
CREATE INDEX `app_group_assignments_group` ON `app_group_assignments` (`org_id`,`group_id`);--> statement-breakpoint
CREATE TABLE `app_user_assignments` (
	`org_id` text NOT NULL,
	`app_id` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text,
	`profile` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `app_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `app_user_assignments_user` ON `app_user_assignments` (`org_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `authn_tokens` (
	`org_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text,
	`recovery_type` text,
	`authenticated_at` text,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `token_hash`)
);
--> statement-breakpoint
CREATE INDEX `authn_tokens_user` ON `authn_tokens` (`org_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `password_failures` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`since` text,
	`count` integer NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`org_id` text NOT NULL,
	`id_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`last_password_verification` text,
	`amr` text NOT NULL,
	PRIMARY KEY(`org_id`, `id_hash`)
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`org_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `trusted_origins` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`origin` text NOT NULL,
	`scopes` text NOT NULL,
	`status` text NOT NULL,
	`created` text NOT NULL,
	`created_by` text NOT NULL,
	`last_updated` text NOT NULL,
	`last_updated_by` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `trusted_origins_origin` ON `trusted_origins` (`org_id`,`origin`);