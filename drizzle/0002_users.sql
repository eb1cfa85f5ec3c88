CREATE TABLE `user_tokens` (
	`org_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`created` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `token_hash`)
);
--> statement-breakpoint
CREATE INDEX `user_tokens_user` ON `user_tokens` (`org_id`,`user_id`,`kind`);--> statement-breakpoint
CREATE TABLE `users` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`status` text NOT NULL,
	`type_id` text NOT NULL,
	`profile` text NOT NULL,
	`profile_lower` text NOT NULL,
	`login_normalized` text NOT NULL,
	`login_lower` text NOT NULL,
	`short_name_lower` text NOT NULL,
	`email_lower` text,
	`first_name_lower` text,
	`last_name_lower` text,
	`created` text NOT NULL,
	`activated` text,
	`status_changed` text,
	`last_login` text,
	`last_updated` text NOT NULL,
	`password_changed` text,
	`password` text,
	`recovery_question` text,
	`recovery_answer` text,
	`provider_type` text NOT NULL,
	`provider_name` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_login_normalized` ON `users` (`org_id`,`login_normalized`);--> statement-breakpoint
CREATE INDEX `users_login_lower` ON `users` (`org_id`,`login_lower`,`id`);--> statement-breakpoint
CREATE INDEX `users_short_name` ON `users` (`org_id`,`short_name_lower`);--> statement-breakpoint
CREATE INDEX `users_email_lower` ON `users` (`org_id`,`email_lower`,`id`);--> statement-breakpoint
CREATE INDEX `users_first_name_lower` ON `users` (`org_id`,`first_name_lower`,`id`);--> statement-breakpoint
CREATE INDEX `users_last_name_lower` ON `users` (`org_id`,`last_name_lower`,`id`);--> statement-breakpoint
CREATE INDEX `users_status` ON `users` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `users_last_updated` ON `users` (`org_id`,`last_updated`,`id`);