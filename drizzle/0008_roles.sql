CREATE TABLE `role_assignments` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`assignee_type` text NOT NULL,
	`assignee_id` text NOT NULL,
	`type` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_assignee` ON `role_assignments` (`org_id`,`assignee_type`,`assignee_id`,`type`);--> statement-breakpoint
CREATE TABLE `role_targets` (
	`org_id` text NOT NULL,
	`assignment_id` text NOT NULL,
	`kind` text NOT NULL,
	`target_id` text NOT NULL,
	`app_id` text NOT NULL,
	`created` text NOT NULL,
	PRIMARY KEY(`org_id`, `assignment_id`, `kind`, `target_id`, `app_id`)
);
--> statement-breakpoint
CREATE INDEX `role_targets_target` ON `role_targets` (`org_id`,`kind`,`target_id`);--> statement-breakpoint
CREATE INDEX `role_targets_app` ON `role_targets` (`org_id`,`app_id`);--> statement-breakpoint
ALTER TABLE `orgs` ADD `public_client_app_admins` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Orgs made before admin roles existed: their built-in admin is SUPER_ADMIN, as provisioning now makes it.
INSERT OR IGNORE INTO `role_assignments` (`org_id`, `id`, `assignee_type`, `assignee_id`, `type`, `created`, `last_updated`)
SELECT `id`, 'ra1' || substr(hex(randomblob(9)), 1, 17), 'USER', `admin_user_id`, 'SUPER_ADMIN', `created`, `created` FROM `orgs`;
--> statement-breakpoint
-- "Public client app admins" is on by default: service apps already granted okta.* scopes are SUPER_ADMIN.
INSERT OR IGNORE INTO `role_assignments` (`org_id`, `id`, `assignee_type`, `assignee_id`, `type`, `created`, `last_updated`)
SELECT DISTINCT a.`org_id`, 'irb' || substr(hex(randomblob(9)), 1, 17), 'CLIENT', a.`client_id`, 'SUPER_ADMIN', a.`created`, a.`created`
FROM `apps` a WHERE a.`application_type` = 'service'
  AND EXISTS (SELECT 1 FROM `app_grants` g WHERE g.`org_id` = a.`org_id` AND g.`app_id` = a.`id`);
