import { compile, type TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec, Mark, GroupMark } from 'vega';
import { CHART_CONFIG } from './vega-config.ts';

/** Test helper: compiles a spec with the app's config, collecting Vega-Lite's warnings. */
export function compileSpec(spec: TopLevelSpec): { vega: VegaSpec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level() {
      return this;
    },
    warn: (...a: unknown[]) => {
      warnings.push(a.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
    error: (...a: unknown[]) => {
      warnings.push(`error: ${a.map(String).join(' ')}`);
      return logger;
    },
  };
  const out = compile(spec, { config: CHART_CONFIG, logger: logger as never });
  return { vega: out.spec, warnings };
}

/** Every mark in the compiled Vega spec, groups (facets, layers) walked. */
export function allMarks(spec: VegaSpec | GroupMark): Mark[] {
  const out: Mark[] = [];
  for (const m of spec.marks ?? []) {
    out.push(m);
    if (m.type === 'group') out.push(...allMarks(m as GroupMark));
  }
  return out;
}

/** Names of the data sources a spec expects to be filled at render time. */
export function namedSources(spec: VegaSpec): string[] {
  return (spec.data ?? [])
    .filter((d) => !('source' in d) && !('values' in d) && !('url' in d) && !d.name.startsWith('facet_domain'))
    .map((d) => d.name);
}

/** True if any data holds inline values: specs must hold no data. */
export function hasInlineData(spec: unknown): boolean {
  return JSON.stringify(spec).includes('"values"');
}
