import { DashboardBuilder, DashboardLinkBuilder, DashboardLinkType, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/** Every Vigil dashboard carries this tag; the dashboard links menu lists them by it. */
export const VIGIL_TAG = 'vigil';

/** `vigil-<template>` for a template's dashboard, as alert links expect (CONTRACTS: dashboard links). */
export function templateDashboardUid(template: string): string {
  return `vigil-${template}`;
}

/** Defaults shared by Vigil's dashboards: UTC, the last 6 hours, and links to the others keeping the time range. */
export function vigilDashboard(uid: string, title: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .tags([VIGIL_TAG])
    .timezone('utc')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .editable()
    .link(new DashboardLinkBuilder('Vigil').type(DashboardLinkType.Dashboards).tags([VIGIL_TAG]).asDropdown(true).keepTime(true).includeVars(false));
}

/** The SDK leaves panel ids to Grafana; stable ids keep the committed JSON and panel links stable. */
export function numberPanels(dashboard: Dashboard): Dashboard {
  dashboard.panels?.forEach((panel, index) => {
    panel.id = index + 1;
  });
  return dashboard;
}
