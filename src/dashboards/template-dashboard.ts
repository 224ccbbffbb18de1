import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardTemplate } from './dashboard-template.js';

/**
 * A template's own dashboard (uid `vigil-<template>`), one module per template in its
 * domain's folder (src/domains/<name>/dashboard/), registered by the domain's definition. It must have the
 * variables `detector` and `entity` so alert links can filter it (see variables.ts).
 */
export interface TemplateDashboardModule {
  /** The template's name, as in its template.yaml and its folder under templates/. */
  readonly template: string;
  build(template: DashboardTemplate): Dashboard;
}
