CREATE TABLE `group_memberships` (
	`org_id` text NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`rule_id` text,
	`created` text NOT NULL,
	PRIMARY KEY(`org_id`, `group_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `group_memberships_user` ON `group_memberships` (`org_id`,`user_id`,`group_id`);--> statement-breakpoint
CREATE INDEX `group_memberships_rule` ON `group_memberships` (`org_id`,`rule_id`);--> statement-breakpoint
CREATE TABLE `group_owners` (
	`org_id` text NOT NULL,
	`group_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`type` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `group_id`, `owner_id`)
);
--> statement-breakpoint
CREATE INDEX `group_owners_owner` ON `group_owners` (`org_id`,`owner_id`,`group_id`);--> statement-breakpoint
CREATE TABLE `group_rule_targets` (
	`org_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`group_id` text NOT NULL,
	PRIMARY KEY(`org_id`, `rule_id`, `group_id`)
);
--> statement-breakpoint
CREATE INDEX `group_rule_targets_group` ON `group_rule_targets` (`org_id`,`group_id`,`rule_id`);--> statement-breakpoint
CREATE TABLE `group_rules` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`expression_type` text NOT NULL,
	`expression` text NOT NULL,
	`exclude_user_ids` text NOT NULL,
	`exclude_group_ids` text NOT NULL,
	`group_ids` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `group_rules_name` ON `group_rules` (`org_id`,`name`,`id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`org_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`name_lower` text NOT NULL,
	`profile` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	`last_membership_updated` text NOT NULL,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_okta_name` ON `groups` (`org_id`,`name_lower`) WHERE type = 'OKTA_GROUP';--> statement-breakpoint
CREATE INDEX `groups_name` ON `groups` (`org_id`,`name_lower`,`id`);--> statement-breakpoint
CREATE INDEX `groups_created` ON `groups` (`org_id`,`created`,`id`);--> statement-breakpoint
CREATE INDEX `groups_last_updated` ON `groups` (`org_id`,`last_updated`,`id`);--> statement-breakpoint
CREATE INDEX `groups_last_membership_updated` ON `groups` (`org_id`,`last_membership_updated`,`id`);