export { areaWindowParams as params } from './area-window.ts';
