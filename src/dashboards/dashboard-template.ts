/** What a dashboard needs to know about a template, read from its template.yaml. */
export interface DashboardTemplate {
  readonly name: string;
  readonly title: string;
  /** `tables.events`: the template's events table. */
  readonly eventsTable: string;
}
