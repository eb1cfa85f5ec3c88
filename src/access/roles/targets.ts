/** The objects a targeted role reaches: groups (and their members), or apps by name or instance. */
export interface Targets {
  groupIds: Set<string>;
  appNames: Set<string>;
  appIds: Set<string>;
}
