CREATE TABLE `faults` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`fault` text NOT NULL,
	`latency_ms` integer,
	`status` integer,
	`reset_seconds` integer,
	`probability` real NOT NULL,
	`remaining` integer,
	`created` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `request_log` (
	`org_id` text NOT NULL,
	`request_id` text NOT NULL,
	`at` integer NOT NULL,
	`seq` integer NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`actor_kind` text,
	`actor_id` text,
	`client_id` text,
	`error_code` text,
	`error_summary` text,
	`fault` text,
	`latency_ms` integer NOT NULL,
	PRIMARY KEY(`org_id`, `request_id`)
);
--> statement-breakpoint
CREATE INDEX `request_log_org_at` ON `request_log` (`org_id`,`at`,`seq`);