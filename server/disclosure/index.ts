export { DEFAULT_DISCLOSURE_CONFIG, DisclosureConfigSchema, parseDisclosureConfig, type DisclosureConfig } from './config.ts';
export { gridCoords, gridIndex, gridLength, gridLines, isMargin, withAdditiveMargins, type Line } from './grid.ts';
export { derivedFromPublished, dsrPublishable, percentOf, protectCounts, type ProtectedCounts } from './protect.ts';
export { recoverableEntries } from './recoverability.ts';
export { isPrimarySuppressed, roundToBase } from './round.ts';
export { PRIMARY, SECONDARY, SHOWN, singlySuppressedLines, type CellStatus } from './suppress.ts';
